"""Writes of the dues (会费): generating a month's records, recording payments. Each action
checks org.manage_dues over the members' units, runs in one transaction and writes its audit
event inside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.permissions import require
from zhijia.org import rules
from zhijia.org.models import DuesMode, DuesRecord, Member, OrgUnit


class DuesRefused(ActionRefused):
    """A refused dues write, with the message next to the field at fault (HTTP 400)."""


# --- how the dues are collected ------------------------------------------------------------------


def _clean_mode(mode: str) -> str:
    mode = mode or ""
    if mode not in (rules.INHERIT, *DuesMode.values):
        raise DuesRefused(_("收缴方式应为工资代扣或自缴"), field="dues_mode")
    return mode


def _clean_note(note: str) -> str:
    note = " ".join(rules.to_half_width(rules.strip_control(note or "")).split())
    if len(note) > rules.PAYMENT_NOTE_MAX:
        raise DuesRefused(
            _("缴纳说明不能超过%(n)d个字符") % {"n": rules.PAYMENT_NOTE_MAX},
            field="dues_payment_note",
        )
    return note


@transaction.atomic
def do_set_unit_dues_mode(
    *, actor, unit: OrgUnit, dues_mode: str, dues_payment_note: str | None = None
) -> list[str]:
    """Set how the dues of a unit's members are collected ("" = as the unit above) and, when
    given, where self-paying members pay (the note the member's home and ledger show).
    Applies to the members of the unit and the units below that have no mode of their own.
    Returns the names of the fields that changed (audited with old and new values)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    require(actor, "org.manage_dues", unit=unit)
    if unit.closed_at is not None:
        raise DuesRefused(_("该工会组织已撤销"))
    values = {"dues_mode": _clean_mode(dues_mode)}
    if dues_payment_note is not None:
        values["dues_payment_note"] = _clean_note(dues_payment_note)
    changed = {f: [getattr(unit, f), v] for f, v in values.items() if getattr(unit, f) != v}
    if not changed:
        return []
    for field, (_old, new) in changed.items():
        setattr(unit, field, new)
    unit.save(update_fields=list(changed))
    record(
        actor=actor,
        action="org.set_unit_dues_mode",
        target=unit,
        unit=unit,
        data={"changed": changed},
    )
    return sorted(changed)


@transaction.atomic
def do_set_member_dues_mode(*, actor, member: Member, dues_mode: str) -> bool:
    """Set one member's own collection mode ("" = as her unit). False when unchanged."""
    member = Member.objects.select_for_update().select_related("org_unit").get(pk=member.pk)
    require(actor, "org.manage_dues", unit=member.org_unit)
    mode = _clean_mode(dues_mode)
    if member.dues_mode == mode:
        return False
    old = member.dues_mode
    member.dues_mode = mode
    member.save(update_fields=["dues_mode", "updated_at"])
    record(
        actor=actor,
        action="org.set_member_dues_mode",
        target=member,
        unit=member.org_unit,
        data={"employee_no": member.employee_no, "changed": {"dues_mode": [old, mode]}},
    )
    return True


# --- generating and paying the months ------------------------------------------------------------


@dataclass(frozen=True)
class DuesGeneration:
    month: dt.date
    created: int
    existing: int
    without_wage: int


@transaction.atomic
def do_generate_dues(*, actor, month: dt.date, unit: OrgUnit) -> DuesGeneration:
    """Create the month's dues record for every active member of `unit`'s subtree that has a
    wage on file, at rules.monthly_dues(wage). Idempotent: members who already have a record
    for the month keep it (amounts and payments are not touched)."""
    require(actor, "org.manage_dues", unit=unit)
    month = rules.month_start(month)
    if month > rules.month_start(timezone.localdate()):
        raise DuesRefused(_("不能生成未来月份的会费"), field="month")
    unit_ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    members = Member.objects.filter(org_unit_id__in=unit_ids, status=Member.Status.ACTIVE)
    have = set(
        DuesRecord.objects.filter(month=month, member__org_unit_id__in=unit_ids).values_list(
            "member_id", flat=True
        )
    )
    created = existing = without_wage = 0
    batch: list[DuesRecord] = []
    for member_id, wage in members.values_list("pk", "monthly_wage").iterator(chunk_size=5000):
        if member_id in have:
            existing += 1
            continue
        if wage is None:
            without_wage += 1
            continue
        batch.append(
            DuesRecord(
                member_id=member_id,
                month=month,
                wage_income=wage,
                amount=rules.monthly_dues(wage),
            )
        )
        if len(batch) >= 2000:
            DuesRecord.objects.bulk_create(batch, ignore_conflicts=True)
            created += len(batch)
            batch = []
    if batch:
        DuesRecord.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
    result = DuesGeneration(month, created, existing, without_wage)
    record(
        actor=actor,
        action="org.generate_dues",
        target=("org.orgunit", unit.pk),
        unit=unit,
        data={
            "month": month.strftime("%Y-%m"),
            "created": created,
            "existing": existing,
            "without_wage": without_wage,
        },
    )
    return result


@transaction.atomic
def do_record_dues_payment(
    *, actor, records: Iterable[DuesRecord], paid_at: dt.datetime | None = None
) -> int:
    """Mark dues records paid (those already paid are left as they are); returns how many.

    Every record must lie within the actor's org.manage_dues scope, or nothing is written.
    """
    records = list(records)
    units: dict[int, OrgUnit] = {}
    for rec in records:
        units.setdefault(rec.member.org_unit_id, rec.member.org_unit)
    for unit in units.values():
        require(actor, "org.manage_dues", unit=unit)
    paid_at = paid_at or timezone.now()
    ids = [r.pk for r in records]
    pending = DuesRecord.objects.select_for_update().filter(pk__in=ids, paid_at__isnull=True)
    paid = list(pending.values_list("pk", "member_id", "month", "amount"))
    if not paid:
        return 0
    DuesRecord.objects.filter(pk__in=[p[0] for p in paid]).update(
        paid_at=paid_at, paid_amount=F("amount"), paid_via=DuesRecord.PaidVia.DESK
    )
    total = sum((p[3] for p in paid), Decimal("0.00"))
    common_unit = next(iter(units.values())) if len(units) == 1 else None
    record(
        actor=actor,
        action="org.record_dues_payment",
        target=("org.duesrecord", paid[0][0]) if len(paid) == 1 else None,
        unit=common_unit,
        data={
            "count": len(paid),
            "amount": str(total),
            "records": [
                {"id": p[0], "member_id": p[1], "month": p[2].strftime("%Y-%m")} for p in paid[:500]
            ],
        },
    )
    return len(paid)


@dataclass(frozen=True)
class DuesPayment:
    month: dt.date
    paid: int  # records marked paid now
    amount: Decimal  # their total
    already_paid: list[int]  # ids of the members whose month was paid before


@transaction.atomic
def do_record_month_payment(*, actor, month: dt.date, members: list[Member]) -> DuesPayment:
    """Mark the month's dues of `members` paid (e.g. a treasurer's list for the month).

    Refused with 409, and nothing written, when any of them has no dues record for the month
    (generate the month first). Members whose month is already paid are reported, not
    refused, so that sending the same list twice is harmless.
    """
    for unit in {m.org_unit_id: m.org_unit for m in members}.values():
        require(actor, "org.manage_dues", unit=unit)
    month = rules.month_start(month)
    records = list(
        DuesRecord.objects.select_for_update()
        .filter(month=month, member__in=members)
        .select_related("member", "member__org_unit")
    )
    have = {r.member_id for r in records}
    missing = [m for m in members if m.pk not in have]
    if missing:
        shown = "、".join(f"{m.name}（{m.employee_no}）" for m in missing[:20])
        if len(missing) > 20:
            shown += _("等 %(n)d 人") % {"n": len(missing)}
        raise ActionRefused(
            _("以下会员没有 %(month)s 的会费记录，请先生成该月会费：%(members)s")
            % {"month": month.strftime("%Y-%m"), "members": shown},
            field="member_ids",
            status=409,
        )
    pending = [r for r in records if r.paid_at is None]
    paid = do_record_dues_payment(actor=actor, records=pending) if pending else 0
    return DuesPayment(
        month=month,
        paid=paid,
        amount=sum((r.amount for r in pending), Decimal("0.00")),
        already_paid=[r.member_id for r in records if r.paid_at is not None],
    )
