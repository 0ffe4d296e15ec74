"""Pure rules of module cases: no Django import, tested without a database.

- deadlines per grievance category (working days; a union can override them per routing rule);
- where a grievance goes when no routing rule matches, and which rule wins when several do;
- the mediation period of 劳动争议调解仲裁法 Art. 14 (15 days) with 民法典 Art. 201/203;
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# --- categories and deadlines -------------------------------------------------------------------

CATEGORIES = (
    "wages",
    "social_insurance",
    "working_hours",
    "contract",
    "safety",
    "discrimination",
    "other",
)

# Working days for the responsible level to answer, by category (common union practice:
# safety first, wages fast because arrears hurt at once, insurance and contracts need files).
DEFAULT_DEADLINE_WORKDAYS = {
    "wages": 5,
    "social_insurance": 10,
    "working_hours": 5,
    "contract": 10,
    "safety": 3,
    "discrimination": 10,
    "other": 10,
}
# A legal question (法律咨询) is answered faster than a grievance is handled.
LEGAL_QUESTION_WORKDAYS = 5


def default_deadline(kind: str, category: str) -> int:
    if kind == "legal":
        return LEGAL_QUESTION_WORKDAYS
    return DEFAULT_DEADLINE_WORKDAYS.get(category, DEFAULT_DEADLINE_WORKDAYS["other"])


# --- routing --------------------------------------------------------------------------------------

BRANCH_DEPTH = 2  # "/1/" union committee, "/1/4/" a branch union, "/1/4/17/" a union group


def path_depth(path: str) -> int:
    return len([p for p in path.split("/") if p])


def default_handling_path(origin_path: str) -> str:
    """Without a routing rule, a grievance goes to the branch union of the worker's unit (a
    union group's leader is a volunteer, not a case handler); at the committee it stays there."""
    parts = [p for p in origin_path.split("/") if p]
    return "/" + "/".join(parts[:BRANCH_DEPTH]) + "/" if parts else origin_path


@dataclass(frozen=True)
class RuleView:
    """What the choice needs to know of a routing rule."""

    id: int
    category: str  # "" = every category
    scope_path: str  # the rule applies to grievances from this subtree


def choose_rule(rules: Iterable[RuleView], category: str, origin_path: str) -> RuleView | None:
    """The most specific matching rule: the deepest subtree first, then a rule for this very
    category over a rule for every category, then the oldest rule (lowest id)."""
    matching = [
        r for r in rules if origin_path.startswith(r.scope_path) and r.category in ("", category)
    ]
    if not matching:
        return None
    return min(matching, key=lambda r: (-path_depth(r.scope_path), r.category == "", r.id))


# --- mediation (劳动争议调解仲裁法) ---------------------------------------------------------

MEDIATION_DAYS = 15  # Art. 14: no agreement within 15 days of the request -> arbitration
ARBITRATION_LIMITATION_YEARS = 1  # Art. 27


def mediation_period_end(requested_on: date) -> date:
    """The last day of the 15-day mediation period, before any rest-day extension.

    民法典 Art. 201: a period counted in days starts on the day after the event, so a request
    received on 3 March runs from 4 March and its 15th day is 18 March."""
    return requested_on + timedelta(days=MEDIATION_DAYS)


def mediation_deadline_day(requested_on: date, is_workday) -> date:
    """The day at whose end the period is over: its 15th day, moved to the next working day
    when the 15th day is a rest day or holiday (民法典 Art. 203)."""
    day = mediation_period_end(requested_on)
    for _ in range(60):  # the longest Chinese holiday run is far shorter
        if is_workday(day):
            return day
        day += timedelta(days=1)
    return day


def summary(text: str, length: int = 40) -> str:
    """The first line of a text, shortened for lists."""
    first = " ".join(str(text).split())
    return first if len(first) <= length else first[: length - 1] + "…"
