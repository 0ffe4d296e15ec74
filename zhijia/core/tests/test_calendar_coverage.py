"""Which years the holiday calendar covers, and the administrator's warning about the others.

The years are taken from the installed `holidays` package (its last year with the State
Council's notice), so the tests keep their meaning when the package is upgraded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from holidays.countries.china import ChinaStaticHolidays

from zhijia.core import workdays
from zhijia.core.models import WorkdayOverride

LAST = max(ChinaStaticHolidays.special_public_holidays)  # the last year the package knows
NEXT = LAST + 1  # a year it only estimates


def test_year_is_covered_by_the_package_or_by_overrides():
    assert workdays.year_is_covered(LAST)
    assert not workdays.year_is_covered(NEXT)
    assert workdays.year_is_covered(NEXT, {NEXT})
    assert not workdays.year_is_covered(NEXT, {LAST, NEXT + 1})


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(LAST, 1, 1), []),
        (date(LAST, 9, 30), []),  # too early to ask for next year's notice
        (date(LAST, 10, 1), [NEXT]),
        (date(LAST, 12, 31), [NEXT]),
        (date(NEXT, 1, 1), [NEXT]),  # the uncovered year has begun
        (date(NEXT, 9, 30), [NEXT]),
        (date(NEXT, 10, 1), [NEXT, NEXT + 1]),
    ],
)
def test_years_needing_overrides(today, expected):
    assert workdays.years_needing_overrides(today) == expected


def test_overrides_silence_the_year_they_cover():
    assert workdays.years_needing_overrides(date(LAST, 12, 1), {NEXT}) == []
    assert workdays.years_needing_overrides(date(NEXT, 10, 1), {NEXT}) == [NEXT + 1]


def test_calendar_gaps_reads_the_clock_in_beijing_and_the_override_table(db):
    # 2026-12-31 15:59 UTC is still the 31st in Beijing, 16:00 UTC is already New Year's Day.
    with time_machine.travel(datetime(LAST, 9, 30, 15, 59, tzinfo=UTC), tick=False):
        assert workdays.calendar_gaps() == []
    with time_machine.travel(datetime(LAST, 9, 30, 16, 0, tzinfo=UTC), tick=False):
        assert workdays.calendar_gaps() == [NEXT]  # 1 October in Beijing
    with time_machine.travel(datetime(LAST, 12, 31, 15, 59, tzinfo=UTC), tick=False):
        assert workdays.calendar_gaps() == [NEXT]
    with time_machine.travel(datetime(LAST, 12, 31, 16, 0, tzinfo=UTC), tick=False):
        assert workdays.calendar_gaps() == [NEXT]
        WorkdayOverride.objects.create(date=date(NEXT, 2, 6), is_workday=True, note="调休")
        assert workdays.calendar_gaps() == []
    with time_machine.travel(datetime(NEXT, 10, 1, 4, 0, tzinfo=UTC), tick=False):
        assert workdays.calendar_gaps() == [NEXT + 1]


def test_warning_on_the_admin_workspace_and_console(login):
    admin = login("admin")
    with time_machine.travel(datetime(LAST, 12, 3, 4, 0, tzinfo=UTC), tick=False):
        for path in ("/", "/admin/"):
            body = admin.get(path).content.decode()
            assert "data-calendar-warnings" in body, path
            assert f"没有 {NEXT} 年的国务院放假安排" in body, path
            assert "/admin/core/workdayoverride/" in body, path
        # Cadres do not configure the calendar: no warning on their workspace.
        assert "data-calendar-warnings" not in login("chair").get("/").content.decode()
        WorkdayOverride.objects.create(date=date(NEXT, 1, 1), is_workday=False, note="元旦")
        for path in ("/", "/admin/"):
            assert "data-calendar-warnings" not in admin.get(path).content.decode(), path
    with time_machine.travel(datetime(LAST, 6, 1, 4, 0, tzinfo=UTC), tick=False):
        assert "data-calendar-warnings" not in admin.get("/").content.decode()
