from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhijia.disclosure"
    label = "disclosure"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
