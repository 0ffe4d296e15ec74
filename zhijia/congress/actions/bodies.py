"""Writes of the congress bodies between sessions, each in one transaction, audited.

The congress office (congress.manage_bodies over the congress's unit) sets up working groups,
their members, tasks and minutes, and appoints grassroots worker supervisors; a group's
members mark its tasks done (workflow congress.group_task) and record its minutes; a
representative files her yearly duty report (述职), her constituents rate it once each on the
shared satisfaction scale (counted in the union's satisfaction index); a supervisor files
observations, a cadre answers them within working days (workflow congress.observation).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import bodies_rules as rules
from zhijia.congress.actions.followup import milestone_deadline
from zhijia.congress.actions.proposals import ProposalError as BodiesError
from zhijia.congress.models import (
    DutyRating,
    DutyReport,
    GroupMember,
    GroupMinutes,
    GroupTask,
    Observation,
    Representative,
    SupervisorAppointment,
    Term,
    WorkingGroup,
)
from zhijia.congress.permissions import MANAGE_BODIES
from zhijia.congress.queries import bodies as queries
from zhijia.congress.workflows import GROUP_TASK, OBSERVATION
from zhijia.core import attachments, satisfaction, satisfaction_index
from zhijia.core.audit import record
from zhijia.core.errors import text_field
from zhijia.core.notify import notify
from zhijia.core.permissions import holders
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import Member, OrgUnit

SATISFACTION_SERVICE = "congress.duty_report"
REPORT_ATTACHMENT_TYPES = {"pdf", "docx", "image"}
MAX_TASKS = 200

__all__ = [
    "SATISFACTION_SERVICE",
    "BodiesError",
    "do_add_group_member",
    "do_add_group_task",
    "do_add_minutes",
    "do_answer_observation",
    "do_appoint_supervisor",
    "do_close_observation",
    "do_complete_group_task",
    "do_create_group",
    "do_file_duty_report",
    "do_file_observation",
    "do_rate_duty_report",
    "do_remove_group_member",
    "notify_observation_escalation",
    "notify_task_escalation",
]


def _text(value: str, field: str, label: str, *, max_length: int | None = None) -> str:
    return text_field(value, field, label, max_length, error=BodiesError)


def _require_manager(actor, unit) -> None:
    if not queries.can_manage(actor, unit):
        raise PermissionDenied(MANAGE_BODIES)


def _office(unit) -> list:
    return holders(MANAGE_BODIES, unit)


# --- working groups -------------------------------------------------------------------------------


@transaction.atomic
def do_create_group(
    *, actor, term: Term, kind: str, name: str, duties: str = "", head: Representative | None = None
) -> WorkingGroup:
    _require_manager(actor, term.unit)
    if kind not in WorkingGroup.Kind.values:
        raise BodiesError(_("请选择小组类别"), field="kind")
    name = _text(name, "name", _("名称"), max_length=100)
    if WorkingGroup.objects.filter(term=term, name=name).exists():
        raise BodiesError(_("本届已有同名的专门小组"), field="name", status=409)
    if head is not None and (head.term_id != term.pk or not head.active):
        raise BodiesError(_("组长须为本届的职工代表"), field="head")
    group = WorkingGroup.objects.create(
        term=term,
        org_unit=term.unit,
        kind=kind,
        name=name,
        duties=(duties or "").strip(),
        head=head,
    )
    if head is not None:
        GroupMember.objects.create(group=group, representative=head)
    record(
        actor=actor,
        action="congress.create_working_group",
        target=group,
        unit=term.unit,
        data={"kind": kind, "term": term.pk},
    )
    return group


def _lock_group(group: WorkingGroup) -> WorkingGroup:
    return (
        WorkingGroup.objects.select_for_update(of=("self",))
        .select_related("term", "org_unit")
        .get(pk=group.pk)
    )


@transaction.atomic
def do_add_group_member(
    *, actor, group: WorkingGroup, representative: Representative
) -> GroupMember:
    group = _lock_group(group)
    _require_manager(actor, group.org_unit)
    if representative.term_id != group.term_id or not representative.active:
        raise BodiesError(_("小组成员须为本届的职工代表"), field="representative")
    seat, created = GroupMember.objects.get_or_create(group=group, representative=representative)
    if not created:
        raise BodiesError(_("该代表已是小组成员"), field="representative", status=409)
    record(
        actor=actor,
        action="congress.add_group_member",
        target=group,
        unit=group.org_unit,
        data={"representative": representative.pk},
    )
    return seat


@transaction.atomic
def do_remove_group_member(*, actor, group: WorkingGroup, representative_id: int) -> None:
    group = _lock_group(group)
    _require_manager(actor, group.org_unit)
    deleted, _rows = GroupMember.objects.filter(
        group=group, representative_id=representative_id
    ).delete()
    if not deleted:
        raise BodiesError(_("该代表不是小组成员"), field="representative", status=404)
    if group.head_id == representative_id:
        group.head = None
        group.save(update_fields=["head"])
    record(
        actor=actor,
        action="congress.remove_group_member",
        target=group,
        unit=group.org_unit,
        data={"representative": representative_id},
    )


@transaction.atomic
def do_add_group_task(
    *, actor, group: WorkingGroup, title: str, due_date: dt.date | None
) -> GroupTask:
    group = _lock_group(group)
    _require_manager(actor, group.org_unit)
    if due_date is None:
        raise BodiesError(_("请填写完成期限"), field="due_date")
    if group.tasks.count() >= MAX_TASKS:
        raise BodiesError(_("一个小组最多 %(n)d 项任务") % {"n": MAX_TASKS}, field="title")
    task = GroupTask.objects.create(
        group=group,
        org_unit=group.org_unit,
        title=_text(title, "title", _("任务"), max_length=200),
        due_date=due_date,
    )
    start(GROUP_TASK, task, actor=actor, data={"due": due_date.isoformat()})
    # Supervised from the next working day after the due date, as follow-up milestones.
    task.deadline_at = milestone_deadline(due_date)
    task.save(update_fields=["deadline_at"])
    record(
        actor=actor,
        action="congress.add_group_task",
        target=task,
        unit=group.org_unit,
        data={"group": group.pk, "due": due_date.isoformat()},
    )
    return task


@transaction.atomic
def do_complete_group_task(*, actor, task: GroupTask, result: str) -> GroupTask:
    task = GroupTask.objects.select_for_update(of=("self",)).select_related("group").get(pk=task.pk)
    task.result = (result or "").strip()
    task.save(update_fields=["result"])
    do_transition(GROUP_TASK, task, "complete", actor=actor, note=task.result)
    return task


def notify_task_escalation(task: GroupTask, event) -> None:
    """The escalation's effect (督办): the group's head and the congress office."""
    task = GroupTask.objects.select_related("group__head__member__user", "org_unit").get(pk=task.pk)
    head = task.group.head
    users = [*_office(task.org_unit)]
    if head is not None and head.member.user is not None:
        users.append(head.member.user)
    notify(
        recipients=users,
        kind="congress.group_task_overdue",
        title=_("专门小组任务督办：%(title)s") % {"title": task.title},
        body=_("“%(group)s”的任务“%(title)s”已超过完成期限 %(due)s（第 %(level)d 次督办）。")
        % {
            "group": task.group.name,
            "title": task.title,
            "due": task.due_date,
            "level": event.data.get("level", task.escalation_level),
        },
        url=task.get_absolute_url(),
        unit=task.org_unit,
    )


@transaction.atomic
def do_add_minutes(
    *, actor, group: WorkingGroup, held_on: dt.date | None, title: str, text: str
) -> GroupMinutes:
    """The office or a member of the group records the minutes of a meeting."""
    group = _lock_group(group)
    if not (queries.can_manage(actor, group.org_unit) or queries.sits_in_group(actor, group)):
        raise PermissionDenied(MANAGE_BODIES)
    if held_on is None:
        raise BodiesError(_("请填写会议日期"), field="held_on")
    minutes = GroupMinutes.objects.create(
        group=group,
        held_on=held_on,
        title=_text(title, "title", _("会议主题"), max_length=200),
        text=_text(text, "text", _("纪要")),
        author=actor,
    )
    record(
        actor=actor,
        action="congress.add_group_minutes",
        target=minutes,
        unit=group.org_unit,
        data={"group": group.pk},
    )
    return minutes


# --- duty reports ---------------------------------------------------------------------------------


@transaction.atomic
def do_file_duty_report(
    *, actor, representative: Representative, text: str, upload=None, today: dt.date | None = None
) -> DutyReport:
    """The representative's report for the current year of her term (once a year)."""
    rep = Representative.objects.select_related("term", "unit", "member").get(pk=representative.pk)
    if rep.member.user_id != getattr(actor, "pk", None) or not rep.active:
        raise PermissionDenied("congress.duty_report")
    year = queries.current_year(rep.term, today)
    if year is None:
        raise BodiesError(_("不在本届任期内，不能述职"), field="text", status=409)
    text = _text(text, "text", _("述职报告"), max_length=20000)
    try:
        with transaction.atomic():
            report = DutyReport.objects.create(
                representative=rep, org_unit=rep.unit, year_start=year[0], text=text
            )
    except IntegrityError:
        raise BodiesError(_("本年度已提交述职报告"), field="text", status=409) from None
    if upload is not None:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=REPORT_ATTACHMENT_TYPES,
                owner=report,
                unit_path=rep.unit.path,
            )
        except ValidationError as e:
            raise BodiesError(" ".join(e.messages), field="attachment") from None
    record(
        actor=actor,
        action="congress.file_duty_report",
        target=report,
        unit=rep.unit,
        data={"year": year[0].isoformat()},
    )
    return report


@transaction.atomic
def do_rate_duty_report(*, actor, report: DutyReport, rating: str, comment: str = "") -> DutyRating:
    """A constituent rates a duty report, once (counted in the satisfaction index)."""
    report = DutyReport.objects.select_related("representative__member", "org_unit").get(
        pk=report.pk
    )
    if not queries.may_rate(actor, report):
        raise PermissionDenied("congress.rate_duty_report")
    member = queries.member_of(actor)
    assert member is not None  # may_rate said so
    if not satisfaction.is_rating(rating):
        raise BodiesError(_("请选择满意度"), field="rating")
    try:
        with transaction.atomic():
            row = DutyRating.objects.create(
                report=report, member=member, rating=rating, comment=(comment or "").strip()[:500]
            )
    except IntegrityError:
        raise BodiesError(_("您已评议过这份述职报告"), field="rating", status=409) from None
    # No follow-up: a representative's evaluation is read by the office in its overview, not
    # handled again as a service.
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=member.org_unit,
        record_id=report.pk,
        label=str(report.representative.member.name),
        url=report.get_absolute_url(),
        follow_up=False,
    )
    record(
        actor=actor,
        action="congress.rate_duty_report",
        target=report,
        unit=report.org_unit,
        data={},
    )
    return row


# --- supervisors ----------------------------------------------------------------------------------


@transaction.atomic
def do_appoint_supervisor(
    *,
    actor,
    unit: OrgUnit,
    member: Member,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> SupervisorAppointment:
    _require_manager(actor, unit)
    problem = rules.appointment_valid(starts_on, ends_on)
    if problem == "missing":
        raise BodiesError(_("请填写任期"), field="starts_on")
    if problem == "order":
        raise BodiesError(_("任期结束不能早于开始"), field="ends_on")
    assert starts_on is not None and ends_on is not None  # appointment_valid said so
    if not member.org_unit.path.startswith(unit.path):
        raise BodiesError(_("监督员须为本单位的会员"), field="member")
    appointment = SupervisorAppointment.objects.create(
        org_unit=unit, member=member, starts_on=starts_on, ends_on=ends_on, appointed_by=actor
    )
    record(
        actor=actor,
        action="congress.appoint_supervisor",
        target=appointment,
        unit=unit,
        data={"member": member.pk},
    )
    return appointment


@transaction.atomic
def do_file_observation(
    *,
    actor,
    appointment: SupervisorAppointment,
    subject: str,
    text: str,
    place: str = "",
    observed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Observation:
    appointment = SupervisorAppointment.objects.select_related("member", "org_unit").get(
        pk=appointment.pk
    )
    if appointment.member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("congress.file_observation")
    today = today or timezone.localdate()
    if not rules.appointment_in_force(appointment.starts_on, appointment.ends_on, today):
        raise BodiesError(_("监督员任期已结束或尚未开始"), field="subject", status=409)
    if observed_on is None:
        raise BodiesError(_("请填写发现日期"), field="observed_on")
    if observed_on > today:
        raise BodiesError(_("发现日期不能晚于今天"), field="observed_on")
    observation = Observation.objects.create(
        appointment=appointment,
        org_unit=appointment.org_unit,
        subject=_text(subject, "subject", _("事项"), max_length=200),
        text=_text(text, "text", _("情况"), max_length=5000),
        place=(place or "").strip()[:200],
        observed_on=observed_on,
    )
    start(OBSERVATION, observation, actor=actor)
    notify(
        recipients=_office(appointment.org_unit),
        kind="congress.observation_filed",
        title=_("基层职工监督员反映：%(s)s") % {"s": observation.subject},
        body=_("监督员反映了新的情况，请按期答复。"),
        url=observation.get_absolute_url(),
        unit=appointment.org_unit,
    )
    record(
        actor=actor,
        action="congress.file_observation",
        target=observation,
        unit=appointment.org_unit,
        data={},
    )
    return observation


def _lock_observation(observation: Observation) -> Observation:
    return (
        Observation.objects.select_for_update(of=("self",))
        .select_related("appointment__member", "org_unit")
        .get(pk=observation.pk)
    )


@transaction.atomic
def do_answer_observation(*, actor, observation: Observation, answer: str) -> Observation:
    observation = _lock_observation(observation)
    observation.answer = (answer or "").strip()
    observation.answered_by = actor
    observation.save(update_fields=["answer", "answered_by"])
    do_transition(OBSERVATION, observation, "answer", actor=actor, note=observation.answer)
    user = observation.appointment.member.user
    notify(
        recipients=[user] if user else [],
        kind="congress.observation_answered",
        title=_("您反映的情况已答复：%(s)s") % {"s": observation.subject},
        body=_("请查看答复。"),
        url=observation.get_absolute_url(),
        unit=observation.org_unit,
    )
    return observation


@transaction.atomic
def do_close_observation(*, actor, observation: Observation) -> Observation:
    observation = _lock_observation(observation)
    do_transition(OBSERVATION, observation, "close", actor=actor)
    return observation


def notify_observation_escalation(observation: Observation, event) -> None:
    """The escalation's effect (督办): the congress office of the unit and above."""
    observation = Observation.objects.select_related("org_unit").get(pk=observation.pk)
    notify(
        recipients=_office(observation.org_unit),
        kind="congress.observation_overdue",
        title=_("监督意见超期未答复：%(s)s") % {"s": observation.subject},
        body=_("基层职工监督员反映的情况已超过答复期限（第 %(level)d 次督办）。")
        % {"level": event.data.get("level", observation.escalation_level)},
        url=observation.get_absolute_url(),
        unit=observation.org_unit,
    )
