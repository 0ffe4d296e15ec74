"""Learning's pure rules (no database): the draw, marking, the time limit, the masked name,
targets and the question bank's rows."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from zhijia.services import learning_rules as rules


def test_two_draws_differ_when_the_bank_allows():
    bank = list(range(1, 11))
    first = rules.draw(bank, 5, rng=random.Random(1))
    second = rules.draw(bank, 5, seen=first, rng=random.Random(1))
    assert len(set(first)) == 5 and len(set(second)) == 5
    assert not set(first) & set(second)  # the unseen ones first: disjoint
    # a bank too small for two disjoint draws: the rest come from those already seen
    third = rules.draw(list(range(1, 8)), 5, seen=first, rng=random.Random(2))
    assert set(range(1, 8)) - set(first) <= set(third) and len(set(third)) == 5
    assert rules.draw([1, 2], 5) in ([1, 2], [2, 1])


def test_marking_forgives_order_width_and_case():
    assert rules.is_correct("multiple", "AC", "c,a")
    assert rules.is_correct("multiple", "AC", "ＡＣ")
    assert not rules.is_correct("multiple", "AC", "A")
    assert rules.is_correct("single", "B", " b ")
    assert rules.is_correct("true_false", "对", "正确")
    assert not rules.is_correct("true_false", "对", "错")
    assert not rules.is_correct("true_false", "对", "")
    assert rules.is_correct("fill", "执行委员会|执委会", "执委会")
    assert not rules.is_correct("fill", "执行委员会", "委员会")
    marked = rules.score([(1, "single", "A"), (2, "single", "B"), (3, "fill", "工会")], {"1": "A"})
    assert (marked.correct, marked.total, marked.score, marked.wrong) == (1, 3, 33, (2, 3))
    assert rules.passed(60, 60) and not rules.passed(59, 60)


def test_time_limit_and_masked_name_and_target():
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    due = rules.deadline(start, 30)
    assert not rules.is_overdue(due - dt.timedelta(seconds=1), due)
    assert rules.is_overdue(due, due)  # at the deadline: refused
    assert rules.mask_name("王小明") == "王**"
    assert rules.mask_name("李四") == "李*"
    assert rules.mask_name("") == "*"
    assert rules.target_for([Decimal("8"), Decimal("16")]) == Decimal("16")
    assert rules.target_for([]) is None
    row = rules.report_row(
        "1", "甲", "一分会", enrolled=2, completed=1, hours=Decimal("8"), targets=[8]
    )
    assert row.met is True
    assert (
        rules.report_row("1", "甲", "x", enrolled=0, completed=0, hours=0, targets=[]).met is None
    )


def test_question_rows_and_their_errors():
    ok = rules.parse_question_row(["多选", "题", "甲", "乙", "丙", None, None, None, "a,c", "因为"])
    assert ok == rules.ParsedQuestion("multiple", "题", ("甲", "乙", "丙"), "AC", "因为")
    tf = rules.parse_question_row(["判断", "题", "", "", "", "", "", "", "错误"])
    assert isinstance(tf, rules.ParsedQuestion) and tf.answer == "错"
    errors = {
        ("问答", "题", "", "", "", "", "", "", "x"): "题型",
        ("单选", "", "甲", "乙", "", "", "", "", "A"): "题目不能为空",
        ("单选", "题", "甲", "乙", "", "", "", "", "C"): "答案应为选项字母",
        ("单选", "题", "甲", "乙", "", "", "", "", "AB"): "只能是一个字母",
        ("多选", "题", "甲", "乙", "", "", "", "", "A"): "至少两个字母",
        ("单选", "题", "甲", "", "丙", "", "", "", "A"): "连续",
        ("判断", "题", "", "", "", "", "", "", "也许"): "对 或 错",
        ("填空", "题", "甲", "", "", "", "", "", "x"): "不填选项",
        ("填空", "题", "", "", "", "", "", "", ""): "答案不能为空",
    }
    for cells, message in errors.items():
        result = rules.parse_question_row(list(cells))
        assert isinstance(result, str) and message in result, (cells, result)
