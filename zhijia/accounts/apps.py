from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhijia.accounts"
    label = "accounts"
    verbose_name = "accounts"

    def ready(self) -> None:
        from zhijia.accounts import permissions, signals  # noqa: F401  (permission codes, lockout audit)
        from zhijia.core.navigation import NavItem, add

        add(
            NavItem(
                section=_("账号"),
                label=_("账号安全"),
                url_name="accounts:security",
                permission=None,
                order=900,
            )
        )
        # The administrator's console (zhijia.adminsite): without this entry the workspace
        # has no way to it but typing /admin/.
        add(
            NavItem(
                section=_("账号"),
                label=_("系统配置"),
                url_name="zhijia_admin:index",
                permission="core.configure",
                order=910,
            )
        )
        add(
            NavItem(
                section=_("会员"),
                label=_("账号激活"),
                url_name="accounts:activation-manage",
                permission="accounts.manage_activation",
                order=130,
            )
        )
