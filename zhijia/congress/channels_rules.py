"""Pure rules of the participation channels (no Django): deliberation meetings' participants
and decisions, representatives' reports after sitting in on a management meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def outside_unit(unit_path: str, member_paths: Iterable[str]) -> list[str]:
    """The participants' unit paths that are not in the meeting unit's subtree."""
    return [p for p in member_paths if not p.startswith(unit_path)]


NOT_HELD = "not_held"
RECORDED = "recorded"


def may_record_minutes(held_on: dt.date, today: dt.date, minutes_recorded: bool) -> str | None:
    """Why a meeting's minutes (and its decisions) cannot be recorded now (NOT_HELD: the
    meeting is still ahead; RECORDED: once only), or None."""
    if held_on > today:
        return NOT_HELD
    if minutes_recorded:
        return RECORDED
    return None


def report_missing(held_on: dt.date, today: dt.date, reported: bool) -> bool:
    """A representative who sat in owes her report from the day after the meeting."""
    return not reported and held_on < today
