"""The pure rules of bargaining, without a database (the holiday calendar is core.workdays'
Calendar, which needs none)."""

from __future__ import annotations

from datetime import date

import pytest

from zhijia.bargaining import rules
from zhijia.core.workdays import Calendar

CAL = Calendar()  # the package calendar: 2026 National Day 1-7 October, 10 October worked


def test_article_citation_in_chinese_numerals():
    assert rules.article(19) == "《集体合同规定》第十九条"
    assert rules.article(32) == "《集体合同规定》第三十二条"
    assert rules.article(42) == "《集体合同规定》第四十二条"
    assert rules.article(10) == "《集体合同规定》第十条"


def test_answer_due_20_calendar_days_moved_past_the_national_day_holiday():
    # 12 Sep + 20 days = 2 Oct, a holiday: the period ends on 8 Oct, the first working day.
    assert rules.answer_due(date(2026, 9, 12), CAL.is_workday) == date(2026, 10, 8)
    # a 20th day that is a working day stays: 1 Sep + 20 = 21 Sep (Monday)
    assert rules.answer_due(date(2026, 9, 1), CAL.is_workday) == date(2026, 9, 21)


def test_filing_due_10_calendar_days_and_a_weekend_moves_it():
    assert rules.filing_due(date(2026, 9, 22), CAL.is_workday) == date(2026, 10, 8)
    # 16 Sep + 10 = Saturday 26 Sep -> Monday 28 Sep
    assert rules.filing_due(date(2026, 9, 16), CAL.is_workday) == date(2026, 9, 28)


def test_effective_the_day_after_15_days_without_objection():
    assert rules.objection_until(date(2026, 9, 17), CAL.is_workday) == date(2026, 10, 8)
    assert rules.effective_on(date(2026, 9, 17), CAL.is_workday) == date(2026, 10, 9)
    # a working weekend (调休 Saturday 10 Oct) ends a period where it falls
    assert rules.objection_until(date(2026, 9, 25), CAL.is_workday) == date(2026, 10, 10)


def test_term_and_renewal_window():
    assert [y for y in range(0, 5) if rules.term_valid(y)] == [1, 2, 3]
    assert rules.expires_on(date(2026, 10, 9), 3) == date(2029, 10, 8)
    assert rules.expires_on(date(2028, 2, 29), 1) == date(2029, 2, 27)
    assert rules.renewal_opens(date(2029, 10, 8)) == date(2029, 7, 9)


def codes(problems):
    return [(p.code, p.params.get("side")) for p in problems]


def test_valid_delegation():
    assert rules.check_delegations([True, False, False], [False, True, False]) == []


def test_four_against_three_is_refused():
    problems = rules.check_delegations([True, False, False, False], [True, False, False])
    assert codes(problems) == [("unequal", None)]
    assert problems[0].params == {"union": 4, "employer": 3}


def test_eleven_a_side_is_refused_and_the_maximum_is_configurable():
    eleven = [True] + [False] * 10
    assert codes(rules.check_delegations(eleven, eleven)) == [
        ("too_many", "union"),
        ("too_many", "employer"),
    ]
    assert rules.check_delegations(eleven, eleven, max_per_side=11) == []


def test_too_few_and_chiefs():
    problems = rules.check_delegations([False, False], [True, True])
    assert codes(problems) == [
        ("too_few", "union"),
        ("chief", "union"),
        ("too_few", "employer"),
        ("chief", "employer"),
    ]


@pytest.mark.parametrize(
    ("total", "present", "yes", "quorum", "majority"),
    [
        (30, 20, 16, True, True),  # exactly 2/3 present, 16 > 15
        (30, 19, 19, False, True),  # under 2/3 present
        (30, 30, 15, True, False),  # half of all is not more than half
        (3, 2, 2, True, True),
    ],
)
def test_vote_rule_of_article_36(total, present, yes, quorum, majority):
    outcome = rules.vote_outcome(total=total, present=present, yes=yes)
    assert (outcome.quorum, outcome.majority) == (quorum, majority)
    assert outcome.passed == (quorum and majority)


def test_vote_counts_must_be_consistent():
    with pytest.raises(ValueError):
        rules.vote_outcome(total=10, present=11, yes=1)


def test_demand_counts_most_raised_first():
    assert rules.demand_counts(["wages", "rest", "wages", "safety", "rest", "wages"]) == [
        ("wages", 3),
        ("rest", 2),
        ("safety", 1),
    ]


def test_clause_diff():
    old = [
        ("1", "工资", "月工资增长3%。"),
        ("2", "休息", "每周休息两天。"),
        ("3", "培训", "每年培训。"),
    ]
    new = [
        ("1", "工资", "月工资增长5%。"),
        ("2", "休息", "每周休息两天。"),
        ("4", "女职工", "设妈咪小屋。"),
    ]
    changes = {c.key: c for c in rules.diff_clauses(old, new)}
    assert [c.kind for c in rules.diff_clauses(old, new)] == ["changed", "same", "added", "removed"]
    assert ("-", "3") in changes["1"].lines and ("+", "5") in changes["1"].lines
    assert changes["4"].new == "设妈咪小屋。"
    assert changes["3"].old == "每年培训。"


# The national minimums as module women provides them (core.hooks.legal_minimums).
STATUTE = {rules.MATERNITY_DAYS: 98, rules.NURSING_MINUTES: 60}


def test_women_contract_checked_against_the_statute():
    good = [
        ("1", "产假", "女职工生育享受 128 天产假（含法定 98 天）。"),
        ("2", "哺乳时间", "每天安排 1 小时哺乳时间，多胞胎每多哺乳一个婴儿增加 1 小时。"),
        ("3", "孕期保护", "怀孕 7 个月以上不安排延长劳动时间和夜班劳动。"),
        ("4", "流产", "怀孕未满 4 个月流产的，享受 15 天产假。"),
    ]
    assert rules.check_women_clauses(good, STATUTE) == []
    bad = [
        ("1", "产假", "女职工生育享受 90 天产假。"),
        ("2", "哺乳", "每天哺乳时间 30 分钟。"),
    ]
    findings = rules.check_women_clauses(bad, STATUTE)
    assert [(f.code, f.subject, f.clause) for f in findings] == [
        ("missing", "pregnancy", ""),
        ("below", "maternity", "1"),
        ("below", "nursing", "2"),
    ]
    assert (findings[1].found, findings[1].minimum, findings[1].article) == (90, 98, 7)
    assert (findings[2].found, findings[2].minimum, findings[2].article) == (30, 60, 9)
