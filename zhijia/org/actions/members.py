"""Writes of module org. Each action checks its permission through zhijia.core.permissions,
runs in one transaction and writes its audit event inside it.

A refused write is a MemberRefused (an ActionRefused) with its messages per field in Chinese,
so that forms show them next to the field and the API answers 400; a duplicate 工号 or 身份证号
is a MemberConflict (a MemberRefused), which pages and the API answer with 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import crypto
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.permissions import has_perm, require
from zhijia.org import rules
from zhijia.org.actions.accounts import new_member_account, sync_account
from zhijia.org.models import Department, Member, MemberTransfer, OrgUnit
from zhijia.org.search import fill_search_fields, index_member


class MemberRefused(ActionRefused):
    """A refused member write, with the messages next to the fields at fault (HTTP 400)."""


class MemberConflict(MemberRefused):
    """A 工号 or 身份证号 that another member already has (HTTP 409)."""

    status = 409


# Fields a cadre may set on create and change on update. The unit changes only by transfer
# (which keeps history) and the status only through do_change_member_status.
EDITABLE_FIELDS = (
    "employee_no",
    "name",
    "gender",
    "id_number",
    "phone",
    "department",
    "job",
    "employment_type",
    "join_date",
    "monthly_wage",
)
MAX_WAGE = Decimal("9999999999.99")


def _text(value: Any) -> str:
    """User text without control characters (PostgreSQL refuses NUL; none belong in names)."""
    return rules.strip_control(str(value or ""))


def _clean(values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Normalise and validate member fields; raise MemberRefused with messages per field."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "employee_no" in values or creating:
        value = rules.normalize_employee_no(_text(values.get("employee_no")))
        if not value:
            fail("employee_no", _("请填写工号"))
        elif len(value) > 32:
            fail("employee_no", _("工号不能超过32个字符"))
        out["employee_no"] = value
    if "name" in values or creating:
        value = " ".join(rules.to_half_width(_text(values.get("name"))).split())
        if not value:
            fail("name", _("请填写姓名"))
        elif len(value) > 64:
            fail("name", _("姓名不能超过64个字符"))
        out["name"] = value
    if "gender" in values or creating:
        value = values.get("gender") or ""
        if value not in Member.Gender.values:
            fail("gender", _("请选择性别"))
        out["gender"] = value
    if "id_number" in values or creating:
        value = rules.normalize_id_number(_text(values.get("id_number")))
        if not value:
            fail("id_number", _("请填写身份证号"))
        else:
            message = rules.id_number_error(value)
            if message:
                fail("id_number", _(message))
        out["id_number"] = value
    if "phone" in values:
        value = rules.normalize_phone(_text(values.get("phone")))
        message = rules.phone_error(value)
        if message:
            fail("phone", _(message))
        out["phone"] = value
    if "department" in values:
        department = values.get("department")
        if department is not None and not isinstance(department, Department):
            fail("department", _("部门不存在"))
        elif department is not None and department.closed_at is not None:
            fail("department", _("该部门已撤销"))
        out["department"] = department
    if "job" in values:
        value = " ".join(_text(values.get("job")).split())
        if len(value) > 64:
            fail("job", _("岗位不能超过64个字符"))
        out["job"] = value
    if "employment_type" in values or creating:
        kind = values.get("employment_type") or Member.EmploymentType.REGULAR
        if kind not in Member.EmploymentType.values:
            fail("employment_type", _("用工性质无效"))
        out["employment_type"] = kind
    if "join_date" in values:
        joined = values.get("join_date")
        if joined is not None and not isinstance(joined, dt.date):
            fail("join_date", _("入会日期无效"))
        elif joined is not None and joined > timezone.localdate():
            fail("join_date", _("入会日期不能晚于今天"))
        out["join_date"] = joined
    if "monthly_wage" in values:
        raw_wage = values.get("monthly_wage")
        if raw_wage in (None, ""):
            out["monthly_wage"] = None
        else:
            try:
                wage = Decimal(str(raw_wage)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                fail("monthly_wage", _("月工资收入应为金额"))
            else:
                if wage < 0 or wage > MAX_WAGE:
                    fail("monthly_wage", _("月工资收入应在0至9,999,999,999.99之间"))
                out["monthly_wage"] = wage
    if errors:
        raise MemberRefused.for_fields(errors)
    return out


def _check_gender(member: Member, id_number: str | None) -> None:
    """Gender must agree with the 身份证号 (the masked form keeps the 17th digit)."""
    if id_number:
        message = rules.id_number_gender_error(id_number, member.gender)
    else:
        derived = rules.gender_from_masked(member.id_number_masked)
        message = (
            None
            if derived is None or derived == member.gender
            else "性别与身份证号不符（第17位奇数为男、偶数为女）"
        )
    if message:
        raise MemberRefused(_(message), field="gender")


def _check_unique(member: Member, id_number: str | None) -> None:
    others = Member.objects.exclude(pk=member.pk) if member.pk else Member.objects.all()
    errors: dict[str, list[str]] = {}
    if others.filter(employee_no=member.employee_no).exists():
        errors["employee_no"] = [_("工号 %(no)s 已被其他会员使用") % {"no": member.employee_no}]
    if id_number and others.filter(id_number_digest=crypto.digest(id_number)).exists():
        errors["id_number"] = [_("该身份证号已登记在其他会员名下")]
    if errors:
        raise MemberConflict.for_fields(errors)


def _save(member: Member, id_number: str | None) -> None:
    _check_unique(member, id_number)
    try:
        with transaction.atomic():
            member.save()
            index_member(member)
    except IntegrityError:
        # A concurrent request took the 工号 or ID number between the check and the save.
        raise MemberConflict(_("工号或身份证号已被其他会员使用"), field="employee_no") from None


def _display(field: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Department):
        return value.name
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


# --- members ----------------------------------------------------------------------------------


@transaction.atomic
def do_create_member(*, actor, org_unit: OrgUnit, **fields: Any) -> Member:
    """Add a member to `org_unit`. Fields: see EDITABLE_FIELDS (身份证号 in clear, validated)."""
    require(actor, "org.change_member", unit=org_unit)
    if org_unit.closed_at is not None:
        raise MemberRefused(_("该工会组织已撤销"), field="org_unit")
    data = _clean(fields, creating=True)
    id_number = data.pop("id_number")
    member = Member(org_unit=org_unit, status=Member.Status.ACTIVE, **data)
    _check_gender(member, id_number)
    member.set_id_number(id_number)
    fill_search_fields(member)
    _check_unique(member, id_number)
    new_member_account(member)
    _save(member, id_number)
    record(
        actor=actor,
        action="org.create_member",
        target=member,
        unit=org_unit,
        data={"employee_no": member.employee_no, "name": member.name},
    )
    return member


@transaction.atomic
def do_update_member(*, actor, member: Member, changes: Mapping[str, Any]) -> list[str]:
    """Change some fields of a member; returns the names of the fields that changed.

    The audit event lists each changed field with its old and new value, except the 身份证号,
    which is recorded as changed with the masked forms only.
    """
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("org_unit", "department")
        .get(pk=member.pk)
    )
    require(actor, "org.change_member", unit=member.org_unit)
    data = _clean(changes, creating=False)
    changed: dict[str, Any] = {}
    id_number = data.pop("id_number", None)
    if id_number is not None and crypto.digest(id_number) != member.id_number_digest:
        old_masked = member.id_number_masked
        member.set_id_number(id_number)
        changed["id_number"] = {"changed": True, "old": old_masked, "new": member.id_number_masked}
    else:
        id_number = None
    for field, new in data.items():
        old = getattr(member, field)
        if old != new:
            changed[field] = [_display(field, old), _display(field, new)]
            setattr(member, field, new)
    if not changed:
        return []
    if "gender" in changed or "id_number" in changed:
        _check_gender(member, id_number)
    if "name" in changed:
        fill_search_fields(member)
    _save(member, id_number)
    if "name" in changed:
        sync_account(member)
    record(
        actor=actor,
        action="org.update_member",
        target=member,
        unit=member.org_unit,
        data={"fields": sorted(changed), "changed": changed},
    )
    return sorted(changed)


@transaction.atomic
def do_change_member_status(*, actor, member: Member, status: str, reason: str = "") -> bool:
    """Set 在册 / 退休 / 除名. Leaving the union by transfer (转出) goes through
    do_transfer_member so that the history is kept. Returns False when nothing changed."""
    member = Member.objects.select_for_update().select_related("org_unit").get(pk=member.pk)
    require(actor, "org.change_member", unit=member.org_unit)
    if status not in Member.Status.values:
        raise MemberRefused(_("状态无效"), field="status")
    if status == Member.Status.TRANSFERRED_OUT:
        raise MemberRefused(_("转出请通过“会员转移”办理，以便保留转移记录"), field="status")
    if member.status == status:
        return False
    old = member.status
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    sync_account(member)
    record(
        actor=actor,
        action="org.change_member_status",
        target=member,
        unit=member.org_unit,
        data={"changed": {"status": [old, status]}, "reason": _text(reason)[:200]},
    )
    return True


@transaction.atomic
def do_bulk_change_status(
    *, actor, members: Iterable[Member], status: str, reason: str = ""
) -> int:
    """Change the status of several members at once, all or nothing; returns how many changed."""
    return sum(
        do_change_member_status(actor=actor, member=m, status=status, reason=reason)
        for m in members
    )


@transaction.atomic
def do_transfer_member(
    *,
    actor,
    member: Member,
    to_unit: OrgUnit | None,
    effective_date: dt.date,
    reason: str = "",
) -> MemberTransfer:
    """Move a member to another unit, or out of the union (to_unit=None → status 转出).

    The actor needs org.transfer_member over the member's current unit and, for a move inside
    the union, over the target unit too (a branch cadre moves members within the branch; moves
    between branches are made by a cadre above both). The history row is never rewritten.
    """
    member = Member.objects.select_for_update().select_related("org_unit").get(pk=member.pk)
    require(actor, "org.transfer_member", unit=member.org_unit)
    if to_unit is not None and not has_perm(actor, "org.transfer_member", unit=to_unit):
        raise PermissionDenied("org.transfer_member")
    errors: dict[str, list[str]] = {}
    if not isinstance(effective_date, dt.date):
        errors["effective_date"] = [_("请填写生效日期")]
    reason = " ".join(_text(reason).split())
    if len(reason) > 200:
        errors["reason"] = [_("原因不能超过200个字符")]
    if member.status != Member.Status.ACTIVE:
        errors["__all__"] = [_("只有在册会员可以办理转移")]
    if to_unit is not None and to_unit.pk == member.org_unit_id:
        errors["to_unit"] = [_("转入工会与当前所属工会相同")]
    elif to_unit is not None and to_unit.closed_at is not None:
        errors["to_unit"] = [_("该工会组织已撤销")]
    if errors:
        raise MemberRefused.for_fields(errors)
    from_unit = member.org_unit
    transfer = MemberTransfer.objects.create(
        member=member,
        from_unit=from_unit,
        to_unit=to_unit,
        effective_date=effective_date,
        reason=reason,
        actor=actor,
    )
    if to_unit is None:
        member.status = Member.Status.TRANSFERRED_OUT
    else:
        member.org_unit = to_unit
    member.save(update_fields=["org_unit", "status", "updated_at"])
    index_member(member)
    sync_account(member)
    data = {
        "from_unit": from_unit.name,
        "to_unit": to_unit.name if to_unit else None,
        "effective_date": effective_date.isoformat(),
        "reason": reason,
    }
    record(actor=actor, action="org.transfer_member", target=member, unit=from_unit, data=data)
    return transfer


@transaction.atomic
def do_reveal_id_number(*, actor, member: Member) -> str:
    """The full 身份证号 for a cadre holding org.view_id_number over the member's unit;
    every reveal is an audit event."""
    require(actor, "org.view_id_number", unit=member.org_unit)
    record(
        actor=actor,
        action="org.reveal_id_number",
        target=member,
        unit=member.org_unit,
        data={"employee_no": member.employee_no},
    )
    return member.get_id_number()


@transaction.atomic
def do_record_export(*, actor, kind: str, count: int, filters: Mapping[str, Any]) -> None:
    """An export of personal data leaves the system: record who took what."""
    record(
        actor=actor,
        action=f"org.export_{kind}",
        data={"count": count, "filters": {k: v for k, v in filters.items() if v}},
    )
