"""The pure rules of honours (no database): the "五型" score equals a hand computation, the
pass mark, which holder each kind takes, and when a care item is overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhijia.services import honour_rules as rules

D = Decimal
CRITERIA = [
    rules.Criterion(1, "learning", D("15")),
    rules.Criterion(2, "learning", D("10")),
    rules.Criterion(3, "safety", D("25")),
    rules.Criterion(4, "clean", D("20")),
    rules.Criterion(5, "thrift", D("12.5")),
    rules.Criterion(6, "harmony", D("17.5")),
]


def test_five_type_score_equals_a_hand_computation():
    scores = {1: "12", 2: "9.5", 3: D("20"), 4: "15.5", 5: "10", 6: "14"}
    score = rules.assessment_score(CRITERIA, scores)
    # By hand: learning 12 + 9.5 = 21.5; safety 20; clean 15.5; thrift 10; harmony 14.
    assert score.by_type == {
        "learning": D("21.5"),
        "safety": D("20"),
        "clean": D("15.5"),
        "thrift": D("10"),
        "harmony": D("14"),
    }
    # Total 81 of 15 + 10 + 25 + 20 + 12.5 + 17.5 = 100 points: 81.0 %.
    assert score.total == D("81")
    assert score.maximum == D("100")
    assert score.rate == D("81.0")
    assert rules.passes(score, D("80"))
    assert not rules.passes(score, D("81.5"))


def test_rate_rounds_half_up_and_a_missing_score_counts_zero():
    criteria = [rules.Criterion(1, "safety", D("30")), rules.Criterion(2, "clean", D("40"))]
    # 23.5 of 70 = 33.571… % → 33.6; criterion 2 not scored counts 0.
    score = rules.assessment_score(criteria, {1: "23.5"})
    assert (score.total, score.rate) == (D("23.5"), D("33.6"))
    assert score.by_type == {"safety": D("23.5"), "clean": D("0")}
    # 2 of 3 = 66.666… → 66.7; exactly 87.25 → 87.3 (half up)
    third = rules.assessment_score([rules.Criterion(1, "clean", D("3"))], {1: "2"})
    assert third.rate == D("66.7")
    half = rules.assessment_score([rules.Criterion(1, "clean", D("40"))], {1: "34.9"})
    assert half.rate == D("87.3")
    assert not rules.passes(rules.assessment_score([], {}), D("0"))


@pytest.mark.parametrize(
    ("value", "code"), [("-1", "range"), ("abc", "invalid"), ("1.25", "decimals"), ("16", "above")]
)
def test_a_bad_score_names_its_criterion(value, code):
    with pytest.raises(rules.HonourError) as exc:
        rules.assessment_score(CRITERIA, {1: value})
    assert (exc.value.code, exc.value.field) == (code, "c1")


def test_holders_and_levels_fit_the_kind():
    rules.check_honour("model_worker", "city", has_member=True, team_name="")
    rules.check_honour("pioneer", "national", has_member=False, team_name="检修班组")
    rules.check_honour("competition_place", "enterprise", has_member=False, team_name="一队")
    rules.check_honour("competition_place", "enterprise", has_member=True, team_name="")
    refused = [
        (("model_worker", "city"), {"has_member": False, "team_name": "班组"}, "person"),
        (("pioneer", "city"), {"has_member": True, "team_name": ""}, "team"),
        (("may_day_medal", "enterprise"), {"has_member": True, "team_name": ""}, "level"),
        (("great_craftsman", "city"), {"has_member": True, "team_name": ""}, "level"),
        (("hero", "city"), {"has_member": True, "team_name": ""}, "kind"),
        (("competition_place", "city"), {"has_member": True, "team_name": "一队"}, "both"),
        (("competition_place", "city"), {"has_member": False, "team_name": " "}, "holder"),
    ]
    for (kind, level), holder, code in refused:
        with pytest.raises(rules.HonourError) as exc:
            rules.check_honour(kind, level, **holder)
        assert exc.value.code == code, (kind, level, holder)


def test_care_applies_by_kind_and_level_and_is_overdue_after_its_month():
    held = [("model_worker", "city"), ("technical_expert", "enterprise")]
    assert rules.care_applies("model_worker", "", held)
    assert rules.care_applies("model_worker", "city", held)
    assert not rules.care_applies("model_worker", "national", held)
    assert not rules.care_applies("craftsman", "", held)
    status = rules.care_status
    assert status(year=2026, due_month=9, done=False, today=dt.date(2026, 9, 30)) == rules.PENDING
    assert status(year=2026, due_month=9, done=False, today=dt.date(2026, 10, 1)) == rules.OVERDUE
    assert status(year=2025, due_month=12, done=False, today=dt.date(2026, 1, 2)) == rules.OVERDUE
    assert status(year=2026, due_month=2, done=True, today=dt.date(2026, 12, 1)) == rules.DONE
