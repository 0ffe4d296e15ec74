"""Writes on inspection tours and rectification items, each in one transaction, audited.

A tour is organised by a cadre holding congress.manage_inspection over its unit; findings are
recorded by the cadre or by the tour's participants; each finding becomes one rectification
item (workflows.RECTIFICATION) owned by an enterprise department.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress.actions.proposals import ProposalError as InspectionError
from zhijia.congress.models import (
    InspectionFinding,
    InspectionParticipant,
    InspectionTour,
    RectificationItem,
)
from zhijia.congress.permissions import MANAGE_INSPECTION, RECTIFY_INSPECTION
from zhijia.congress.queries import inspections as queries
from zhijia.congress.queries import proposals as queries_proposals
from zhijia.congress.workflows import RECTIFICATION, rectification_workdays
from zhijia.core.audit import record
from zhijia.core.errors import text_field
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm, holders
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import Department, OrgUnit

MAX_WORKDAYS = 250

__all__ = [
    "InspectionError",
    "do_add_finding",
    "do_add_participants",
    "do_complete_rectification",
    "do_create_rectification",
    "do_create_tour",
    "do_finish_tour",
    "do_remove_participant",
    "do_send_back_rectification",
    "do_start_rectification",
    "do_verify_rectification",
    "notify_rectification_escalation",
    "notify_rectification_reminder",
]


def _name(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _text(value: str, field: str, label: str, *, max_length: int | None = None) -> str:
    return text_field(value, field, label, max_length, error=InspectionError)


def _require_manager(actor, tour: InspectionTour) -> None:
    if not queries.can_manage_tour(actor, tour):
        raise PermissionDenied(MANAGE_INSPECTION)


def _lock_tour(tour: InspectionTour) -> InspectionTour:
    return InspectionTour.objects.select_for_update().get(pk=tour.pk)


# --- tours ---------------------------------------------------------------------------------------


@transaction.atomic
def do_create_tour(
    *,
    actor,
    org_unit: OrgUnit | None,
    title: str,
    scope: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    session=None,
    participants: Sequence = (),
    leader=None,
) -> InspectionTour:
    if org_unit is None:
        raise InspectionError(_("请选择组织单位"), field="org_unit")
    if not has_perm(actor, MANAGE_INSPECTION, unit=org_unit):
        raise PermissionDenied(MANAGE_INSPECTION)
    if start_date is None:
        raise InspectionError(_("请填写开始日期"), field="start_date")
    if end_date is None:
        raise InspectionError(_("请填写结束日期"), field="end_date")
    if end_date < start_date:
        raise InspectionError(_("结束日期不能早于开始日期"), field="end_date")
    if session is not None and session.term.unit_id != org_unit.pk:
        raise InspectionError(_("所选会议不属于该组织的职代会"), field="session")
    tour = InspectionTour.objects.create(
        title=_text(title, "title", _("巡视主题"), max_length=200),
        scope=_text(scope, "scope", _("巡视范围与内容")),
        org_unit=org_unit,
        session=session,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    record(
        actor=actor,
        action="congress.create_inspection",
        target=tour,
        unit=org_unit,
        data={"start": start_date.isoformat(), "end": end_date.isoformat()},
    )
    if participants:
        _add_participants(actor, tour, participants, leader)
    # The checklist starts from the facts known today (actions.checklist, its own subject).
    from zhijia.congress.actions.checklist import take_checklist

    take_checklist(actor=actor, tour=tour)
    return tour


def _add_participants(actor, tour, users, leader) -> list[InspectionParticipant]:
    users = list({u.pk: u for u in users}.values())
    eligible = set(
        queries_proposals.representatives_in(tour.org_unit)
        .filter(pk__in=[u.pk for u in users])
        .values_list("pk", flat=True)
    )
    for user in users:
        if user.pk not in eligible:
            raise InspectionError(
                _("%(name)s 不是本组织的职工代表，不能参加代表巡视") % {"name": _name(user)},
                field="participants",
            )
    existing = set(tour.participants.values_list("user_id", flat=True))
    added = [
        InspectionParticipant.objects.create(
            tour=tour,
            user=user,
            name=_name(user),
            is_leader=leader is not None and leader.pk == user.pk,
        )
        for user in users
        if user.pk not in existing
    ]
    if leader is not None and leader.pk in existing:
        tour.participants.update(is_leader=False)
        tour.participants.filter(user=leader).update(is_leader=True)
    if added:
        record(
            actor=actor,
            action="congress.add_inspection_participants",
            target=tour,
            unit=tour.org_unit,
            data={"users": [p.user_id for p in added]},
        )
        notify(
            recipients=[p.user for p in added],
            kind="congress.inspection_invited",
            title=_("请参加代表巡视：%(title)s") % {"title": tour.title},
            body=_("您被安排参加代表巡视“%(title)s”（%(start)s 至 %(end)s）。")
            % {"title": tour.title, "start": tour.start_date, "end": tour.end_date},
            url=tour.get_absolute_url(),
            unit=tour.org_unit,
        )
    return added


@transaction.atomic
def do_add_participants(*, actor, tour: InspectionTour, users: Sequence, leader=None):
    tour = _lock_tour(tour)
    _require_manager(actor, tour)
    if not users and leader is None:
        raise InspectionError(_("请选择参加巡视的代表"), field="participants")
    return _add_participants(actor, tour, list(users), leader)


@transaction.atomic
def do_remove_participant(*, actor, tour: InspectionTour, user) -> None:
    tour = _lock_tour(tour)
    _require_manager(actor, tour)
    deleted, _rows = tour.participants.filter(user=user).delete()
    if deleted:
        record(
            actor=actor,
            action="congress.remove_inspection_participant",
            target=tour,
            unit=tour.org_unit,
            data={"user": user.pk},
        )


@transaction.atomic
def do_finish_tour(*, actor, tour: InspectionTour, summary: str) -> InspectionTour:
    tour = _lock_tour(tour)
    _require_manager(actor, tour)
    if tour.status == InspectionTour.Status.FINISHED:
        raise InspectionError(_("巡视已经结束"), status=409)
    tour.summary = _text(summary, "summary", _("巡视总结"))
    tour.status = InspectionTour.Status.FINISHED
    tour.save(update_fields=["summary", "status"])
    record(actor=actor, action="congress.finish_inspection", target=tour, unit=tour.org_unit)
    return tour


@transaction.atomic
def do_add_finding(
    *, actor, tour: InspectionTour, title: str, description: str, location: str = ""
) -> InspectionFinding:
    """A participant (or the organising cadre) records a problem found on the tour."""
    tour = _lock_tour(tour)
    if not queries.can_report_finding(actor, tour):
        raise PermissionDenied(MANAGE_INSPECTION)
    if tour.status == InspectionTour.Status.FINISHED:
        raise InspectionError(_("巡视已经结束，不能再记录问题"), status=409)
    finding = InspectionFinding.objects.create(
        tour=tour,
        title=_text(title, "title", _("问题"), max_length=200),
        description=_text(description, "description", _("问题描述")),
        location=(location or "").strip()[:200],
        reported_by=actor,
        reporter_name=_name(actor),
    )
    record(
        actor=actor,
        action="congress.add_inspection_finding",
        target=finding,
        unit=tour.org_unit,
        data={"tour": tour.pk},
    )
    return finding


# --- rectification items -------------------------------------------------------------------------


def _workdays(value) -> int:
    if value in (None, ""):
        return rectification_workdays()
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InspectionError(_("整改时限须为整数个工作日"), field="workdays") from None
    if not 1 <= days <= MAX_WORKDAYS:
        raise InspectionError(
            _("整改时限须在 1 到 %(max)d 个工作日之间") % {"max": MAX_WORKDAYS}, field="workdays"
        )
    return days


def _item_notify(users, kind: str, title: str, body: str, item: RectificationItem) -> None:
    notify(
        recipients=users,
        kind=f"congress.{kind}",
        title=title,
        body=body,
        url=item.get_absolute_url(),
        unit=item.org_unit,
    )


def _handlers(item: RectificationItem) -> list:
    return holders(RECTIFY_INSPECTION, department=item.department)


def _managers(item: RectificationItem) -> list:
    return holders(MANAGE_INSPECTION, item.org_unit)


def _deadline(item: RectificationItem) -> str:
    return timezone.localtime(item.deadline_at).strftime("%Y-%m-%d") if item.deadline_at else ""


@transaction.atomic
def do_create_rectification(
    *,
    actor,
    finding: InspectionFinding,
    department: Department | None,
    requirement: str,
    workdays=None,
) -> RectificationItem:
    """Turn a finding into a rectification item owned by `department`."""
    tour = _lock_tour(finding.tour)
    _require_manager(actor, tour)
    if department is None:
        raise InspectionError(_("请选择责任部门"), field="department")
    if RectificationItem.objects.filter(finding=finding).exists():
        raise InspectionError(_("该问题已列为整改事项"), status=409)
    item = RectificationItem.objects.create(
        finding=finding,
        org_unit=tour.org_unit,
        department=department,
        requirement=_text(requirement, "requirement", _("整改要求")),
        deadline_workdays=_workdays(workdays),
        created_by=actor,
    )
    start(RECTIFICATION, item, actor=actor, data={"department": department.pk})
    item.refresh_from_db()
    _item_notify(
        _handlers(item),
        "rectification_assigned",
        _("巡视整改事项：%(title)s") % {"title": finding.title},
        _("代表巡视发现的问题“%(title)s”交由贵部门整改，请于 %(deadline)s 前完成。")
        % {"title": finding.title, "deadline": _deadline(item)},
        item,
    )
    return item


def _lock_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().select_related("finding").get(pk=item.pk)


@transaction.atomic
def do_start_rectification(*, actor, item: RectificationItem, note: str = "") -> RectificationItem:
    item = _lock_item(item)
    do_transition(RECTIFICATION, item, "begin", actor=actor, note=note)
    return item


@transaction.atomic
def do_complete_rectification(*, actor, item: RectificationItem, result: str) -> RectificationItem:
    item = _lock_item(item)
    item.result = (result or "").strip()
    item.save(update_fields=["result"])
    do_transition(RECTIFICATION, item, "complete", actor=actor, note=item.result)
    _item_notify(
        [*_managers(item), *(p.user for p in item.finding.tour.participants.all())],
        "rectification_done",
        _("整改事项待验收：%(title)s") % {"title": item.finding.title},
        _("%(dept)s已完成“%(title)s”的整改，请验收。")
        % {"dept": item.department.name, "title": item.finding.title},
        item,
    )
    return item


@transaction.atomic
def do_verify_rectification(*, actor, item: RectificationItem, note: str = "") -> RectificationItem:
    item = _lock_item(item)
    do_transition(RECTIFICATION, item, "verify", actor=actor, note=note)
    _item_notify(
        _handlers(item),
        "rectification_verified",
        _("整改已验收：%(title)s") % {"title": item.finding.title},
        _("“%(title)s”的整改已验收通过。") % {"title": item.finding.title},
        item,
    )
    return item


@transaction.atomic
def do_send_back_rectification(*, actor, item: RectificationItem, reason: str) -> RectificationItem:
    item = _lock_item(item)
    do_transition(RECTIFICATION, item, "send_back", actor=actor, note=(reason or "").strip())
    _item_notify(
        _handlers(item),
        "rectification_sent_back",
        _("整改验收未通过：%(title)s") % {"title": item.finding.title},
        _("“%(title)s”的整改验收未通过，请于 %(deadline)s 前重新整改。理由：%(reason)s")
        % {"title": item.finding.title, "deadline": _deadline(item), "reason": reason},
        item,
    )
    return item


# --- the sweep's callbacks -----------------------------------------------------------------------


def notify_rectification_escalation(item: RectificationItem, event) -> None:
    item = RectificationItem.objects.select_related("finding", "department", "org_unit").get(
        pk=item.pk
    )
    _item_notify(
        [*_handlers(item), *_managers(item)],
        "rectification_overdue",
        _("整改事项超期：%(title)s") % {"title": item.finding.title},
        _("“%(title)s”的整改已超过期限（第 %(level)d 次督促），新的期限为 %(deadline)s。")
        % {
            "title": item.finding.title,
            "level": event.data.get("level", item.escalation_level),
            "deadline": _deadline(item),
        },
        item,
    )


def notify_rectification_reminder(item: RectificationItem) -> None:
    item = RectificationItem.objects.select_related("finding", "department", "org_unit").get(
        pk=item.pk
    )
    _item_notify(
        _handlers(item),
        "rectification_reminder",
        _("整改事项即将到期：%(title)s") % {"title": item.finding.title},
        _("“%(title)s”的整改期限为 %(deadline)s，请按时完成。")
        % {"title": item.finding.title, "deadline": _deadline(item)},
        item,
    )
