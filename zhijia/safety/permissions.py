"""Permission codes of module safety (see zhijia.core.permissions), and its navigation.

  safety.view_hazard     cadres and enterprise leaders: hazards of their subtree, the 安康杯 tally
  safety.manage_hazard   cadres: assign a rectification owner and deadline, reassign, dismiss;
                         designate and end mass safety supervisors (群众安全监督员)
  safety.rectify_hazard  handlers, scoped by enterprise department: work the hazards owned by
                         their department (start, report the fix)

Reporting needs no code: every member may report (queries.is_member). Verifying a fix is a rule
on the record, not a role: the reporter, or an active safety supervisor of the hazard's unit.
A cadre named as owner works the hazard by that rule too.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_HAZARD = "safety.view_hazard"
MANAGE_HAZARD = "safety.manage_hazard"
RECTIFY_HAZARD = "safety.rectify_hazard"

register(
    VIEW_HAZARD,
    roles=[Role.CADRE, Role.VIEWER],
    description="查看本组织及下级的安全隐患与安康杯统计",
)
register(
    MANAGE_HAZARD,
    roles=[Role.CADRE],
    description="隐患分派整改责任与期限、改派、不予立项；聘任群众安全监督员",
)
register(
    RECTIFY_HAZARD,
    roles=[Role.HANDLER],
    description="整改本部门负责的安全隐患",
    tree="department",
)

_SECTION = _("劳动保护")


def _may_open_home(user) -> bool:
    # The page's own test (members report, the queue's users look), so no link answers 403.
    from zhijia.safety.queries import is_member, may_see_queue

    return is_member(user) or may_see_queue(user)


add(NavItem(_SECTION, _("隐患随手拍"), "safety:home", None, order=800, visible=_may_open_home))
add(NavItem(_SECTION, _("隐患整改"), "safety:queue", VIEW_HAZARD, order=810))
add(NavItem(_SECTION, _("待整改隐患"), "safety:queue", RECTIFY_HAZARD, order=811))
add(NavItem(_SECTION, _("安全监督员"), "safety:supervisors", MANAGE_HAZARD, order=820))
add(NavItem(_SECTION, _("安康杯统计"), "safety:tally", VIEW_HAZARD, order=830))
