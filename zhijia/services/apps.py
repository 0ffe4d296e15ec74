from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "zhijia.services"
    label = "services"

    def ready(self) -> None:
        from zhijia.core.workflow import register_sweep
        from zhijia.services import permissions  # noqa: F401  (registers the module's permission codes)

        def counseling_sweep() -> int:
            from zhijia.services.actions.counseling import sweep_counseling

            return sum(sweep_counseling().values())

        register_sweep("services.counseling", counseling_sweep)

        from zhijia.core.queues import register_queues
        from zhijia.services import home

        # The counselors' work queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.home import register_todos

        # A member's volunteer shift coming within two days.
        register_todos(home.todos)
        from zhijia.core.home import register_panels

        # The member home's "今年志愿服务 N 小时".
        register_panels(home.volunteering_panel)
        from zhijia.core.entrances import register_entrance

        for entrance in home.ENTRANCES:
            register_entrance(entrance)
