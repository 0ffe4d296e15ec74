from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "zhijia.congress"
    label = "congress"
    verbose_name = "workers' congress"

    def ready(self) -> None:
        from zhijia.congress import (
            dashboard,  # noqa: F401  (figures and searchable records)
            home,
        )
        from zhijia.core.home import register_todos

        register_todos(home.todos)

        from zhijia.core.queues import register_queues

        # Review, answering and rectification queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.home import GREETING, register_panels

        register_panels(home.day_panel, slot=GREETING)

        # Its line in the union's satisfaction index (zhijia.core.satisfaction_index).
        from django.utils.translation import gettext_lazy

        from zhijia.congress.actions.proposal_handling import SATISFACTION_SERVICE
        from zhijia.core.satisfaction_index import register_service

        register_service(SATISFACTION_SERVICE, gettext_lazy("职代会提案"), order=20)

        # The yearly minimum of inspection tours (每年至少一至两次): a day-granular check.
        from zhijia.core.workflow import register_sweep

        def tour_minimum_sweep() -> int:
            from zhijia.congress.actions.followup import sweep_tour_minimum

            return sweep_tour_minimum()

        register_sweep("congress.tour_minimum", tour_minimum_sweep, every_seconds=3600)
