from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "zhijia.safety"
    label = "safety"

    def ready(self) -> None:
        from zhijia.core import attachments
        from zhijia.safety import permissions  # noqa: F401  (registers the module's permission codes)
        from zhijia.safety.queries import access_hazard

        attachments.register_owner("safety.hazardreport", access_hazard)

        from zhijia.core.entrances import register_entrance
        from zhijia.safety import home

        for entrance in home.ENTRANCES:
            register_entrance(entrance)
