"""Reads of the dues (会费) for pages and the API: a member's ledger, a month's records in a
cadre's scope, arrears. Scope: org.manage_dues over the member's unit, or one's own record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm
from zhijia.org import rules
from zhijia.org.models import DuesRecord, Member, OrgUnit
from zhijia.org.queries.members import (
    _restrict_to_units,
    access_member,
    is_own_record,
    list_units_visible_to,
    parse_id,
    parse_ids,
    scope_unit_ids,
    unit_subtree_ids,
)


def dues_of(member: Member, year: int | None = None) -> QuerySet[DuesRecord]:
    qs = DuesRecord.objects.filter(member=member)
    if year:
        qs = qs.filter(month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))
    return qs.order_by("-month")


def access_member_dues(user, member_id: Any) -> Member:
    """A member whose dues ledger the user may read: their own, or org.manage_dues in scope."""
    member = access_member(user, member_id)
    if is_own_record(user, member):
        return member
    if not has_perm(user, "org.manage_dues", unit=member.org_unit):
        raise PermissionDenied("org.manage_dues")
    return member


# --- how the dues are collected -----------------------------------------------------------------


def unit_modes() -> dict[int, str]:
    """The collection mode in force in every unit (the tree is small: one query)."""
    rows = OrgUnit.objects.values_list("pk", "path", "dues_mode")
    return rules.resolve_unit_modes({pk: (path, mode) for pk, path, mode in rows})


def self_pay_q(prefix: str = "", modes: dict[int, str] | None = None) -> Q:
    """Members (or, with prefix "member__", their records) whose dues are self-paid: their own
    mode, else their unit's."""
    modes = unit_modes() if modes is None else modes
    self_units = [pk for pk, mode in modes.items() if mode == rules.SELF_PAY]
    return Q(**{f"{prefix}dues_mode": rules.SELF_PAY}) | Q(
        **{f"{prefix}dues_mode": rules.INHERIT, f"{prefix}org_unit_id__in": self_units}
    )


def member_mode(member: Member) -> str:
    """The mode that applies to the member (hers, else her unit's, else the default)."""
    if member.dues_mode:
        return member.dues_mode
    return unit_mode(member.org_unit)


def unit_mode(unit: OrgUnit) -> str:
    return rules.resolve_dues_mode("", [u.dues_mode for u in unit.lineage()])


def payment_note(unit: OrgUnit) -> str:
    """Where the unit's self-paying members pay: its note, else the nearest one above."""
    return rules.resolve_payment_note([u.dues_payment_note for u in unit.lineage()])


@dataclass(frozen=True)
class UnitDuesSettings:
    unit: OrgUnit
    own_mode: str  # "" = as the unit above
    mode: str  # in force
    inherited_mode: str  # what "" would mean: the mode in force above (the default at the top)
    own_note: str
    note: str  # in force (its own, else the nearest above)


def unit_dues_settings(unit: OrgUnit) -> UnitDuesSettings:
    lineage = unit.lineage()
    above = [u.dues_mode for u in lineage[:-1]]
    return UnitDuesSettings(
        unit=unit,
        own_mode=unit.dues_mode,
        mode=rules.resolve_dues_mode(unit.dues_mode, above),
        inherited_mode=rules.resolve_dues_mode("", above),
        own_note=unit.dues_payment_note,
        note=rules.resolve_payment_note([u.dues_payment_note for u in lineage]),
    )


@dataclass(frozen=True)
class DuesStatus:
    """What a member's home and ledger say about her dues."""

    mode: str  # rules.PAYROLL / rules.SELF_PAY
    own_mode: str  # "" = as her unit
    payment_note: str
    unpaid_months: int  # months with an amount due and no payment
    amount_unpaid: Decimal
    paid_through: dt.date | None  # every month up to this one is paid
    has_records: bool

    @property
    def is_payroll(self) -> bool:
        return self.mode == rules.PAYROLL

    @property
    def can_act(self) -> bool:
        """Whether the member herself has something to do: only a self-payer who owes."""
        return self.mode == rules.SELF_PAY and self.unpaid_months > 0


def member_dues_status(member: Member) -> DuesStatus:
    months = list(dues_of(member).values_list("month", "paid_at", "amount"))
    owed = [(m, a) for m, paid_at, a in months if paid_at is None and a > 0]
    return DuesStatus(
        mode=member_mode(member),
        own_mode=member.dues_mode,
        payment_note=payment_note(member.org_unit),
        unpaid_months=len(owed),
        amount_unpaid=sum((a for _m, a in owed), Decimal("0.00")),
        paid_through=rules.paid_through([(m, p is not None or a == 0) for m, p, a in months]),
        has_records=bool(months),
    )


# --- a month, payments, arrears -------------------------------------------------------------------


def dues_in_unit(user, unit: OrgUnit | None, month: dt.date) -> QuerySet[DuesRecord]:
    """The month's dues records in `unit`'s subtree (or the whole scope), within the user's
    org.manage_dues scope."""
    qs = DuesRecord.objects.filter(month=month)
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    if unit is not None:
        qs = qs.filter(member__org_unit_id__in=unit_subtree_ids(unit))
    return qs.select_related("member", "member__org_unit").order_by("member__employee_no")


def dues_paid(user, unit: OrgUnit | None = None, paid: DateRange | None = None):
    """The dues records paid within `paid` (the day of payment), in `unit`'s subtree (or the
    whole scope) within the user's org.manage_dues scope, latest payment first: the list behind
    the dashboard's 会费收缴 figure (its total is the figure)."""
    qs = DuesRecord.objects.filter(paid_at__isnull=False)
    if paid is not None:
        qs = paid.apply(qs, "paid_at")
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    if unit is not None:
        qs = qs.filter(member__org_unit_id__in=unit_subtree_ids(unit))
    return qs.select_related("member", "member__org_unit").order_by("-paid_at", "-pk")


@dataclass
class DuesSummary:
    records: int
    paid: int
    unpaid: int
    amount_due: Decimal
    amount_paid: Decimal
    amount_unpaid: Decimal


def summarize_dues(qs: QuerySet[DuesRecord]) -> DuesSummary:
    """Counts and sums of the records; what was paid counts as collected (`paid_amount`, the
    amount due for payments recorded before it was kept)."""
    paid = Q(paid_at__isnull=False)
    agg = qs.order_by().aggregate(
        records=Count("pk"),
        paid=Count("pk", filter=paid),
        due=Sum("amount"),
        paid_sum=Sum(Coalesce("paid_amount", "amount"), filter=paid),
        unpaid_sum=Sum("amount", filter=~paid),
    )

    def money(value) -> Decimal:
        return (value or Decimal("0")).quantize(rules.CENT)

    return DuesSummary(
        records=agg["records"],
        paid=agg["paid"],
        unpaid=agg["records"] - agg["paid"],
        amount_due=money(agg["due"]),
        amount_paid=money(agg["paid_sum"]),
        amount_unpaid=money(agg["unpaid_sum"]),
    )


def dues_records_for_payment(user, ids: list[Any]) -> list[DuesRecord]:
    """The listed dues records that lie within the user's org.manage_dues scope."""
    qs = DuesRecord.objects.filter(pk__in=parse_ids(ids))
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    return list(qs.select_related("member", "member__org_unit"))


def dues_scope_roots(user) -> list[OrgUnit]:
    """The topmost units of the user's org.manage_dues scope (one for a union or branch
    chair: the unit they chair)."""
    return [
        u for u in list_units_visible_to(user, "org.manage_dues") if getattr(u, "depth", 0) == 0
    ]


def access_dues_unit(user, unit_id: Any) -> OrgUnit:
    """A unit within the user's org.manage_dues scope, or 404 (also for no such unit)."""
    pk = parse_id(unit_id)
    ids = scope_unit_ids(user, "org.manage_dues")
    if pk is None or (ids is not None and pk not in ids):
        raise Http404
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def access_dues_members(user, member_ids: list[int]) -> list[Member]:
    """The listed members, every one within the user's org.manage_dues scope, in the order
    given (duplicates dropped); 404 when any of them is not (or does not exist)."""
    ids = list(dict.fromkeys(member_ids))
    if len(parse_ids(ids)) != len(ids):
        raise Http404
    qs = Member.objects.filter(pk__in=ids)
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"))
    found = {m.pk: m for m in qs.select_related("org_unit")}
    if len(found) != len(ids):
        raise Http404
    return [found[pk] for pk in ids]


def arrears(
    user,
    unit: OrgUnit | None = None,
    until: dt.date | None = None,
    mode: str = "",
    months: DateRange | None = None,
) -> QuerySet[Member]:
    """Members with unpaid dues (months with a non-zero amount and no payment), each annotated
    with `unpaid_months`, `unpaid_total` and `effective_mode` (self-paid: the member owes;
    payroll: the deduction has not arrived, 代扣未到账), largest debt first.

    `until`: only months up to and including this one count; `months`: only the months
    within (?from=&to=, the dashboard's drill-down). `mode`: only members collected that way
    (rules.PAYROLL or rules.SELF_PAY; "" both).
    """
    unpaid = Q(dues__paid_at__isnull=True, dues__amount__gt=0)
    if until is not None:
        unpaid &= Q(dues__month__lte=until)
    # In the same Q as the rest: a second filter() would join the dues a second time.
    if months is not None and months.start is not None:
        unpaid &= Q(dues__month__gte=months.start)
    if months is not None and months.end is not None:
        unpaid &= Q(dues__month__lte=months.end)
    qs = _restrict_to_units(Member.objects.all(), scope_unit_ids(user, "org.manage_dues"))
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_subtree_ids(unit))
    self_pay = self_pay_q()
    if mode == rules.SELF_PAY:
        qs = qs.filter(self_pay)
    elif mode == rules.PAYROLL:
        qs = qs.exclude(self_pay)
    return (
        qs.filter(unpaid)
        .annotate(
            unpaid_months=Count("dues", filter=unpaid),
            unpaid_total=Sum("dues__amount"),
            effective_mode=Case(
                When(self_pay, then=Value(rules.SELF_PAY)), default=Value(rules.PAYROLL)
            ),
        )
        .select_related("org_unit", "department")
        .order_by("-unpaid_total", "employee_no")
    )


def arrears_summary(
    user,
    unit: OrgUnit | None = None,
    until: dt.date | None = None,
    mode: str = "",
    months: DateRange | None = None,
) -> dict[str, Any]:
    """Members in arrears, months and the total owed, aggregated in the database, also per
    collection mode: "self_pay" (the members owe) and "payroll" (deductions not arrived);
    `months`: only the months within."""
    qs = DuesRecord.objects.filter(paid_at__isnull=True, amount__gt=0)
    if months is not None:
        qs = months.apply(qs, "month")
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    if unit is not None:
        qs = qs.filter(member__org_unit_id__in=unit_subtree_ids(unit))
    if until is not None:
        qs = qs.filter(month__lte=until)
    self_pay = self_pay_q("member__")
    if mode == rules.SELF_PAY:
        qs = qs.filter(self_pay)
    elif mode == rules.PAYROLL:
        qs = qs.exclude(self_pay)
    agg = qs.aggregate(
        members=Count("member_id", distinct=True),
        months=Count("pk"),
        total=Sum("amount"),
        self_members=Count("member_id", distinct=True, filter=self_pay),
        self_months=Count("pk", filter=self_pay),
        self_total=Sum("amount", filter=self_pay),
    )

    def money(value) -> Decimal:
        return (value or Decimal("0")).quantize(rules.CENT)

    total = money(agg["total"])
    self_total = money(agg["self_total"])
    return {
        "members": agg["members"],
        "months": agg["months"],
        "total": total,
        "self_pay": {
            "members": agg["self_members"],
            "months": agg["self_months"],
            "total": self_total,
        },
        "payroll": {
            "members": agg["members"] - agg["self_members"],
            "months": agg["months"] - agg["self_months"],
            "total": total - self_total,
        },
    }
