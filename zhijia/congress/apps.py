from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "zhijia.congress"
    label = "congress"
    verbose_name = "workers' congress"

    def ready(self) -> None:
        from zhijia.congress import (
            dashboard,  # noqa: F401  (declares the module's figures)
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
        from zhijia.congress.actions.bodies import SATISFACTION_SERVICE as DUTY_SERVICE

        register_service(DUTY_SERVICE, gettext_lazy("职工代表述职"), order=21)

        # The yearly minimum of inspection tours (每年至少一至两次): a day-granular check.
        from zhijia.core.workflow import register_sweep

        def tour_minimum_sweep() -> int:
            from zhijia.congress.actions.followup import sweep_tour_minimum

            return sweep_tour_minimum()

        register_sweep("congress.tour_minimum", tour_minimum_sweep, every_seconds=3600)

        # The facts of 办事进度 (proposals) and 会议决议的落实情况 for an inspection tour's
        # checklist, through the same core hook as the other modules' subjects.
        from zhijia.congress.hooks import progress_facts, resolution_facts
        from zhijia.core.hooks import register_inspection_facts

        register_inspection_facts("progress", progress_facts)
        register_inspection_facts("resolutions", resolution_facts)
