"""Reads of the dues (会费) for pages and the API: a member's ledger, a month's records in a
cadre's scope, arrears. Scope: org.manage_dues over the member's unit, or one's own record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

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


def dues_in_unit(user, unit: OrgUnit | None, month: dt.date) -> QuerySet[DuesRecord]:
    """The month's dues records in `unit`'s subtree (or the whole scope), within the user's
    org.manage_dues scope."""
    qs = DuesRecord.objects.filter(month=month)
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    if unit is not None:
        qs = qs.filter(member__org_unit_id__in=unit_subtree_ids(unit))
    return qs.select_related("member", "member__org_unit").order_by("member__employee_no")


@dataclass
class DuesSummary:
    records: int
    paid: int
    unpaid: int
    amount_due: Decimal
    amount_paid: Decimal
    amount_unpaid: Decimal


def summarize_dues(qs: QuerySet[DuesRecord]) -> DuesSummary:
    agg = qs.order_by().aggregate(
        records=Count("pk"),
        paid=Count("pk", filter=Q(paid_at__isnull=False)),
        due=Sum("amount"),
        paid_sum=Sum("amount", filter=Q(paid_at__isnull=False)),
    )
    due = (agg["due"] or Decimal("0")).quantize(rules.CENT)
    paid_sum = (agg["paid_sum"] or Decimal("0")).quantize(rules.CENT)
    return DuesSummary(
        records=agg["records"],
        paid=agg["paid"],
        unpaid=agg["records"] - agg["paid"],
        amount_due=due,
        amount_paid=paid_sum,
        amount_unpaid=due - paid_sum,
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


def arrears(user, unit: OrgUnit | None = None, until: dt.date | None = None) -> QuerySet[Member]:
    """Members with unpaid dues (months with a non-zero amount and no payment), each annotated
    with `unpaid_months` and `unpaid_total`, largest debt first.

    `until`: only months up to and including this one count.
    """
    unpaid = Q(dues__paid_at__isnull=True, dues__amount__gt=0)
    if until is not None:
        unpaid &= Q(dues__month__lte=until)
    qs = _restrict_to_units(Member.objects.all(), scope_unit_ids(user, "org.manage_dues"))
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_subtree_ids(unit))
    return (
        qs.filter(unpaid)
        .annotate(unpaid_months=Count("dues", filter=unpaid), unpaid_total=Sum("dues__amount"))
        .select_related("org_unit", "department")
        .order_by("-unpaid_total", "employee_no")
    )


def arrears_summary(
    user, unit: OrgUnit | None = None, until: dt.date | None = None
) -> dict[str, Any]:
    """Members in arrears and the total owed, aggregated in the database."""
    qs = DuesRecord.objects.filter(paid_at__isnull=True, amount__gt=0)
    qs = _restrict_to_units(qs, scope_unit_ids(user, "org.manage_dues"), "member__org_unit_id")
    if unit is not None:
        qs = qs.filter(member__org_unit_id__in=unit_subtree_ids(unit))
    if until is not None:
        qs = qs.filter(month__lte=until)
    agg = qs.aggregate(
        members=Count("member_id", distinct=True), months=Count("pk"), total=Sum("amount")
    )
    return {
        "members": agg["members"],
        "months": agg["months"],
        "total": (agg["total"] or Decimal("0")).quantize(rules.CENT),
    }
