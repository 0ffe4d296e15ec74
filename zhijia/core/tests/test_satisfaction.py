"""The one satisfaction scale: codes, labels, the reopen rule and the satisfaction rate."""

from __future__ import annotations

from fractions import Fraction

from zhijia.cases.models import Grievance
from zhijia.congress.models import Proposal
from zhijia.core import satisfaction
from zhijia.core.satisfaction import Satisfaction


def test_scale_codes_and_labels():
    assert satisfaction.CODES == ("satisfied", "basically", "dissatisfied")
    assert [str(label) for _, label in Satisfaction.choices] == ["满意", "基本满意", "不满意"]
    assert satisfaction.label("basically") == "基本满意"
    assert satisfaction.label("") == "" and satisfaction.label("odd") == "odd"
    assert satisfaction.is_rating("satisfied") and not satisfaction.is_rating("good")


def test_every_rated_thing_uses_the_one_scale():
    assert Grievance.Rating is Satisfaction and Proposal.Rating is Satisfaction
    for model, name in ((Grievance, "rating"), (Proposal, "rating")):
        assert model._meta.get_field(name).choices == Satisfaction.choices


def test_outcome_reopens_once():
    assert satisfaction.outcome("satisfied", 0) == "close"
    assert satisfaction.outcome("basically", 0) == "close"
    assert satisfaction.outcome("dissatisfied", 0) == "reopen"
    assert satisfaction.outcome("dissatisfied", 1) == "close"
    assert satisfaction.outcome("dissatisfied", 1, max_reopens=2) == "reopen"
    assert (
        satisfaction.outcome("", 0) == "invalid" and satisfaction.outcome("great", 0) == "invalid"
    )


def test_satisfaction_rate():
    ratings = ["satisfied", "basically", "dissatisfied", "satisfied", "", "unknown"]
    assert satisfaction.satisfaction_rate(ratings) == Fraction(3, 4)
    counts = {"satisfied": 7, "basically": 1, "dissatisfied": 1, "": 5}
    assert satisfaction.satisfaction_rate(counts) == Fraction(8, 9)
    assert satisfaction.percent(Fraction(8, 9)) == 89
    assert satisfaction.percent(Fraction(1, 200)) == 1  # half up
    assert satisfaction.satisfaction_rate([]) is None and satisfaction.percent(None) is None
