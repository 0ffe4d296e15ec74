"""Working days in China: statutory holidays, 调休 working weekends and admin overrides.

Every deadline "in working days" (proposals, grievances, public notices, disclosure questions)
is computed here, never by hand in a module.

Where the days come from, in order of precedence:
  1. `WorkdayOverride` rows (admin-editable): a year announced after the installed `holidays`
     package was released, or an enterprise's own arrangement. An override always wins.
  2. The `holidays` package's China calendar: the statutory holidays with the State Council's
     调休 days off (the PUBLIC category), and the weekend days that become working days
     (`weekend_workdays`, e.g. Saturday 2026-10-10 and Sunday 2026-09-20). Years the package
     has no State Council notice for are estimated by it; `package_has_official_data(year)`
     tells which, `year_is_covered` adds the years the administrator entered overrides for,
     and `calendar_gaps()` lists the years (this one, and the next from October on) that the
     administrator's workspace and console warn about.
  3. Otherwise Monday to Friday are working days.

Conventions (民法典 Art. 201 and 203 for periods counted in days):
  * The day of submission does not count: "5 working days" from a submission on any day
    (working or not) ends on the 5th working day strictly after that day.
  * A deadline is the END of its last working day, 23:59:59.999999 Asia/Shanghai, whatever
    the server's time zone: Chinese working days are days in Beijing time.
  * `add_workdays(start, 0)` is `start` itself when it is a working day, else the next one.
  * `workdays_between(a, b)` counts the working days in (a, b], so that
    `workdays_between(a, add_workdays(a, n)) == n`; it is negative when b is before a.

Use:
    from zhijia.core import workdays
    workdays.deadline_after(timezone.now(), 5)   # aware datetime, end of the 5th working day
    workdays.is_workday(date(2026, 10, 10))      # True: a 调休 working Saturday

The pure logic lives in `Calendar`, which takes the overrides as a dict and needs no database;
the module-level functions use `get_calendar()`, i.e. the package plus the database overrides.

Caching: the package's sets are computed once per year per process. The overrides are read
into a `Calendar` snapshot that is reused for `CACHE_SECONDS`; saving or deleting an override
drops the snapshot in this process at commit (other processes pick the change up within
`CACHE_SECONDS`). While an override change is uncommitted, or after one was rolled back, the
process reads the table afresh each time rather than trust a snapshot.
"""

from __future__ import annotations

import functools
import threading
import time as _time
from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction

from zhijia.core.permissions import register, require

CHINA_TZ = ZoneInfo("Asia/Shanghai")
CACHE_SECONDS = 300
# Safety stop for loops over days: no sane deadline is further than this many calendar days.
_MAX_SPAN_DAYS = 366 * 20

# Same code and roles as the admin console registers; registering here too keeps the actions
# below usable when the console module has not been imported.
register("core.configure", roles=["admin"], description="系统配置与账号管理")


@functools.lru_cache(maxsize=128)
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off on weekdays or weekends, weekend working days) of `year` from the package."""
    # Neighbouring years too: a working weekend late in December can be declared in the next
    # year's notice (e.g. 2006-12-30/31 made up for 2007-01-02/03).
    cal = holidays.China(years=range(year - 1, year + 2), categories=(holidays.PUBLIC,))
    days_off = frozenset(d for d in cal if d.year == year)
    working_weekends = frozenset(d for d in cal.weekend_workdays if d.year == year)
    return days_off, working_weekends


def package_has_official_data(year: int) -> bool:
    """Whether the installed package carries the State Council's notice for `year`.

    For other years the package estimates the holidays and knows no 调休 working weekends:
    the administrator should enter that year's arrangement as overrides.
    """
    from holidays.countries.china import ChinaStaticHolidays

    return year in getattr(ChinaStaticHolidays, "special_public_holidays", {})


# The State Council publishes the next year's arrangement in the fourth quarter; from this
# (month, day) on, a next year without data is worth a warning (deadlines reach into it).
NEXT_YEAR_WARNING_FROM = (10, 1)


def year_is_covered(year: int, override_years: Collection[int] = ()) -> bool:
    """Whether the working days of `year` are known rather than estimated: the installed
    package carries the State Council's notice for it, or the administrator has entered
    overrides for it (`override_years`: the years that have at least one override)."""
    return package_has_official_data(year) or year in override_years


def years_needing_overrides(today: date, override_years: Collection[int] = ()) -> list[int]:
    """The years the administrator should enter the arrangement of, as of `today`: the
    current year when it is not covered, and the next one from NEXT_YEAR_WARNING_FROM on."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_WARNING_FROM:
        years.append(today.year + 1)
    return [year for year in years if not year_is_covered(year, override_years)]


def calendar_gaps(today: date | None = None) -> list[int]:
    """`years_needing_overrides` for today (Beijing time) and the override table."""
    from zhijia.core.models import WorkdayOverride

    today = today or datetime.now(CHINA_TZ).date()
    years = WorkdayOverride.objects.filter(date__year__in=[today.year, today.year + 1])
    return years_needing_overrides(today, {d.year for d in years.dates("date", "year")})


def calendar_gap_warnings(today: date | None = None) -> list[str]:
    """The administrator's warnings for `calendar_gaps`, one sentence per year."""
    from django.utils.translation import gettext as _

    return [
        _(
            "节假日日历没有 %(year)d 年的国务院放假安排：该年的工作日期限只是估算，"
            "不含调休上班日。请在“工作日调整”中录入 %(year)d 年的放假和调休安排。"
        )
        % {"year": year}
        for year in calendar_gaps(today)
    ]


def local_date(value: date | datetime) -> date:
    """The calendar date of `value` in Beijing time. Naive datetimes are refused."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: use timezone-aware datetimes")
        return value.astimezone(CHINA_TZ).date()
    return value


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 of `day` in Asia/Shanghai, timezone-aware."""
    return datetime.combine(day, time.max, tzinfo=CHINA_TZ)


class Calendar:
    """Working-day arithmetic over the package calendar plus `overrides` {date: is_workday}."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self.overrides: dict[date, bool] = dict(overrides or {})

    def is_workday(self, day: date | datetime) -> bool:
        day = local_date(day)
        if day in self.overrides:
            return self.overrides[day]
        days_off, working_weekends = _package_year(day.year)
        if day.weekday() >= 5:
            return day in working_weekends
        return day not in days_off

    def add_workdays(self, start: date | datetime, n: int) -> date:
        """The n-th working day after `start` (the start day itself does not count).

        n == 0: `start` if it is a working day, else the next working day.
        n < 0: the |n|-th working day before `start`.
        """
        day = local_date(start)
        if n == 0:
            return self._step_to_workday(day, +1)
        step = 1 if n > 0 else -1
        remaining = abs(n)
        for _ in range(_MAX_SPAN_DAYS):
            day += timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
                if remaining == 0:
                    return day
        raise ValueError("no working day found within 20 years")

    def workdays_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days in (a, b]; negative (-(working days in (b, a])) when b < a."""
        start, end = local_date(a), local_date(b)
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        span = (end - start).days
        count = sum(1 for i in range(1, span + 1) if self.is_workday(start + timedelta(days=i)))
        return sign * count

    def deadline_after(self, moment: datetime, n: int) -> datetime:
        """End (23:59:59.999999 Asia/Shanghai) of the n-th working day after `moment`'s day."""
        return end_of_day(self.add_workdays(local_date(moment), n))

    def next_workday(self, day: date | datetime) -> date:
        """The first working day strictly after `day`."""
        return self.add_workdays(day, 1)

    def _step_to_workday(self, day: date, step: int) -> date:
        for _ in range(_MAX_SPAN_DAYS):
            if self.is_workday(day):
                return day
            day += timedelta(days=step)
        raise ValueError("no working day found within 20 years")


# --- the calendar with the database overrides -------------------------------------------------

_lock = threading.Lock()
_snapshot: Calendar | None = None
_snapshot_at = 0.0
_dirty = False  # an override changed and the change is not (known to be) committed yet


def _load_overrides() -> dict[date, bool]:
    from zhijia.core.models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


def get_calendar() -> Calendar:
    """The package calendar with the database overrides layered on top."""
    global _snapshot, _snapshot_at
    now = _time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and not _dirty and now - _snapshot_at < CACHE_SECONDS:
        return snapshot
    calendar = Calendar(_load_overrides())
    with _lock:
        if not _dirty:
            _snapshot, _snapshot_at = calendar, now
    return calendar


def _committed() -> None:
    global _snapshot, _dirty
    with _lock:
        _snapshot, _dirty = None, False


def invalidate_cache() -> None:
    """Drop the snapshot of the overrides (called when an override is saved or deleted)."""
    global _snapshot, _dirty
    with _lock:
        _snapshot, _dirty = None, True
    # Runs at once outside a transaction; never runs if the change is rolled back, in which
    # case this process keeps reading the table afresh (correct, only uncached).
    transaction.on_commit(_committed)


def clear_package_cache() -> None:
    """Forget the per-year package sets (only useful after upgrading the package in-process)."""
    _package_year.cache_clear()


def is_workday(day: date | datetime) -> bool:
    return get_calendar().is_workday(day)


def add_workdays(start: date | datetime, n: int) -> date:
    return get_calendar().add_workdays(start, n)


def workdays_between(a: date | datetime, b: date | datetime) -> int:
    return get_calendar().workdays_between(a, b)


def deadline_after(moment: datetime, n: int) -> datetime:
    return get_calendar().deadline_after(moment, n)


# --- administration ---------------------------------------------------------------------------


@transaction.atomic
def do_set_workday_override(*, actor, day: date, is_workday: bool, note: str = ""):
    """Create or change the override of `day`; audited."""
    from zhijia.core.audit import record
    from zhijia.core.models import WorkdayOverride

    require(actor, "core.configure")
    override, created = WorkdayOverride.objects.update_or_create(
        date=day, defaults={"is_workday": is_workday, "note": note}
    )
    record(
        actor=actor,
        action="core.set_workday_override",
        target=override,
        data={"date": day.isoformat(), "is_workday": is_workday, "created": created},
    )
    return override


@transaction.atomic
def do_remove_workday_override(*, actor, day: date) -> bool:
    """Remove the override of `day` (the package calendar applies again); audited."""
    from zhijia.core.audit import record
    from zhijia.core.models import WorkdayOverride

    require(actor, "core.configure")
    override = WorkdayOverride.objects.filter(date=day).first()
    if override is None:
        return False
    record(
        actor=actor,
        action="core.remove_workday_override",
        target=override,
        data={"date": day.isoformat(), "is_workday": override.is_workday},
    )
    override.delete()
    return True
