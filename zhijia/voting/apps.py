from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "zhijia.voting"
    label = "voting"
    verbose_name = "secret ballots"

    def ready(self) -> None:
        from zhijia.core.navigation import NavItem, add
        from zhijia.voting import permissions  # noqa: F401  (registers the module's permission codes)

        add(
            NavItem(
                section=_("表决"),
                label=_("我的表决"),
                url_name="voting:my-polls",
                permission=None,
                order=300,
            )
        )
        add(
            NavItem(
                section=_("表决"),
                label=_("表决管理"),
                url_name="voting:manage",
                permission="voting.manage_poll",
                order=310,
            )
        )

        from zhijia.core.home import register_todos
        from zhijia.voting import home

        register_todos(home.todos)

        from zhijia.core.hooks import register_backup_warning
        from zhijia.voting.queries import backup_warnings

        register_backup_warning(backup_warnings)
