"""The pure rules of the follow-up (no database): a resolution's state from its milestones,
and when a term year short of inspection tours reminds the congress office."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.congress import followup_rules as rules
from zhijia.congress.followup_rules import MilestoneFact as M

D = dt.date
TODAY = D(2026, 10, 8)


@pytest.mark.parametrize(
    ("milestones", "state"),
    [
        ([], rules.NOT_STARTED),
        ([M(D(2026, 12, 1), False)], rules.NOT_STARTED),
        ([M(D(2026, 10, 8), False)], rules.NOT_STARTED),  # due today: not late yet
        ([M(D(2026, 10, 7), False)], rules.OVERDUE),
        ([M(D(2026, 9, 1), True), M(D(2026, 12, 1), False)], rules.ON_TRACK),
        ([M(D(2026, 9, 1), True), M(D(2026, 10, 1), False)], rules.OVERDUE),
        ([M(D(2026, 9, 1), True), M(D(2026, 12, 1), True)], rules.DONE),
        ([M(D(2026, 9, 1), True)], rules.DONE),  # finished late is still done
    ],
)
def test_resolution_state(milestones, state):
    assert rules.resolution_state(milestones, TODAY) == state


def test_progress():
    assert rules.progress([M(D(2026, 9, 1), True), M(D(2026, 12, 1), False)]) == (1, 2)
    assert rules.progress([]) == (0, 0)


@pytest.mark.parametrize(
    ("year_end", "first_day"),
    [
        (D(2026, 12, 31), D(2026, 12, 1)),
        (D(2027, 2, 28), D(2027, 2, 1)),
        (D(2027, 3, 30), D(2027, 2, 28)),  # 03-31 minus a month: February has no 31st
        (D(2028, 2, 28), D(2028, 1, 29)),
    ],
)
def test_last_month_starts(year_end, first_day):
    assert rules.last_month_starts(year_end) == first_day


def test_tour_reminder_due():
    start, end = D(2026, 3, 1), D(2027, 2, 28)
    assert not rules.tour_reminder_due(start, end, 0, 1, D(2027, 1, 31))
    assert rules.tour_reminder_due(start, end, 0, 1, D(2027, 2, 1))
    assert rules.tour_reminder_due(start, end, 0, 1, D(2027, 2, 28))
    assert not rules.tour_reminder_due(start, end, 0, 1, D(2027, 3, 1))  # the year is over
    assert not rules.tour_reminder_due(start, end, 1, 1, D(2027, 2, 10))  # it had its tour
    assert rules.tour_reminder_due(start, end, 1, 2, D(2027, 2, 10))  # the minimum is two
    assert not rules.tour_reminder_due(start, end, 0, 0, D(2027, 2, 10))  # no minimum
