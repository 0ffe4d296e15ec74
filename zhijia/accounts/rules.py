"""Pure rules of module accounts: lockout windows and idle limits. No Django import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta


def lockout_end(
    attempts: Iterable[tuple[datetime, int]], *, limit: int, cooloff: timedelta
) -> datetime | None:
    """When a lockout ends, given the failure records of one account, or None if not locked.

    Each record is (time of its latest failure, failures counted in it); django-axes keeps one
    record per account, address and browser, and counts the failures of the records whose
    latest failure lies within the cool-off window. The account stays locked while that sum
    reaches `limit`: records drop out oldest first, so the lock ends when the record that made
    the sum reach the limit (walking from the newest) leaves the window.
    """
    total = 0
    for at, failures in sorted(attempts, key=lambda a: a[0], reverse=True):
        total += failures
        if total >= limit:
            return at + cooloff
    return None


def ceil_to_minute(moment: datetime) -> datetime:
    """Round up to the next whole minute, so "retry after 14:35" is never a minute early."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def idle_minutes(roles: Iterable[str], table: Mapping[str, int], *, default_key: str) -> int:
    """The idle limit of a user: the shortest limit among the roles held that have one.

    `table` maps role codes to minutes; roles without an entry fall back to `default_key`'s.
    """
    limits = [table[role] for role in roles if role in table]
    return min(limits) if limits else table[default_key]
