"""Pure rules: lockout windows and idle limits (no database)."""

import datetime as dt

from zhijia.accounts.rules import ceil_to_minute, idle_minutes, lockout_end

T = dt.datetime(2026, 3, 2, 6, 5, 0, tzinfo=dt.UTC)
COOL = dt.timedelta(minutes=30)


def test_not_locked_below_limit():
    assert lockout_end([(T, 4)], limit=5, cooloff=COOL) is None
    assert lockout_end([], limit=5, cooloff=COOL) is None


def test_locked_until_last_failure_plus_cooloff():
    assert lockout_end([(T, 5)], limit=5, cooloff=COOL) == T + COOL


def test_records_from_several_addresses_drop_out_oldest_first():
    # 3 failures from one address at T, 2 from another at T+10min: locked until the T record
    # leaves the window (T+30min), because without it only 2 failures remain.
    later = T + dt.timedelta(minutes=10)
    assert lockout_end([(T, 3), (later, 2)], limit=5, cooloff=COOL) == T + COOL
    # With 5 failures in the newest record alone, the older record does not matter.
    assert lockout_end([(T, 3), (later, 5)], limit=5, cooloff=COOL) == later + COOL


def test_ceil_to_minute():
    assert ceil_to_minute(T) == T
    assert ceil_to_minute(T + dt.timedelta(seconds=1)) == T + dt.timedelta(minutes=1)
    assert ceil_to_minute(T + dt.timedelta(microseconds=1)) == T + dt.timedelta(minutes=1)


def test_idle_minutes_takes_the_shortest_limit_of_the_roles_held():
    table = {"admin": 15, "cadre": 30, "member": 10080}
    assert idle_minutes({"admin"}, table, default_key="member") == 15
    assert idle_minutes({"cadre", "member"}, table, default_key="member") == 30
    assert idle_minutes({"member", "representative"}, table, default_key="member") == 10080
    assert idle_minutes({"handler"}, table, default_key="member") == 10080
    assert idle_minutes(set(), table, default_key="member") == 10080
