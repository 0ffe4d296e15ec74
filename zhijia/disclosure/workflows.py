"""The declared workflow of module disclosure: a worker's question on a published item.

    asked ──answer──▶ answered
      │  ╲
      │   ╲──close (with a reason)──▶ closed
      │    ╲─withdraw (the asker)──▶ withdrawn
      └─(deadline passed: escalate_overdue, by the sweep)──▶ escalated ──answer / close──▶ ...

* the publishing unit's cadres (disclosure.answer_question over the item's unit, so the cadres
  above it too) answer within ZHIJIA_DISCLOSURE_ANSWER_WORKDAYS working days (default 5);
* a reminder goes to them one working day before the deadline;
* overdue: the sweep moves the question to "escalated" (超期督办), gives
  ZHIJIA_DISCLOSURE_ESCALATION_WORKDAYS more (default 3) and notifies the cadres of the next
  level up (actions.questions.question_escalated, the escalation's effect, in its
  transaction); overdue again, the level rises once more (at most two escalations). Hooks are
  dotted paths: this file imports no actions module.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import Escalation, HistoryRule, Transition, Workflow
from zhijia.disclosure.permissions import ANSWER_QUESTION


def answer_workdays(question=None) -> int:
    return settings.ZHIJIA_DISCLOSURE_ANSWER_WORKDAYS


def escalation_workdays(question=None) -> int:
    return settings.ZHIJIA_DISCLOSURE_ESCALATION_WORKDAYS


def is_asker(question, user) -> bool:
    return question.asker_id is not None and question.asker_id == user.pk


def has_answer(question, ctx):
    return None if (question.answer or "").strip() else _("请填写答复内容")


def needs_reason(question, ctx):
    return None if ctx.note.strip() else _("请填写关闭理由")


QUESTION = Workflow(
    name="disclosure.question",
    model="disclosure.Question",
    states={
        "asked": _("待答复"),
        "escalated": _("超期督办"),
        "answered": _("已答复"),
        "closed": _("已关闭"),
        "withdrawn": _("已撤回"),
    },
    initial="asked",
    initial_deadline_workdays=answer_workdays,
    transitions=[
        Transition(
            "answer",
            source=["asked", "escalated"],
            target="answered",
            permission=ANSWER_QUESTION,
            guards=[has_answer],
            deadline_workdays=None,
            label=_("答复"),
            action="zhijia.disclosure.actions.questions.do_answer_question",
            form="zhijia.disclosure.forms.questions.AnswerForm",
            schema="zhijia.disclosure.api.questions.AnswerIn",
        ),
        Transition(
            "close",
            source=["asked", "escalated"],
            target="closed",
            permission=ANSWER_QUESTION,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("关闭"),
            action="zhijia.disclosure.actions.questions.do_close_question",
            form="zhijia.disclosure.forms.questions.CloseQuestionForm",
            schema="zhijia.disclosure.api.questions.CloseIn",
        ),
        Transition(
            "withdraw",
            source=["asked", "escalated"],
            target="withdrawn",
            actor_rule=is_asker,
            deadline_workdays=None,
            label=_("撤回提问"),
            action="zhijia.disclosure.actions.questions.do_withdraw_question",
        ),
        Transition(
            "escalate_overdue",
            source=["asked"],
            target="escalated",
            deadline_workdays=escalation_workdays,
            label=_("超期督办"),
        ),
    ],
    escalation=Escalation(
        transition="escalate_overdue",
        extend_workdays=escalation_workdays(),
        max_level=2,
        effect="zhijia.disclosure.actions.questions.question_escalated",
    ),
    on_reminder="zhijia.disclosure.actions.questions.notify_question_reminder",
    remind_within_workdays=1,
    # The steps (who answered, closed, escalated) are for the answering cadres only.
    history_rule=HistoryRule(staff_permission=ANSWER_QUESTION, others_see_history=False),
)

OPEN_STATES = ("asked", "escalated")
