"""The pure rules of women workers' protection (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.women import rules
from zhijia.women.provinces_data import PROVINCES

D = dt.date


def _terms(code: str) -> rules.ProvinceTerms:
    row = next(p for p in PROVINCES if p["code"] == code)
    return rules.ProvinceTerms(extra_days=row["extra_days"])


def test_twins_difficult_birth_in_beijing_equals_the_hand_computation():
    # By hand: 98 (Art. 7) + 15 (difficult birth) + 15 (one more baby) + 60 (北京) = 188 days;
    # the leave starts 15 days before the birth on 2027-03-10, i.e. on 2027-02-23 (day 1);
    # February 23–28 are days 1–6, March 7–37, April 38–67, May 68–98, June 99–128,
    # July 129–159, so day 188 is August 29.
    leave = rules.birth_leave(D(2027, 3, 10), babies=2, difficult=True, terms=_terms("beijing"))
    assert leave.days == 188
    assert leave.start == D(2027, 2, 23)
    assert leave.end == D(2027, 8, 29)
    assert dict(leave.parts) == {"base": 98, "difficult": 15, "multiple": 15, "province": 60}


def test_triplets_add_fifteen_days_per_additional_baby_and_national_rules_need_no_province():
    assert rules.birth_leave(D(2027, 1, 1), babies=3).days == 98 + 30
    assert rules.birth_leave(D(2027, 1, 1)).days == 98


def test_a_provinces_own_extras_for_difficult_and_multiple_births():
    terms = rules.ProvinceTerms(extra_days=30, difficult_extra_days=30, multiple_extra_days=10)
    leave = rules.birth_leave(D(2027, 1, 1), babies=3, difficult=True, terms=terms)
    assert leave.days == 98 + 15 + 30 + 30 + 30 + 20


def test_calendar_days_include_holidays_unless_the_province_extends_them():
    holidays = {D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3)}
    # Sep 5 is day 1; Sep 5–30 days 1–26, Oct 27–57, Nov 58–87, Dec 11 is day 98.
    plain = rules.birth_leave(D(2026, 9, 20), holidays=holidays)
    assert (plain.start, plain.end, plain.holiday_days) == (D(2026, 9, 5), D(2026, 12, 11), 0)
    extended = rules.birth_leave(
        D(2026, 9, 20), terms=rules.ProvinceTerms(holidays_extend=True), holidays=holidays
    )
    assert (extended.end, extended.holiday_days) == (D(2026, 12, 14), 3)


def test_miscarriage_before_and_from_the_fourth_month():
    early = rules.miscarriage_leave(D(2026, 5, 1), months_pregnant=3)
    late = rules.miscarriage_leave(D(2026, 5, 1), months_pregnant=4)
    assert (early.days, early.end) == (15, D(2026, 5, 15))
    assert (late.days, late.end) == (42, D(2026, 6, 11))


def test_the_seventh_month_from_the_expected_date_or_the_start():
    # 280 days before 2027-06-30 is 2026-09-23; six months later 2027-03-23.
    assert rules.seventh_month_starts(expected_date=D(2027, 6, 30)) == D(2027, 3, 23)
    assert rules.seventh_month_starts(start=D(2026, 8, 31)) == D(2027, 2, 28)  # short month


def test_nursing_until_the_first_birthday_one_hour_per_baby():
    assert rules.nursing_ends(D(2024, 2, 29)) == D(2025, 2, 28)
    assert rules.nursing_minutes(1) == 60
    assert rules.nursing_minutes(2) == 120
    with pytest.raises(rules.RuleError):
        rules.nursing_minutes(0)


def test_entitlements_of_each_kind():
    birth = rules.entitlements(kind="birth", birth_date=D(2027, 1, 10), babies=2)
    assert birth.nursing_until == D(2028, 1, 10) and birth.nursing_minutes == 120
    assert birth.no_night_shift_from is None
    pregnancy = rules.entitlements(kind="pregnancy", expected_date=D(2027, 6, 30))
    assert pregnancy.no_night_shift_from == D(2027, 3, 23)
    assert pregnancy.leave is not None and pregnancy.leave.start == D(2027, 6, 15)
    assert pregnancy.nursing_until is None
    with pytest.raises(rules.RuleError):
        rules.entitlements(kind="birth")


def test_reminders_are_due_from_a_week_before_and_only_once():
    ent = rules.entitlements(kind="pregnancy", expected_date=D(2027, 6, 30))
    assert rules.due_reminders(ent, D(2027, 3, 15), ()) == []
    assert rules.due_reminders(ent, D(2027, 3, 16), ()) == ["seventh_month"]
    assert rules.due_reminders(ent, D(2027, 3, 20), ["seventh_month"]) == []
    assert rules.due_reminders(ent, D(2027, 6, 10), ["seventh_month"]) == ["leave_start"]
    assert rules.due_reminders(ent, D(2027, 6, 16), ["seventh_month"]) == []  # past the day


def test_a_clause_is_checked_against_the_legal_minimums():
    assert rules.clause_meets("maternity_days", 98)
    assert not rules.clause_meets("maternity_days", 90)
    assert not rules.clause_meets("maternity_days", 98, _terms("guangdong"))  # 178 there
    assert rules.clause_meets("maternity_days", 178, _terms("guangdong"))
    # An earlier month protects more: from the 6th month meets it, from the 8th does not.
    assert rules.clause_meets("no_night_shift_from_month", 6)
    assert not rules.clause_meets("no_night_shift_from_month", 8)
    with pytest.raises(rules.RuleError):
        rules.clause_meets("unknown", 1)


def test_the_shipped_provinces_say_they_are_unconfirmed():
    assert len(PROVINCES) >= 5
    assert all(not p.get("confirmed", False) and "未能" in p["note"] for p in PROVINCES)
