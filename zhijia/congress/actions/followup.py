"""Writes of the resolution follow-up (决议落实跟踪), each in one transaction, audited.

The congress office (congress.manage_followup over the congress's unit) gives a passed
resolution or an adopted proposal its implementation plan and milestones, verifies the
milestones and publishes the report to the next session; the responsible department's handler
(congress.report_followup over the plan's department) or the office reports on the three
points and marks milestones done. Milestones run on workflows.MILESTONE.

The tour sweep (`sweep_tour_minimum`, registered in apps.py) reminds the congress office, once
per term year, in the year's last month, when the year has fewer inspection tours than
ZHIJIA_CONGRESS_MIN_TOURS_PER_YEAR.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import followup_rules as rules
from zhijia.congress import rules as congress_rules
from zhijia.congress.actions.proposals import ProposalError as FollowupError
from zhijia.congress.models import (
    AgendaItem,
    FollowupPlan,
    FollowupReport,
    Milestone,
    Proposal,
    Session,
    TourYearReminder,
)
from zhijia.congress.permissions import MANAGE_FOLLOWUP, MANAGE_INSPECTION, REPORT_FOLLOWUP
from zhijia.congress.queries import followup as queries
from zhijia.congress.workflows import MILESTONE
from zhijia.core import hooks, workdays
from zhijia.core.audit import record
from zhijia.core.errors import text_field
from zhijia.core.notify import notify
from zhijia.core.permissions import holders
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import Department

MAX_MILESTONES = 50

__all__ = [
    "FollowupError",
    "do_add_milestone",
    "do_add_report",
    "do_complete_milestone",
    "do_create_plan",
    "do_publish_followup_report",
    "do_send_back_milestone",
    "do_verify_milestone",
    "milestone_deadline",
    "notify_milestone_escalation",
    "notify_milestone_reminder",
    "sweep_tour_minimum",
]


def _name(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _text(value: str, field: str, label: str, *, max_length: int | None = None) -> str:
    return text_field(value, field, label, max_length, error=FollowupError)


def _require_manager(actor, unit) -> None:
    if not queries.can_manage(actor, unit):
        raise PermissionDenied(MANAGE_FOLLOWUP)


def _lock_plan(plan: FollowupPlan) -> FollowupPlan:
    return (
        FollowupPlan.objects.select_for_update()
        .select_related("org_unit", "department", "session")
        .get(pk=plan.pk)
    )


def milestone_deadline(due: dt.date) -> dt.datetime:
    """The deadline of a milestone due on `due`: the last moment before the first working day
    after it begins, so that the sweep supervises it on that working day and not before (a
    Friday's milestone on Monday, one due before a holiday after the holiday)."""
    next_workday = workdays.get_calendar().next_workday(due)
    return workdays.end_of_day(next_workday - dt.timedelta(days=1))


# --- plans ---------------------------------


@transaction.atomic
def do_create_plan(
    *,
    actor,
    agenda_item: AgendaItem | None = None,
    proposal: Proposal | None = None,
    department: Department | None,
    responsible: str,
    measures: str,
) -> FollowupPlan:
    """The implementation plan of a passed resolution or of an adopted proposal."""
    if (agenda_item is None) == (proposal is None):
        raise FollowupError(_("请选择一项已通过的决议或已立案办理的提案"), field="source")
    if agenda_item is not None:
        # Fresh from the database: its vote's poll and result are what counts.
        agenda_item = AgendaItem.objects.select_related("session__term__unit", "poll").get(
            pk=agenda_item.pk
        )
        session = agenda_item.session
        unit = session.term.unit
        title = agenda_item.title
    else:
        assert proposal is not None
        session = proposal.session
        unit = proposal.org_unit
        title = proposal.title
    _require_manager(actor, unit)
    if agenda_item is not None and not queries.is_passed(agenda_item):
        raise FollowupError(_("只有表决通过的决议事项才能制定落实方案"), field="source")
    if proposal is not None and proposal.state not in queries.ADOPTED_STATES:
        raise FollowupError(_("只有已立案交办的提案才能制定落实方案"), field="source")
    if department is None:
        raise FollowupError(_("请选择责任部门"), field="department")
    try:
        with transaction.atomic():
            plan = FollowupPlan.objects.create(
                session=session,
                org_unit=unit,
                agenda_item=agenda_item,
                proposal=proposal,
                title=title[:200],
                department=department,
                responsible=_text(responsible, "responsible", _("责任人"), max_length=64),
                measures=_text(measures, "measures", _("落实措施")),
                created_by=actor,
            )
    except IntegrityError:
        raise FollowupError(_("该事项已有落实方案"), status=409) from None
    record(
        actor=actor,
        action="congress.create_followup_plan",
        target=plan,
        unit=unit,
        data={
            "item": agenda_item.pk if agenda_item else None,
            "proposal": proposal.pk if proposal else None,
            "department": department.pk,
        },
    )
    notify(
        recipients=holders(REPORT_FOLLOWUP, department=department),
        kind="congress.followup_assigned",
        title=_("职代会决议落实任务：%(title)s") % {"title": plan.title},
        body=_("职代会事项“%(title)s”由贵部门负责落实，请按节点推进并定期报告进展。")
        % {"title": plan.title},
        url=plan.get_absolute_url(),
        unit=unit,
    )
    return plan


@transaction.atomic
def do_add_milestone(
    *, actor, plan: FollowupPlan, title: str, due_date: dt.date | None
) -> Milestone:
    plan = _lock_plan(plan)
    _require_manager(actor, plan.org_unit)
    if due_date is None:
        raise FollowupError(_("请填写完成期限"), field="due_date")
    if plan.milestones.count() >= MAX_MILESTONES:
        raise FollowupError(
            _("一个落实方案最多 %(n)d 个节点") % {"n": MAX_MILESTONES}, field="title"
        )
    milestone = Milestone.objects.create(
        plan=plan,
        org_unit=plan.org_unit,
        department=plan.department,
        title=_text(title, "title", _("节点"), max_length=200),
        due_date=due_date,
    )
    start(MILESTONE, milestone, actor=actor, data={"due": due_date.isoformat()})
    # The deadline is the due date (see milestone_deadline), not a number of working days.
    milestone.deadline_at = milestone_deadline(due_date)
    milestone.save(update_fields=["deadline_at"])
    record(
        actor=actor,
        action="congress.add_followup_milestone",
        target=milestone,
        unit=plan.org_unit,
        data={"plan": plan.pk, "due": due_date.isoformat()},
    )
    return milestone


def _lock_milestone(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update()
        .select_related("plan", "department", "org_unit")
        .get(pk=milestone.pk)
    )


def _milestone_notify(users, kind: str, title: str, body: str, milestone: Milestone) -> None:
    notify(
        recipients=users,
        kind=f"congress.{kind}",
        title=title,
        body=body,
        url=milestone.get_absolute_url(),
        unit=milestone.org_unit,
    )


def _handlers(milestone: Milestone) -> list:
    return holders(REPORT_FOLLOWUP, department=milestone.department)


def _office(milestone: Milestone) -> list:
    return holders(MANAGE_FOLLOWUP, milestone.org_unit)


@transaction.atomic
def do_complete_milestone(*, actor, milestone: Milestone, result: str) -> Milestone:
    milestone = _lock_milestone(milestone)
    milestone.result = (result or "").strip()
    milestone.save(update_fields=["result"])
    do_transition(MILESTONE, milestone, "complete", actor=actor, note=milestone.result)
    _milestone_notify(
        _office(milestone),
        "milestone_done",
        _("落实节点待确认：%(title)s") % {"title": milestone.title},
        _("%(dept)s报告“%(plan)s”的节点“%(title)s”已完成，请确认。")
        % {
            "dept": milestone.department.name,
            "plan": milestone.plan.title,
            "title": milestone.title,
        },
        milestone,
    )
    return milestone


@transaction.atomic
def do_verify_milestone(*, actor, milestone: Milestone, note: str = "") -> Milestone:
    milestone = _lock_milestone(milestone)
    do_transition(MILESTONE, milestone, "verify", actor=actor, note=note)
    return milestone


@transaction.atomic
def do_send_back_milestone(*, actor, milestone: Milestone, reason: str) -> Milestone:
    milestone = _lock_milestone(milestone)
    do_transition(MILESTONE, milestone, "send_back", actor=actor, note=(reason or "").strip())
    _milestone_notify(
        _handlers(milestone),
        "milestone_sent_back",
        _("落实节点退回：%(title)s") % {"title": milestone.title},
        _("“%(title)s”未确认完成，请继续落实。理由：%(reason)s")
        % {"title": milestone.title, "reason": reason},
        milestone,
    )
    return milestone


# --- follow-up reports ---------------------------------


@transaction.atomic
def do_add_report(
    *,
    actor,
    plan: FollowupPlan,
    progress: str,
    changes: str,
    problems: str,
    period: str = "",
) -> FollowupReport:
    """A follow-up report on the three points, each required."""
    plan = _lock_plan(plan)
    if not queries.can_report(actor, plan):
        raise PermissionDenied(REPORT_FOLLOWUP)
    texts = {
        "progress": _text(progress, "progress", _("实施进度")),
        "changes": _text(changes, "changes", _("实施过程中的变化")),
        "problems": _text(problems, "problems", _("执行中的问题和整改情况")),
    }
    report = FollowupReport.objects.create(
        plan=plan,
        period=(period or "").strip()[:64],
        author=actor,
        author_name=_name(actor),
        **texts,
    )
    record(
        actor=actor,
        action="congress.add_followup_report",
        target=report,
        unit=plan.org_unit,
        data={"plan": plan.pk},
    )
    return report


# --- the report to the next session ---------------------------------


def build_report(session: Session) -> hooks.ResolutionsReport:
    """The publishable report on the follow-up of the term's resolutions to `session`."""
    rows = queries.report_rows(session)
    sections = []
    for n, row in enumerate(rows, start=1):
        plan = row.plan
        lines = [
            f"{n}. {plan.title}",
            _("责任部门：%(v)s") % {"v": plan.department.name},
            _("落实情况：%(v)s") % {"v": row.state_label},
            _("落实措施：%(v)s") % {"v": plan.measures},
        ]
        for m in row.milestones:
            lines.append(
                _("节点：%(title)s（期限 %(due)s，%(state)s）")
                % {"title": m.title, "due": m.due_date, "state": m.state_label}
            )
        if row.latest is not None:
            lines += [
                _("实施进度：%(v)s") % {"v": row.latest.progress},
                _("实施过程中的变化：%(v)s") % {"v": row.latest.changes},
                _("执行中的问题和整改情况：%(v)s") % {"v": row.latest.problems},
            ]
        sections.append("\n".join(lines))
    unplanned = queries.unplanned_resolutions(session)
    if unplanned:
        sections.append(
            "\n".join(
                [_("尚未制定落实方案的决议：")]
                + [f"{item.title}（{item.session}）" for item in unplanned]
            )
        )

    return hooks.ResolutionsReport(
        session_id=session.pk,
        title=_("关于职代会决议和提案落实情况的报告（向%(session)s）") % {"session": session},
        body="\n\n".join(sections) or _("本届尚无需要落实的决议和提案。"),
        resolutions=len(rows),
        done=sum(1 for r in rows if r.state == rules.DONE),
        unit_path=session.term.unit.path,
        url=reverse("congress:followup-report", args=[session.pk]),
    )


@transaction.atomic
def do_publish_followup_report(*, actor, session: Session) -> hooks.ResolutionsReport:
    """Publish the report to affairs disclosure through core's hook, after the commit."""
    _require_manager(actor, session.term.unit)
    report = build_report(session)
    record(
        actor=actor,
        action="congress.publish_followup_report",
        target=session,
        unit=session.term.unit,
        data={"resolutions": report.resolutions, "done": report.done},
    )
    transaction.on_commit(partial(hooks.send_resolutions_report, Session, report))
    return report


# --- the sweep's callbacks ---------------------------------


def _deadline_text(milestone: Milestone) -> str:
    if milestone.deadline_at is None:
        return ""
    return timezone.localtime(milestone.deadline_at).strftime("%Y-%m-%d")


def notify_milestone_escalation(milestone: Milestone, event) -> None:
    """The escalation's effect (督办): the department's handlers and the congress office."""
    milestone = Milestone.objects.select_related("plan", "department", "org_unit").get(
        pk=milestone.pk
    )
    _milestone_notify(
        [*_handlers(milestone), *_office(milestone)],
        "milestone_overdue",
        _("决议落实督办：%(title)s") % {"title": milestone.title},
        _(
            "“%(plan)s”的节点“%(title)s”已超过完成期限 %(due)s（第 %(level)d 次督办），"
            "请于 %(deadline)s 前完成。"
        )
        % {
            "plan": milestone.plan.title,
            "title": milestone.title,
            "due": milestone.due_date,
            "level": event.data.get("level", milestone.escalation_level),
            "deadline": _deadline_text(milestone),
        },
        milestone,
    )


def notify_milestone_reminder(milestone: Milestone) -> None:
    milestone = Milestone.objects.select_related("plan", "department", "org_unit").get(
        pk=milestone.pk
    )
    _milestone_notify(
        _handlers(milestone),
        "milestone_reminder",
        _("落实节点即将到期：%(title)s") % {"title": milestone.title},
        _("“%(plan)s”的节点“%(title)s”应于 %(due)s 前完成。")
        % {"plan": milestone.plan.title, "title": milestone.title, "due": milestone.due_date},
        milestone,
    )


# --- the yearly minimum of inspection tours ---------------------------------


def min_tours_per_year() -> int:
    return max(0, int(settings.ZHIJIA_CONGRESS_MIN_TOURS_PER_YEAR))


def sweep_tour_minimum(today: dt.date | None = None) -> int:
    """Remind the congress office of each running term whose current year ends within a month
    with fewer inspection tours than the minimum; once per term year (TourYearReminder).
    Idempotent: the unique row makes a second run, or a concurrent worker, send nothing."""
    today = today or timezone.localdate()
    minimum = min_tours_per_year()
    if minimum <= 0:
        return 0
    sent = 0
    for term in queries.terms_running(today):
        for start_day, end_day in congress_rules.term_years(term.start_date, term.end_date):
            if not start_day <= today <= end_day:
                continue
            tours = queries.tours_between(term, start_day, end_day)
            if not rules.tour_reminder_due(start_day, end_day, tours, minimum, today):
                continue
            sent += _remind_tours(term, start_day, end_day, tours, minimum)
    return sent


def _remind_tours(term, start_day: dt.date, end_day: dt.date, tours: int, minimum: int) -> int:
    try:
        with transaction.atomic():
            TourYearReminder.objects.create(term=term, year_start=start_day, tours=tours)
            notify(
                recipients=holders(MANAGE_INSPECTION, term.unit),
                kind="congress.tour_minimum",
                title=_("本年度代表巡视次数不足：%(term)s") % {"term": term},
                body=_(
                    "%(term)s本年度（%(start)s 至 %(end)s）已开展代表巡视 %(tours)d 次，"
                    "少于每年至少 %(min)d 次的要求，请在 %(end)s 前组织巡视。"
                )
                % {
                    "term": term,
                    "start": start_day,
                    "end": end_day,
                    "tours": tours,
                    "min": minimum,
                },
                url=reverse("congress:inspection-list"),
                unit=term.unit,
            )
            record(
                actor=None,
                action="congress.remind_tour_minimum",
                target=term,
                unit=term.unit,
                data={"year_start": start_day.isoformat(), "tours": tours, "min": minimum},
            )
    except IntegrityError:
        return 0  # reminded already for this year
    return 1
