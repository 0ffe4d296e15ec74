"""Pure rules of the congress bodies between sessions (working groups, duty reports,
grassroots supervisors). No Django import: tested without a database
(congress/tests/test_bodies_rules.py).

* The proposal committee's review (立案 / 不立案 / 并案 and the assignment) of a term's
  proposals: a cadre holding congress.review_proposal over the congress's unit, OR an active
  representative of the term sitting in the term's 提案 working group.
* The term year of a day: the year of the term (congress.rules.term_years) that holds it.
* A constituent of a representative: a member of the representative's electoral unit or of a
  unit below it, not the representative herself.
* A supervisor's appointment is in force from its first to its last day, both included.
* The score of a duty report: 满意 3, 基本满意 2, 不满意 1, averaged over the ratings and
  rounded to one decimal; None without ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

PROPOSAL_GROUP_KIND = "proposal"

SCORES = {"satisfied": 3, "basically": 2, "dissatisfied": 1}


def may_review_proposals(*, holds_review_code: bool, in_proposal_group: bool) -> bool:
    """Whether someone decides on a term's proposals (see the module docstring)."""
    return holds_review_code or in_proposal_group


def term_year(
    years: Sequence[tuple[dt.date, dt.date]], day: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The (start, end) of the term year that holds `day`, None outside the term."""
    for start, end in years:
        if start <= day <= end:
            return start, end
    return None


def is_constituent(member_unit_path: str, rep_unit_path: str, *, is_self: bool) -> bool:
    """A member of the electoral unit's subtree (paths end with "/"), not the rep herself."""
    if is_self or not rep_unit_path:
        return False
    return member_unit_path.startswith(rep_unit_path)


def appointment_in_force(starts_on: dt.date, ends_on: dt.date, day: dt.date) -> bool:
    return starts_on <= day <= ends_on


def appointment_valid(starts_on: dt.date | None, ends_on: dt.date | None) -> str | None:
    """A reason to refuse an appointment's period, or None."""
    if starts_on is None or ends_on is None:
        return "missing"
    if ends_on < starts_on:
        return "order"
    return None


def average_score(ratings: Iterable[str]) -> float | None:
    """The mean of the scores of the ratings on the scale (others left out), 1 decimal."""
    values = [SCORES[r] for r in ratings if r in SCORES]
    if not values:
        return None
    return round(sum(values) / len(values) + 1e-9, 1)


def not_reported(representative_ids: Iterable[int], reported_ids: Iterable[int]) -> list[int]:
    """The representatives without a report this year, in the given order."""
    done = set(reported_ids)
    return [r for r in representative_ids if r not in done]
