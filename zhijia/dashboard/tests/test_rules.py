"""The dashboards' pure rules, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

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


def test_a_period_is_a_year_a_quarter_or_a_month_of_it():
    year = rules.pick_period("2025", None, None, TODAY)
    assert (year.start, year.end, year.quarter, year.month, year.error) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        None,
        None,
        "",
    )
    q3 = rules.pick_period("2025", "3", "", TODAY)
    assert (q3.start, q3.end, q3.quarter, q3.error) == (date(2025, 7, 1), date(2025, 9, 30), 3, "")
    feb = rules.pick_period(2024, None, 2, TODAY)  # a leap year
    assert (feb.start, feb.end, feb.month) == (date(2024, 2, 1), date(2024, 2, 29), 2)
    dec = rules.pick_period("2025", "", "12", TODAY)
    assert (dec.start, dec.end) == (date(2025, 12, 1), date(2025, 12, 31))
    assert rules.quarter_period(2025, 1) == (date(2025, 1, 1), date(2025, 3, 31))
    assert rules.quarter_period(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))
    # No year: this year; this month (begun) is taken.
    now = rules.pick_period(None, None, "12", TODAY)
    assert (now.year, now.start, now.error) == (2026, date(2026, 12, 1), "")


def test_a_period_says_itself_and_its_parameters():
    assert rules.pick_period("2025", None, None, TODAY).query == "year=2025"
    q3 = rules.pick_period("2025", "3", None, TODAY)
    assert (q3.query, q3.slug, q3.label) == ("year=2025&quarter=3", "2025-Q3", "2025 年第 3 季度")
    jul = rules.pick_period("2025", None, "7", TODAY)
    assert (jul.query, jul.slug, jul.label) == ("year=2025&month=7", "2025-07", "2025 年 7 月")
    assert rules.pick_period("2025", None, None, TODAY).label == "2025 年度"


@pytest.mark.parametrize(
    ("quarter", "month", "error"),
    [
        ("1", "2", "季度和月份只能选一个"),
        ("5", None, "季度应为 1 至 4"),
        ("0", None, "季度应为 1 至 4"),
        (None, "13", "月份应为 1 至 12"),
        (None, "七", "季度或月份应为数字"),
        ("x", None, "季度或月份应为数字"),
    ],
)
def test_a_bad_quarter_or_month_falls_back_to_the_year_with_an_error(quarter, month, error):
    period = rules.pick_period("2025", quarter, month, TODAY)
    assert (period.start, period.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (period.quarter, period.month) == (None, None)
    assert error in str(period.error)
    assert period.query == "year=2025"


def test_a_period_not_begun_falls_back_to_the_year():
    # 2026-12-06: the first quarter of 2027 is refused by the year, January 2027 likewise;
    # within 2026 every month has begun, so take a day in March.
    march = date(2026, 3, 10)
    april = rules.pick_period("2026", None, "4", march)
    assert (april.start, april.month) == (date(2026, 1, 1), None)
    assert "尚未开始" in str(april.error)
    q2 = rules.pick_period("2026", "2", None, march)
    assert (q2.start, q2.quarter) == (date(2026, 1, 1), None) and q2.error
    assert rules.pick_period("2026", "1", None, march).error == ""
    assert rules.pick_period("2027", "1", None, TODAY).year == 2026  # a year not begun
