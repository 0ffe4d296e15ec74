"""Reads of the dashboards: the units a viewer may pick, and the figures of one unit's
subtree over one period (a year, a quarter or a month), grouped by module
(zhijia.core.figures does the counting; this file knows no module's records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core import figure_cache, figures
from zhijia.core.permissions import has_perm, scope_q
from zhijia.dashboard import rules
from zhijia.dashboard.permissions import VIEW_DASHBOARD
from zhijia.org.models import OrgUnit

# The heading of each module's group (a module without one is shown by its code).
GROUP_LABELS: dict[str, Any] = {
    "org": _("会员与会费"),
    "congress": _("职工代表大会"),
    "cases": _("维权与职工诉求"),
    "disclosure": _("厂务公开"),
    "assistance": _("困难职工帮扶"),
    "services": _("服务职工"),
    "safety": _("劳动保护"),
    "bargaining": _("集体协商"),
    "women": _("女职工"),
    "core": _("满意度"),
}


def may_view(user) -> bool:
    return has_perm(user, VIEW_DASHBOARD)


def units_for(user) -> list[OrgUnit]:
    """The open units of the viewer's subtrees, in tree order (the unit picker)."""
    if not may_view(user):
        return []
    return list(
        OrgUnit.objects.filter(scope_q(user, VIEW_DASHBOARD, path_field="path"))
        .filter(closed_at__isnull=True)
        .order_by("path")
    )


def access_unit(user, unit_id: Any) -> OrgUnit:
    """The unit whose dashboard is asked for: 403 without the permission anywhere, 404 for an
    unknown unit or one outside the viewer's subtrees; none asked for: the viewer's top unit."""
    if not may_view(user):
        raise PermissionDenied(VIEW_DASHBOARD)
    if unit_id in (None, ""):
        units = units_for(user)
        if not units:
            raise Http404
        return min(units, key=lambda u: (len(u.path), u.path))
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None or not has_perm(user, VIEW_DASHBOARD, unit=unit):
        raise Http404
    return unit


@dataclass
class FigureRow:
    """One figure as shown: its value, the link to the list behind it (when the viewer may
    open that list), its breakdown and chart."""

    key: str = ""
    label: Any = ""
    unit: Any = ""
    value: Any = None
    shown: str = "—"
    url: str = ""
    description: Any = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    raw_rows: figures.Rows = field(default_factory=list)
    chart: rules.Chart | None = None
    percent: bool = False
    # When the value shown was counted, if the data changed since (it is being counted again).
    as_of: datetime | None = None


@dataclass
class Group:
    module: str
    label: Any
    figures: list[FigureRow]


@dataclass
class Dashboard:
    unit: OrgUnit
    year: int
    start: date
    end: date
    groups: list[Group]
    period: rules.Period | None = None

    @property
    def label(self) -> str:
        """The period as a heading says it (2026 年度, 2026 年第 3 季度, 2026 年 7 月)."""
        return (self.period or rules.Period(self.year, None, None, self.start, self.end)).label

    @property
    def query(self) -> str:
        """The unit and the period as the dashboard's GET parameters."""
        period = self.period.query if self.period else f"year={self.year}"
        return f"unit={self.unit.pk}&{period}"

    @property
    def scope(self) -> figures.Scope:
        return figures.Scope(unit_path=self.unit.path, start=self.start, end=self.end)

    def all_figures(self) -> list[FigureRow]:
        return [f for g in self.groups for f in g.figures]

    @property
    def behind_since(self) -> datetime | None:
        """The oldest count shown behind the data (None when every figure is current)."""
        return min((f.as_of for f in self.all_figures() if f.as_of), default=None)


def this_year() -> int:
    return timezone.localdate().year


def dashboard(
    user,
    unit: OrgUnit,
    period: int | rules.Period,
    *,
    report: str = rules.ANNUAL,
    behind_ok: bool = False,
) -> Dashboard:
    """Every declared figure over `unit`'s subtree and `period` (a rules.Period, or a year
    for the whole of it; the caller checked the unit with access_unit), grouped by module;
    `report` keeps the groups a report holds. `behind_ok` (the page): a figure whose data
    changed since it was counted may be shown as last counted, marked, while the worker counts
    it again (zhijia.core.figure_cache.evaluate_or_kept); exports and the API are always
    current."""
    if isinstance(period, int):
        start, end = rules.year_period(period)
        period = rules.Period(period, None, None, start, end)
    year, start, end = period.year, period.start, period.end
    scope = figures.Scope(unit_path=unit.path, start=start, end=end)
    by_module: dict[str, list[FigureRow]] = {}
    state = figure_cache.stamps()  # read once, before any figure is computed
    for figure in figures.declared():
        if not rules.report_includes(report, figure.module):
            continue
        row = _row(user, unit, figure, scope, state, behind_ok)
        by_module.setdefault(figure.module, []).append(row)
    groups = [
        Group(module=m, label=GROUP_LABELS.get(m, m), figures=rows)
        for m, rows in sorted(by_module.items(), key=lambda kv: rules.module_rank(kv[0]))
    ]
    return Dashboard(unit=unit, year=year, start=start, end=end, groups=groups, period=period)


def _row(
    user, unit: OrgUnit, figure: figures.Figure, scope: figures.Scope, state, behind_ok: bool
) -> FigureRow:
    if behind_ok:
        value, raw_rows, as_of = figure_cache.evaluate_or_kept(figure, scope, state)
    else:
        (value, raw_rows), as_of = figure_cache.evaluate(figure, scope, state), None
    url = ""
    if figure.link and (not figure.link_perm or has_perm(user, figure.link_perm, unit=unit)):
        url = figure.link(scope)
    return FigureRow(
        key=figure.key,
        label=figure.label,
        unit=figure.unit,
        value=value,
        shown=rules.show(value),
        url=url,
        description=figure.description,
        rows=[(str(label), rules.show(v)) for label, v in raw_rows],
        raw_rows=raw_rows,
        chart=rules.bar_chart([(str(label), v) for label, v in raw_rows])
        if figure.chart == "bar"
        else None,
        percent=figure.chart == "percent",
        as_of=as_of,
    )


def count_ahead(today: date | None = None) -> int:
    """The worker's hourly sweep: every figure of the current year over the union committee
    and each branch union (not closed) that is not current, counted again in the site's
    language (figure_cache.refresh counts only those whose data changed). The first view of a
    dashboard's default page then reads kept values, however many records there are. Returns
    how many values were counted."""
    from django.conf import settings

    today = today or timezone.localdate()
    start, end = rules.year_period(today.year)
    units = OrgUnit.objects.filter(
        kind__in=[OrgUnit.Kind.COMMITTEE, OrgUnit.Kind.BRANCH], closed_at__isnull=True
    ).order_by("path")
    counted = 0
    state = figure_cache.stamps()  # read once, before any figure is computed
    for unit in units:
        for figure in figures.declared():
            counted += figure_cache.refresh(
                figure.key,
                unit.path,
                start.isoformat(),
                end.isoformat(),
                settings.LANGUAGE_CODE,
                state,
            )
    return counted
