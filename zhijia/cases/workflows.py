"""The declared workflows of module cases: grievances (诉求) and labour-dispute mediation.

Grievance (`cases.grievance`):

    submitted ──assign──▶ assigned ──answer──▶ answered ──rate──▶ closed
      ▲  │ ▲                │  ▲ (reassign,         │   └─autoclose (not rated in time)─▶ closed
      │  │ └──transfer──────┘  │  with a reason)   │
      │  └──answer (by the union level itself)─────▶│
      └────────────reopen (不满意, once; one level up)┘
    submitted / assigned ──withdraw──▶ withdrawn

* routing (actions_grievances.route) sets the responsible union level and, when a rule names
  one, the department (then `auto_assign` fires at once); the level has the category's working
  days (rules.DEFAULT_DEADLINE_WORKDAYS or the rule's) to answer;
* overdue: the sweep escalates; the responsible level moves up one union level (its parent;
  actions.grievances.apply_escalation, the escalation's effect in its own transaction), a
  department keeps
  the assignment and the upper level supervises; the new level gets
  ZHIJIA_CASE_ESCALATION_WORKDAYS more (default 5); the worker and the new level are told;
* an answer waits ZHIJIA_CASE_RATING_WORKDAYS (default 10) for the worker's rating, then the
  escalation closes it (`autoclose`);
* 不满意 the first time reopens it one level above the level that answered; the second time
  it closes as 不满意;
* reminders go out ZHIJIA_CASE_REMIND_WORKDAYS before a deadline (default 1).

Mediation (`cases.mediation`): requested → mediating (accept, with a mediator) → agreed | failed;
requested → declined; withdraw by the applicant. The deadline is the end of the 15-day period
of 劳动争议调解仲裁法 Art. 14 (rules.mediation_deadline_day), kept through acceptance; when it
passes without an agreement the escalation tells the applicant, in plain words, of the right to
apply for arbitration and of the one-year limitation (Art. 27) — `notify_arbitration_right`,
the escalation's effect, committed with it.

The module sweep (actions.box.open_box, registered from CasesConfig.ready with
zhijia.core.workflow.register_sweep and run by `zhijia worker` with every sweep) opens the
anonymous box once a day. This file imports no actions module: the hooks are dotted paths.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.cases import rules
from zhijia.cases.permissions import ANSWER_CASE, ASSIGN_CASE, MANAGE_MEDIATION
from zhijia.core import permissions, satisfaction, workdays
from zhijia.core.workflow import KEEP, Escalation, HistoryRule, Transition, Workflow

# --- configuration ------------------------------------------------------------------------------


def escalation_workdays() -> int:
    return settings.ZHIJIA_CASE_ESCALATION_WORKDAYS


def rating_workdays() -> int:
    return settings.ZHIJIA_CASE_RATING_WORKDAYS


def remind_workdays() -> int:
    return settings.ZHIJIA_CASE_REMIND_WORKDAYS


# --- guards and actor rules ---------------------------------------------------------------------


def is_submitter(grievance, user) -> bool:
    return grievance.submitter_id is not None and grievance.submitter_id == user.pk


def union_level_may_answer(grievance, user) -> bool:
    """The cadres of the responsible level answer themselves (a handler answers through the
    transition's department-scoped permission)."""
    unit = grievance.handling_unit
    return unit is not None and permissions.has_perm(user, ASSIGN_CASE, unit=unit)


def needs_reason(record, ctx):
    return None if ctx.note.strip() else _("请填写理由")


def has_department(grievance, ctx):
    return None if grievance.department_id else _("请选择承办部门")


def reason_when_reassigning(grievance, ctx):
    if grievance.state == GRIEVANCE.states.assigned and not ctx.note.strip():
        return _("改派须填写理由")
    return None


def has_answer_text(record, ctx):
    return None if ctx.note.strip() else _("请填写答复内容")


def closing_rating(grievance, ctx):
    outcome = satisfaction.outcome(ctx.data.get("rating", ""), grievance.reopen_count)
    if outcome == "invalid":
        return _("请选择满意度")
    if outcome == "reopen":
        return _("首次评价为不满意时，诉求将由上一级工会重新办理")
    return None


def may_reopen(grievance, ctx):
    if grievance.reopen_count >= satisfaction.MAX_REOPENS:
        return _("该诉求已重新办理过一次，不能再次重新办理")
    return None


def _answer_days(grievance) -> int:
    return int(grievance.deadline_workdays)


def _initial_days(grievance) -> int:
    """The answer deadline counts from the day the worker wrote: an anonymous grievance is
    opened with the box the next day, and the days it waited there count."""
    days = int(grievance.deadline_workdays)
    if grievance.is_anonymous:
        days -= workdays.workdays_between(grievance.received_on, timezone.now())
    return max(days, 0)


def grievance_actor(grievance, event) -> str | None:
    """Who the timeline names: the worker as 职工 (or 匿名职工); the anonymous box's opening as
    匿名信箱; the union's people by name (they act for the union)."""
    if event.actor_id is not None and event.actor_id == grievance.submitter_id:
        return "匿名职工" if grievance.is_anonymous else str(grievance.submitter or "")
    if event.actor_id is None:
        return "匿名信箱" if event.transition == "start" and grievance.is_anonymous else "系统"
    return None


GRIEVANCE = Workflow(
    name="cases.grievance",
    model="cases.Grievance",
    states={
        "submitted": _("待办理"),
        "assigned": _("承办中"),
        "answered": _("已答复"),
        "closed": _("已办结"),
        "withdrawn": _("已撤回"),
    },
    initial="submitted",
    initial_deadline_workdays=_initial_days,
    transitions=[
        Transition(
            "assign",
            source=["submitted", "assigned"],
            target="assigned",
            permission=ASSIGN_CASE,
            guards=[has_department, reason_when_reassigning],
            deadline_workdays=KEEP,
            label=_("交办部门"),
            action="zhijia.cases.actions.grievances.do_assign_grievance",
            schema="zhijia.cases.api.grievances.CasesAssignIn",
            form="zhijia.cases.forms.grievances.AssignForm",
        ),
        Transition(
            "auto_assign",
            source=["submitted"],
            target="assigned",
            guards=[has_department],
            deadline_workdays=KEEP,
            label=_("按规则交办"),
        ),
        Transition(
            "transfer",
            source=["submitted", "assigned"],
            target="submitted",
            permission=ASSIGN_CASE,
            guards=[needs_reason],
            deadline_workdays=_answer_days,
            label=_("转交"),
            action="zhijia.cases.actions.grievances.do_transfer_grievance",
            schema="zhijia.cases.api.grievances.CasesTransferIn",
            form="zhijia.cases.forms.grievances.TransferForm",
        ),
        Transition(
            "answer",
            source=["submitted", "assigned"],
            target="answered",
            permission=ANSWER_CASE,
            actor_rule=union_level_may_answer,
            guards=[has_answer_text],
            deadline_workdays=lambda g: rating_workdays(),
            label=_("答复"),
            action="zhijia.cases.actions.grievances.do_answer_grievance",
            schema="zhijia.cases.api.grievances.TextIn",
            form="zhijia.cases.forms.grievances.TextForm",
        ),
        Transition(
            "rate",
            source=["answered"],
            target="closed",
            actor_rule=is_submitter,
            guards=[closing_rating],
            deadline_workdays=None,
            label=_("评价"),
            action="zhijia.cases.actions.grievances.do_rate_grievance",
            schema="zhijia.cases.api.grievances.CasesRateIn",
            form="zhijia.cases.forms.grievances.RateForm",
        ),
        # Fired by the `rate` step's action when the rating is a first 不满意: no step of its own.
        Transition(
            "reopen",
            source=["answered"],
            target="submitted",
            actor_rule=is_submitter,
            guards=[may_reopen],
            deadline_workdays=_answer_days,
            label=_("不满意，重新办理"),
        ),
        Transition(
            "withdraw",
            source=["submitted", "assigned"],
            target="withdrawn",
            actor_rule=is_submitter,
            deadline_workdays=None,
            label=_("撤回"),
            action="zhijia.cases.actions.grievances.do_withdraw_grievance",
            schema="zhijia.cases.api.grievances.CasesNoteIn",
            form="zhijia.cases.forms.grievances.NoteForm",
        ),
        Transition(
            "autoclose",
            source=["answered"],
            target="closed",
            deadline_workdays=None,
            label=_("逾期未评价，自动办结"),
        ),
    ],
    escalation=Escalation(
        transition="autoclose",
        extend_workdays=escalation_workdays(),
        max_level=8,
        effect="zhijia.cases.actions.grievances.apply_escalation",
    ),
    on_reminder="zhijia.cases.actions.grievances.notify_reminder",
    remind_within_workdays=remind_workdays(),
    history_rule=HistoryRule(actor_hook=grievance_actor),
)


# --- mediation ----------------------------------------------------------------------------------


def is_applicant(case, user) -> bool:
    return case.applicant_id == user.pk


def has_mediator(case, ctx):
    return None if case.mediator_id else _("请指定调解员")


def has_agreement(case, ctx):
    return None if case.agreement_text.strip() else _("请填写调解协议内容")


def mediation_period_workdays(case) -> int:
    """Working days from today to the end of the 15-day period (the deadline is the end of a
    working day: the period's 15th day, or the next working day when that is a rest day)."""
    last = rules.mediation_deadline_day(case.requested_on, workdays.is_workday)
    return max(workdays.workdays_between(timezone.now(), last), 0)


MEDIATION = Workflow(
    name="cases.mediation",
    model="cases.MediationCase",
    states={
        "requested": _("待受理"),
        "mediating": _("调解中"),
        "agreed": _("达成调解协议"),
        "failed": _("调解不成"),
        "declined": _("不予受理"),
        "withdrawn": _("已撤回"),
    },
    initial="requested",
    initial_deadline_workdays=mediation_period_workdays,
    transitions=[
        Transition(
            "accept",
            source=["requested"],
            target="mediating",
            permission=MANAGE_MEDIATION,
            guards=[has_mediator],
            deadline_workdays=KEEP,
            label=_("受理"),
            action="zhijia.cases.actions.mediation.do_accept_mediation",
            schema="zhijia.cases.api.mediation.AcceptIn",
            form="zhijia.cases.forms.mediation.AcceptMediationForm",
        ),
        Transition(
            "decline",
            source=["requested"],
            target="declined",
            permission=MANAGE_MEDIATION,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("不予受理"),
            action="zhijia.cases.actions.mediation.do_decline_mediation",
            schema="zhijia.cases.api.mediation.CasesReasonIn",
            form="zhijia.cases.forms.mediation.ReasonForm",
        ),
        Transition(
            "agree",
            source=["mediating"],
            target="agreed",
            permission=MANAGE_MEDIATION,
            guards=[has_agreement],
            deadline_workdays=None,
            label=_("达成调解协议"),
            action="zhijia.cases.actions.mediation.do_record_agreement",
            schema="zhijia.cases.api.mediation.AgreementIn",
            form="zhijia.cases.forms.mediation.AgreementForm",
        ),
        Transition(
            "fail",
            source=["mediating"],
            target="failed",
            permission=MANAGE_MEDIATION,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("调解终结（未达成协议）"),
            action="zhijia.cases.actions.mediation.do_record_failure",
            schema="zhijia.cases.api.mediation.CasesReasonIn",
            form="zhijia.cases.forms.mediation.ReasonForm",
        ),
        Transition(
            "withdraw",
            source=["requested", "mediating"],
            target="withdrawn",
            actor_rule=is_applicant,
            deadline_workdays=None,
            label=_("撤回申请"),
            action="zhijia.cases.actions.mediation.do_withdraw_mediation",
            schema="zhijia.cases.api.grievances.CasesNoteIn",
            form="zhijia.cases.forms.grievances.NoteForm",
        ),
    ],
    # The period passes once: the level rises to 1, the deadline stays, the applicant is told.
    escalation=Escalation(
        raise_level=True,
        max_level=1,
        effect="zhijia.cases.actions.mediation.notify_arbitration_right",
    ),
)
