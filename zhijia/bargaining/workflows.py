"""The declared workflows of module bargaining.

The round (`bargaining.round`):

    collecting ──send_request──▶ requested ──record_answer──▶ bargaining ──conclude──▶ concluded
        └──────────────┴───────────abandon──────────────────────┴──▶ abandoned

* send_request records the day the other side received the request; the written answer is
  due 20 calendar days later (集体合同规定 Art. 32, rules.answer_due: moved to the next working
  day when the 20th is a rest day or holiday). That day is the deadline: the cadres are
  reminded 3 working days before it, and when it lapses the sweep escalates once (the level
  rises; the round's cadres and those of the unit above are told: actions.notify_round_lapsed).
* record_answer: the answer's day and text; bargaining follows (delegations, sessions).

The contract (`bargaining.contract`):

    draft ─approve─▶ voted ─sign─▶ signed ─file─▶ filed ─take_effect─▶ effective ─expire─▶ expired
      └─reject─▶ rejected ◀─object─┘ (filed)         rejected ─revise─▶ draft (a new version)

* approve / reject are fired by actions.contracts.do_close_contract_vote once the poll closed,
  by the Art. 36 rule (rules.vote_outcome);
* sign: the chief representatives' signature day; filing is due 10 calendar days later
  (Art. 42), which is the deadline (escalated once when it lapses: notify_filing_overdue);
* file: the labour bureau's receipt day; the contract takes effect the day after the 15-day
  objection period (Art. 47); the bureau's objection (object) sends it back;
* take_effect and expire are the system's (the module sweep `bargaining.daily`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.permissions import MANAGE
from zhijia.core import workdays
from zhijia.core.workflow import Escalation, Transition, Workflow


def _workdays_until(day) -> int | None:
    if day is None:
        return None
    return max(workdays.workdays_between(timezone.now(), day), 0)


def needs_reason(record, ctx):
    return None if ctx.note.strip() else _("请填写理由")


def answer_deadline(round_) -> int | None:
    return _workdays_until(round_.answer_due_on)


def filing_deadline(contract) -> int | None:
    return _workdays_until(contract.filing_due_on)


ROUND = Workflow(
    name="bargaining.round",
    model="bargaining.Round",
    states={
        "collecting": _("征集职工意见"),
        "requested": _("待对方书面回应"),
        "bargaining": _("协商中"),
        "concluded": _("已结束"),
        "abandoned": _("已终止"),
    },
    initial="collecting",
    transitions=[
        Transition(
            "send_request",
            source=["collecting"],
            target="requested",
            permission=MANAGE,
            deadline_workdays=answer_deadline,
            label=_("提出协商要求"),
            action="zhijia.bargaining.actions.rounds.do_send_bargaining_request",
            form="zhijia.bargaining.forms.rounds.RequestForm",
            schema="zhijia.bargaining.api.rounds.BargainingRequestIn",
        ),
        Transition(
            "record_answer",
            source=["requested"],
            target="bargaining",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("登记对方书面回应"),
            action="zhijia.bargaining.actions.rounds.do_record_answer",
            form="zhijia.bargaining.forms.rounds.AnswerForm",
            schema="zhijia.bargaining.api.rounds.BargainingAnswerIn",
        ),
        Transition(
            "conclude",
            source=["bargaining"],
            target="concluded",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("结束协商"),
            action="zhijia.bargaining.actions.rounds.do_conclude_round",
        ),
        Transition(
            "abandon",
            source=["collecting", "requested", "bargaining"],
            target="abandoned",
            permission=MANAGE,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("终止协商"),
            action="zhijia.bargaining.actions.rounds.do_abandon_round",
            form="zhijia.bargaining.forms.rounds.ReasonForm",
            schema="zhijia.bargaining.api.rounds.BargainingReasonIn",
        ),
    ],
    escalation=Escalation(
        max_level=1, effect="zhijia.bargaining.actions.rounds.notify_round_lapsed"
    ),
    on_reminder="zhijia.bargaining.actions.rounds.notify_round_reminder",
    remind_within_workdays=3,
)

CONTRACT = Workflow(
    name="bargaining.contract",
    model="bargaining.Contract",
    states={
        "draft": _("草案"),
        "voted": _("已审议通过"),
        "signed": _("已签字待报送"),
        "filed": _("已报送审查"),
        "effective": _("已生效"),
        "expired": _("已期满"),
        "rejected": _("未通过"),
    },
    initial="draft",
    transitions=[
        Transition(
            "approve",
            source=["draft"],
            target="voted",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("审议通过"),
        ),
        Transition(
            "reject",
            source=["draft"],
            target="rejected",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("审议未通过"),
        ),
        Transition(
            "revise",
            source=["rejected"],
            target="draft",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("修改后重新提交"),
            action="zhijia.bargaining.actions.contracts.do_revise_contract",
        ),
        Transition(
            "sign",
            source=["voted"],
            target="signed",
            permission=MANAGE,
            deadline_workdays=filing_deadline,
            label=_("首席代表签字"),
            action="zhijia.bargaining.actions.contracts.do_sign_contract",
            form="zhijia.bargaining.forms.contracts.SignForm",
            schema="zhijia.bargaining.api.contracts.BargainingSignIn",
        ),
        Transition(
            "file",
            source=["signed"],
            target="filed",
            permission=MANAGE,
            deadline_workdays=None,
            label=_("报送劳动保障行政部门"),
            action="zhijia.bargaining.actions.contracts.do_file_contract",
            form="zhijia.bargaining.forms.contracts.FileForm",
            schema="zhijia.bargaining.api.contracts.BargainingFileIn",
        ),
        Transition(
            "object",
            source=["filed"],
            target="rejected",
            permission=MANAGE,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("登记审查异议"),
            action="zhijia.bargaining.actions.contracts.do_record_objection",
            form="zhijia.bargaining.forms.contracts.ReasonForm",
            schema="zhijia.bargaining.api.contracts.BargainingObjectionIn",
        ),
        Transition("take_effect", source=["filed"], target="effective", label=_("生效")),
        Transition("expire", source=["effective"], target="expired", label=_("期满终止")),
    ],
    escalation=Escalation(
        max_level=1, effect="zhijia.bargaining.actions.contracts.notify_filing_overdue"
    ),
)
