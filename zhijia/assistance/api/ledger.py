"""API of the fund ledger: funds, entries, income, counter-entries, monthly statements, payment
runs (maker-checker) and the reconciliation against the union funds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.assistance import permissions as perms
from zhijia.assistance import rules
from zhijia.assistance.actions import ledger as actions
from zhijia.assistance.queries import common as queries
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm

router = Router(tags=["assistance"])


class FundOut(Schema):
    id: int
    name: str
    unit_id: Id
    unit: str
    balance: Decimal
    is_active: bool
    description: str

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.org_unit_id

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.org_unit.name


class LedgerEntryOut(Schema):
    id: int
    fund_id: Id
    kind: str
    kind_label: str
    amount: Decimal
    balance_after: Decimal
    booked_on: dt.date
    description: str
    counterparty: str
    application_id: Id | None
    payment_run_id: Id | None
    reverses_id: Id | None
    actor: str
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


@router.get("/funds", response=page_schema(FundOut, name="AssistanceFundPage"))
def list_funds(request, paging: Query[PageParams]):
    if not has_perm(request.user, perms.VIEW_LEDGER):
        raise PermissionDenied
    qs = queries_ledger.funds_visible_to(request.user).order_by("name", "pk")
    return api_page(qs, paging.page, paging.per_page)


@router.get("/funds/{fund_id}", response=FundOut)
def get_fund(request, fund_id: Id):
    return queries_ledger.access_fund(request.user, fund_id)


@router.get(
    "/funds/{fund_id}/entries",
    response=page_schema(LedgerEntryOut, name="AssistanceLedgerEntryPage"),
)
def list_entries(request, fund_id: Id, paging: Query[PageParams]):
    """The fund's entries, newest first."""
    fund = queries_ledger.access_fund(request.user, fund_id)
    return api_page(queries_ledger.entries_of(fund), paging.page, paging.per_page)


class IncomeIn(Schema):
    kind: str = Field(..., max_length=16, description="allocation / donation / other_income")
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    description: str = Field(..., min_length=1, max_length=200)
    counterparty: str = Field("", max_length=100)
    booked_on: Date | None = None


@router.post("/funds/{fund_id}/income", response={201: LedgerEntryOut})
def record_income(request, fund_id: Id, payload: IncomeIn):
    fund = queries_ledger.access_fund(request.user, fund_id)
    entry = actions.do_record_income(actor=request.user, fund=fund, **payload.model_dump())
    return Status(201, entry)


class ReverseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=150)


@router.post("/entries/{entry_id}/reverse", response={201: LedgerEntryOut})
def reverse_entry(request, entry_id: Id, payload: ReverseIn):
    """Post the counter-entry of an entry (entries are never edited or deleted)."""
    entry = queries_ledger.access_entry(request.user, entry_id)
    reversal = actions.do_reverse_entry(actor=request.user, entry=entry, reason=payload.reason)
    return Status(201, reversal)


class StatementOut(Schema):
    fund_id: Id
    month: str
    opening: Decimal
    income: Decimal
    payments: Decimal
    closing: Decimal
    entries: list[LedgerEntryOut]


@router.get("/funds/{fund_id}/statement", response=StatementOut)
def fund_statement(request, fund_id: Id, month: str = ""):
    """The monthly statement (month as YYYY-MM; this month by default)."""
    fund = queries_ledger.access_fund(request.user, fund_id)
    first = rules.parse_month(month) if month else timezone.localdate().replace(day=1)
    if first is None:
        raise ActionRefused(_("月份格式应为 YYYY-MM"), field="month")
    s = queries_ledger.statement(fund, first)
    return {
        "fund_id": fund.pk,
        "month": f"{first:%Y-%m}",
        "opening": s.opening,
        "income": s.income,
        "payments": s.payments,
        "closing": s.closing,
        "entries": s.entries,
    }


# --- payment runs -------------------------------------------------------------------------------


class RunItemOut(Schema):
    application_id: Id
    member_name: str
    unit: str
    amount: Decimal

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.application.member.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.application.org_unit.name


class RunOut(Schema):
    id: int
    fund_id: Id
    title: str
    status: str
    status_label: str
    total: Decimal
    prepared_by: str
    prepared_at: dt.datetime
    checked_by: str | None
    checked_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_prepared_by(obj) -> str:
        return str(obj.prepared_by)

    @staticmethod
    def resolve_checked_by(obj) -> str | None:
        return str(obj.checked_by) if obj.checked_by_id else None


class RunDetailOut(RunOut):
    items: list[RunItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(queries_ledger.items_of(obj))


class RunIn(Schema):
    fund_id: Id
    application_ids: list[Id] = Field(..., min_length=1, max_length=500)
    title: str = Field("", max_length=100)


class RunQuery(Schema):
    status: str = Field("", max_length=16)


@router.get("/payment-runs", response=page_schema(RunOut, name="AssistancePaymentRunPage"))
def list_runs(request, filters: Query[RunQuery], paging: Query[PageParams]):
    if not (
        has_perm(request.user, perms.VIEW_LEDGER) or has_perm(request.user, perms.PREPARE_PAYMENT)
    ):
        raise PermissionDenied
    qs = queries_ledger.runs_visible_to(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return api_page(qs, paging.page, paging.per_page)


class PayableOut(Schema):
    id: int
    fund_id: Id
    campaign: str
    member_name: str
    unit: str
    amount: Decimal

    @staticmethod
    def resolve_fund_id(obj) -> int:
        return obj.campaign.fund_id

    @staticmethod
    def resolve_campaign(obj) -> str:
        return obj.campaign.name

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.org_unit.name


@router.get("/payable", response=page_schema(PayableOut, name="AssistancePayablePage"))
def payable(request, paging: Query[PageParams]):
    """Approved applications the caller may put in a payment run."""
    if not has_perm(request.user, perms.PREPARE_PAYMENT):
        raise PermissionDenied
    rows = queries_ledger.payable_applications(request.user)
    return api_page(rows, paging.page, paging.per_page)


@router.post("/payment-runs", response={201: RunDetailOut})
def prepare_run(request, payload: RunIn):
    """The maker: a batch of approved applications of one fund, awaiting a second cadre."""
    if not has_perm(request.user, perms.PREPARE_PAYMENT):
        raise PermissionDenied
    fund = queries_ledger.fund_for_preparer(request.user, payload.fund_id)
    payable_by_id = {a.pk: a for a in queries_ledger.payable_applications(request.user, fund)}
    missing = [i for i in payload.application_ids if i not in payable_by_id]
    if missing:
        raise ActionRefused(
            _("以下申请不是可发放状态或不在您的范围内：%(ids)s")
            % {"ids": "、".join(f"#{i}" for i in missing)},
            field="application_ids",
            status=409,
        )
    run_ = actions.do_prepare_payment_run(
        actor=request.user,
        fund=fund,
        applications=[payable_by_id[i] for i in payload.application_ids],
        title=payload.title,
    )
    return Status(201, run_)


@router.get("/payment-runs/{run_id}", response=RunDetailOut)
def get_run(request, run_id: Id):
    return queries_ledger.access_run(request.user, run_id)


class DecisionIn(Schema):
    note: str = Field("", max_length=300)


@router.post("/payment-runs/{run_id}/approve", response=RunDetailOut)
def approve_run(request, run_id: Id, payload: DecisionIn):
    """The checker (never the preparer): books every payment of the run, or none."""
    run_obj = queries_ledger.access_run(request.user, run_id)
    return actions.do_approve_payment_run(actor=request.user, run=run_obj, note=payload.note)


@router.post("/payment-runs/{run_id}/reject", response=RunDetailOut)
def reject_run(request, run_id: Id, payload: DecisionIn):
    run_obj = queries_ledger.access_run(request.user, run_id)
    return actions.do_reject_payment_run(actor=request.user, run=run_obj, note=payload.note)


@router.post("/payment-runs/{run_id}/cancel", response=RunDetailOut)
def cancel_run(request, run_id: Id):
    run_obj = queries_ledger.access_run(request.user, run_id)
    return actions.do_cancel_payment_run(actor=request.user, run=run_obj)


# --- reconciliation -------------------------------------------------------------------------------


class ReconciliationRow(Schema):
    fund_id: Id
    fund: str
    allocation: Decimal
    donation: Decimal
    other_income: Decimal
    paid: Decimal
    balance: Decimal


class ReconciliationOut(Schema):
    unit_id: Id
    year: int
    payroll: Decimal
    payroll_estimated: bool
    funds_total: Decimal
    to_higher_union: Decimal
    kept: Decimal
    allocated: Decimal
    donations: Decimal
    other_income: Decimal
    paid: Decimal
    share_of_kept: Decimal | None
    rows: list[ReconciliationRow]


class ReconciliationQuery(Schema):
    unit_id: Id | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    payroll: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)


@router.get("/reconciliation", response=ReconciliationOut)
def reconciliation(request, filters: Query[ReconciliationQuery]):
    """The year's union funds (2% of payroll; the share to the higher union and what stays)
    against the allocations to and payments from the assistance funds."""
    units = queries_ledger.reconciliation_units(request.user)
    if not units:
        raise PermissionDenied
    unit = (
        units[0]
        if filters.unit_id is None
        else record_in_body(
            queries.units_in_scope(request.user, perms.VIEW_LEDGER), filters.unit_id, "unit_id"
        )
    )
    year = filters.year or timezone.localdate().year
    r = queries_ledger.reconciliation(request.user, unit, year, filters.payroll)
    return {
        **{
            k: getattr(r, k) for k in ReconciliationOut.model_fields if k not in ("unit_id", "rows")
        },
        "unit_id": unit.pk,
        "rows": [
            {
                "fund_id": row["fund"].pk,
                "fund": row["fund"].name,
                **{
                    k: row[k] for k in ("allocation", "donation", "other_income", "paid", "balance")
                },
            }
            for row in r.rows
        ],
    }
