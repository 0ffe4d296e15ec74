from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhijia.cases"
    label = "cases"

    def ready(self) -> None:
        from zhijia.cases.queries import grievances as queries
        from zhijia.core import attachments

        # Attachments of a grievance are served to whoever may read the grievance.
        attachments.register_owner("cases.grievance", queries.access_grievance)

        from zhijia.cases.actions.box import open_box
        from zhijia.core.workflow import register_sweep

        # Opens the anonymous box once a day (idempotent; run with every sweep).
        register_sweep("cases.daily", lambda: open_box())

        from zhijia.cases import home
        from zhijia.core.queues import register_queues

        # The work queues of cadres, handlers and mediators (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.entrances import register_entrance

        for entrance in home.ENTRANCES:
            register_entrance(entrance)
