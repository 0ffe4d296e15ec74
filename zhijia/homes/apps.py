from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "zhijia.homes"
    label = "homes"
    verbose_name = "职工之家建设"

    def ready(self) -> None:
        from zhijia.core import attachments
        from zhijia.homes import (
            home,  # noqa: F401  (registers the module's home to-dos)
            permissions,  # noqa: F401  (registers the module's codes)
        )
        from zhijia.homes.queries.assessments import access_assessment

        # Evidence files of a self-assessment: whoever may open the assessment.
        attachments.register_owner("homes.assessment", access_assessment)
