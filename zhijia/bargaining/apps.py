from django.apps import AppConfig


class BargainingConfig(AppConfig):
    name = "zhijia.bargaining"
    label = "bargaining"

    def ready(self) -> None:
        from zhijia.bargaining import (
            dashboard,  # noqa: F401  (figures and searchable records)
            permissions,  # noqa: F401  (registers the permission codes)
        )
        from zhijia.bargaining.queries.compliance import access_check_for_files
        from zhijia.core import attachments

        # Evidence of a compliance check is served to whoever may read the contract's checks.
        attachments.register_owner("bargaining.compliancecheck", access_check_for_files)

        from zhijia.bargaining.actions.contracts import daily_sweep
        from zhijia.core.workflow import register_sweep

        # Contracts take effect after the objection period, expire after their term, and the
        # renewal reminder goes out 3 months before the end (Art. 38, 47). Idempotent.
        register_sweep("bargaining.daily", daily_sweep, every_seconds=3600)

        from zhijia.bargaining import home
        from zhijia.core.entrances import register_entrance

        for entrance in home.ENTRANCES:
            register_entrance(entrance)

        from zhijia.core.home import register_todos

        # A round collecting demands, on the member's home (我的待办).
        register_todos(home.demand_todos)
