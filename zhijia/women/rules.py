"""Pure rules of women workers' special protection (女职工劳动保护特别规定, State Council
decree 619 of 2012), with no Django import: tested without a database.

Maternity leave (Art. 7):
  * a birth: 98 days, of which up to 15 may be taken before the birth (产前); +15 days for a
    difficult birth (难产); +15 days for each additional baby of a multiple birth;
  * a miscarriage (流产): 15 days before the 4th month of pregnancy, 42 days from the 4th month;
  * plus the province's extra days (奖励假, its population and family planning regulation):
    `ProvinceTerms`, configuration per province (models.provinces.Province, data in
    provinces_data.py).

Calendar days. The national rules count maternity leave in calendar days: weekends and
statutory holidays fall inside the leave and do not lengthen it. Some provinces say their
extra days are counted otherwise (e.g. that a statutory holiday inside the leave extends it):
`ProvinceTerms.holidays_extend` says so, and the caller then passes the holiday days that fall
in the leave (`holidays`: a set of dates, taken from the installation's holiday calendar,
zhijia.core.workdays); each one inside the leave moves its end one day later.

Leave dates. The leave starts 15 days before the birth (the prenatal part) and runs its total
length in calendar days, the start counting as day 1: start = birth − 15, end = start + total − 1.
Before the birth the expected date stands for the birth date. A miscarriage's leave starts on
the day of the miscarriage.

Pregnancy (Art. 6): from the 7th month of pregnancy, no extended working hours and no night
shifts (22:00–6:00), and rest time arranged within working hours. The 7th month starts six
calendar months after the pregnancy started; when only the expected date is known, the
pregnancy is taken to have started 280 days before it (Naegele's rule).

Nursing (Art. 9): while nursing a baby under one year, no extended hours or night shifts, and
one hour of nursing time a day within working hours, one more hour for each additional baby.
The nursing period ends on the child's first birthday (the protection covers the days before).

`legal_minimums()` lists these national minimums as data a collective contract's clause can be
compared against (the women's special contract, 女职工专项集体合同): `clause_meets(...)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

MATERNITY_DAYS = 98
PRENATAL_DAYS = 15
DIFFICULT_BIRTH_DAYS = 15
PER_EXTRA_BABY_DAYS = 15
MISCARRIAGE_EARLY_DAYS = 15  # before the 4th month of pregnancy
MISCARRIAGE_LATE_DAYS = 42  # from the 4th month
MISCARRIAGE_LATE_FROM_MONTH = 4
NO_NIGHT_SHIFT_FROM_MONTH = 7
NURSING_MINUTES_PER_BABY = 60
NURSING_MONTHS = 12
PREGNANCY_DAYS = 280  # expected date − pregnancy start (Naegele's rule)
MAX_BABIES = 6


@dataclass(frozen=True)
class ProvinceTerms:
    """A province's extras over the national minimums (0 where it grants none)."""

    extra_days: int = 0  # added to every birth's leave
    difficult_extra_days: int = 0  # added for a difficult birth, besides Art. 7's 15
    multiple_extra_days: int = 0  # added per additional baby, besides Art. 7's 15
    holidays_extend: bool = False  # a statutory holiday inside the leave extends it


NATIONAL = ProvinceTerms()


@dataclass(frozen=True)
class Leave:
    days: int  # the entitlement in days (before any holiday extension)
    start: dt.date
    end: dt.date  # the last day of leave, inclusive
    parts: tuple[tuple[str, int], ...]  # (what, days): how the total is made up
    holiday_days: int = 0  # days added because holidays fell inside (holidays_extend)


class RuleError(ValueError):
    """An impossible input (code names what): no babies, a date missing."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def birth_leave_parts(
    *, babies: int = 1, difficult: bool = False, terms: ProvinceTerms = NATIONAL
) -> tuple[tuple[str, int], ...]:
    """How a birth's maternity leave is made up, part by part (codes, for labels)."""
    if babies < 1 or babies > MAX_BABIES:
        raise RuleError("babies")
    parts: list[tuple[str, int]] = [("base", MATERNITY_DAYS)]
    if difficult:
        parts.append(("difficult", DIFFICULT_BIRTH_DAYS))
    if babies > 1:
        parts.append(("multiple", PER_EXTRA_BABY_DAYS * (babies - 1)))
    if terms.extra_days:
        parts.append(("province", terms.extra_days))
    if difficult and terms.difficult_extra_days:
        parts.append(("province_difficult", terms.difficult_extra_days))
    if babies > 1 and terms.multiple_extra_days:
        parts.append(("province_multiple", terms.multiple_extra_days * (babies - 1)))
    return tuple(parts)


def _span(
    start: dt.date, days: int, terms: ProvinceTerms, holidays: Collection[dt.date]
) -> tuple[dt.date, int]:
    """The last day of `days` calendar days from `start` (day 1), extended by each holiday
    inside when the province says holidays extend the leave. Returns (end, days added)."""
    end = start + dt.timedelta(days=days - 1)
    if not terms.holidays_extend or not holidays:
        return end, 0
    added = 0
    day = start
    while day <= end:
        if day in holidays:
            end += dt.timedelta(days=1)
            added += 1
        day += dt.timedelta(days=1)
    return end, added


def birth_leave(
    birth_date: dt.date,
    *,
    babies: int = 1,
    difficult: bool = False,
    terms: ProvinceTerms = NATIONAL,
    holidays: Collection[dt.date] = (),
) -> Leave:
    """Maternity leave for a birth on `birth_date` (or expected then)."""
    parts = birth_leave_parts(babies=babies, difficult=difficult, terms=terms)
    days = sum(d for _, d in parts)
    start = birth_date - dt.timedelta(days=PRENATAL_DAYS)
    end, added = _span(start, days, terms, holidays)
    return Leave(days=days, start=start, end=end, parts=parts, holiday_days=added)


def miscarriage_leave(
    day: dt.date,
    *,
    months_pregnant: int,
    terms: ProvinceTerms = NATIONAL,
    holidays: Collection[dt.date] = (),
) -> Leave:
    """Leave after a miscarriage on `day` in the given (completed) month of pregnancy: 15 days
    before the 4th month, 42 days from it (Art. 7, paragraph 2)."""
    if months_pregnant < 1:
        raise RuleError("months")
    if months_pregnant >= MISCARRIAGE_LATE_FROM_MONTH:
        parts: tuple[tuple[str, int], ...] = (("miscarriage_late", MISCARRIAGE_LATE_DAYS),)
    else:
        parts = (("miscarriage_early", MISCARRIAGE_EARLY_DAYS),)
    days = parts[0][1]
    end, added = _span(day, days, terms, holidays)
    return Leave(days=days, start=day, end=end, parts=parts, holiday_days=added)


def pregnancy_start(*, expected_date: dt.date | None = None, start: dt.date | None = None):
    """The pregnancy's start: given, or 280 days before the expected date."""
    if start is not None:
        return start
    if expected_date is None:
        raise RuleError("expected_date")
    return expected_date - dt.timedelta(days=PREGNANCY_DAYS)


def seventh_month_starts(
    *, expected_date: dt.date | None = None, start: dt.date | None = None
) -> dt.date:
    """The first day of the 7th month of pregnancy: from then no extended hours, no night
    shifts (Art. 6)."""
    return add_months(pregnancy_start(expected_date=expected_date, start=start), 6)


def nursing_ends(birth_date: dt.date) -> dt.date:
    """The child's first birthday: the nursing protections of Art. 9 apply before it."""
    return add_months(birth_date, NURSING_MONTHS)


def nursing_minutes(babies: int) -> int:
    """Daily nursing time: one hour, one more per additional baby (Art. 9)."""
    if babies < 1 or babies > MAX_BABIES:
        raise RuleError("babies")
    return NURSING_MINUTES_PER_BABY * babies


@dataclass(frozen=True)
class Entitlements:
    """What a registration entitles her to (None where it does not apply yet)."""

    leave: Leave | None
    no_night_shift_from: dt.date | None  # the 7th month of pregnancy
    nursing_until: dt.date | None  # the child's first birthday (exclusive)
    nursing_minutes: int | None


def entitlements(
    *,
    kind: str,
    babies: int = 1,
    difficult: bool = False,
    expected_date: dt.date | None = None,
    pregnancy_started: dt.date | None = None,
    birth_date: dt.date | None = None,
    miscarriage_date: dt.date | None = None,
    months_pregnant: int | None = None,
    terms: ProvinceTerms = NATIONAL,
    holidays: Collection[dt.date] = (),
) -> Entitlements:
    """Kind "pregnancy" (expected date known), "birth" (birth date known) or "miscarriage"."""
    if kind == "miscarriage":
        if miscarriage_date is None:
            raise RuleError("miscarriage_date")
        leave = miscarriage_leave(
            miscarriage_date, months_pregnant=months_pregnant or 0, terms=terms, holidays=holidays
        )
        return Entitlements(leave, None, None, None)
    if kind == "pregnancy":
        if expected_date is None:
            raise RuleError("expected_date")
        leave = birth_leave(
            expected_date, babies=babies, difficult=difficult, terms=terms, holidays=holidays
        )
        seventh = seventh_month_starts(expected_date=expected_date, start=pregnancy_started)
        return Entitlements(leave, seventh, None, None)
    if kind == "birth":
        if birth_date is None:
            raise RuleError("birth_date")
        leave = birth_leave(
            birth_date, babies=babies, difficult=difficult, terms=terms, holidays=holidays
        )
        return Entitlements(leave, None, nursing_ends(birth_date), nursing_minutes(babies))
    raise RuleError("kind")


# --- reminders ----------------------------------------------------------------------------------

REMINDER_DAYS_BEFORE = 7  # a reminder is sent from a week before the day


def due_reminders(ent: Entitlements, today: dt.date, sent: Collection[str]) -> list[str]:
    """The reminders to send today (codes), each once: "seventh_month" (the 7th month starts),
    "leave_start" (the leave starts), "nursing_end" (the nursing period ends), each from
    REMINDER_DAYS_BEFORE days before its day until the day itself."""
    window = dt.timedelta(days=REMINDER_DAYS_BEFORE)
    days = {
        "seventh_month": ent.no_night_shift_from,
        "leave_start": ent.leave.start if ent.leave is not None else None,
        "nursing_end": ent.nursing_until,
    }
    return [
        code
        for code, day in days.items()
        if day is not None and code not in sent and day - window <= today <= day
    ]


# --- the legal minimums, for a contract's clauses ------------------------------------------------


@dataclass(frozen=True)
class Minimum:
    code: str
    value: int
    unit: str  # "days", "month", "minutes"
    article: str  # of 女职工劳动保护特别规定
    higher_is_better: bool = True


LEGAL_MINIMUMS: tuple[Minimum, ...] = (
    Minimum("maternity_days", MATERNITY_DAYS, "days", "7"),
    Minimum("prenatal_days", PRENATAL_DAYS, "days", "7"),
    Minimum("difficult_birth_days", DIFFICULT_BIRTH_DAYS, "days", "7"),
    Minimum("per_extra_baby_days", PER_EXTRA_BABY_DAYS, "days", "7"),
    Minimum("miscarriage_early_days", MISCARRIAGE_EARLY_DAYS, "days", "7"),
    Minimum("miscarriage_late_days", MISCARRIAGE_LATE_DAYS, "days", "7"),
    # From which month of pregnancy no night shift: an earlier month protects more.
    Minimum("no_night_shift_from_month", NO_NIGHT_SHIFT_FROM_MONTH, "month", "6", False),
    Minimum("nursing_minutes_per_day", NURSING_MINUTES_PER_BABY, "minutes", "9"),
    Minimum("nursing_extra_minutes_per_baby", NURSING_MINUTES_PER_BABY, "minutes", "9"),
    Minimum("nursing_months", NURSING_MONTHS, "month", "9"),
)


def legal_minimums(terms: ProvinceTerms = NATIONAL) -> tuple[Minimum, ...]:
    """The minimums a clause must meet; with a province's terms, its extra days are added to
    the maternity leave (the province's law binds too)."""
    extra = {
        "maternity_days": terms.extra_days,
        "difficult_birth_days": terms.difficult_extra_days,
        "per_extra_baby_days": terms.multiple_extra_days,
    }
    return tuple(
        Minimum(m.code, m.value + extra.get(m.code, 0), m.unit, m.article, m.higher_is_better)
        for m in LEGAL_MINIMUMS
    )


def clause_meets(code: str, promised: int, terms: ProvinceTerms = NATIONAL) -> bool:
    """Does a clause promising `promised` (in the minimum's unit) meet the legal minimum?"""
    for minimum in legal_minimums(terms):
        if minimum.code == code:
            if minimum.higher_is_better:
                return promised >= minimum.value
            return promised <= minimum.value
    raise RuleError("code")
