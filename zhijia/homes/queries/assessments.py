"""Reads of a branch's 建家 assessment: its scores, its evidence figures (zhijia.core.figures,
over the branch's subtree and the round's year), the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from zhijia.core import figures
from zhijia.core.permissions import has_perm, scope_q
from zhijia.homes.models import Assessment, Score
from zhijia.homes.permissions import MANAGE
from zhijia.homes.queries.common import pk_or_404, require_manager


def visible_assessments(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(scope_q(user, MANAGE)).select_related(
        "round", "round__org_unit", "round__criteria_set", "org_unit"
    )


def access_assessment(user, assessment_id) -> Assessment:
    """The assessment of a branch in the user's scope (its cadres, the committee above)."""
    pk = pk_or_404(assessment_id)
    require_manager(user)
    found = visible_assessments(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_fill(user, assessment: Assessment) -> bool:
    return has_perm(user, MANAGE, unit=assessment.org_unit)


def scores(assessment: Assessment) -> list[Score]:
    return list(
        assessment.scores.select_related("criterion").order_by("criterion__order", "criterion_id")
    )


@dataclass(frozen=True)
class Evidence:
    """A figure shown as evidence of a criterion: its value over the branch's subtree in the
    round's year, or `missing` when no module declares the key."""

    key: str
    label: str
    value: int | Decimal | float | None
    unit: str
    missing: bool


def evidence(assessment: Assessment, keys: list[str]) -> list[Evidence]:
    year = assessment.round.year
    scope = figures.Scope(assessment.org_unit.path, dt.date(year, 1, 1), dt.date(year, 12, 31))
    found: list[Evidence] = []
    for key in keys:
        figure = figures.get(key)
        if figure is None:
            found.append(Evidence(key, key, None, "", True))
            continue
        found.append(
            Evidence(key, str(figure.label), figures.value(key, scope), str(figure.unit), False)
        )
    return found
