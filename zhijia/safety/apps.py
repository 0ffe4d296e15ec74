from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "zhijia.safety"
    label = "safety"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
