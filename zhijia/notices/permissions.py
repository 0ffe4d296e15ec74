"""Permission codes of module notices (see zhijia.core.permissions), and its navigation.

  notices.manage_notice  cadres: write, publish and withdraw the notices of units in their
                         subtree; read statistics, the non-readers and reminders of a notice
                         whose audience meets their subtree (limited to that subtree)
  notices.edit_guide     cadres: edit the service guide of a unit in their subtree

Members need no code: a published notice is shown to a member whose unit lies in one of its
audience units' subtrees; every signed-in user reads the service guides.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

MANAGE_NOTICE = "notices.manage_notice"
EDIT_GUIDE = "notices.edit_guide"

register(
    MANAGE_NOTICE,
    roles=[Role.CADRE],
    description="撰写、发布、撤回通知公告，查看阅读统计并提醒未读",
)
register(EDIT_GUIDE, roles=[Role.CADRE], description="编辑本级及下级工会的服务指南")

_SECTION = _("通知公告")
add(NavItem(_SECTION, _("通知公告"), "notices:notice-list", None, order=450))
add(NavItem(_SECTION, _("服务指南"), "notices:guide", None, order=451))
add(NavItem(_SECTION, _("通知管理"), "notices:manage", MANAGE_NOTICE, order=460))
