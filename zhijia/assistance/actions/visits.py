"""Writes of visits (走访慰问): plan, record as done (people, gifts, money, findings), cancel,
and photos. Findings are encrypted; the audit log records the structure only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions.registry import parse_amount
from zhijia.assistance.errors import AssistanceError, ConflictError
from zhijia.assistance.models import Campaign, Visit
from zhijia.assistance.queries.registry import active_file_of
from zhijia.core import attachments
from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.org.models import Member

PHOTO_TYPES = {"image"}


def _fill_done(visit: Visit, *, visited_on, visitors, gifts, money, findings) -> None:
    if visited_on is None:
        raise AssistanceError(_("请填写走访日期"), field="visited_on")
    if visited_on > timezone.localdate():
        raise AssistanceError(_("走访日期不能晚于今天"), field="visited_on")
    if not (visitors or "").strip():
        raise AssistanceError(_("请填写走访人员"), field="visitors")
    visit.status = Visit.Status.DONE
    visit.visited_on = visited_on
    visit.visitors = visitors.strip()[:200]
    visit.gifts = (gifts or "").strip()[:200]
    visit.money = parse_amount(money, field="money")
    visit.findings = findings or ""


@transaction.atomic
def do_create_visit(
    *,
    actor,
    member: Member,
    kind: str,
    planned_on: dt.date | None = None,
    done: bool = False,
    visited_on: dt.date | None = None,
    visitors: str = "",
    gifts: str = "",
    money: Any = 0,
    findings: str = "",
    campaign: Campaign | None = None,
) -> Visit:
    """Plan a visit, or record one already made (`done`)."""
    require(actor, perms.MANAGE_VISIT, unit=member.org_unit)
    if kind not in Visit.Kind.values:
        raise AssistanceError(_("请选择走访类型"), field="kind")
    visit = Visit(
        member=member,
        org_unit=member.org_unit,
        kind=kind,
        hardship_file=active_file_of(member),
        campaign=campaign,
        planned_on=planned_on,
        visitors=(visitors or "").strip()[:200],
        created_by=actor,
    )
    if done:
        _fill_done(
            visit,
            visited_on=visited_on,
            visitors=visitors,
            gifts=gifts,
            money=money,
            findings=findings,
        )
        visit.planned_on = visit.planned_on or visit.visited_on
    elif planned_on is None:
        raise AssistanceError(_("请填写计划日期"), field="planned_on")
    visit.save()
    record(
        actor=actor,
        action="assistance.create_visit",
        target=visit,
        unit=member.org_unit,
        data={"kind": kind, "status": visit.status, "money": str(visit.money)},
    )
    return visit


@transaction.atomic
def do_complete_visit(
    *,
    actor,
    visit: Visit,
    visited_on: dt.date,
    visitors: str,
    gifts: str = "",
    money: Any = 0,
    findings: str = "",
) -> Visit:
    require(actor, perms.MANAGE_VISIT, unit=visit.org_unit)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != Visit.Status.PLANNED:
        raise ConflictError(_("该走访已记录或已取消"))
    _fill_done(
        locked,
        visited_on=visited_on,
        visitors=visitors,
        gifts=gifts,
        money=money,
        findings=findings,
    )
    locked.save()
    record(
        actor=actor,
        action="assistance.complete_visit",
        target=locked,
        unit=locked.org_unit,
        data={"money": str(locked.money)},
    )
    return locked


@transaction.atomic
def do_cancel_visit(*, actor, visit: Visit) -> Visit:
    require(actor, perms.MANAGE_VISIT, unit=visit.org_unit)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != Visit.Status.PLANNED:
        raise ConflictError(_("只能取消计划中的走访"))
    locked.status = Visit.Status.CANCELLED
    locked.save(update_fields=["status"])
    record(actor=actor, action="assistance.cancel_visit", target=locked, unit=locked.org_unit)
    return locked


@transaction.atomic
def do_add_visit_photo(*, actor, visit: Visit, upload) -> Any:
    require(actor, perms.MANAGE_VISIT, unit=visit.org_unit)
    try:
        return attachments.save_upload(
            upload, actor=actor, allowed=PHOTO_TYPES, owner=visit, unit_path=visit.org_unit.path
        )
    except ValidationError as exc:
        raise AssistanceError("；".join(exc.messages), field="photo") from None
