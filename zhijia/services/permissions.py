"""Permission codes of module services (see zhijia.core.permissions) and its navigation.

Counseling (心理疏导):

  services.counsel                 counselors (a global role): publish slots, see who booked
                                   their own slots, write and read their own notes, answer the
                                   anonymous questions
  services.view_counseling_counts  cadres, enterprise leaders and counselors: the numbers of the
                                   dashboard (never a name, a note or a question)

Booking and asking need no code: any signed-in user with a member record may (queries.counseling
.is_member), as DESIGN.md gives every member the union's services. Nobody else holds anything:
the admin and the chair cannot read a slot's bookings, a note or a question.

Volunteering and donation drives (志愿服务, 捐款捐物):

  services.manage_volunteering     cadres over their unit's subtree: volunteer projects and
                                   shifts, hours entry and confirmation, the yearly hours list,
                                   donation drives, goods donations, the donations list
A money donation is booked in the assistance fund ledger: recording or confirming one also
needs the assistance module's own ledger permission over the drive's fund (checked there,
through zhijia.core.hooks.fund_ledger()). A project's leader records and confirms the hours of
their own project without the code. Members sign up, withdraw, pledge and read the projects
and drives of their audience units without any code."""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

COUNSEL = "services.counsel"
VIEW_COUNSELING_COUNTS = "services.view_counseling_counts"

register(
    COUNSEL,
    roles=[Role.COUNSELOR],
    description="心理咨询师：发布咨询时段、查看本人时段的预约、撰写本人的咨询记录、回复匿名提问",
)
register(
    VIEW_COUNSELING_COUNTS,
    roles=[Role.CADRE, Role.VIEWER, Role.COUNSELOR],
    description="查看心理疏导的统计数字（不含任何个人信息与咨询内容）",
)

MANAGE_VOLUNTEERING = "services.manage_volunteering"
register(
    MANAGE_VOLUNTEERING,
    roles=[Role.CADRE],
    description="志愿服务项目、班次与时长确认，捐款捐物活动与捐赠登记",
)

_SECTION = _("心理疏导")


def _may_use_counseling(user) -> bool:
    # The page's own test (members and counselors), so no one is shown a link that answers 403.
    from zhijia.services.queries.counseling import may_use_counseling

    return may_use_counseling(user)


add(
    NavItem(
        _SECTION,
        _("心理咨询"),
        "services:counseling-home",
        None,
        order=700,
        visible=_may_use_counseling,
    )
)
add(NavItem(_SECTION, _("咨询日程"), "services:counseling-desk", COUNSEL, order=710))
add(NavItem(_SECTION, _("匿名提问回复"), "services:counseling-desk-questions", COUNSEL, order=720))

_VOLUNTEERING = _("志愿公益")


def _is_member(user) -> bool:
    from zhijia.services.queries.counseling import is_member

    return is_member(user)


add(
    NavItem(
        _VOLUNTEERING,
        _("志愿服务与捐赠"),
        "services:volunteering-home",
        None,
        order=750,
        visible=_is_member,
    )
)
add(
    NavItem(
        _VOLUNTEERING,
        _("志愿服务管理"),
        "services:volunteering-desk",
        MANAGE_VOLUNTEERING,
        order=760,
    )
)
add(
    NavItem(
        _VOLUNTEERING,
        _("捐款捐物管理"),
        "services:volunteering-desk-drives",
        MANAGE_VOLUNTEERING,
        order=770,
    )
)
