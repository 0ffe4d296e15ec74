"""API of the dues (会费) under /api/v1/org/dues: a month's records, generating a month,
recording payments, arrears. A member's own ledger is GET /api/v1/org/members/{id}/dues
(zhijia.org.api.members, with the members' aliases), described by `DuesLedger` here.

Thin: the same queries and actions as the pages. 404 for a unit or member outside the caller's
org.manage_dues scope, 409 for a payment of a month whose dues were not generated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhijia.core.api_types import DeprecatedId, Id, RenamedQuery
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import require
from zhijia.org import rules
from zhijia.org.actions import dues as actions
from zhijia.org.queries import dues as queries


class DuesOut(Schema):
    id: int
    month: str
    wage_income: Decimal
    amount: Decimal
    paid: bool
    paid_at: dt.datetime | None

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
    unpaid_months: int
    unpaid_total: Decimal

    @staticmethod
    def resolve_member_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_unpaid_total(obj) -> Decimal:
        return Decimal(obj.unpaid_total or 0).quantize(rules.CENT)

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name


class ArrearsSummaryOut(Schema):
    members: int
    months: int
    total: Decimal


ArrearsPage = page_schema(ArrearsOut, name="ArrearsPage", summary=ArrearsSummaryOut)


class ArrearsQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    unit_id: Id | None = None
    unit: DeprecatedId = None
    until: str = Field("", max_length=16, description="只计此月及以前，如 2026-10")


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
    qs = queries.arrears(request.user, unit, until)
    return {
        "summary": queries.arrears_summary(request.user, unit, until),
        **api_page(qs, filters.page, filters.per_page),
    }
