"""Permission codes of module homes (职工之家建设), and its navigation.

homes.manage  union cadres over their unit's subtree. Over a unit, the committee
              (工会委员会) of that unit keeps its criteria sets, opens rounds for its child
              units, reviews their self-assessments and awards the titles; over a branch
              (分工会), its cadres fill and submit the branch's self-assessment. Reviewing is
              the round's unit's business: a branch's cadres never review their own
              assessment (queries.may_review).
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

MANAGE = "homes.manage"

register(
    MANAGE,
    roles=[Role.CADRE],
    description="职工之家建设：维护建家标准、组织评比、填报本单位自评、评审下级分工会自评",
)

_SECTION = _("职工之家")

add(NavItem(_SECTION, _("建家评比"), "homes:rounds", MANAGE, order=950))
add(NavItem(_SECTION, _("建家标准"), "homes:criteria-sets", MANAGE, order=960))
add(NavItem(_SECTION, _("历年对比"), "homes:comparison", MANAGE, order=970))
