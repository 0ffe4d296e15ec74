"""Reads of the 建家 rounds: the committee of the round's unit sees the round and every branch's
assessment (with the ranking); a branch's cadres see the round and their own assessment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.homes import rules
from zhijia.homes.models import Assessment, Round
from zhijia.homes.permissions import MANAGE
from zhijia.homes.queries.common import pk_or_404, require_manager


def visible_rounds(user) -> QuerySet[Round]:
    mine = Assessment.objects.filter(scope_q(user, MANAGE)).values("round_id")
    return (
        Round.objects.filter(Q(scope_q(user, MANAGE)) | Q(pk__in=mine))
        .select_related("org_unit", "criteria_set")
        .annotate(assessment_count=Count("assessments", distinct=True))
        .order_by("-year", "-id")
    )


def access_round(user, round_id) -> Round:
    pk = pk_or_404(round_id)
    require_manager(user)
    found = visible_rounds(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def is_committee(user, round_: Round) -> bool:
    return has_perm(user, MANAGE, unit=round_.org_unit)


def access_committee_round(user, round_id) -> Round:
    """A round whose committee the user is on (review, close, tiers); a branch's cadre 404."""
    round_ = access_round(user, round_id)
    if not is_committee(user, round_):
        raise Http404
    return round_


@dataclass(frozen=True)
class Standing:
    """One branch's line in a round: its assessment, rank (by the review total, else the
    self-total) and the title the tiers suggest."""

    assessment: Assessment
    total: Decimal | None
    rank: int | None
    suggested: str


def assessments_of(user, round_: Round) -> QuerySet[Assessment]:
    return (
        round_.assessments.filter(scope_q(user, MANAGE))
        .select_related("org_unit")
        .order_by("org_unit__path", "id")
    )


def standings(user, round_: Round) -> list[Standing]:
    found = list(assessments_of(user, round_))
    totals = {a.pk: a.review_total if a.review_total is not None else a.self_total for a in found}
    ranks = rules.rank([(a.pk, totals[a.pk]) for a in found if a.review_total is not None])
    tiers = rules.parse_tiers(round_.tiers)
    rows = [
        Standing(
            assessment=a,
            total=totals[a.pk],
            rank=ranks.get(a.pk),
            suggested=rules.suggested_title(a.review_total, tiers),
        )
        for a in found
    ]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.assessment.org_unit.path))


@dataclass(frozen=True)
class ComparisonLine:
    """A branch across the years: per year its total (review total, else self-total) and
    title, in the order of `Comparison.years`."""

    unit_name: str
    unit_path: str
    cells: list[tuple[Decimal | None, str]]


@dataclass(frozen=True)
class Comparison:
    years: list[int]
    lines: list[ComparisonLine]


def comparison(user) -> Comparison:
    """Branches × years over the rounds the user sees (the assessments of her scope). A year
    with several rounds for one branch shows the latest round's."""
    found = (
        Assessment.objects.filter(scope_q(user, MANAGE))
        .select_related("round", "org_unit")
        .order_by("org_unit__path", "round__year", "round_id")
    )
    years: set[int] = set()
    by_unit: dict[int, tuple[str, str, dict[int, tuple[Decimal | None, str]]]] = {}
    for a in found.iterator():
        years.add(a.round.year)
        total = a.review_total if a.review_total is not None else a.self_total
        entry = by_unit.setdefault(a.org_unit_id, (a.org_unit.name, a.org_unit.path, {}))
        entry[2][a.round.year] = (total, a.title)
    ordered = sorted(years)
    lines = [
        ComparisonLine(name, path, [cells.get(y, (None, "")) for y in ordered])
        for name, path, cells in sorted(by_unit.values(), key=lambda e: e[1])
    ]
    return Comparison(ordered, lines)


def round_choices(user):
    """What the form opening a round offers: the committee units, the criteria sets of those
    units and the units above them, the open child units."""
    from zhijia.homes.models import CriteriaSet
    from zhijia.homes.queries.common import committee_units
    from zhijia.org.models import OrgUnit

    units = committee_units(user)
    prefixes = {p for unit in units for p in unit.path_prefixes()}
    sets = CriteriaSet.objects.filter(org_unit__path__in=prefixes).order_by("org_unit__path", "-id")
    branches = OrgUnit.objects.filter(parent__in=units, closed_at__isnull=True).order_by("path")
    return units, sets, branches
