"""Permission codes for terms, sessions, representatives, elections and check-in.

Scopes: a term belongs to a union committee, so managing it, its sessions and its
representatives needs the code over the committee's unit (a branch cadre cannot manage the
enterprise's congress). Representative elections belong to an electoral unit: a branch cadre
runs those of the branch. Representatives need no code for their own sessions, QR code and
check-in: those follow from their own representative record.
"""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

register(
    "congress.view_term",
    roles=[Role.CADRE, Role.VIEWER],
    description="查看职代会届次、会议、代表名单、代表构成与表决结果（本组织及下级）",
)
register(
    "congress.manage_term",
    roles=[Role.CADRE],
    description="设立届次、安排会议、维护职工代表名单（本组织及下级）",
)
register(
    "congress.run_session",
    roles=[Role.CADRE],
    description="主持会议：签到台扫码、点名、开会闭会、议程表决（本组织及下级）",
)
register(
    "congress.manage_election",
    roles=[Role.CADRE],
    description="组织选举单位的职工代表选举：提名候选人、开始和结束投票（本组织及下级）",
)
register(
    "congress.attend_session",
    roles=[Role.REPRESENTATIVE],
    description="职工代表：我的会议、签到二维码、会议表决（仅限本人的代表资格）",
)


def _menu() -> None:
    """Menu entries of the congress pages, each guarded by one of the codes above."""
    from django.utils.translation import gettext_lazy as _

    from zhijia.core.navigation import NavItem, add

    section = _("职代会")
    add(NavItem(section, _("我的职代会"), "congress:my-sessions", "congress.attend_session", 400))
    add(NavItem(section, _("职代会"), "congress:term-list", "congress.view_term", 410))
    add(NavItem(section, _("代表选举"), "congress:election-list", None, 420))


_menu()
