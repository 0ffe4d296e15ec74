from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "zhijia.safety"
    label = "safety"

    def ready(self) -> None:
        from zhijia.core import attachments
        from zhijia.safety import (
            dashboard,  # noqa: F401  (declares the module's figures)
            permissions,  # noqa: F401  (registers the module's permission codes)
        )
        from zhijia.safety.queries import access_hazard

        attachments.register_owner("safety.hazardreport", access_hazard)

        from zhijia.core.queues import register_queues
        from zhijia.safety import home

        # The hazard desk's work queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.entrances import register_entrance

        for entrance in home.ENTRANCES:
            register_entrance(entrance)

        # The facts of 安全生产管理 for a congress inspection tour (core.hooks).
        from zhijia.core.hooks import register_inspection_facts
        from zhijia.safety.hooks import inspection_facts

        register_inspection_facts("safety", inspection_facts)
