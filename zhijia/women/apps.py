from django.apps import AppConfig


class WomenConfig(AppConfig):
    name = "zhijia.women"
    label = "women"
    verbose_name = "女职工"

    def ready(self) -> None:
        from zhijia.core.entrances import register_entrance
        from zhijia.core.hooks import register_legal_minimums
        from zhijia.core.workflow import register_sweep
        from zhijia.women import (  # noqa: F401  (dashboard, permissions: registrations)
            dashboard,
            home,
            permissions,
        )
        from zhijia.women.queries.provinces import legal_minimums

        # The minimums a collective contract's women's clauses are compared against.
        register_legal_minimums(legal_minimums)
        for entrance in home.ENTRANCES:
            register_entrance(entrance)

        def reminder_sweep() -> int:
            from zhijia.women.actions.registrations import sweep_reminders

            return sweep_reminders()

        # Once an hour is plenty: the reminders are about days.
        register_sweep("women.reminders", reminder_sweep, every_seconds=3600)
