from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhijia.org"
    label = "org"
    verbose_name = "organisation and members"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the module's permission codes)
