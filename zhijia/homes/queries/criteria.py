"""Reads of the criteria sets: a cadre sees the sets of the units she manages and of the units
above them (a branch fills against its committee's set)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.homes.models import CriteriaSet, Criterion
from zhijia.homes.permissions import MANAGE
from zhijia.homes.queries.common import pk_or_404, require_manager


def visible_sets(user) -> QuerySet[CriteriaSet]:
    return (
        CriteriaSet.objects.filter(scope_q(user, MANAGE))
        .select_related("org_unit")
        .annotate(
            criterion_count=Count("criteria", distinct=True),
            points=Sum("criteria__max_score"),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("org_unit__path", "-is_default", "-id")
    )


def access_criteria_set(user, set_id) -> CriteriaSet:
    pk = pk_or_404(set_id)
    require_manager(user)
    found = visible_sets(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_edit(user, criteria_set: CriteriaSet) -> bool:
    return has_perm(user, MANAGE, unit=criteria_set.org_unit) and not criteria_set.rounds.exists()


def criteria(criteria_set: CriteriaSet) -> QuerySet[Criterion]:
    return criteria_set.criteria.order_by("order", "id")


def access_criterion(user, criterion_id) -> Criterion:
    pk = pk_or_404(criterion_id)
    require_manager(user)
    found = (
        Criterion.objects.filter(scope_q(user, MANAGE, path_field="criteria_set__org_unit__path"))
        .select_related("criteria_set", "criteria_set__org_unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def sets_for_unit(unit) -> QuerySet[CriteriaSet]:
    """The sets a round of `unit` may use: its own and those of the units above it."""
    return CriteriaSet.objects.filter(Q(org_unit__path__in=unit.path_prefixes())).order_by(
        "org_unit__path", "-is_default", "-id"
    )
