"""Working days: the package's holidays and 调休 weekends, the conventions, the overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core import workdays
from zhijia.core.models import AuditEvent, WorkdayOverride
from zhijia.core.workdays import Calendar

SH = ZoneInfo("Asia/Shanghai")
D = date


@pytest.fixture
def cal():
    return Calendar()


# --- the package's data, as the State Council announced it ------------------------------------


def test_national_day_2026_package_data(cal):
    # 国务院办公厅关于2026年部分节假日安排的通知: 10月1日至7日放假调休，9月20日（周日）、
    # 10月10日（周六）上班.
    assert [cal.is_workday(D(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert D(2026, 10, 10).weekday() == 5 and cal.is_workday(D(2026, 10, 10))
    assert D(2026, 9, 20).weekday() == 6 and cal.is_workday(D(2026, 9, 20))
    assert not cal.is_workday(D(2026, 10, 11))  # the Sunday after stays a rest day
    assert cal.is_workday(D(2026, 10, 8)) and cal.is_workday(D(2026, 10, 9))
    assert not cal.is_workday(D(2026, 9, 19))  # plain Saturday


def test_spring_festival_2026_package_data(cal):
    # 2月15日（腊月二十八）至23日放假调休，共9天；2月14日（周六）、2月28日（周六）上班.
    assert [cal.is_workday(D(2026, 2, d)) for d in range(15, 24)] == [False] * 9
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))
    assert cal.is_workday(D(2026, 2, 24))


def test_package_official_years():
    assert workdays.package_has_official_data(2026)
    assert not workdays.package_has_official_data(2027)


# --- conventions -----------------------------------------------------------------------------


def test_deadline_across_national_day_2026(cal):
    # Submitted Wed 30 Sep: Oct 1–7 off, then Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13.
    got = [cal.add_workdays(D(2026, 9, 30), n) for n in range(1, 6)]
    assert got == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
        D(2026, 10, 13),
    ]
    # Any day of the holiday counts from the same place: the submission day never counts.
    assert cal.add_workdays(D(2026, 10, 3), 1) == D(2026, 10, 8)
    # Fri 18 Sep + 1: Saturday off, Sunday 20 Sep is a 调休 working day.
    assert cal.add_workdays(D(2026, 9, 18), 1) == D(2026, 9, 20)


def test_deadline_across_spring_festival_2026(cal):
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)  # working Saturday
    assert cal.add_workdays(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert cal.add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert cal.add_workdays(D(2026, 2, 16), 5) == D(2026, 2, 28)  # 24,25,26,27, Sat 28


def test_deadline_across_plain_weekend(cal):
    friday = D(2026, 3, 6)
    assert cal.add_workdays(friday, 1) == D(2026, 3, 9)
    assert cal.add_workdays(friday, 5) == D(2026, 3, 13)
    assert cal.add_workdays(D(2026, 3, 7), 1) == D(2026, 3, 9)  # submitted Saturday
    assert cal.add_workdays(D(2026, 3, 8), 1) == D(2026, 3, 9)  # submitted Sunday


def test_deadline_across_new_year(cal):
    # 2026-01-01 Thu and 01-02 Fri off, Sunday 01-04 worked.
    assert cal.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert cal.add_workdays(D(2025, 12, 31), 2) == D(2026, 1, 5)


def test_zero_and_negative(cal):
    assert cal.add_workdays(D(2026, 10, 9), 0) == D(2026, 10, 9)
    assert cal.add_workdays(D(2026, 10, 2), 0) == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert cal.add_workdays(D(2026, 10, 12), -2) == D(2026, 10, 9)


def test_workdays_between(cal):
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.workdays_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert cal.workdays_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert cal.workdays_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    # Inverse of add_workdays over a year of start days.
    start = D(2026, 1, 1)
    for i in range(0, 365, 3):
        day = start + timedelta(days=i)
        for n in (1, 3, 7):
            assert cal.workdays_between(day, cal.add_workdays(day, n)) == n


def test_deadline_after_is_end_of_day_in_shanghai(cal):
    deadline = cal.deadline_after(datetime(2026, 9, 30, 10, 0, tzinfo=SH), 5)
    assert deadline == datetime(2026, 10, 13, 23, 59, 59, 999999, tzinfo=SH)
    assert deadline.utcoffset() == timedelta(hours=8)
    # 17:00 UTC on 30 Sep is already 1 Oct in Beijing: the holiday is the submission day.
    utc_moment = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)
    assert cal.deadline_after(utc_moment, 1) == workdays.end_of_day(D(2026, 10, 8))
    with pytest.raises(ValueError):
        cal.deadline_after(datetime(2026, 9, 30, 10, 0), 1)  # naive


# --- overrides -------------------------------------------------------------------------------


def test_override_turns_day_off_into_workday_and_back():
    # A year the package has no notice for: the admin enters the announced arrangement.
    saturday = D(2027, 10, 9)
    wednesday = D(2027, 9, 29)
    base = Calendar()
    assert not base.is_workday(saturday) and base.is_workday(wednesday)
    cal = Calendar({saturday: True, wednesday: False})
    assert cal.is_workday(saturday) and not cal.is_workday(wednesday)
    assert cal.add_workdays(D(2027, 9, 28), 1) == D(2027, 9, 30)
    # Overrides win over the package in both directions, also in an announced year.
    cal = Calendar({D(2026, 10, 10): False, D(2026, 10, 7): True})
    assert cal.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 7)
    assert cal.add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 12)


@pytest.fixture
def fresh_calendar_cache():
    yield
    # The test's transaction is rolled back: never leave its overrides in a snapshot.
    workdays.invalidate_cache()


def test_database_overrides_win_and_refresh(db, fresh_calendar_cache):
    day = D(2026, 3, 7)  # a plain Saturday
    assert not workdays.is_workday(day)
    override = WorkdayOverride.objects.create(date=day, is_workday=True, note="厂休调整")
    assert workdays.is_workday(day)
    assert workdays.add_workdays(D(2026, 3, 6), 1) == day
    override.is_workday = False
    override.save()
    assert not workdays.is_workday(day)
    monday = D(2026, 3, 9)
    WorkdayOverride.objects.create(date=monday, is_workday=False)
    assert workdays.add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 10)
    assert workdays.workdays_between(D(2026, 3, 6), D(2026, 3, 10)) == 1
    WorkdayOverride.objects.filter(date=monday).delete()
    assert workdays.add_workdays(D(2026, 3, 6), 1) == monday


def test_snapshot_is_reused_until_an_override_commits(
    db, fresh_calendar_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workdays.invalidate_cache()
    first = workdays.get_calendar()
    assert workdays.get_calendar() is first
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=D(2026, 3, 7), is_workday=True)
    second = workdays.get_calendar()
    assert second is not first
    assert second.is_workday(D(2026, 3, 7))
    assert workdays.get_calendar() is second


def test_override_actions_are_audited_and_admin_only(personas, fresh_calendar_cache):
    day = D(2027, 10, 9)
    with pytest.raises(PermissionDenied):
        workdays.do_set_workday_override(actor=personas["chair"], day=day, is_workday=True)
    workdays.do_set_workday_override(
        actor=personas["admin"], day=day, is_workday=True, note="2027年国庆调休上班"
    )
    assert workdays.is_workday(day)
    event = AuditEvent.objects.get(action="core.set_workday_override")
    assert event.actor_id == personas["admin"].pk
    assert event.data == {"date": "2027-10-09", "is_workday": True, "created": True}
    assert workdays.do_remove_workday_override(actor=personas["admin"], day=day)
    assert not workdays.is_workday(day)
    assert AuditEvent.objects.filter(action="core.remove_workday_override").count() == 1
