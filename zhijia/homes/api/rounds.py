"""API of the 建家 rounds, mounted at /api/v1/homes.

GET  /rounds                 the rounds the caller sees (committee or branch)
POST /rounds                 the committee opens a round for its child units
GET  /rounds/{id}            a round with its standings (ranking, suggested titles)
POST /rounds/{id}/close      the committee closes it with the titles it awards
GET  /comparison             branches × years
GET  /criteria-sets          the criteria sets of the caller's units
GET  /criteria-sets/{id}     a set with its criteria
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.homes import rules
from zhijia.homes.actions import rounds as actions
from zhijia.homes.actions.criteria import ensure_default_set
from zhijia.homes.models import Round
from zhijia.homes.queries import criteria as criteria_queries
from zhijia.homes.queries import rounds as queries
from zhijia.homes.queries.common import require_manager

router = Router(tags=["homes-rounds"])


class HomesRoundOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    year: int
    title: str
    criteria_set_id: int
    criteria_set_name: str
    tiers: str
    due_on: dt.date
    closed: bool


class HomesStandingOut(Schema):
    assessment_id: int
    org_unit_id: int
    org_unit_name: str
    state: str
    self_total: Decimal | None
    review_total: Decimal | None
    rank: int | None
    suggested_title: str
    title: str


class HomesRoundDetail(HomesRoundOut):
    standings: list[HomesStandingOut]


class HomesRoundIn(Schema):
    org_unit_id: Id
    year: Year
    title: str = Field(..., max_length=100)
    criteria_set_id: Id
    due_on: Date
    branch_ids: list[Id] = Field(..., min_length=1, max_length=200)
    tiers: str = Field(rules.DEFAULT_TIERS, max_length=1000)


class HomesTitleIn(Schema):
    assessment_id: Id
    title: str = Field("", max_length=50)


class HomesCloseIn(Schema):
    titles: list[HomesTitleIn] = Field(default_factory=list, max_length=200)
    awarding_body: str = Field("", max_length=200)


class HomesComparisonLineOut(Schema):
    org_unit_name: str
    totals: list[Decimal | None]
    titles: list[str]


class HomesComparisonOut(Schema):
    years: list[int]
    lines: list[HomesComparisonLineOut]


class HomesCriterionOut(Schema):
    id: int
    heading: str
    title: str
    max_score: Decimal
    weight: Decimal
    evidence_hint: str
    figure_keys: list[str]


class HomesCriteriaSetOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    name: str
    weighted: bool
    is_default: bool


class HomesCriteriaSetDetail(HomesCriteriaSetOut):
    criteria: list[HomesCriterionOut]


def _round(r: Round) -> dict:
    return {
        "id": r.pk,
        "org_unit_id": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
        "year": r.year,
        "title": r.title,
        "criteria_set_id": r.criteria_set_id,
        "criteria_set_name": r.criteria_set.name,
        "tiers": r.tiers,
        "due_on": r.due_on,
        "closed": r.is_closed,
    }


def _detail(user, r: Round) -> dict:
    standings = [
        {
            "assessment_id": s.assessment.pk,
            "org_unit_id": s.assessment.org_unit_id,
            "org_unit_name": s.assessment.org_unit.name,
            "state": s.assessment.state,
            "self_total": s.assessment.self_total,
            "review_total": s.assessment.review_total,
            "rank": s.rank,
            "suggested_title": s.suggested,
            "title": s.assessment.title,
        }
        for s in queries.standings(user, r)
    ]
    return {**_round(r), "standings": standings}


def _set(s) -> dict:
    return {
        "id": s.pk,
        "org_unit_id": s.org_unit_id,
        "org_unit_name": s.org_unit.name,
        "name": s.name,
        "weighted": s.weighted,
        "is_default": s.is_default,
    }


@router.get("/rounds", response=page_schema(HomesRoundOut, name="HomesRoundPage"))
def list_rounds(request, paging: Query[PageParams]):
    require_manager(request.user)
    return api_page(
        queries.visible_rounds(request.user), paging.page, paging.per_page, transform=_round
    )


@router.post("/rounds", response={201: HomesRoundDetail})
def open_round(request, payload: HomesRoundIn):
    """The committee of a unit opens a round for child units it chooses."""
    require_manager(request.user)
    units, sets, branches = queries.round_choices(request.user)
    unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    ensure_default_set(unit=unit, actor=request.user)
    criteria_set = record_in_body(sets, payload.criteria_set_id, "criteria_set_id")
    chosen = [record_in_body(branches, i, "branch_ids") for i in payload.branch_ids]
    created = actions.do_open_round(
        actor=request.user,
        unit=unit,
        year=payload.year,
        title=payload.title,
        criteria_set=criteria_set,
        due_on=payload.due_on,
        branches=chosen,
        tiers=payload.tiers,
    )
    return Status(201, _detail(request.user, queries.access_round(request.user, created.pk)))


@router.get("/rounds/{int:round_id}", response=HomesRoundDetail)
def get_round(request, round_id: Id):
    return _detail(request.user, queries.access_round(request.user, round_id))


@router.post("/rounds/{int:round_id}/close", response=HomesRoundDetail)
def close_round(request, round_id: Id, payload: HomesCloseIn):
    """Close the round (every submitted assessment reviewed) and award the titles: each is
    recorded in the honours registry."""
    round_ = queries.access_committee_round(request.user, round_id)
    actions.do_close_round(
        actor=request.user,
        round_=round_,
        titles={t.assessment_id: t.title for t in payload.titles},
        awarding_body=payload.awarding_body,
    )
    return _detail(request.user, queries.access_round(request.user, round_id))


@router.get("/comparison", response=HomesComparisonOut)
def comparison(request):
    """Branches × years: each year's total (review, else self) and title."""
    require_manager(request.user)
    data = queries.comparison(request.user)
    return {
        "years": data.years,
        "lines": [
            {
                "org_unit_name": line.unit_name,
                "totals": [total for total, _title in line.cells],
                "titles": [title for _total, title in line.cells],
            }
            for line in data.lines
        ],
    }


@router.get(
    "/criteria-sets", response=page_schema(HomesCriteriaSetOut, name="HomesCriteriaSetPage")
)
def list_criteria_sets(request, paging: Query[PageParams]):
    require_manager(request.user)
    return api_page(
        criteria_queries.visible_sets(request.user), paging.page, paging.per_page, transform=_set
    )


@router.get("/criteria-sets/{int:set_id}", response=HomesCriteriaSetDetail)
def get_criteria_set(request, set_id: Id):
    found = criteria_queries.access_criteria_set(request.user, set_id)
    return {
        **_set(found),
        "criteria": [
            {
                "id": c.pk,
                "heading": c.heading,
                "title": c.title,
                "max_score": c.max_score,
                "weight": c.weight,
                "evidence_hint": c.evidence_hint,
                "figure_keys": c.keys(),
            }
            for c in criteria_queries.criteria(found)
        ],
    }
