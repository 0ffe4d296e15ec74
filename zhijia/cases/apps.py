from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhijia.cases"
    label = "cases"

    def ready(self) -> None:
        from zhijia.core import attachments

        from . import (  # noqa: F401  (workflows: also the daily box sweep)
            permissions,  # noqa: F401  (registers the module's permission codes)
            queries,
            workflows,
        )

        # Attachments of a grievance are served to whoever may read the grievance.
        attachments.register_owner("cases.grievance", queries.access_grievance)
