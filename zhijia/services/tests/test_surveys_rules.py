"""The pure survey rules, without a database: what a valid answer is, and the counts."""

from __future__ import annotations

import pytest

from zhijia.services import survey_rules as rules

Q = [
    rules.QuestionSpec("1", rules.SINGLE, options=("好", "一般", "差")),
    rules.QuestionSpec("2", rules.MULTIPLE, options=("a", "b", "c", "d"), min_picks=1, max_picks=2),
    rules.QuestionSpec("3", rules.RATING),
    rules.QuestionSpec("4", rules.RATING, scale=rules.SATISFACTION, required=False),
    rules.QuestionSpec("5", rules.MATRIX, rows=("食堂", "班车"), options=("满意", "不满意")),
    rules.QuestionSpec("6", rules.TEXT, required=False),
    rules.QuestionSpec("7", rules.TOPIC, required=False),
]


def full(**over):
    answer = {"1": "0", "2": ["1", "3"], "3": "4", "5": {"0": "0", "1": "1"}}
    answer.update(over)
    return answer


def test_clean_canonicalises_and_drops_empty_optional_answers():
    cleaned = rules.clean_answers(
        Q, full(**{"2": ["3", "1"], "6": "  ", "7": "食堂\n 食堂 ；班车。"})
    )
    assert cleaned == {
        "1": "0",
        "2": ["1", "3"],
        "3": "4",
        "5": {"0": "0", "1": "1"},
        "7": "食堂\n班车",
    }


@pytest.mark.parametrize(
    ("over", "key", "code"),
    [
        ({"1": ""}, "1", "required"),
        ({"1": "3"}, "1", "unknown"),
        ({"2": []}, "2", "required"),
        ({"2": ["0", "1", "2"]}, "2", "too_many"),
        ({"2": ["0", "0"]}, "2", "duplicate"),
        ({"3": "6"}, "3", "stars"),
        ({"4": "happy"}, "4", "unknown"),
        ({"5": {"0": "0"}}, "5", "rows_missing"),
        ({"5": {"2": "0", "0": "0", "1": "1"}}, "5", "unknown"),
        ({"6": "长" * 2001}, "6", "too_long"),
    ],
)
def test_refusals_name_the_question(over, key, code):
    with pytest.raises(rules.InvalidAnswer) as exc:
        rules.clean_answers(Q, full(**over))
    assert (exc.value.key, exc.value.code) == (key, code)


def test_min_picks():
    spec = [rules.QuestionSpec("m", rules.MULTIPLE, options=("a", "b", "c"), min_picks=2)]
    with pytest.raises(rules.InvalidAnswer) as exc:
        rules.clean_answers(spec, {"m": ["0"]})
    assert exc.value.code == "too_few"


def test_check_question():
    assert rules.check_question(rules.QuestionSpec("x", rules.SINGLE, options=("a",))) == "options"
    assert rules.check_question(rules.QuestionSpec("x", rules.MATRIX, options=("a", "b"))) == "rows"
    assert (
        rules.check_question(
            rules.QuestionSpec("x", rules.MULTIPLE, options=("a", "b"), min_picks=3)
        )
        == "picks"
    )
    assert rules.check_question(rules.QuestionSpec("x", "essay")) == "kind"
    assert rules.check_question(Q[4]) is None


def test_tally_equals_a_hand_count():
    answers = [
        rules.clean_answers(Q, full()),
        rules.clean_answers(Q, full(**{"1": "1", "2": ["1"], "3": "2", "4": "satisfied"})),
        rules.clean_answers(
            Q, full(**{"1": "1", "2": ["0", "1"], "3": "5", "5": {"0": "1", "1": "1"}})
        ),
        rules.clean_answers(Q, full(**{"4": "dissatisfied", "7": "食堂\n加薪"})),
    ]
    t = rules.tally(Q, answers)
    # by hand: option 0 twice, option 1 twice
    assert t["1"].counts == [2, 2, 0] and t["1"].answered == 4
    # picks: [1,3], [1], [0,1], [1,3] -> a 1, b 4, c 0, d 2
    assert t["2"].counts == [1, 4, 0, 2]
    # stars 4, 2, 5, 4 -> average 3.75
    assert t["3"].counts == [0, 1, 0, 2, 1] and t["3"].average == 3.75
    assert t["4"].scale_counts == {"satisfied": 1, "basically": 0, "dissatisfied": 1}
    assert t["4"].answered == 2 and t["4"].average is None
    # matrix rows: 食堂 -> 满意 3, 不满意 1; 班车 -> 不满意 4
    assert t["5"].matrix == [[3, 1], [0, 4]]
    assert dict(t["7"].topics) == {"食堂": 1, "加薪": 1}
    assert rules.percent(1, 3) == 33 and rules.percent(2, 3) == 67 and rules.percent(0, 0) == 0


def test_frequent_words_count_and_order_by_count_then_word():
    texts = ["食堂 饭菜 太贵", "食堂 排队", "班车 太少 食堂"]
    words = rules.frequent_words(texts, str.split, top=3)
    assert words == [("食堂", 3), ("太少", 1), ("太贵", 1)]
