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
