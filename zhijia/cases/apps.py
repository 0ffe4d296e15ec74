from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhijia.cases"
    label = "cases"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
