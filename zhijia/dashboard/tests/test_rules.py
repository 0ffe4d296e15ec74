"""The dashboards' pure rules, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhijia.dashboard import rules

TODAY = date(2026, 12, 6)


def test_year_picking_falls_back_to_this_year():
    assert rules.pick_year("2025", TODAY) == 2025
    assert rules.pick_year(None, TODAY) == 2026
    assert rules.pick_year("abc", TODAY) == 2026
    assert rules.pick_year("2027", TODAY) == 2026  # a year not begun
    assert rules.pick_year("1999", TODAY) == 2026
    assert rules.year_period(2025) == (date(2025, 1, 1), date(2025, 12, 31))
    assert rules.selectable_years(TODAY, back=2) == [2026, 2025, 2024]


def test_groups_follow_the_report_order_and_unknown_modules_come_last():
    modules = ["safety", "zeta", "org", "core", "cases"]
    assert sorted(modules, key=rules.module_rank) == ["org", "cases", "safety", "core", "zeta"]
    assert rules.report_includes(rules.ANNUAL, "safety")
    assert rules.report_includes(rules.CONGRESS, "congress")
    assert not rules.report_includes(rules.CONGRESS, "safety")


def test_values_are_shown_as_a_chair_reads_them():
    assert rules.show(None) == "—"
    assert rules.show(12345) == "12,345"
    assert rules.show(Decimal("1200.5")) == "1,200.50"
    assert rules.show(66.7) == "66.7"
    assert rules.show(50.0) == "50"


def test_bars_scale_to_the_largest_and_a_small_value_stays_visible():
    chart = rules.bar_chart([("工资", 200), ("安全", 1), ("其他", 0), ("负", -3)])
    assert chart is not None
    widths = [b.width for b in chart.bars]
    assert widths == [rules.BAR_AREA, 1, 0, 0]
    assert [b.value for b in chart.bars] == ["200", "1", "0", "-3"]
    assert chart.height == 4 * rules.ROW_HEIGHT
    assert chart.bars[1].y == rules.ROW_HEIGHT + (rules.ROW_HEIGHT - rules.BAR_HEIGHT) // 2


def test_nothing_to_draw_is_no_chart():
    assert rules.bar_chart([]) is None
    assert rules.bar_chart([("a", 0), ("b", None)]) is None
