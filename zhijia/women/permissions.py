"""Permission codes of module women (see zhijia.core.permissions), and its navigation.

  women.view_registration  the women workers' committee (女职工委员会委员), over its unit's
                           subtree: the pregnancy and birth registrations (sensitive; each read
                           is audited). No other role holds it: not the chair, not the admin.
  women.manage             the committee and the union's cadres, over their unit's subtree:
                           nursing rooms and their bookings, the health check campaigns and
                           their completion; read the province table.
  women.configure          the same roles; a change to the province table (one table for the
                           whole union) needs the code over the top of the union tree.
  women.department_reminders  handlers, by enterprise department: the dates (never the health
                           details) of a woman of their department who consented separately.

A woman member registers her own pregnancy or birth, books a nursing room and signs up for the
health check without a code (queries.is_woman_member / queries.is_member).
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_REGISTRATION = "women.view_registration"
MANAGE = "women.manage"
CONFIGURE = "women.configure"
DEPARTMENT_REMINDERS = "women.department_reminders"

register(
    VIEW_REGISTRATION,
    roles=[Role.WOMEN_COMMITTEE],
    description="查看本组织及下级女职工的孕产登记（敏感个人信息，每次查看均记录）",
)
register(
    MANAGE,
    roles=[Role.WOMEN_COMMITTEE, Role.CADRE],
    description="管理妈咪小屋与预约、女职工健康检查；查看各省生育假规定",
)
register(
    CONFIGURE,
    roles=[Role.WOMEN_COMMITTEE, Role.CADRE],
    description="修改各省生育假规定（需在工会组织的最上级持有）",
)

register(
    DEPARTMENT_REMINDERS,
    roles=[Role.HANDLER],
    description="接收本部门女职工（经其本人同意）的孕期、产假、哺乳期时间提醒",
    tree="department",
)

_SECTION = _("女职工")


def _may_open_home(user) -> bool:
    from zhijia.women.queries.common import is_woman_member

    return is_woman_member(user)


add(NavItem(_SECTION, _("我的女职工服务"), "women:home", None, order=900, visible=_may_open_home))
add(NavItem(_SECTION, _("孕产登记"), "women:registrations", VIEW_REGISTRATION, order=910))
add(NavItem(_SECTION, _("妈咪小屋管理"), "women:desk-rooms", MANAGE, order=920))
add(NavItem(_SECTION, _("健康检查"), "women:desk-checks", MANAGE, order=930))
add(NavItem(_SECTION, _("法定权益与省份规定"), "women:provinces", MANAGE, order=940))
