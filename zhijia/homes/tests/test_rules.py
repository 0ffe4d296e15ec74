"""The pure rules of the 建家 assessment (no database): the Done-means hand computation."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zhijia.homes import rules
from zhijia.homes.rules import Item


def test_the_default_set_totals_one_hundred_points():
    assert sum(c[2] for c in rules.DEFAULT_CRITERIA) == 100
    headings = {c[0] for c in rules.DEFAULT_CRITERIA}
    assert headings == {"组织健全", "程序规范", "活动正常", "职工认可", "五个结合"}


def test_a_self_assessment_score_equals_the_hand_computation():
    # Fixed data: five criteria (max 10, 8, 7, 15, 2) scored 9.5, 8, 7.25, 12, 2.
    # By hand: 9.5 + 8 + 7.25 + 12 + 2 = 38.75.
    items = [
        Item(D("9.5"), D("10")),
        Item(D("8"), D("8")),
        Item(D("7.25"), D("7")),  # above its maximum: counts 7 -> 9.5+8+7+12+2 = 38.5
        Item(D("12"), D("15")),
        Item(D("2"), D("2")),
    ]
    assert rules.total(items) == D("38.50")
    items[2] = Item(D("6.25"), D("7"))
    assert rules.total(items) == D("37.75")
    # An unscored criterion and a negative one count 0.
    assert rules.total([Item(None, D("10")), Item(D("-3"), D("5")), Item(D("4"), D("5"))]) == D(
        "4.00"
    )


def test_the_weighted_variant_multiplies_each_capped_score_by_its_weight():
    # By hand: 8 × 1.5 + 5 (capped from 6) × 2 + 3 × 0.5 = 12 + 10 + 1.5 = 23.5
    items = [
        Item(D("8"), D("10"), D("1.5")),
        Item(D("6"), D("5"), D("2")),
        Item(D("3"), D("4"), D("0.5")),
    ]
    assert rules.total(items, weighted=True) == D("23.50")
    assert rules.total(items) == D("16.00")  # weights ignored when the set is not weighted
    assert rules.maximum_total(items, weighted=True) == D("27.00")  # 15 + 10 + 2


def test_ranking_shares_a_rank_on_equal_totals_and_skips_the_next():
    ranks = rules.rank(
        [("a", D("90")), ("b", D("95.5")), ("c", D("90")), ("d", D("80")), ("e", None)]
    )
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


@pytest.mark.parametrize(
    ("score", "code"),
    [(D("-1"), "negative"), (D("10.5"), "over_maximum"), (D("3.333"), "decimals")],
)
def test_check_score_refuses(score, code):
    with pytest.raises(rules.RuleError) as exc:
        rules.check_score(score, D("10"))
    assert exc.value.code == code


def test_tiers_are_parsed_and_suggest_the_highest_reached():
    tiers = rules.parse_tiers("先进职工之家 = 80\n\n模范职工之家＝90\n职工小家=70")
    assert [t.name for t in tiers] == ["模范职工之家", "先进职工之家", "职工小家"]
    assert rules.suggested_title(D("90"), tiers) == "模范职工之家"
    assert rules.suggested_title(D("89.99"), tiers) == "先进职工之家"
    assert rules.suggested_title(D("69"), tiers) == ""
    assert rules.suggested_title(None, tiers) == ""
    for bad, code in (
        ("无分数", "tier_line"),
        ("甲=abc", "tier_number"),
        ("甲=1\n甲=2", "tier_twice"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.parse_tiers(bad)
        assert exc.value.code == code
