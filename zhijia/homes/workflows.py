"""The declared workflow of module homes: a branch union's 建家 assessment
(`homes.assessment`).

    draft ──submit──▶ submitted ──review──▶ reviewed ──close──▶ closed
      ▲                  │
      └─────return───────┘            draft ──close──▶ closed (never submitted)

* submit: the branch's cadres (homes.manage over the branch) once every criterion is scored;
* return (退回修改) and review (评审): the committee of the round's unit only (homes.manage
  over the round's unit, never the branch's own cadres: `reviews_round`);
* close: when the committee closes the round (and awards its titles). Hooks are dotted paths:
  this file imports no actions module.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.permissions import has_perm
from zhijia.core.workflow import Transition, Workflow
from zhijia.homes.permissions import MANAGE

_ACTIONS = "zhijia.homes.actions.assessments"


def reviews_round(record, user) -> bool:
    """The committee of the round's unit: holds homes.manage over it."""
    return has_perm(user, MANAGE, unit=record.round.org_unit)


ASSESSMENT = Workflow(
    name="homes.assessment",
    model="homes.Assessment",
    states={
        "draft": _("自评中"),
        "submitted": _("待评审"),
        "reviewed": _("已评审"),
        "closed": _("已结束"),
    },
    initial="draft",
    transitions=[
        Transition(
            "submit",
            source=["draft"],
            target="submitted",
            permission=MANAGE,
            label=_("提交自评"),
            action=f"{_ACTIONS}.do_submit_assessment",
        ),
        Transition(
            "return",
            source=["submitted"],
            target="draft",
            actor_rule=reviews_round,
            label=_("退回修改"),
            action=f"{_ACTIONS}.do_return_assessment",
        ),
        Transition(
            "review",
            source=["submitted"],
            target="reviewed",
            actor_rule=reviews_round,
            label=_("完成评审"),
            action=f"{_ACTIONS}.do_review_assessment",
        ),
        Transition(
            "close",
            source=["draft", "reviewed"],
            target="closed",
            actor_rule=reviews_round,
            label=_("结束"),
        ),
    ],
)
