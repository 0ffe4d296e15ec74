"""The congress rules: composition of the representatives, term length, sessions per year,
quorum and the pass rule. Pure Python, no Django: tested without a database.

Every number is a field of `RuleSet` (defaults from DESIGN.md section 2, the national
《企业民主管理规定》 and common provincial regulations); a union overrides them per term
(`RuleSet.from_overrides`). Every composition check returns a `Check`: its status
(ok / warn / fail), the figures it compared and the legal basis it applies. The wording shown
to people is made from the code and the figures by the Django side (queries_sessions), so it
can be translated; the legal basis is data and travels with the rule set.

Shares are compared exactly (integers and Fractions, never floats), so "at most 20 %" of 120
representatives allows 24 and refuses 25.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

from zhijia.voting import rules as voting_rules  # pure as well: no Django

OK, WARN, FAIL = "ok", "warn", "fail"
SEVERITY = {OK: 0, WARN: 1, FAIL: 2}

NATIONAL = "《企业民主管理规定》"
PROVINCIAL = "省级职代会条例（可配置）"

# Legal basis of each rule, to the best of our reading of 《企业民主管理规定》(中纪发〔2012〕12号).
# Kept as data in the rule set so that a union can correct or localise them.
DEFAULT_BASIS: dict[str, str] = {
    "size_min": f"{NATIONAL}第十八条",
    "size_provincial": PROVINCIAL,
    "managers_max": f"{NATIONAL}第十九条",
    "frontline_min": PROVINCIAL,
    "women_share": f"{NATIONAL}第十九条",
    "dispatched_share": f"{NATIONAL}第十九条",
    "attending_max": PROVINCIAL,
    "term_length": f"{NATIONAL}第十二条",
    "sessions_per_year": f"{NATIONAL}第十四条",
    "quorum": f"{NATIONAL}第十四条",
    "pass_rule": f"{NATIONAL}第十五条",
    "election": f"{NATIONAL}第二十条",
}


@dataclass(frozen=True)
class RuleSet:
    """The configurable numbers of the congress rules."""

    # Representatives: at least this share of all workers, and at least `min_reps`.
    min_share_of_workers: Fraction = Fraction(5, 100)
    min_reps: int = 30
    # Provincial floors by workforce: (from this many workers, at least this many reps).
    provincial_floors: tuple[tuple[int, int], ...] = ((1000, 100), (10000, 150))
    # Middle and senior managers (中层及以上管理人员) at most this share of representatives.
    max_manager_share: Fraction = Fraction(1, 5)
    # Front-line workers (一线职工) at least this share of representatives.
    min_frontline_share: Fraction = Fraction(1, 2)
    # Non-voting attendees (列席代表) at most this share of the (voting) representatives.
    max_attending_share: Fraction = Fraction(1, 5)
    # A session opens (and a vote opens) with at least this share of all representatives.
    quorum: Fraction = Fraction(2, 3)
    # A term lasts 3 to 5 years; at least one session a year.
    term_years_min: int = 3
    term_years_max: int = 5
    sessions_per_year_min: int = 1
    basis: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BASIS))

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> RuleSet:
        """Defaults with a union's overrides (unknown keys ignored; shares as "1/5", 0.2 or
        [1, 5]; floors as [[1000, 100], [10000, 150]]; basis merged key by key)."""
        base = cls()
        if not overrides:
            return base
        changes: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in overrides:
                continue
            value = overrides[f.name]
            if f.name == "basis":
                merged = dict(base.basis)
                merged.update({str(k): str(v) for k, v in dict(value).items()})
                changes["basis"] = merged
            elif f.name == "provincial_floors":
                changes[f.name] = tuple(sorted((int(a), int(b)) for a, b in value))
            elif isinstance(getattr(base, f.name), Fraction):
                changes[f.name] = to_fraction(value)
            else:
                changes[f.name] = int(value)
        return replace(base, **changes)

    def basis_for(self, code: str) -> str:
        return self.basis.get(code, DEFAULT_BASIS.get(code, ""))


def to_fraction(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, list | tuple):
        return Fraction(int(value[0]), int(value[1]))
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(str(value).strip())


def percent(share: Fraction) -> str:
    """1/5 -> "20%", 2/3 -> "66.7%"."""
    value = float(share) * 100
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


# --- composition --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workforce:
    """The enterprise's workers (all of them, not only union members)."""

    total: int
    women: int = 0
    dispatched: int = 0  # 劳务派遣


@dataclass(frozen=True)
class Slate:
    """Counts of the representatives of a term. `voting` are the 正式代表; the other counts
    are among them. `attending` are the 列席代表 (no vote), counted apart."""

    voting: int
    managers: int = 0
    frontline: int = 0
    women: int = 0
    dispatched: int = 0
    attending: int = 0


@dataclass(frozen=True)
class Check:
    code: str
    status: str  # ok / warn / fail
    figures: dict[str, Any]
    basis: str

    @property
    def ok(self) -> bool:
        return self.status == OK


def min_reps_for(workforce: int, rs: RuleSet) -> int:
    """The national floor: the share of all workers, rounded up, and at least rs.min_reps."""
    by_share = math.ceil(workforce * rs.min_share_of_workers)
    return max(by_share, rs.min_reps)


def provincial_floor(workforce: int, rs: RuleSet) -> int | None:
    """The provincial floor for this workforce, None when no floor applies."""
    floor = None
    for threshold, reps in sorted(rs.provincial_floors):
        if workforce >= threshold:
            floor = reps
    return floor


def check_size(wf: Workforce, slate: Slate, rs: RuleSet) -> Check:
    required = min_reps_for(wf.total, rs)
    status = OK if slate.voting >= required else FAIL
    return Check(
        "size_min",
        status,
        {
            "reps": slate.voting,
            "workforce": wf.total,
            "required": required,
            "share": percent(rs.min_share_of_workers),
            "minimum": rs.min_reps,
        },
        rs.basis_for("size_min"),
    )


def check_provincial_size(wf: Workforce, slate: Slate, rs: RuleSet) -> Check:
    floor = provincial_floor(wf.total, rs)
    status = OK if floor is None or slate.voting >= floor else FAIL
    return Check(
        "size_provincial",
        status,
        {
            "reps": slate.voting,
            "workforce": wf.total,
            "required": floor,
            "applies": floor is not None,
        },
        rs.basis_for("size_provincial"),
    )


def _at_most(part: int, whole: int, share: Fraction) -> bool:
    return part * share.denominator <= share.numerator * whole


def _at_least(part: int, whole: int, share: Fraction) -> bool:
    return part * share.denominator >= share.numerator * whole


def check_managers(slate: Slate, rs: RuleSet) -> Check:
    status = OK if _at_most(slate.managers, slate.voting, rs.max_manager_share) else FAIL
    allowed = math.floor(slate.voting * rs.max_manager_share)
    return Check(
        "managers_max",
        status,
        {
            "managers": slate.managers,
            "reps": slate.voting,
            "share": percent(rs.max_manager_share),
            "allowed": allowed,
        },
        rs.basis_for("managers_max"),
    )


def check_frontline(slate: Slate, rs: RuleSet) -> Check:
    status = OK if _at_least(slate.frontline, slate.voting, rs.min_frontline_share) else FAIL
    required = math.ceil(slate.voting * rs.min_frontline_share)
    return Check(
        "frontline_min",
        status,
        {
            "frontline": slate.frontline,
            "reps": slate.voting,
            "share": percent(rs.min_frontline_share),
            "required": required,
        },
        rs.basis_for("frontline_min"),
    )


def _proportional(code: str, among_reps: int, among_workers: int, wf: Workforce, slate: Slate,
                  rs: RuleSet) -> Check:  # fmt: skip
    """At least the group's share of the workforce among the representatives (warn below)."""
    if wf.total <= 0 or among_workers <= 0:
        status = OK
        required = 0
    else:
        # reps_share >= workforce_share  <=>  among_reps * total >= among_workers * voting
        status = OK if among_reps * wf.total >= among_workers * slate.voting else WARN
        required = math.ceil(Fraction(among_workers * slate.voting, wf.total))
    return Check(
        code,
        status,
        {
            "reps_in_group": among_reps,
            "reps": slate.voting,
            "workers_in_group": among_workers,
            "workforce": wf.total,
            "reps_share": percent(Fraction(among_reps, slate.voting)) if slate.voting else "0%",
            "workforce_share": percent(Fraction(among_workers, wf.total)) if wf.total else "0%",
            "required": required,
        },
        rs.basis_for(code),
    )


def check_women(wf: Workforce, slate: Slate, rs: RuleSet) -> Check:
    return _proportional("women_share", slate.women, wf.women, wf, slate, rs)


def check_dispatched(wf: Workforce, slate: Slate, rs: RuleSet) -> Check:
    return _proportional("dispatched_share", slate.dispatched, wf.dispatched, wf, slate, rs)


def check_attending(slate: Slate, rs: RuleSet) -> Check:
    status = OK if _at_most(slate.attending, slate.voting, rs.max_attending_share) else FAIL
    return Check(
        "attending_max",
        status,
        {
            "attending": slate.attending,
            "reps": slate.voting,
            "share": percent(rs.max_attending_share),
            "allowed": math.floor(slate.voting * rs.max_attending_share),
        },
        rs.basis_for("attending_max"),
    )


def composition_checks(wf: Workforce, slate: Slate, rs: RuleSet | None = None) -> list[Check]:
    """All composition checks of a slate, in the order a cadre reads them."""
    rs = rs or RuleSet()
    return [
        check_size(wf, slate, rs),
        check_provincial_size(wf, slate, rs),
        check_managers(slate, rs),
        check_frontline(slate, rs),
        check_women(wf, slate, rs),
        check_dispatched(wf, slate, rs),
        check_attending(slate, rs),
    ]


def overall(checks: Iterable[Check]) -> str:
    """The worst status of the checks (ok when there are none)."""
    worst = OK
    for check in checks:
        if SEVERITY[check.status] > SEVERITY[worst]:
            worst = check.status
    return worst


# --- terms and sessions -----------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_term_length(start: dt.date, end: dt.date, rs: RuleSet | None = None) -> Check:
    """A term of rs.term_years_min to rs.term_years_max years. Both ways of writing the end
    are accepted: 2024-03-01 to 2027-02-28 (the last day) or to 2027-03-01."""
    rs = rs or RuleSet()
    earliest = add_years(start, rs.term_years_min) - dt.timedelta(days=1)
    latest = add_years(start, rs.term_years_max)
    status = OK if earliest <= end <= latest else FAIL
    return Check(
        "term_length",
        status,
        {
            "start": start,
            "end": end,
            "min_years": rs.term_years_min,
            "max_years": rs.term_years_max,
            "earliest_end": earliest,
            "latest_end": latest,
        },
        rs.basis_for("term_length"),
    )


@dataclass(frozen=True)
class TermYear:
    index: int  # 1-based
    start: dt.date
    end: dt.date
    sessions: int
    status: str  # ok, or warn when the year has fewer sessions than required
    past: bool  # the year has ended (as of `today`)


def term_years(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The term cut into years from its start: [start, start+1y-1d], ..., clipped to `end`."""
    years = []
    i = 0
    while True:
        a = add_years(start, i)
        if a > end:
            break
        b = min(add_years(start, i + 1) - dt.timedelta(days=1), end)
        years.append((a, b))
        i += 1
    return years


def sessions_per_year(
    start: dt.date,
    end: dt.date,
    session_dates: Sequence[dt.date],
    *,
    today: dt.date,
    rs: RuleSet | None = None,
) -> list[TermYear]:
    """For each year of the term, how many sessions fall in it; warn when fewer than required
    (also for years still ahead: a session should be planned)."""
    rs = rs or RuleSet()
    result = []
    for i, (a, b) in enumerate(term_years(start, end), start=1):
        n = sum(1 for d in session_dates if a <= d <= b)
        status = OK if n >= rs.sessions_per_year_min else WARN
        result.append(TermYear(i, a, b, n, status, b < today))
    return result


# --- quorum and the pass rule -----------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    required: int
    reached: bool

    @property
    def missing(self) -> int:
        return max(self.required - self.present, 0)


def quorum_required(total: int, rs: RuleSet | None = None) -> int:
    """The smallest number present that makes the quorum: ceil(total × 2/3)."""
    rs = rs or RuleSet()
    return math.ceil(total * rs.quorum)


def quorum(present: int, total: int, rs: RuleSet | None = None) -> Quorum:
    """At least 2/3 of ALL representatives of the term present (checked in). No quorum
    without representatives."""
    rs = rs or RuleSet()
    required = quorum_required(total, rs)
    reached = total > 0 and present * rs.quorum.denominator >= rs.quorum.numerator * total
    return Quorum(present, total, required, reached)


def resolution_passes(yes: int, all_representatives: int) -> bool:
    """More than half of ALL representatives of the term (not of those present): the voting
    core's rule with the term's representatives as the base."""
    return voting_rules.passes(yes, all_representatives)


def pass_threshold(all_representatives: int) -> int:
    return voting_rules.majority_threshold(all_representatives)
