"""Pure rules of the dashboards: the period asked for (a year, a quarter or a month of it),
the order of the module groups, and the geometry of the bar charts (drawn as inline SVG by
the pages and the PDF, no script). Only gettext from Django: tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

# The years a viewer may pick: the union's records start long after 2000, and nobody reports
# on a year that has not begun.
FIRST_YEAR = 2000

# The order of the groups on the dashboard and in the reports: membership first, then the
# congress, rights, disclosure, assistance, services, safety, bargaining, the index; a module
# not named here comes after them, by name.
MODULE_ORDER = (
    "org",
    "congress",
    "cases",
    "disclosure",
    "assistance",
    "services",
    "safety",
    "bargaining",
    "women",
    "core",
)

# The bar chart: one horizontal bar per row; sizes in SVG user units.
LABEL_WIDTH = 96
BAR_AREA = 150
VALUE_WIDTH = 70
ROW_HEIGHT = 22
BAR_HEIGHT = 14


def year_period(year: int) -> tuple[date, date]:
    """The calendar year, both ends included."""
    return date(year, 1, 1), date(year, 12, 31)


def pick_year(raw: str | int | None, today: date) -> int:
    """The year asked for, or this year when none (or one out of range) is asked for."""
    try:
        year = int(raw) if raw not in (None, "") else today.year
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year else today.year


QUARTERS = (1, 2, 3, 4)
MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Period:
    """The period of a dashboard: a calendar year, or one quarter (1-4) or month (1-12) of
    it; `error` says why what was asked for was not taken (then the period falls back)."""

    year: int
    quarter: int | None
    month: int | None
    start: date
    end: date
    error: Any = ""

    @property
    def query(self) -> str:
        """The period as the dashboard's GET parameters (year=2026, &quarter=3 or &month=7)."""
        if self.month:
            return f"year={self.year}&month={self.month}"
        if self.quarter:
            return f"year={self.year}&quarter={self.quarter}"
        return f"year={self.year}"

    @property
    def label(self) -> str:
        """The period as a heading says it: 2026 年度, 2026 年第 3 季度, 2026 年 7 月."""
        if self.month:
            return str(_("%(year)s 年 %(month)s 月")) % {"year": self.year, "month": self.month}
        if self.quarter:
            return str(_("%(year)s 年第 %(quarter)s 季度")) % {
                "year": self.year,
                "quarter": self.quarter,
            }
        return str(_("%(year)s 年度")) % {"year": self.year}

    @property
    def slug(self) -> str:
        """For file names: 2026, 2026-Q3, 2026-07."""
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    """A quarter of the year, both ends included (Q1 = January to March)."""
    return month_period(year, 3 * quarter - 2)[0], month_period(year, 3 * quarter)[1]


def month_period(year: int, month: int) -> tuple[date, date]:
    """A month, both ends included."""
    start = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def _small_int(raw: str | int | None) -> int | None:
    """A number asked for (None when none is asked for); ValueError for one that is not."""
    if raw is None or raw == "":
        return None
    return int(raw)


def pick_period(
    year: str | int | None,
    quarter: str | int | None,
    month: str | int | None,
    today: date,
) -> Period:
    """The period asked for by the dashboard's GET parameters `year` (default: this year),
    and at most one of `quarter` (1-4) or `month` (1-12) within that year. A year out of
    range falls back to this year; a bad, unknown or not yet begun quarter or month, or both
    at once, falls back to the whole year with an error (in Chinese) to show."""
    y = pick_year(year, today)
    error: Any = ""
    try:
        q, m = _small_int(quarter), _small_int(month)
    except (TypeError, ValueError):
        q = m = None
        error = _("季度或月份应为数字，已显示全年。")
    if q is not None and m is not None:
        q = m = None
        error = _("季度和月份只能选一个，已显示全年。")
    if q is not None and q not in QUARTERS:
        q, error = None, _("季度应为 1 至 4，已显示全年。")
    if m is not None and m not in MONTHS:
        m, error = None, _("月份应为 1 至 12，已显示全年。")
    if m is not None:
        start, end = month_period(y, m)
    elif q is not None:
        start, end = quarter_period(y, q)
    else:
        start, end = year_period(y)
    if start > today:
        q = m = None
        start, end = year_period(y)
        error = _("所选期间尚未开始，已显示全年。")
    return Period(y, q, m, start, end, error)


def selectable_years(today: date, *, back: int = 5) -> list[int]:
    """This year and the `back` before it, newest first."""
    return [y for y in range(today.year, today.year - back - 1, -1) if y >= FIRST_YEAR]


def module_rank(module: str) -> tuple[int, str]:
    try:
        return (MODULE_ORDER.index(module), module)
    except ValueError:
        return (len(MODULE_ORDER), module)


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as shown
    y: int
    width: int  # of the bar, 0..BAR_AREA
    text_y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    value_x: int
    bar_height: int


def show(value: int | float | Decimal | None) -> str:
    """A figure as shown: — for no value, thousands separated, money with two decimals."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value:,}"


def bar_chart(rows: list[tuple[str, int | float | Decimal | None]]) -> Chart | None:
    """Horizontal bars scaled to the largest value; None when there is nothing to draw (no
    rows, or every value empty or zero). Negative values draw as empty bars."""
    values = [max(float(v or 0), 0.0) for _, v in rows]
    top = max(values, default=0.0)
    if top <= 0:
        return None
    bars = []
    for i, ((label, value), number) in enumerate(zip(rows, values, strict=True)):
        y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = round(BAR_AREA * number / top)
        if number > 0 and width == 0:
            width = 1  # a value that exists stays visible
        bars.append(Bar(str(label), show(value), y, width, i * ROW_HEIGHT + ROW_HEIGHT // 2 + 5))
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=len(rows) * ROW_HEIGHT,
        bar_x=LABEL_WIDTH,
        value_x=LABEL_WIDTH + BAR_AREA + 6,
        bar_height=BAR_HEIGHT,
    )


# The reports: the annual work report's data annex holds every group; the congress work
# report (工会向职代会的工作报告) the democratic management groups.
ANNUAL = "annual"
CONGRESS = "congress"
REPORT_MODULES: dict[str, tuple[str, ...] | None] = {
    ANNUAL: None,
    CONGRESS: ("congress", "disclosure", "bargaining", "cases", "core"),
}


def report_includes(report: str, module: str) -> bool:
    modules = REPORT_MODULES[report]
    return modules is None or module in modules
