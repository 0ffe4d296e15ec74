"""The pure rules of the congress bodies (no database)."""

from __future__ import annotations

import datetime as dt

from zhijia.congress import bodies_rules as rules
from zhijia.congress.rules import term_years


def test_the_proposal_committee_is_cadres_or_the_proposal_group():
    assert rules.may_review_proposals(holds_review_code=True, in_proposal_group=False)
    assert rules.may_review_proposals(holds_review_code=False, in_proposal_group=True)
    assert not rules.may_review_proposals(holds_review_code=False, in_proposal_group=False)


def test_term_year_of_a_day():
    years = term_years(dt.date(2024, 3, 1), dt.date(2029, 2, 28))
    assert rules.term_year(years, dt.date(2026, 12, 4)) == (
        dt.date(2026, 3, 1),
        dt.date(2027, 2, 28),
    )
    assert rules.term_year(years, dt.date(2024, 3, 1))[0] == dt.date(2024, 3, 1)
    assert rules.term_year(years, dt.date(2029, 3, 1)) is None


def test_constituents_are_the_electoral_units_subtree_but_not_the_representative():
    assert rules.is_constituent("/1/4/17/", "/1/4/", is_self=False)
    assert rules.is_constituent("/1/4/", "/1/4/", is_self=False)
    assert not rules.is_constituent("/1/5/", "/1/4/", is_self=False)
    assert not rules.is_constituent("/1/40/", "/1/4/", is_self=False)
    assert not rules.is_constituent("/1/4/17/", "/1/4/", is_self=True)


def test_appointment_period():
    a, b = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert rules.appointment_in_force(a, b, a) and rules.appointment_in_force(a, b, b)
    assert not rules.appointment_in_force(a, b, dt.date(2027, 1, 1))
    assert rules.appointment_valid(a, b) is None
    assert rules.appointment_valid(b, a) == "order"
    assert rules.appointment_valid(None, b) == "missing"


def test_average_score_and_who_has_not_reported():
    assert rules.average_score([]) is None
    assert rules.average_score(["satisfied", "basically", "dissatisfied", "bogus"]) == 2.0
    assert rules.average_score(["satisfied", "satisfied", "basically"]) == 2.7
    assert rules.not_reported([3, 1, 2], [1]) == [3, 2]
