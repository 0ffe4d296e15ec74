"""Reads of the fund ledger: funds, entries, monthly statements, payment runs, and the
reconciliation against the union funds (2% of payroll, and the share that stays)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from zhijia.assistance import permissions as perms
from zhijia.assistance import rules
from zhijia.assistance.models import Application, Fund, LedgerEntry, PaymentRun
from zhijia.assistance.queries.common import parse_id, scope_path_q
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm
from zhijia.org import rules as org_rules
from zhijia.org.models import Member, OrgUnit
from zhijia.org.queries.members import members_in_scope

ZERO = Decimal("0")


# --- funds ----------------------------------------------------------------------------------------


def funds_visible_to(user) -> QuerySet[Fund]:
    return Fund.objects.filter(
        scope_path_q(user, perms.VIEW_LEDGER, "org_unit__path")
    ).select_related("org_unit")


@dataclass(frozen=True)
class FundSpending:
    fund: Fund
    paid: Decimal


def funds_with_spending(
    user, *, unit_id: int | None = None, booked: DateRange | None = None
) -> list[FundSpending]:
    """The funds the user sees (of `unit_id`'s subtree), by name, each with `paid`: what it
    paid out (payments less their reversals, as a positive sum) on the days of `booked`, or
    ever (the dashboard's assistance paid drills into this list)."""
    funds = funds_visible_to(user)
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        funds = funds.filter(org_unit__path__startswith=unit.path) if unit else funds.none()
    spending = Q(entries__kind=LedgerEntry.Kind.PAYMENT) | Q(
        entries__kind=LedgerEntry.Kind.REVERSAL,
        entries__reverses__kind=LedgerEntry.Kind.PAYMENT,
    )
    if booked:
        spending &= booked.q(Fund, "entries__booked_on")
    rows = funds.annotate(spent=Sum("entries__amount", filter=spending)).order_by("name")
    return [FundSpending(f, -(f.spent or Decimal("0")) + Decimal("0.00")) for f in rows]


def access_fund(user, fund_id: Any) -> Fund:
    if not has_perm(user, perms.VIEW_LEDGER):
        raise PermissionDenied(perms.VIEW_LEDGER)
    pk = parse_id(fund_id)
    found = funds_visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def can_manage_fund(user, fund: Fund) -> bool:
    return has_perm(user, perms.MANAGE_LEDGER, unit=fund.org_unit)


def can_approve_runs(user, fund: Fund) -> bool:
    return has_perm(user, perms.APPROVE_PAYMENT, unit=fund.org_unit)


def entries_of(fund: Fund) -> QuerySet[LedgerEntry]:
    return fund.entries.select_related("application", "payment_run", "reverses").order_by("-id")


def access_entry(user, entry_id: Any) -> LedgerEntry:
    pk = parse_id(entry_id)
    if pk is None:
        raise Http404
    entry = LedgerEntry.objects.select_related("fund", "fund__org_unit").filter(pk=pk).first()
    if entry is None:
        raise Http404
    access_fund(user, entry.fund_id)
    return entry


def reversed_entry_ids(fund: Fund) -> set[int]:
    return set(fund.entries.filter(reverses__isnull=False).values_list("reverses_id", flat=True))


def ledger_sum(fund: Fund) -> Decimal:
    """The sum of the entries: always equal to fund.balance (a consistency check)."""
    return fund.entries.aggregate(s=Sum("amount"))["s"] or ZERO


# --- monthly statement ----------------------------------------------------------------------------


@dataclass
class Statement:
    fund: Fund
    month: dt.date
    opening: Decimal
    income: Decimal
    payments: Decimal  # positive figure of money out (reversals netted by sign)
    closing: Decimal
    entries: list[LedgerEntry] = field(default_factory=list)
    by_kind: list[dict] = field(default_factory=list)


def statement(fund: Fund, month: dt.date) -> Statement:
    """The month's entries (by booking date) with opening and closing balances."""
    first, next_first = rules.month_bounds(month)
    before = fund.entries.filter(booked_on__lt=first).aggregate(s=Sum("amount"))["s"] or ZERO
    entries = list(
        fund.entries.filter(booked_on__gte=first, booked_on__lt=next_first)
        .select_related("application", "payment_run")
        .order_by("booked_on", "id")
    )
    income = sum((e.amount for e in entries if e.amount > 0), ZERO)
    out = sum((-e.amount for e in entries if e.amount < 0), ZERO)
    labels = dict(LedgerEntry.Kind.choices)
    kinds: dict[str, Decimal] = {}
    for e in entries:
        kinds[e.kind] = kinds.get(e.kind, ZERO) + e.amount
    return Statement(
        fund=fund,
        month=first,
        opening=before,
        income=income,
        payments=out,
        closing=before + income - out,
        entries=entries,
        by_kind=[{"kind": k, "label": labels.get(k, k), "amount": v} for k, v in kinds.items()],
    )


# --- payment runs -------------------------------------------------------------------------------


def runs_visible_to(user) -> QuerySet[PaymentRun]:
    q = scope_path_q(user, perms.VIEW_LEDGER, "fund__org_unit__path")
    if getattr(user, "is_authenticated", False):
        q |= Q(prepared_by=user)
    return PaymentRun.objects.filter(q).select_related("fund", "prepared_by", "checked_by")


def access_run(user, run_id: Any) -> PaymentRun:
    if not (has_perm(user, perms.VIEW_LEDGER) or has_perm(user, perms.PREPARE_PAYMENT)):
        raise PermissionDenied(perms.VIEW_LEDGER)
    pk = parse_id(run_id)
    found = runs_visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def items_of(run: PaymentRun):
    return run.items.select_related(
        "application", "application__member", "application__org_unit", "application__campaign"
    )


def payable_applications(user, fund: Fund | None = None) -> QuerySet[Application]:
    """Approved, unpaid applications the user may put in a payment run, not already in a run
    awaiting approval."""
    qs = (
        Application.objects.filter(state="approved")
        .filter(scope_path_q(user, perms.PREPARE_PAYMENT, "org_unit__path"))
        .exclude(run_items__run__status=PaymentRun.Status.PREPARED)
        .select_related("member", "org_unit", "campaign", "campaign__fund")
    )
    if fund is not None:
        qs = qs.filter(campaign__fund=fund)
    return qs.order_by("campaign_id", "org_unit__path", "id")


def funds_for_preparer(user) -> list[Fund]:
    """Funds of the approved applications the user may put in a run."""
    ids = set(
        Application.objects.filter(state="approved")
        .filter(scope_path_q(user, perms.PREPARE_PAYMENT, "org_unit__path"))
        .values_list("campaign__fund_id", flat=True)
    )
    return list(Fund.objects.filter(pk__in=ids).select_related("org_unit").order_by("name"))


def fund_for_preparer(user, fund_id: Any) -> Fund:
    pk = parse_id(fund_id)
    found = next((f for f in funds_for_preparer(user) if f.pk == pk), None)
    if found is None:
        raise Http404
    return found


def runs_awaiting(user) -> QuerySet[PaymentRun]:
    """Runs the user may approve now (prepared by someone else)."""
    return (
        PaymentRun.objects.filter(status=PaymentRun.Status.PREPARED)
        .filter(scope_path_q(user, perms.APPROVE_PAYMENT, "fund__org_unit__path"))
        .exclude(prepared_by=user)
    )


# --- reconciliation -------------------------------------------------------------------------------


@dataclass
class Reconciliation:
    unit: OrgUnit
    year: int
    payroll: Decimal
    payroll_estimated: bool
    funds_total: Decimal  # 2% of payroll
    to_higher_union: Decimal
    kept: Decimal
    allocated: Decimal  # allocations booked into the assistance funds this year
    donations: Decimal
    other_income: Decimal
    paid: Decimal  # payments net of reversals
    share_of_kept: Decimal | None  # allocations as a share of the kept funds
    rows: list[dict] = field(default_factory=list)


def estimated_payroll(user, unit: OrgUnit) -> Decimal:
    """Twelve months of the monthly wages on the member roll of the unit's subtree (the same
    base as the dues): the default when the finance office's payroll figure is not entered."""
    total = (
        members_in_scope(user, perms.VIEW_LEDGER)
        .filter(org_unit__path__startswith=unit.path, status=Member.Status.ACTIVE)
        .aggregate(s=Sum("monthly_wage"))["s"]
    )
    return (total or ZERO) * 12


def reconciliation(
    user, unit: OrgUnit, year: int, payroll: Decimal | None = None
) -> Reconciliation:
    """The year's union funds (2% of payroll, the higher union's share, what stays) set against
    what the assistance funds of the unit's subtree received and paid."""
    estimated = payroll is None
    payroll = estimated_payroll(user, unit) if payroll is None else payroll
    total, higher, kept = org_rules.union_funds(payroll)
    funds = list(
        funds_visible_to(user).filter(org_unit__path__startswith=unit.path).order_by("name")
    )
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: list[dict] = []
    sums = {"allocation": ZERO, "donation": ZERO, "other_income": ZERO, "paid": ZERO}
    for fund in funds:
        entries = fund.entries.filter(booked_on__gte=first, booked_on__lte=last)
        by_kind = {
            r["kind"]: r["s"] or ZERO
            for r in entries.order_by().values("kind").annotate(s=Sum("amount"))
        }
        # Reversals count against what they reverse.
        rev_income = (
            entries.filter(kind="reversal", amount__lt=0).aggregate(s=Sum("amount"))["s"] or ZERO
        )
        rev_payment = (
            entries.filter(kind="reversal", amount__gt=0).aggregate(s=Sum("amount"))["s"] or ZERO
        )
        row: dict[str, Any] = {
            "fund": fund,
            "allocation": by_kind.get("allocation", ZERO),
            "donation": by_kind.get("donation", ZERO),
            "other_income": by_kind.get("other_income", ZERO) + rev_income,
            "paid": -(by_kind.get("payment", ZERO) + rev_payment),
            "balance": fund.balance,
        }
        rows.append(row)
        for key in sums:
            sums[key] += row[key]
    return Reconciliation(
        unit=unit,
        year=year,
        payroll=rules.money(payroll),
        payroll_estimated=estimated,
        funds_total=total,
        to_higher_union=higher,
        kept=kept,
        allocated=sums["allocation"],
        donations=sums["donation"],
        other_income=sums["other_income"],
        paid=sums["paid"],
        share_of_kept=(sums["allocation"] / kept).quantize(Decimal("0.0001")) if kept else None,
        rows=rows,
    )


def reconciliation_units(user) -> list[OrgUnit]:
    from zhijia.assistance.queries.common import units_for

    return units_for(user, perms.VIEW_LEDGER)
