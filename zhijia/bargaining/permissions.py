"""Permission codes of module bargaining (see zhijia.core.permissions), and its navigation.

  bargaining.manage   cadres over their unit's subtree: rounds (demands, request and answer,
                      delegations, sessions and minutes), contracts (versions, clauses, the vote,
                      signing, filing), compliance checks

Reading needs no code, it is a rule on the record (queries):
  * an effective (or expired) contract: every member on the roll of a unit in the contract's
    unit subtree (Art. 48: published to all workers), and its cadres;
  * a round collecting demands: the members of its unit subtree may submit a demand;
  * a contract's compliance (履约检查): the representatives (Role.REPRESENTATIVE) whose unit
    lies in the contract's unit subtree, and its cadres.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

MANAGE = "bargaining.manage"

register(
    MANAGE,
    roles=[Role.CADRE],
    description="集体协商与集体合同：协商轮次、协商代表、会议记录、合同文本与表决、签字报送、履约检查",
)

_SECTION = _("集体协商")


def _may_open_home(user) -> bool:
    from zhijia.bargaining.queries.contracts import may_read_home

    return may_read_home(user)


add(NavItem(_SECTION, _("集体合同"), "bargaining:home", None, order=850, visible=_may_open_home))


def _may_inspect(user) -> bool:
    from zhijia.bargaining.queries.compliance import may_read_compliance

    return may_read_compliance(user)


add(NavItem(_SECTION, _("集体协商管理"), "bargaining:desk", MANAGE, order=851))
add(
    NavItem(
        _SECTION,
        _("合同履行情况"),
        "bargaining:compliance-list",
        None,
        order=852,
        visible=_may_inspect,
    )
)
