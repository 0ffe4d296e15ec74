from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhijia.dashboard"
    label = "dashboard"
    verbose_name = "数据看板"

    def ready(self) -> None:
        from zhijia.core import home as core_home
        from zhijia.dashboard import (
            home,
            permissions,  # noqa: F401  (registers the module's codes)
        )

        core_home.register_panels(home.workspace_panel, slot=core_home.WORKSPACE)

        # The monthly summary to the chairs (月度数据摘要): checked hourly, sent once per chair
        # and month on or after the 1st (zhijia.dashboard.mailing).
        from zhijia.core.workflow import register_sweep

        def monthly_summary_sweep() -> int:
            from zhijia.dashboard.mailing import send_monthly_summaries

            return send_monthly_summaries()

        register_sweep("dashboard.monthly_summary", monthly_summary_sweep, every_seconds=3600)

        # The current year's figures of the committee and the branch unions, counted ahead
        # where their data changed (zhijia.dashboard.queries.count_ahead).
        def count_ahead_sweep() -> int:
            from zhijia.dashboard.queries import count_ahead

            return count_ahead()

        register_sweep("dashboard.count_ahead", count_ahead_sweep, every_seconds=3600)
