"""Pure rules of the resolution follow-up (决议落实跟踪) and the yearly minimum of inspection
tours. No Django import: tested without a database (congress/tests/test_followup_rules.py).

The state of a resolution from its milestones:
  done         every milestone is finished (done or verified) and there is at least one
  overdue      some unfinished milestone's due date has passed (today is after it)
  on_track     some milestone is finished, or today has reached the period of the plan, and
               nothing is late
  not_started  no milestone yet, or none finished and none late
A milestone due today is not late: the department has the whole due date.

The tour reminder: a term year (congress.rules.term_years) with fewer tours than the minimum
is reminded of in its last month, that is from the same day one month before the day after
the year's last day (a year ending on 2027-02-28 is in its last month from 2027-02-01).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
OVERDUE = "overdue"
DONE = "done"

STATES = (NOT_STARTED, ON_TRACK, OVERDUE, DONE)


@dataclass(frozen=True)
class MilestoneFact:
    """What the rule needs of a milestone: its due date and whether it is finished."""

    due: dt.date
    finished: bool


def resolution_state(milestones: Sequence[MilestoneFact], today: dt.date) -> str:
    """not_started / on_track / overdue / done (see the module docstring)."""
    if not milestones:
        return NOT_STARTED
    if all(m.finished for m in milestones):
        return DONE
    if any(not m.finished and m.due < today for m in milestones):
        return OVERDUE
    if any(m.finished for m in milestones):
        return ON_TRACK
    return NOT_STARTED


def progress(milestones: Sequence[MilestoneFact]) -> tuple[int, int]:
    """(finished, total)."""
    return sum(1 for m in milestones if m.finished), len(milestones)


def _minus_one_month(day: dt.date) -> dt.date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover: 28 always exists


def last_month_starts(year_end: dt.date) -> dt.date:
    """The first day of the last month of a year ending on `year_end` (inclusive)."""
    return _minus_one_month(year_end + dt.timedelta(days=1))


def tour_reminder_due(
    year_start: dt.date, year_end: dt.date, tours: int, minimum: int, today: dt.date
) -> bool:
    """Whether a term year [year_start, year_end] should remind the congress office today:
    in its last month, not yet over, with fewer tours than the minimum."""
    if minimum <= 0 or tours >= minimum:
        return False
    if not year_start <= today <= year_end:
        return False
    return today >= max(last_month_starts(year_end), year_start)
