"""The pure rules of the suggestions (no database): scores, tiers, configuration, and the
yearly figures against a hand count on fixed data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhijia.services import suggestion_rules as rules
from zhijia.services.suggestion_rules import Criterion, Tier, YearCounts

D = Decimal


def test_an_expert_score_is_the_weighted_mean_and_counts_only_when_complete():
    criteria = rules.DEFAULT_CRITERIA  # 30, 30, 25, 15
    marks = {"创新性": 80, "可行性": 90, "经济效益": 70, "推广价值": 60}
    # (80*30 + 90*30 + 70*25 + 60*15) / 100 = (2400 + 2700 + 1750 + 900) / 100 = 77.5
    assert rules.expert_score(criteria, marks) == D("77.5")
    assert rules.expert_score(criteria, {"创新性": 80}) is None
    half = {"创新性": 100}
    other = {"创新性": 60, "可行性": 70, "经济效益": 80, "推广价值": 90}
    # other: (1800 + 2100 + 2000 + 1350) / 100 = 72.5; mean of 77.5 and 72.5 = 75.0
    assert rules.suggestion_score(criteria, {1: marks, 2: other, 3: half}) == D("75.0")
    assert rules.suggestion_score(criteria, {3: half}) is None


def test_marks_are_whole_numbers_from_0_to_100():
    assert rules.check_mark(0) == 0 and rules.check_mark(100) == 100
    for bad in (-1, 101, 7.5, "80", None, True):
        with pytest.raises(rules.RuleError):
            rules.check_mark(bad)


def test_the_tier_is_the_best_paid_one_both_minimums_reach():
    tiers = rules.DEFAULT_TIERS
    assert rules.tier_for(D("600000"), D("90"), tiers).name == "一等奖"
    # the benefit reaches 一等奖 but the score only 二等奖's minimum
    assert rules.tier_for(D("600000"), D("80"), tiers).name == "二等奖"
    assert rules.tier_for(D("20000"), D("99"), tiers).name == "三等奖"
    assert rules.tier_for(D("0"), None, tiers).name == "鼓励奖"
    strict = [Tier("特等奖", D("1000"), D("90"), D("100"))]
    assert rules.tier_for(D("999.99"), D("95"), strict) is None
    # equal amounts: the first declared
    twins = [Tier("甲", D("0"), D("0"), D("50")), Tier("乙", D("0"), D("0"), D("50"))]
    assert rules.tier_for(D("1"), D("1"), twins).name == "甲"


def test_criteria_lines_are_parsed_and_weights_must_make_100():
    assert rules.parse_criteria("创新性 40\n可行性，60\n\n") == [
        Criterion("创新性", 40),
        Criterion("可行性", 60),
    ]
    for text, code in (
        ("创新性 40\n可行性 50", "weight_total"),
        ("创新性 40\n创新性 60", "duplicate_name"),
        ("创新性", "criterion_line"),
        ("", "no_criteria"),
        ("创新性 0\n可行性 100", "weight_range"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.parse_criteria(text)
        assert exc.value.code == code, text


def test_tier_lines_are_parsed():
    assert rules.parse_tiers("一等奖 100000 80 3000\n鼓励奖，0，0，100") == [
        Tier("一等奖", D("100000"), D("80"), D("3000")),
        Tier("鼓励奖", D("0"), D("0"), D("100")),
    ]
    for text, code in (
        ("一等奖 100000 80", "tier_line"),
        ("一等奖 十万 80 3000", "not_a_number"),
        ("一等奖 1000 120 3000", "score_range"),
        ("一等奖 -5 80 3000", "amount_range"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.parse_tiers(text)
        assert exc.value.code == code, text


def test_the_nearest_configured_unit_above_applies():
    lineage = ["/1/", "/1/4/", "/1/4/9/"]
    configured = {"/1/": ["root"], "/1/4/": ["branch"]}
    assert rules.nearest_configured(lineage, configured) == ("/1/4/", ["branch"])
    assert rules.nearest_configured(["/1/", "/1/5/"], configured) == ("/1/", ["root"])
    assert rules.nearest_configured(["/2/"], configured) == (None, ())


def test_yearly_figures_equal_a_hand_count_on_fixed_data():
    """Fixed data: 250 workers; 12 suggestions submitted in the year, of which 7 adopted
    (4 of them implemented), 3 rejected, 2 still in review or scoring; certified benefit
    80,000 + 45,500.50 = 125,500.50."""
    counts = YearCounts(
        workers=250,
        submitted=12,
        adopted=7,
        rejected=3,
        implemented=4,
        benefit=D("80000") + D("45500.50"),
    )
    figures = rules.year_figures(counts)
    assert figures.per_100 == D("4.8")  # 12 / 250 * 100
    assert figures.decided == 10
    assert figures.adoption_rate == D("70.0")  # 7 / 10
    assert figures.implementation_rate == D("57.1")  # 4 / 7 = 57.142…
    assert figures.counts.benefit == D("125500.50")
    empty = rules.year_figures(YearCounts(0, 0, 0, 0, 0, D("0")))
    assert (empty.per_100, empty.adoption_rate, empty.implementation_rate) == (None, None, None)
