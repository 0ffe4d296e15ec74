"""Pure rules of affairs disclosure (厂务公开): levels, periods, due dates, the board's status.

No Django here: these are tested without a database and reused by the board, the reminder
sweep and the API.

Levels: 厂务公开 is the enterprise level, held by the union committee; 车间务公开 the workshop
level, held by a branch union; 班务公开 the team level, held by a union group. A catalogue entry
of a level applies to every org unit of the matching kind.

Periods: a scheduled entry (monthly, quarterly, half-yearly, yearly) is disclosed once per
calendar period, at the latest `offset_days` calendar days after the period ends ("the bonus
distribution of October by 10 November"). The board's *current obligation* is the most recent
period that has ended; earlier unpublished periods since the entry took effect are *missed*.
Entries disclosed per event (评先评优, 招聘 ...) have no schedule and are never overdue.

Period keys, stable in URLs and the database: "2026-10" (month), "2026-Q3" (quarter),
"2026-H1" (half year), "2026" (year); "" for per-event items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# --- levels ------------------------------------------------------------------------------------

ENTERPRISE = "enterprise"  # 厂务公开
WORKSHOP = "workshop"  # 车间务公开
TEAM = "team"  # 班务公开
LEVELS = (ENTERPRISE, WORKSHOP, TEAM)

# OrgUnit.kind -> level, and back.
LEVEL_OF_KIND = {"committee": ENTERPRISE, "branch": WORKSHOP, "group": TEAM}
KIND_OF_LEVEL = {level: kind for kind, level in LEVEL_OF_KIND.items()}


def level_of_kind(kind: str) -> str | None:
    return LEVEL_OF_KIND.get(kind)


# --- cadences and periods ----------------------------------------------------------------------

MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
EVENT = "event"
SCHEDULED = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
CADENCES = (*SCHEDULED, EVENT)

_PER_YEAR = {MONTHLY: 12, QUARTERLY: 4, HALF_YEARLY: 2, YEARLY: 1}
_MONTHS = {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}

# Sensible default deadlines (calendar days after the period ends) for new catalogue entries.
DEFAULT_OFFSET_DAYS = {MONTHLY: 10, QUARTERLY: 15, HALF_YEARLY: 20, YEARLY: 90, EVENT: 0}


def is_scheduled(cadence: str) -> bool:
    return cadence in _PER_YEAR


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period of a scheduled cadence: (year, index) with index 1-based."""

    year: int
    index: int
    cadence: str

    def __post_init__(self) -> None:
        if self.cadence not in _PER_YEAR:
            raise ValueError(f"not a scheduled cadence: {self.cadence!r}")
        if not 1 <= self.index <= _PER_YEAR[self.cadence]:
            raise ValueError(f"period index {self.index} out of range for {self.cadence}")

    @property
    def key(self) -> str:
        if self.cadence == MONTHLY:
            return f"{self.year:04d}-{self.index:02d}"
        if self.cadence == QUARTERLY:
            return f"{self.year:04d}-Q{self.index}"
        if self.cadence == HALF_YEARLY:
            return f"{self.year:04d}-H{self.index}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS[self.cadence] + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.index < _PER_YEAR[self.cadence]:
            return Period(self.year, self.index + 1, self.cadence)
        return Period(self.year + 1, 1, self.cadence)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.index - 1, self.cadence)
        return Period(self.year - 1, _PER_YEAR[self.cadence], self.cadence)

    def __str__(self) -> str:
        return self.key


def period_containing(cadence: str, day: date) -> Period:
    months = _MONTHS[cadence]
    return Period(day.year, (day.month - 1) // months + 1, cadence)


_KEY_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTERLY),
    (re.compile(r"^(\d{4})-H([12])$"), HALF_YEARLY),
    (re.compile(r"^(\d{4})$"), YEARLY),
)


def parse_period_key(key: str, cadence: str | None = None) -> Period | None:
    """The period a key names (None when malformed or not of `cadence`)."""
    key = (key or "").strip().upper()
    for pattern, kind in _KEY_PATTERNS:
        match = pattern.match(key)
        if match is None:
            continue
        if cadence is not None and kind != cadence:
            return None
        year = int(match.group(1))
        index = int(match.group(2)) if kind != YEARLY else 1
        if not 1900 <= year <= 2999:
            return None
        try:
            return Period(year, index, kind)
        except ValueError:
            return None
    return None


def due_date(period: Period, offset_days: int) -> date:
    """The last day on which the disclosure of `period` is on time."""
    return period.end + timedelta(days=max(0, int(offset_days)))


def obligation_period(cadence: str, today: date) -> Period:
    """The period the board asks about today: the most recent one that has ended."""
    return period_containing(cadence, today).previous()


def applies_since(period: Period, effective_from: date | None) -> bool:
    """Whether a period is owed by an entry in force from `effective_from`: it ended on or
    after that day (an entry introduced mid-period covers that period)."""
    return effective_from is None or period.end >= effective_from


def selectable_periods(cadence: str, today: date, *, back: int = 12) -> list[Period]:
    """Periods a publisher may choose, newest first: the running one and `back` before it."""
    if not is_scheduled(cadence):
        return []
    current = period_containing(cadence, today)
    result = [current]
    for _ in range(back):
        result.append(result[-1].previous())
    return result


# --- the board's status ------------------------------------------------------------------------

PUBLISHED = "published"  # disclosed for the period
OVERDUE = "overdue"  # not disclosed and the due date has passed
DUE_SOON = "due_soon"  # not disclosed, due within the reminder window
PENDING = "pending"  # not disclosed, due later
NOT_DUE = "not_due"  # the entry was not yet in force for the period
PER_EVENT = "event"  # no schedule


def obligation_status(*, published: bool, today: date, due: date, remind_days: int) -> str:
    if published:
        return PUBLISHED
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=max(0, int(remind_days))):
        return DUE_SOON
    return PENDING


def reminder_due(*, published: bool, today: date, due: date, remind_days: int) -> bool:
    """Remind the responsible cadre: not published and within `remind_days` of the due day."""
    return (
        obligation_status(published=published, today=today, due=due, remind_days=remind_days)
        == DUE_SOON
    )


@dataclass(frozen=True)
class Obligation:
    """What one catalogue entry asks of one unit today."""

    period: Period | None  # None for per-event entries
    due: date | None
    status: str
    missed: tuple[Period, ...]  # earlier periods, overdue and never published (oldest first)


def obligation(
    *,
    cadence: str,
    today: date,
    offset_days: int,
    remind_days: int,
    published_keys: set[str] | frozenset[str],
    effective_from: date | None = None,
    lookback: int = 12,
) -> Obligation:
    """The board's cell for one (entry, unit): the current obligation and the missed ones."""
    if not is_scheduled(cadence):
        return Obligation(None, None, PER_EVENT, ())
    period = obligation_period(cadence, today)
    due = due_date(period, offset_days)
    if not applies_since(period, effective_from):
        status = NOT_DUE
    else:
        status = obligation_status(
            published=period.key in published_keys,
            today=today,
            due=due,
            remind_days=remind_days,
        )
    missed: list[Period] = []
    earlier = period
    for _ in range(max(0, lookback)):
        earlier = earlier.previous()
        if not applies_since(earlier, effective_from):
            break
        if earlier.key not in published_keys and today > due_date(earlier, offset_days):
            missed.append(earlier)
    return Obligation(period, due, status, tuple(reversed(missed)))


# --- validity ----------------------------------------------------------------------------------


def is_in_force(valid_from: date | None, valid_until: date | None, today: date) -> bool:
    """Whether an item is on the board today (inside its validity period)."""
    if valid_from is not None and today < valid_from:
        return False
    return valid_until is None or today <= valid_until


def validity_problem(valid_from: date | None, valid_until: date | None) -> str | None:
    """An error code when the validity period is impossible."""
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        return "until_before_from"
    return None
