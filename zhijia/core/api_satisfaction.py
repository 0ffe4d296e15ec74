"""API of the satisfaction index (/api/v1/satisfaction): the index by service, month and unit,
and the follow-ups of 不满意 ratings. Thin: the same reads and writes as the pages
(zhijia.core.satisfaction_index); a follow-up outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from zhijia.core import satisfaction_index
from zhijia.core.api_types import Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.hooks import directory
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction_index import FOLLOW_UP_RATING, VIEW_SATISFACTION
from zhijia.core.workflows import FOLLOW_UP

router = Router(tags=["satisfaction"])


class FigureOut(Schema):
    ratings: int
    satisfied: int
    basically: int
    dissatisfied: int
    index_percent: int | None = Field(None, description="（满意 + 基本满意）÷ 评价数，四舍五入")


class MonthOut(FigureOut):
    month: str


class ServiceOut(FigureOut):
    service: str
    label: str
    months: list[MonthOut]


class UnitOut(FigureOut):
    path: str
    name: str


class IndexOut(Schema):
    since: dt.date
    until: dt.date
    unit: str
    total: FigureOut
    services: list[ServiceOut]
    units: list[UnitOut]


class IndexQuery(Schema):
    months: int = Field(satisfaction_index.DEFAULT_MONTHS, ge=1, le=36, description="近几个月")
    unit: int | None = Field(None, description="单位编号（默认：本人可见的最高一级）")


def _figure(figure) -> dict:
    return {
        "ratings": figure.total,
        "satisfied": figure.count("satisfied"),
        "basically": figure.count("basically"),
        "dissatisfied": figure.count("dissatisfied"),
        "index_percent": figure.percent,
    }


@router.get("", response=IndexOut)
def index(request, filters: Query[IndexQuery]):
    """The satisfaction index within the caller's scope: by service (with each month), by unit."""
    user = request.user
    if not has_perm(user, VIEW_SATISFACTION):
        raise PermissionDenied(VIEW_SATISFACTION)
    units = directory().units_visible_to(user, VIEW_SATISFACTION)
    chosen = next((u for u in units if u.pk == filters.unit), None) if filters.unit else None
    if filters.unit and chosen is None:
        from django.http import Http404

        raise Http404
    chosen = chosen or units[0]
    since, until = satisfaction_index.period(filters.months)
    result = satisfaction_index.index_for(user, since=since, until=until, unit_path=chosen.path)
    rows = satisfaction_index.units_for(
        user, since=since, until=until, parent_path=chosen.path, units=units
    )
    return {
        "since": since,
        "until": until,
        "unit": chosen.name,
        "total": _figure(result.total),
        "services": [
            {
                "service": r.service.code,
                "label": str(r.service.label),
                **_figure(r.figure),
                "months": [{"month": f"{d:%Y-%m}", **_figure(f)} for d, f in r.months],
            }
            for r in result.services
        ],
        "units": [{"path": u.path, "name": str(u.name), **_figure(u.figure)} for u in rows],
    }


class FollowUpOut(Schema):
    id: int
    service: str
    service_label: str
    record_label: str
    record_url: str
    rating: str
    rated_at: dt.datetime
    state: str
    state_label: str
    deadline_at: dt.datetime | None
    note: str


FollowUpPage = page_schema(FollowUpOut, name="SatisfactionFollowUpPage")


class FollowUpQuery(PageParams):
    state: Literal["open", "done"] | None = Field(
        None, description="open（待回访）或 done（已回访）；不填为全部"
    )


class CompleteIn(Schema):
    note: str = Field(..., max_length=4000, description="回访情况")


def _follow_up(user, f) -> dict:
    return {
        "id": f.pk,
        "service": f.rating.service,
        "service_label": satisfaction_index.service_label(f.rating.service),
        "record_label": f.rating.record_label,
        "record_url": f.rating.record_url,
        "rating": f.rating.rating,
        "rated_at": f.rating.rated_at,
        "state": f.state,
        "state_label": str(FOLLOW_UP.state_label(f.state)),
        "deadline_at": f.deadline_at,
        "note": f.note,
    }


@router.get("/follow-ups", response=FollowUpPage)
def follow_ups(request, filters: Query[FollowUpQuery]):
    """The follow-ups of 不满意 ratings in the caller's scope."""
    if not has_perm(request.user, FOLLOW_UP_RATING):
        raise PermissionDenied(FOLLOW_UP_RATING)
    qs = satisfaction_index.follow_ups_visible_to(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return api_page(
        qs, filters.page, filters.per_page, transform=lambda f: _follow_up(request.user, f)
    )


@router.get("/follow-ups/{int:follow_up_id}", response=FollowUpOut)
def follow_up(request, follow_up_id: Id):
    return _follow_up(request.user, satisfaction_index.access_follow_up(request.user, follow_up_id))


add_step_routes(
    router,
    FOLLOW_UP,
    path="/follow-ups/{int:follow_up_id}",
    access=satisfaction_index.access_follow_up,
    record_arg="follow_up",
    response=FollowUpOut,
    result=_follow_up,
    names=["complete"],
    schemas={"complete": CompleteIn},
    function_names={"complete": "complete_follow_up"},
)
