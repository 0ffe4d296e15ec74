from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "zhijia.assistance"
    label = "assistance"
    verbose_name = "hardship assistance"

    def ready(self) -> None:
        from zhijia.assistance import dashboard  # noqa: F401  (declares the module's figures)
        from zhijia.assistance.queries import applications as queries_applications
        from zhijia.assistance.queries import visits as queries_visits
        from zhijia.core import attachments
        from zhijia.core.workflow import register_sweep

        attachments.register_owner(
            "assistance.application", queries_applications.access_application_documents
        )
        attachments.register_owner("assistance.visit", queries_visits.access_visit)

        def daily_jobs() -> int:
            from zhijia.assistance.jobs import run_daily

            report = run_daily()
            return int(report["purged_files"]) + int(report["review_reminders"])

        register_sweep("assistance.daily", daily_jobs, every_seconds=3600)

        from zhijia.assistance.fund_ledger import AssistanceFundLedger
        from zhijia.core.hooks import register_fund_ledger

        # services' donation drives book their money in this module's ledger.
        register_fund_ledger(AssistanceFundLedger())

        from zhijia.assistance import home
        from zhijia.core.home import register_todos

        register_todos(home.todos)

        from zhijia.core.queues import register_queues

        # The cadres' work queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.entrances import register_entrance

        for entrance in home.entrances():
            register_entrance(entrance)

        # Its line in the union's satisfaction index (zhijia.core.satisfaction_index).
        from django.utils.translation import gettext_lazy

        from zhijia.assistance.actions.applications import SATISFACTION_SERVICE
        from zhijia.core.satisfaction_index import register_service

        register_service(SATISFACTION_SERVICE, gettext_lazy("困难帮扶"), order=50)
