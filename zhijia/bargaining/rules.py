"""Pure rules of module bargaining (集体合同规定, 劳动部令第22号, 2004): no Django import,
tested without a database (tests/test_rules.py).

The periods, and why each counts CALENDAR days (written down in docs/bargaining.md too):

  Art. 32  the other side answers a bargaining request in writing "within 20 days of receiving
           it" (自收到协商要求之日起20日内);
  Art. 42  the employer files the signed contract with the labour bureau "within 10 days of
           the chief representatives' signature" (自双方首席代表签字之日起10日内);
  Art. 47  the contract takes effect when the bureau raises no objection "within 15 days of
           receiving the text" (自收到文本之日起15日内未提出异议的，即行生效).

  The regulation writes 日 (days), not 工作日 (working days): where Chinese labour rules mean
  working days they say so (e.g. 工资支付暂行规定, 行政许可法 Art. 82), so these are calendar
  days. They are counted as the civil code counts every period in days (民法典 Art. 201 and
  203): the day of the event does not count, and when the last day is a rest day or a
  statutory holiday, the period ends on the first working day after it. That last rule is
  why the computation needs the holiday calendar (core.workdays supplies `is_workday`, which
  knows the statutory holidays and the 调休 working weekends): a request received on
  12 September 2026 has its 20th day on 2 October, inside the National Day holiday, so the
  answer is due on 8 October, the first working day after it.

  The effective date (Art. 47) is the day after the objection period ends: only then is it
  known that no objection came "within 15 days".
  Art. 38  the term is 1 to 3 years (calendar years: it ends the day before the anniversary);
           either side may ask for a new contract within the 3 months before it ends, which is
           when the renewal reminder goes out.

Delegations (Art. 19): equal numbers on both sides, at least 3 a side, exactly one chief
representative a side; at most a configured number a side (default 10, as provincial rules
commonly set). The vote on a draft (Art. 36): at least two thirds of all representatives (or of
all workers) present, and more than half of ALL of them in favour.

The women's special contract (女职工权益保护专项集体合同) is read against 女职工劳动保护特别规定:
each of maternity leave (Art. 7), pregnancy (Art. 6) and nursing (Art. 9) covered by a clause,
and no clause promising less maternity leave or nursing time a day than the legal minimums,
which module women provides (core.hooks.legal_minimums; check_women_clauses).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- the articles (cited in the UI: "《集体合同规定》第三十二条") -------------------------------

ART_DELEGATION = 19
ART_VOTE = 36
ART_ANSWER = 32
ART_TERM = 38
ART_FILING = 42
ART_EFFECTIVE = 47
ART_PUBLICATION = 48

ANSWER_DAYS = 20  # Art. 32
FILING_DAYS = 10  # Art. 42
OBJECTION_DAYS = 15  # Art. 47
MIN_TERM_YEARS, MAX_TERM_YEARS = 1, 3  # Art. 38
RENEWAL_MONTHS = 3  # Art. 38: a new contract may be asked for within 3 months before the end
MIN_DELEGATES = 3  # Art. 19
DEFAULT_MAX_DELEGATES = 10  # provincial rules commonly set 10

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as articles are numbered: 19 -> 十九, 32 -> 三十二."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    if ones:
        text += _DIGITS[ones]
    return text


def article(n: int) -> str:
    """The citation as the UI shows it: 《集体合同规定》第三十二条."""
    return f"《集体合同规定》第{chinese_number(n)}条"


# --- periods in calendar days (民法典 Art. 201, 203) --------------------------------------------


def period_end(start: date, days: int, is_workday: Callable[[date], bool]) -> date:
    """The last day of a period of `days` calendar days from the event on `start`.

    The event's day does not count (Art. 201): the n-th day is start + n. When that day is a
    rest day or holiday, the period ends on the first working day after it (Art. 203)."""
    day = start + timedelta(days=days)
    for _ in range(60):  # the longest Chinese holiday run is far shorter
        if is_workday(day):
            return day
        day += timedelta(days=1)
    return day


def answer_due(received_on: date, is_workday: Callable[[date], bool]) -> date:
    """Art. 32: the written answer to a bargaining request is due by this day."""
    return period_end(received_on, ANSWER_DAYS, is_workday)


def filing_due(signed_on: date, is_workday: Callable[[date], bool]) -> date:
    """Art. 42: the signed contract is filed with the labour bureau by this day."""
    return period_end(signed_on, FILING_DAYS, is_workday)


def objection_until(bureau_received_on: date, is_workday: Callable[[date], bool]) -> date:
    """Art. 47: the last day on which the bureau may object."""
    return period_end(bureau_received_on, OBJECTION_DAYS, is_workday)


def effective_on(bureau_received_on: date, is_workday: Callable[[date], bool]) -> date:
    """Art. 47: the contract takes effect the day after the objection period ends."""
    return objection_until(bureau_received_on, is_workday) + timedelta(days=1)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def term_valid(years: int) -> bool:
    """Art. 38: a term of 1 to 3 years."""
    return MIN_TERM_YEARS <= int(years) <= MAX_TERM_YEARS


def expires_on(effective: date, years: int) -> date:
    """The last day of the term: the day before the anniversary."""
    return add_years(effective, years) - timedelta(days=1)


def renewal_opens(expires: date) -> date:
    """Art. 38: from this day either side may ask for a new contract (3 months before the end);
    the renewal reminder goes out then."""
    return add_months(expires, -RENEWAL_MONTHS) + timedelta(days=1)


# --- the delegations (Art. 19) -----------------------------------------------------------------


@dataclass(frozen=True)
class DelegationProblem:
    """One reason a pair of delegations is refused: a code and its numbers."""

    code: str  # unequal | too_few | too_many | chief
    params: dict = field(default_factory=dict)


def check_delegations(
    union_chiefs: Sequence[bool],
    employer_chiefs: Sequence[bool],
    *,
    max_per_side: int = DEFAULT_MAX_DELEGATES,
) -> list[DelegationProblem]:
    """The delegations as lists of "is chief representative" flags, one per delegate.

    Empty list: valid. Otherwise every problem found, in a stable order."""
    problems: list[DelegationProblem] = []
    sizes = {"union": len(union_chiefs), "employer": len(employer_chiefs)}
    if sizes["union"] != sizes["employer"]:
        problems.append(DelegationProblem("unequal", dict(sizes)))
    for side, flags in (("union", union_chiefs), ("employer", employer_chiefs)):
        if len(flags) < MIN_DELEGATES:
            problems.append(
                DelegationProblem("too_few", {"side": side, "n": len(flags), "min": MIN_DELEGATES})
            )
        if len(flags) > max_per_side:
            problems.append(
                DelegationProblem("too_many", {"side": side, "n": len(flags), "max": max_per_side})
            )
        chiefs = sum(1 for flag in flags if flag)
        if chiefs != 1:
            problems.append(DelegationProblem("chief", {"side": side, "n": chiefs}))
    return problems


# --- the vote on a draft (Art. 36) ---------------------------------------------------------------


@dataclass(frozen=True)
class VoteOutcome:
    total: int  # all representatives (or all workers)
    present: int
    yes: int
    quorum: bool  # at least two thirds present
    majority: bool  # more than half of ALL in favour

    @property
    def passed(self) -> bool:
        return self.quorum and self.majority


def vote_outcome(*, total: int, present: int, yes: int) -> VoteOutcome:
    """Art. 36: at least 2/3 of all present and more than half of all in favour."""
    if total < 1 or present < 0 or yes < 0 or yes > present or present > total:
        raise ValueError("inconsistent counts")
    quorum = present * 3 >= total * 2
    majority = yes * 2 > total
    return VoteOutcome(total, present, yes, quorum, majority)


# --- workers' demands ------------------------------------------------------------------------


def demand_counts(topics: Iterable[str]) -> list[tuple[str, int]]:
    """(topic, count), most raised first, ties in topic order."""
    counts = Counter(topics)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- clause-by-clause diff between two versions ---------------------------------------------------


@dataclass(frozen=True)
class ClauseChange:
    key: str  # the clause's number as shown ("3")
    kind: str  # added | removed | changed | same
    title: str
    old: str
    new: str
    lines: tuple[tuple[str, str], ...] = ()  # (op, text): op in "=", "-", "+"


def _fragments(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """A character-level diff (Chinese has no spaces to split words at), merged into runs."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", old[a1:a2]))
        else:
            if a2 > a1:
                out.append(("-", old[a1:a2]))
            if b2 > b1:
                out.append(("+", new[b1:b2]))
    return tuple(out)


def diff_clauses(
    old: Sequence[tuple[str, str, str]], new: Sequence[tuple[str, str, str]]
) -> list[ClauseChange]:
    """Clauses as (number, title, text); matched by number. Every clause of either version
    appears once, in the new version's order, removed ones where they stood."""
    old_by = {number: (title, text) for number, title, text in old}
    new_by = {number: (title, text) for number, title, text in new}
    changes: list[ClauseChange] = []
    order = [n for n, _t, _x in new] + [n for n, _t, _x in old if n not in new_by]
    for number in order:
        if number not in old_by:
            title, text = new_by[number]
            changes.append(ClauseChange(number, "added", title, "", text, (("+", text),)))
        elif number not in new_by:
            title, text = old_by[number]
            changes.append(ClauseChange(number, "removed", title, text, "", (("-", text),)))
        else:
            (old_title, old_text), (title, text) = old_by[number], new_by[number]
            if old_title == title and old_text == text:
                changes.append(ClauseChange(number, "same", title, old_text, text))
            else:
                old_full, new_full = f"{old_title}\n{old_text}", f"{title}\n{text}"
                changes.append(
                    ClauseChange(
                        number, "changed", title, old_text, text, _fragments(old_full, new_full)
                    )
                )
    return changes


# --- the women's special contract against 女职工劳动保护特别规定 (2012) ---------------------
# A 女职工权益保护专项集体合同 may add to the statutory protection, never fall below it. The clauses
# are read for the three subjects every such contract covers and for the numbers they promise.

# The minimums compared (codes of core.hooks.LegalMinimum, as module women provides them).
MATERNITY_DAYS = "maternity_days"  # Art. 7
NURSING_MINUTES = "nursing_minutes_per_day"  # Art. 9
WOMEN_SUBJECTS = {
    # subject: (article, words one of which a clause on it contains)
    "maternity": (7, ("产假",)),
    "nursing": (9, ("哺乳",)),
    "pregnancy": (6, ("孕期", "怀孕")),
}

_DAYS = re.compile(r"(\d+)\s*(?:天|日)")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(小时|分钟)")


@dataclass(frozen=True)
class WomenFinding:
    code: str  # missing | below
    subject: str  # maternity | nursing | pregnancy
    article: int
    found: float = 0
    minimum: float = 0
    clause: str = ""  # the clause's number


def check_women_clauses(
    clauses: Sequence[tuple[str, str, str]], minimums: Mapping[str, float]
) -> list[WomenFinding]:
    """Clauses as (number, title, text); minimums by code (MATERNITY_DAYS, NURSING_MINUTES: the
    legal minimums module women provides). A finding for each subject no clause covers, and for
    each clause promising less than its minimum: maternity leave (a clause on miscarriage, 流产,
    has its own shorter periods and is not compared), nursing time a day. A minimum not given
    is not compared."""
    findings: list[WomenFinding] = []
    for subject, (art, words) in WOMEN_SUBJECTS.items():
        if not any(w in f"{title}{text}" for _n, title, text in clauses for w in words):
            findings.append(WomenFinding("missing", subject, art))
    for number, title, text in clauses:
        body = f"{title}{text}"
        if "产假" in body and "流产" not in body:
            days = [int(d) for d in _DAYS.findall(text)]
            least = minimums.get(MATERNITY_DAYS)
            if days and least is not None and max(days) < least:
                findings.append(WomenFinding("below", "maternity", 7, max(days), least, number))
        if "哺乳" in body:
            minutes = [
                float(value) * (60 if unit == "小时" else 1)
                for value, unit in _DURATION.findall(text)
            ]
            least = minimums.get(NURSING_MINUTES)
            if minutes and least is not None and max(minutes) < least:
                findings.append(WomenFinding("below", "nursing", 9, max(minutes), least, number))
    return findings
