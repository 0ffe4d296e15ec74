from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "zhijia.assistance"
    label = "assistance"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
