"""Pure rules of disclosure: periods, due dates and the board's status (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from zhijia.disclosure import rules
from zhijia.disclosure.rules import (
    DUE_SOON,
    MONTHLY,
    NOT_DUE,
    OVERDUE,
    PENDING,
    PER_EVENT,
    PUBLISHED,
    QUARTERLY,
    YEARLY,
    Period,
)


@pytest.mark.parametrize(
    ("cadence", "day", "key", "start", "end"),
    [
        (rules.MONTHLY, date(2026, 2, 14), "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        (rules.MONTHLY, date(2024, 2, 29), "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (rules.MONTHLY, date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        (rules.QUARTERLY, date(2026, 8, 1), "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        (rules.HALF_YEARLY, date(2026, 6, 30), "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        (rules.HALF_YEARLY, date(2026, 7, 1), "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        (rules.YEARLY, date(2026, 3, 3), "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_containing(cadence, day, key, start, end):
    period = rules.period_containing(cadence, day)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert rules.parse_period_key(key) == period
    assert rules.parse_period_key(key, cadence) == period


def test_next_and_previous_cross_the_year():
    assert Period(2026, 12, MONTHLY).next() == Period(2027, 1, MONTHLY)
    assert Period(2026, 1, MONTHLY).previous() == Period(2025, 12, MONTHLY)
    assert Period(2026, 1, QUARTERLY).previous().key == "2025-Q4"
    assert Period(2026, 1, YEARLY).previous().key == "2025"


@pytest.mark.parametrize("key", ["", "2026-13", "2026-00", "2026-Q5", "26-10", "2026-H3", "x"])
def test_malformed_period_keys(key):
    assert rules.parse_period_key(key) is None


def test_period_key_of_another_cadence_is_refused():
    assert rules.parse_period_key("2026-10", QUARTERLY) is None
    assert rules.parse_period_key("2026-q3") == Period(2026, 3, QUARTERLY)  # lower case accepted


def test_obligation_is_the_last_ended_period():
    assert rules.obligation_period(MONTHLY, date(2026, 11, 24)).key == "2026-10"
    assert rules.obligation_period(MONTHLY, date(2026, 1, 5)).key == "2025-12"
    assert rules.obligation_period(QUARTERLY, date(2026, 11, 24)).key == "2026-Q3"
    assert rules.obligation_period(YEARLY, date(2026, 2, 1)).key == "2025"


def test_due_date_is_offset_after_the_period_end():
    assert rules.due_date(Period(2026, 10, MONTHLY), 10) == date(2026, 11, 10)
    assert rules.due_date(Period(2026, 2, MONTHLY), 10) == date(2026, 3, 10)
    assert rules.due_date(Period(2026, 3, QUARTERLY), 15) == date(2026, 10, 15)
    assert rules.due_date(Period(2025, 1, YEARLY), 90) == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("today", "published", "expected"),
    [
        (date(2026, 11, 1), False, PENDING),
        (date(2026, 11, 6), False, PENDING),  # 4 days before: outside a 3-day window
        (date(2026, 11, 7), False, DUE_SOON),  # 3 days before the due day
        (date(2026, 11, 10), False, DUE_SOON),  # the due day itself is still on time
        (date(2026, 11, 11), False, OVERDUE),
        (date(2026, 11, 11), True, PUBLISHED),
    ],
)
def test_obligation_status_boundaries(today, published, expected):
    status = rules.obligation_status(
        published=published, today=today, due=date(2026, 11, 10), remind_days=3
    )
    assert status == expected
    assert rules.reminder_due(
        published=published, today=today, due=date(2026, 11, 10), remind_days=3
    ) == (expected == DUE_SOON)


def test_monthly_obligation_overdue_then_published():
    kwargs = {
        "cadence": MONTHLY,
        "today": date(2026, 11, 12),
        "offset_days": 10,
        "remind_days": 3,
        "effective_from": date(2026, 10, 1),
    }
    before = rules.obligation(published_keys=set(), **kwargs)
    assert before.period == Period(2026, 10, MONTHLY)
    assert before.due == date(2026, 11, 10)
    assert before.status == OVERDUE
    assert before.missed == ()  # September ended before the entry took effect
    after = rules.obligation(published_keys={"2026-10"}, **kwargs)
    assert after.status == PUBLISHED


def test_missed_periods_since_the_entry_took_effect():
    ob = rules.obligation(
        cadence=MONTHLY,
        today=date(2026, 11, 12),
        offset_days=10,
        remind_days=3,
        published_keys={"2026-08"},
        effective_from=date(2026, 6, 15),  # June is owed: it ended after the start
    )
    assert [p.key for p in ob.missed] == ["2026-06", "2026-07", "2026-09"]


def test_missed_periods_are_capped_by_lookback():
    ob = rules.obligation(
        cadence=MONTHLY,
        today=date(2026, 11, 12),
        offset_days=10,
        remind_days=3,
        published_keys=set(),
        effective_from=None,
        lookback=4,
    )
    assert [p.key for p in ob.missed] == ["2026-06", "2026-07", "2026-08", "2026-09"]


def test_an_entry_not_yet_in_force_owes_nothing():
    ob = rules.obligation(
        cadence=MONTHLY,
        today=date(2026, 11, 12),
        offset_days=10,
        remind_days=3,
        published_keys=set(),
        effective_from=date(2026, 11, 1),
    )
    assert ob.status == NOT_DUE
    assert ob.missed == ()


def test_per_event_entries_are_never_overdue():
    ob = rules.obligation(
        cadence=rules.EVENT,
        today=date(2026, 11, 12),
        offset_days=0,
        remind_days=0,
        published_keys=set(),
    )
    assert ob.status == PER_EVENT and ob.period is None and ob.due is None


def test_levels_map_to_org_unit_kinds():
    assert rules.level_of_kind("committee") == rules.ENTERPRISE
    assert rules.level_of_kind("branch") == rules.WORKSHOP
    assert rules.level_of_kind("group") == rules.TEAM
    assert rules.KIND_OF_LEVEL[rules.WORKSHOP] == "branch"


def test_validity():
    today = date(2026, 11, 12)
    assert rules.is_in_force(date(2026, 11, 12), None, today)
    assert not rules.is_in_force(date(2026, 11, 13), None, today)
    assert rules.is_in_force(date(2026, 11, 1), date(2026, 11, 12), today)
    assert not rules.is_in_force(date(2026, 11, 1), date(2026, 11, 11), today)
    assert rules.validity_problem(date(2026, 11, 2), date(2026, 11, 1)) == "until_before_from"
    assert rules.validity_problem(date(2026, 11, 2), None) is None


def test_selectable_periods_newest_first():
    keys = [p.key for p in rules.selectable_periods(QUARTERLY, date(2026, 5, 1), back=2)]
    assert keys == ["2026-Q2", "2026-Q1", "2025-Q4"]
    assert rules.selectable_periods(rules.EVENT, date(2026, 5, 1)) == []
