from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhijia.cases"
    label = "cases"

    def ready(self) -> None:
        from zhijia.cases import dashboard  # noqa: F401  (figures and searchable records)
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

        # Its line in the union's satisfaction index (zhijia.core.satisfaction_index).
        from django.utils.translation import gettext_lazy

        from zhijia.cases.actions.grievances import SATISFACTION_SERVICE
        from zhijia.core.satisfaction_index import register_service

        register_service(SATISFACTION_SERVICE, gettext_lazy("职工诉求"), order=10)

        # A grievance opened on behalf of the union (bargaining: a breached contract clause).
        from zhijia.cases.actions.grievances import UnionGrievanceOpener
        from zhijia.core.hooks import register_grievance_opener

        register_grievance_opener(UnionGrievanceOpener())
