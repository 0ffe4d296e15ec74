"""The pure rules of the participation channels' meetings (no database)."""

import datetime as dt

from zhijia.congress import channels_rules as rules

D = dt.date(2026, 12, 3)


def test_participants_must_belong_to_the_units_subtree():
    assert rules.outside_unit("/1/2/", ["/1/2/", "/1/2/7/"]) == []
    assert rules.outside_unit("/1/2/", ["/1/2/7/", "/1/3/"]) == ["/1/3/"]


def test_minutes_once_and_only_after_the_meeting():
    assert rules.may_record_minutes(D, D - dt.timedelta(days=1), False) == rules.NOT_HELD
    assert rules.may_record_minutes(D, D, False) is None
    assert rules.may_record_minutes(D, D, True) == rules.RECORDED


def test_a_report_is_missing_from_the_day_after_the_meeting():
    assert not rules.report_missing(D, D, reported=False)
    assert rules.report_missing(D, D + dt.timedelta(days=1), reported=False)
    assert not rules.report_missing(D, D + dt.timedelta(days=9), reported=True)
