"""API of module dashboard, mounted at /api/v1/dashboard.

GET /figures?unit_id=&year=&quarter=|month=
                              the dashboard of a unit's subtree over a year, or a quarter
                              (1-4) or a month (1-12) of it, grouped by module
                              (dashboard.view_dashboard over the unit; 404 outside the
                              caller's subtrees; no unit_id: the caller's top unit; no year:
                              this year; 400 for both quarter and month, or a period not
                              begun)
GET /statistics?unit_id=&year= the statistics report to the higher union (工会统计年报) of
                              the same unit and year: the measures (with their unit of
                              measure), the totals of the subtree and one row per direct
                              child unit; a value is null where the data model holds no such
                              field (shown 未登记 in the Excel). Same access as /figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from zhijia.core.api_types import Id, Year
from zhijia.dashboard import queries, rules, statistics

router = Router(tags=["dashboard"])

Quarter = Annotated[int, Field(ge=1, le=4)]
Month = Annotated[int, Field(ge=1, le=12)]


class DashboardRowOut(Schema):
    label: str
    value: float | None


class DashboardFigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float | None
    shown: str
    url: str
    breakdown: list[DashboardRowOut]


class DashboardGroupOut(Schema):
    module: str
    label: str
    figures: list[DashboardFigureOut]


class DashboardFiguresOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    quarter: int | None
    month: int | None
    start: dt.date
    end: dt.date
    groups: list[DashboardGroupOut]


def _number(value) -> float | None:
    return None if value is None else float(value)


@router.get("/figures", response=DashboardFiguresOut)
def figures(
    request,
    unit_id: Id | None = None,
    year: Year | None = None,
    quarter: Quarter | None = None,
    month: Month | None = None,
):
    """Every figure of the dashboard: counted over the unit and the units below it, within
    the calendar year or the quarter or month of it asked for; `url` is the list behind a
    figure when the caller may open it (with the period's `from` and `to` when the figure
    counts within the period)."""
    period = rules.pick_period(year, quarter, month, timezone.localdate())
    if period.error:
        raise HttpError(400, str(period.error))
    unit = queries.access_unit(request.user, unit_id)
    board = queries.dashboard(request.user, unit, period)
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "year": board.year,
        "quarter": period.quarter,
        "month": period.month,
        "start": board.start,
        "end": board.end,
        "groups": [
            {
                "module": g.module,
                "label": str(g.label),
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "unit": str(f.unit),
                        "value": _number(f.value),
                        "shown": f.shown,
                        "url": f.url,
                        "breakdown": [
                            {"label": str(label), "value": _number(v)} for label, v in f.raw_rows
                        ],
                    }
                    for f in g.figures
                ],
            }
            for g in board.groups
        ],
    }


class StatisticsMeasureOut(Schema):
    key: str
    label: str
    unit: str
    registered: bool


class StatisticsRowOut(Schema):
    unit_id: int
    unit_name: str
    values: dict[str, float | None]


class StatisticsOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    start: dt.date
    end: dt.date
    measures: list[StatisticsMeasureOut]
    total: StatisticsRowOut
    children: list[StatisticsRowOut]


def _stat_row(row: statistics.StatRow) -> dict:
    return {
        "unit_id": row.unit.pk,
        "unit_name": row.unit.name,
        "values": {m.key: _number(row.values.get(m.key)) for m in statistics.MEASURES},
    }


@router.get("/statistics", response=StatisticsOut)
def statistics_report(request, unit_id: Id | None = None, year: Year | None = None):
    """The statistics report to the higher union (工会统计年报): members at the year's end (by
    employment type, women), new and departed members, cadres, branches and groups, dues and
    arrears, assistance paid; for the unit's subtree and for each direct child unit. A value
    is null when the data model does not register it (`registered` false)."""
    unit = queries.access_unit(request.user, unit_id)
    report = statistics.statistics_report(unit, rules.pick_year(year, timezone.localdate()))
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "year": report.year,
        "start": report.start,
        "end": report.end,
        "measures": [
            {"key": m.key, "label": str(m.label), "unit": str(m.unit), "registered": m.registered}
            for m in statistics.MEASURES
        ],
        "total": _stat_row(report.total),
        "children": [_stat_row(r) for r in report.children],
    }
