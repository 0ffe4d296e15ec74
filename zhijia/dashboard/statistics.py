"""The statistics report to the higher union (工会统计年报): the counts of one unit's subtree
at the end of a year (members by employment type, women, cadres, branches and groups) and
over the year (new members, members who left, dues, assistance), with the same counts for
each direct child unit (the branches of the union committee, the groups of a branch).

    report = statistics_report(unit, 2025)     # the caller checked the unit (access_unit)
    report.total.values["members_dispatched"]  # -> 12
    report.children                             # one StatRow per open direct child unit
    xlsx_bytes(*statistics_sheets(report))      # the workbook (core.excel)

What the data model does not hold is never made up as a zero: such a measure has
`registered=False`, its value is None and it is shown as "未登记" (not registered):
full-time and part-time cadres (a cadre's role carries an office title, not whether the office
is full-time) and the union funds allocated by the enterprise (2% of the payroll: zhijia keeps
no payroll total). The report reads members as they stand today: a member on the roll at the
year's end who has since retired is counted by her status now (the roster keeps no dated
status history); members who left are the dated transfers out of the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.core import figures
from zhijia.core.excel import Column, Sheet
from zhijia.dashboard import rules
from zhijia.org.models import Member, OrgUnit

Number = int | Decimal | None


@dataclass(frozen=True)
class Measure:
    """One column of the report: its key, its label and its unit of measure (人, 个, 元).
    `registered=False`: the data model holds no such field, the cell says 未登记."""

    key: str
    label: Any
    unit: Any
    registered: bool = True


PEOPLE = gettext_lazy("人")
UNITS = gettext_lazy("个")
YUAN = gettext_lazy("元")
NOT_REGISTERED = gettext_lazy("未登记")

# The employment types of the roster, each its own column (劳务派遣 = dispatched workers).
TYPE_KEYS = {
    Member.EmploymentType.REGULAR: "members_regular",
    Member.EmploymentType.DISPATCHED: "members_dispatched",
    Member.EmploymentType.REHIRED: "members_rehired",
    Member.EmploymentType.TEMPORARY: "members_temporary",
    Member.EmploymentType.INTERN: "members_intern",
}

MEASURES: tuple[Measure, ...] = (
    Measure("members_total", gettext_lazy("年末会员人数"), PEOPLE),
    Measure("members_regular", gettext_lazy("其中：正式职工"), PEOPLE),
    Measure("members_dispatched", gettext_lazy("其中：劳务派遣工"), PEOPLE),
    Measure("members_rehired", gettext_lazy("其中：返聘人员"), PEOPLE),
    Measure("members_temporary", gettext_lazy("其中：临时工"), PEOPLE),
    Measure("members_intern", gettext_lazy("其中：实习人员"), PEOPLE),
    Measure("members_women", gettext_lazy("其中：女会员"), PEOPLE),
    Measure("members_joined", gettext_lazy("本年新发展会员"), PEOPLE),
    Measure("members_left", gettext_lazy("本年转出会员"), PEOPLE),
    Measure("cadres", gettext_lazy("工会干部"), PEOPLE),
    Measure("cadres_full_time", gettext_lazy("其中：专职工会干部"), PEOPLE, registered=False),
    Measure("cadres_part_time", gettext_lazy("其中：兼职工会干部"), PEOPLE, registered=False),
    Measure("branches", gettext_lazy("分工会"), UNITS),
    Measure("groups", gettext_lazy("工会小组"), UNITS),
    Measure("dues_collected", gettext_lazy("本年会费收缴"), YUAN),
    Measure("dues_arrears", gettext_lazy("本年欠缴会费"), YUAN),
    Measure("assistance_paid", gettext_lazy("本年困难帮扶支出"), YUAN),
    Measure("funds_allocated", gettext_lazy("工会经费拨缴（2%）"), YUAN, registered=False),
)

# Measures read from the figures other modules declare (core.figures): the same numbers as
# the dashboard. A module that is not installed leaves its measure 未登记.
FIGURE_KEYS = {
    "members_joined": "org.members_joined",
    "members_left": "org.members_left",
    "dues_collected": "org.dues_collected",
    "dues_arrears": "org.dues_arrears",
    "assistance_paid": "assistance.paid",
}


@dataclass
class StatRow:
    """The counts of one unit's subtree: measure key -> number (None: 未登记)."""

    unit: OrgUnit
    values: dict[str, Number] = field(default_factory=dict)

    def shown(self, key: str) -> Any:
        """A cell: the number, or 未登记 for what the data model does not hold."""
        value = self.values.get(key)
        return str(NOT_REGISTERED) if value is None else value


@dataclass
class StatisticsReport:
    unit: OrgUnit
    year: int
    start: date
    end: date
    total: StatRow
    children: list[StatRow]


def statistics_report(unit: OrgUnit, year: int) -> StatisticsReport:
    """The report of `unit`'s subtree over `year` (the caller checked the unit with
    queries.access_unit): the totals, then one row per direct child unit open at the year's
    end, in tree order."""
    start, end = rules.year_period(year)
    children = [
        c
        for c in unit.children.order_by("sort_order", "path")
        if c.closed_at is None or timezone.localdate(c.closed_at) > end
    ]
    return StatisticsReport(
        unit=unit,
        year=year,
        start=start,
        end=end,
        total=count_subtree(unit, start, end),
        children=[count_subtree(c, start, end) for c in children],
    )


def count_subtree(unit: OrgUnit, start: date, end: date) -> StatRow:
    """Every measure over `unit` and the units below it."""
    values: dict[str, Number] = {m.key: None for m in MEASURES}
    values.update(_members(unit, end))
    values["cadres"] = _cadres(unit)
    values.update(_units(unit, end))
    scope = figures.Scope(unit_path=unit.path, start=start, end=end)
    for key, figure_key in FIGURE_KEYS.items():
        if figures.get(figure_key) is not None:
            values[key] = figures.value(figure_key, scope)  # type: ignore[assignment]
    return StatRow(unit=unit, values=values)


def _members(unit: OrgUnit, end: date) -> dict[str, Number]:
    """Members on the roll at the year's end (joined by then, status 在册), as the dashboard's
    org.members_total counts them: in all, by employment type and the women."""
    on_roll = Member.objects.filter(
        org_unit__path__startswith=unit.path, status=Member.Status.ACTIVE
    ).filter(Q(join_date__isnull=True) | Q(join_date__lte=end))
    counts: dict[str, Any] = {
        key: Count("pk", filter=Q(employment_type=code)) for code, key in TYPE_KEYS.items()
    }
    counts["members_total"] = Count("pk")
    counts["members_women"] = Count("pk", filter=Q(gender=Member.Gender.FEMALE))
    return dict(on_roll.aggregate(**counts))


def _cadres(unit: OrgUnit) -> int:
    """The people holding a cadre role (工会干部: 主席, 副主席, 委员, 小组长 …) on a unit of the
    subtree, each once. Role assignments are not dated: the holders as they stand today."""
    return (
        RoleAssignment.objects.filter(
            role=Role.CADRE, org_unit__path__startswith=unit.path, user__is_active=True
        )
        .values("user_id")
        .distinct()
        .count()
    )


def _units(unit: OrgUnit, end: date) -> dict[str, Number]:
    """The branch unions and union groups of the subtree not closed by the year's end (the unit
    itself counted when it is one)."""
    open_units = unit.subtree().filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=end))
    counts = open_units.aggregate(
        branches=Count("pk", filter=Q(kind=OrgUnit.Kind.BRANCH)),
        groups=Count("pk", filter=Q(kind=OrgUnit.Kind.GROUP)),
    )
    return dict(counts)


# --- the workbook -------------------------------------------------------------------------------


def _period(report: StatisticsReport) -> str:
    return _("%(unit)s · %(year)s 年度（%(start)s 至 %(end)s）") % {
        "unit": report.unit.name,
        "year": report.year,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
    }


def filename(report: StatisticsReport) -> str:
    return f"statistics-{report.year}-{report.unit.code}.xlsx"


def statistics_sheets(report: StatisticsReport) -> list[Sheet]:
    """Two sheets: the totals (one row per measure: 指标, 数值, 计量单位) and the units (one
    row per direct child unit, a column per measure, then the total of the whole subtree)."""
    title = _("工会统计年报")
    totals = Sheet(
        title,
        [Column(_("指标")), Column(_("数值")), Column(_("计量单位"))],
        [(str(m.label), report.total.shown(m.key), str(m.unit)) for m in MEASURES],
        heading=[[title], [_period(report)]],
    )
    columns = [Column(_("组织"))] + [
        Column(_("%(label)s（%(unit)s）") % {"label": m.label, "unit": m.unit}) for m in MEASURES
    ]
    rows = [[row.unit.name] + [row.shown(m.key) for m in MEASURES] for row in report.children]
    rows.append(
        [_("合计（%(unit)s及下级）") % {"unit": report.unit.name}]
        + [report.total.shown(m.key) for m in MEASURES]
    )
    by_unit = Sheet(
        _("分组织统计"),
        columns,
        rows,
        heading=[[_("分组织统计")], [_period(report)]],
    )
    return [totals, by_unit]
