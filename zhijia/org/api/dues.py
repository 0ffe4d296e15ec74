"""API of the dues (会费) under /api/v1/org/dues: a month's records, generating a month,
recording payments, arrears. A member's own ledger is GET /api/v1/org/members/{id}/dues
(zhijia.org.api.members, with the members' aliases), described by `DuesLedger` here.

Thin: the same queries and actions as the pages. 404 for a unit or member outside the caller's
org.manage_dues scope, 409 for a payment of a month whose dues were not generated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from zhijia.core.api_types import DeprecatedId, Id, RenamedQuery
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import require
from zhijia.org import rules
from zhijia.org.actions import dues as actions
from zhijia.org.actions import dues_import as importer
from zhijia.org.actions.roster_import import ImportRejected
from zhijia.org.queries import dues as queries
from zhijia.org.queries import members as member_queries

DuesModeName = Literal["payroll", "self"]
DuesModeSetting = Literal["", "payroll", "self"]


class DuesOut(Schema):
    id: int
    month: str
    wage_income: Decimal
    amount: Decimal
    paid: bool
    paid_at: dt.datetime | None
    paid_amount: Decimal | None = Field(None, description="实缴金额（代扣可能与应缴不同）")
    paid_via: str = Field("", description="desk 工会登记 / payroll 工资代扣；空：早先登记")

    @staticmethod
    def resolve_month(obj) -> str:
        return obj.month.strftime("%Y-%m")

    @staticmethod
    def resolve_paid(obj) -> bool:
        return obj.paid_at is not None


class DuesLedger(Schema):
    member_id: Id
    items: list[DuesOut]
    amount_due: Decimal
    amount_paid: Decimal
    amount_unpaid: Decimal
    dues_mode: DuesModeName = Field(..., description="收缴方式：payroll 工资代扣 / self 自缴")
    payment_note: str = Field(..., description="自缴会员的缴纳说明（所在工会或其上级的）")
    unpaid_months: int = Field(..., description="有应缴金额而未缴的月数（全部年份）")
    paid_through: str | None = Field(None, description="此月及以前均已缴，如 2026-11")


router = Router(tags=["org"])


class DuesRecordOut(DuesOut):
    member_id: Id
    employee_no: str
    name: str
    org_unit_id: Id
    org_unit_name: str

    @staticmethod
    def resolve_employee_no(obj) -> str:
        return obj.member.employee_no

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_org_unit_id(obj) -> int:
        return obj.member.org_unit_id

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.member.org_unit.name


class DuesSummaryOut(Schema):
    records: int
    paid: int
    unpaid: int
    amount_due: Decimal
    amount_paid: Decimal
    amount_unpaid: Decimal


DuesMonthPage = page_schema(
    DuesRecordOut,
    name="DuesMonthPage",
    month=str,
    unit_id=(int | None, None),
    summary=DuesSummaryOut,
)


class DuesMonthQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    month: str = Field("", max_length=16, description="2026-11；默认本月")
    unit_id: Id | None = Field(None, description="工会；默认整个会费管理范围")
    unit: DeprecatedId = None
    state: str = Field("", description="paid / unpaid；默认全部")


class GenerateIn(Schema):
    month: str = Field(..., max_length=16, description="2026-11")
    unit_id: Id | None = Field(
        None, description="工会（含下级）；省略时为本人会费管理范围的最上级工会"
    )


class GenerateOut(Schema):
    unit_id: Id
    unit_name: str
    month: str
    created: int
    existing: int
    without_wage: int


class PayIn(Schema):
    month: str = Field(..., max_length=16, description="2026-11")
    member_ids: list[Id] = Field(..., min_length=1, max_length=1000)


class PayOut(Schema):
    month: str
    paid: int
    amount: Decimal
    already_paid: list[int]


class ArrearsOut(Schema):
    member_id: Id
    employee_no: str
    name: str
    org_unit_id: Id
    org_unit_name: str
    status: str
    dues_mode: DuesModeName = Field(..., description="payroll 代扣未到账 / self 自缴欠缴")
    unpaid_months: int
    unpaid_total: Decimal

    @staticmethod
    def resolve_dues_mode(obj) -> str:
        return obj.effective_mode

    @staticmethod
    def resolve_member_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_unpaid_total(obj) -> Decimal:
        return Decimal(obj.unpaid_total or 0).quantize(rules.CENT)

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name


class ArrearsCountsOut(Schema):
    members: int
    months: int
    total: Decimal


class ArrearsSummaryOut(ArrearsCountsOut):
    self_pay: ArrearsCountsOut = Field(..., description="自缴欠缴：会员本人应缴")
    payroll: ArrearsCountsOut = Field(..., description="工资代扣未到账")


ArrearsPage = page_schema(ArrearsOut, name="ArrearsPage", summary=ArrearsSummaryOut)


class ArrearsQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    unit_id: Id | None = None
    unit: DeprecatedId = None
    until: str = Field("", max_length=16, description="只计此月及以前，如 2026-10")
    mode: DuesModeName | Literal[""] = Field("", description="payroll / self；默认全部")


def _month(value: str, field: str = "month") -> dt.date:
    month = rules.parse_month(value)
    if month is None:
        raise ActionRefused(_("月份格式应为 2024-03"), field=field)
    return month


@router.get("/dues", response=DuesMonthPage)
def dues_month(request, filters: Query[DuesMonthQuery]):
    """One month's dues records in the caller's org.manage_dues scope (or one unit's subtree)."""
    require(request.user, "org.manage_dues")
    month = _month(filters.month) if filters.month else rules.month_start(timezone.localdate())
    # allow: state the dues filter (paid/unpaid), not a workflow state
    if filters.state not in ("", "paid", "unpaid"):
        raise ActionRefused(_("状态应为 paid 或 unpaid"), field="state")
    unit = queries.access_dues_unit(request.user, filters.unit_id) if filters.unit_id else None
    records = queries.dues_in_unit(request.user, unit, month)
    summary = queries.summarize_dues(records)
    if filters.state:
        # allow: state the dues filter (paid/unpaid), not a workflow state
        records = records.filter(paid_at__isnull=filters.state == "unpaid")
    return {
        "month": month.strftime("%Y-%m"),
        "unit_id": unit.pk if unit else None,
        "summary": summary,
        **api_page(records, filters.page, filters.per_page),
    }


@router.post("/dues/generate", response=GenerateOut)
def dues_generate(request, payload: GenerateIn):
    """Create the month's dues record of every active member with a wage on file in the unit
    and the units below it. Idempotent: existing records are counted, not changed."""
    require(request.user, "org.manage_dues")
    month = _month(payload.month)
    if payload.unit_id is not None:
        unit = queries.access_dues_unit(request.user, payload.unit_id)
    else:
        roots = queries.dues_scope_roots(request.user)
        if len(roots) != 1:
            raise ActionRefused(_("请指定工会"), field="unit_id")
        unit = roots[0]
    result = actions.do_generate_dues(actor=request.user, month=month, unit=unit)
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "month": result.month.strftime("%Y-%m"),
        "created": result.created,
        "existing": result.existing,
        "without_wage": result.without_wage,
    }


@router.post("/dues/pay", response=PayOut)
def dues_pay(request, payload: PayIn):
    """Record the month's dues of the listed members as paid (all or nothing): 404 when a
    member is outside the caller's scope, 409 when one has no record for the month."""
    require(request.user, "org.manage_dues")
    month = _month(payload.month)
    members = queries.access_dues_members(request.user, payload.member_ids)
    result = actions.do_record_month_payment(actor=request.user, month=month, members=members)
    return {
        "month": result.month.strftime("%Y-%m"),
        "paid": result.paid,
        "amount": result.amount,
        "already_paid": result.already_paid,
    }


@router.get("/dues/arrears", response=ArrearsPage)
def dues_arrears(request, filters: Query[ArrearsQuery]):
    """Members in the caller's scope with unpaid dues, largest debt first."""
    require(request.user, "org.manage_dues")
    until = _month(filters.until, "until") if filters.until else None
    unit = queries.access_dues_unit(request.user, filters.unit_id) if filters.unit_id else None
    qs = queries.arrears(request.user, unit, until, mode=filters.mode)
    return {
        "summary": queries.arrears_summary(request.user, unit, until, mode=filters.mode),
        **api_page(qs, filters.page, filters.per_page),
    }


# --- how the dues are collected: /api/v1/org/dues/units/{id}/mode, /dues/members/{id}/mode -----


class UnitDuesModeOut(Schema):
    unit_id: Id
    unit_name: str
    own_mode: DuesModeSetting = Field(..., description="本组织的设置；空：沿用上级（顶层为代扣）")
    dues_mode: DuesModeName = Field(..., description="实际适用的收缴方式")
    own_payment_note: str
    payment_note: str = Field(..., description="实际适用的缴纳说明（本组织的，或上级的）")


class UnitDuesModeIn(Schema):
    dues_mode: DuesModeSetting = Field(..., description="payroll / self；空：沿用上级")
    dues_payment_note: str | None = Field(
        None, max_length=rules.PAYMENT_NOTE_MAX, description="自缴会员的缴纳说明；省略：不变"
    )


class MemberDuesModeOut(Schema):
    member_id: Id
    own_mode: DuesModeSetting = Field(..., description="会员本人的设置；空：按所属工会")
    dues_mode: DuesModeName
    payment_note: str


class MemberDuesModeIn(Schema):
    dues_mode: DuesModeSetting = Field(..., description="payroll / self；空：按所属工会")


def _unit_mode_out(unit) -> dict:
    settings = queries.unit_dues_settings(unit)
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "own_mode": settings.own_mode,
        "dues_mode": settings.mode,
        "own_payment_note": settings.own_note,
        "payment_note": settings.note,
    }


def _member_mode_out(member) -> dict:
    status = queries.member_dues_status(member)
    return {
        "member_id": member.pk,
        "own_mode": member.dues_mode,
        "dues_mode": status.mode,
        "payment_note": status.payment_note,
    }


@router.get("/dues/units/{unit_id}/mode", response=UnitDuesModeOut)
def unit_dues_mode(request, unit_id: Id):
    """How the dues of a unit's members are collected (org.manage_dues over the unit)."""
    require(request.user, "org.manage_dues")
    return _unit_mode_out(queries.access_dues_unit(request.user, unit_id))


@router.patch("/dues/units/{unit_id}/mode", response=UnitDuesModeOut)
def unit_dues_mode_set(request, unit_id: Id, payload: UnitDuesModeIn):
    """Set a unit's collection mode ("" = as the unit above) and payment note; it applies to
    its members and the units below that have no mode of their own. Audited."""
    require(request.user, "org.manage_dues")
    unit = queries.access_dues_unit(request.user, unit_id)
    actions.do_set_unit_dues_mode(
        actor=request.user,
        unit=unit,
        dues_mode=payload.dues_mode,
        dues_payment_note=payload.dues_payment_note,
    )
    unit.refresh_from_db()
    return _unit_mode_out(unit)


def _dues_member(request, member_id: int):
    member = member_queries.access_member(request.user, member_id)
    require(request.user, "org.manage_dues", unit=member.org_unit)
    return member


@router.get("/dues/members/{member_id}/mode", response=MemberDuesModeOut)
def member_dues_mode(request, member_id: Id):
    """How one member's dues are collected (org.manage_dues over her unit)."""
    return _member_mode_out(_dues_member(request, member_id))


@router.patch("/dues/members/{member_id}/mode", response=MemberDuesModeOut)
def member_dues_mode_set(request, member_id: Id, payload: MemberDuesModeIn):
    """Set one member's own collection mode ("" = as her unit). Audited."""
    member = _dues_member(request, member_id)
    actions.do_set_member_dues_mode(actor=request.user, member=member, dues_mode=payload.dues_mode)
    member.refresh_from_db()
    return _member_mode_out(member)


# --- the payroll office's deduction file: POST /api/v1/org/dues/deductions ---------------------


class DeductionIn(Schema):
    month: str = Field(..., max_length=16, description="没有月份的行按此月份登记，如 2026-11")
    confirm: bool = Field(False, description="false：只预览；true：登记")
    expected: str = Field(
        "", max_length=64, description="预览答复的 digest：与现在的预览不同时不登记（409）"
    )


class DeductionRowOut(Schema):
    row: int
    employee_no: str
    name: str
    month: str | None
    amount: Decimal | None
    outcome: Literal["record", "paid", "problem"]
    reasons: list[str]
    notes: list[str]
    member_id: Id | None
    due: Decimal | None

    @staticmethod
    def resolve_month(obj) -> str | None:
        return obj.month.strftime("%Y-%m") if obj.month else None


class DeductionOut(Schema):
    filename: str
    month: str
    rows: int
    to_record: int
    amount: Decimal
    already_paid: int
    problems: int
    amount_differs: int
    recorded: int = Field(..., description="本次登记的条数（预览时为 0）")
    digest: str = Field(..., description="预览的指纹，确认时作为 expected 传回")
    items: list[DeductionRowOut] = Field(
        ..., description="有问题或有提示的行（将登记而金额不一致、已登记过的也在内）"
    )


def _deduction_out(plan, recorded: int) -> dict:
    return {
        "filename": plan.filename,
        "month": plan.month.strftime("%Y-%m"),
        "rows": len(plan.rows),
        "to_record": len(plan.to_record),
        "amount": plan.amount,
        "already_paid": len(plan.already_paid),
        "problems": len(plan.problems),
        "amount_differs": plan.differing,
        "recorded": recorded,
        "digest": plan.digest(),
        "items": [r for r in plan.rows if r.reasons or r.notes],
    }


# A multipart upload (an Excel file) with a preview step: written by hand (docs/modules.md).
@router.post("/dues/deductions", response=DeductionOut)
def dues_deductions(request, payload: Form[DeductionIn], file: File[UploadedFile]):
    """The payroll office's deduction file (工号, 扣缴金额; 姓名, 月份 optional): with
    confirm=false, what it would record, row by row (nothing written); with confirm=true, the
    rows to record are recorded in one transaction (all or nothing; rows with problems and
    months already paid are skipped, so sending the same file again records nothing). With
    `expected`, a plan that changed since that preview is refused (409), nothing written."""
    require(request.user, "org.manage_dues")
    month = _month(payload.month)
    if file.size and file.size > importer.MAX_FILE_BYTES:
        raise ActionRefused(_("文件过大"), field="file")
    data = file.read()
    filename = (file.name or "")[:200]
    try:
        plan = importer.plan_deductions(data, actor=request.user, filename=filename, month=month)
        if not payload.confirm:
            return _deduction_out(plan, 0)
        result = importer.do_import_deductions(
            actor=request.user,
            source=data,
            filename=filename,
            month=month,
            expected=payload.expected or None,
        )
    except ImportRejected as rejected:
        raise ActionRefused(
            rejected.errors[0].reason if rejected.errors else _("无法读取该文件"), field="file"
        ) from None
    after = importer.plan_deductions(data, actor=request.user, filename=filename, month=month)
    out = _deduction_out(plan, result.recorded)
    out["digest"] = after.digest()
    return out
