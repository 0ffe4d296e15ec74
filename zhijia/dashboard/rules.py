"""Pure rules of the dashboards: the period of a year, the order of the module groups, and
the geometry of the bar charts (drawn as inline SVG by the pages and the PDF, no script).
No Django import: tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
