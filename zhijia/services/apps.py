from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "zhijia.services"
    label = "services"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
