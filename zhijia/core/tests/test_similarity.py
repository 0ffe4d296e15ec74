"""Duplicate suggestions: the pure ranking, and the committee's list of likely duplicates."""

from __future__ import annotations

import pytest

from zhijia.core import similarity
from zhijia.core.similarity import bigrams, document, jaccard, rank, words

QUERY = document(
    "关于提高夜班职工餐费补贴标准的建议",
    "夜班职工餐费补贴标准多年没有调整，物价上涨后补贴已不够吃一顿热饭。",
    "建议将夜班餐费补贴提高到每班二十元，并随物价每两年调整一次。",
)
NEAR_DUPLICATE = document(
    "建议上调夜班餐补",
    "夜班餐补十几年没涨过，现在的补贴标准买不到一份热饭菜。",
    "希望按物价水平提高夜班餐费补贴，定期调整补贴标准。",
)
CANDIDATES = [
    ("lighting", document("关于改善厂区道路照明的建议", "北门到宿舍的道路路灯损坏", "更换路灯")),
    ("checkup", document("关于增加职工体检项目的建议", "体检项目少，没有肿瘤筛查", "增加体检项目")),
    ("canteen", document("关于改善食堂饭菜质量的建议", "食堂饭菜品种少价格高", "增加菜品")),
    ("bus", document("关于开通夜班通勤班车的建议", "夜班下班后没有公交车", "开通夜班班车")),
    ("near", NEAR_DUPLICATE),
    ("parking", document("关于增加电动车充电桩的建议", "车棚充电桩不够用", "增设充电桩")),
]


def test_near_duplicate_ranks_first():
    matches = rank(QUERY, CANDIDATES)
    assert matches[0].key == "near"
    assert len(matches) <= similarity.TOP
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    # clearly ahead of the proposals that only share a word or two (夜班, 饭)
    assert matches[0].score > 2 * matches[1].score
    assert all(0 < m.score <= 1 for m in matches)
    # unrelated proposals share nothing and are not suggested at all
    assert "lighting" not in {m.key for m in matches}


def test_identical_text_scores_one_and_empty_scores_nothing():
    (match,) = rank(QUERY, [("same", QUERY)])
    assert match.score == pytest.approx(1.0) and match.percent == 100
    assert rank(QUERY, [("empty", "")]) == []
    assert rank("", [("x", QUERY)]) == []


def test_top_limits_the_list():
    many = [(i, QUERY + f" 第{i}条") for i in range(12)]
    assert len(rank(QUERY, many)) == 5
    assert len(rank(QUERY, many, top=3)) == 3


def test_tokens_and_bigrams():
    assert "补贴" in words("夜班餐费补贴")
    # boilerplate and function words carry no request
    assert not {"建议", "的", "关于"} & set(words("关于夜班的建议"))
    assert bigrams("夜班餐补") == {"夜班", "班餐", "餐补"}
    assert bigrams("ＡＢ，夜班") == {"ab", "夜班"}  # full-width folded, punctuation splits runs
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), {"a"}) == 0.0


@pytest.fixture
def session(personas):
    from zhijia.congress.tests.proposals_support import make_session

    return make_session()


def test_committee_sees_the_near_duplicate_first(personas, session):
    from zhijia.congress.queries import proposals as queries
    from zhijia.congress.tests.proposals_support import draft, make_representative, submitted

    rep1, rep2 = personas["rep1"], make_representative("rep2", "B1", "钱进")
    subject = submitted(
        rep1,
        session,
        rep2,
        title="关于提高夜班职工餐费补贴标准的建议",
        cause="夜班职工餐费补贴标准多年没有调整，物价上涨后补贴已不够吃一顿热饭。",
        reasons="倒班职工多。",
        measures="建议将夜班餐费补贴提高到每班二十元，并随物价每两年调整一次。",
    )
    others = {}
    for key, title, cause in [
        ("lighting", "关于改善厂区道路照明的建议", "北门到宿舍的道路路灯损坏，晚上很黑。"),
        ("canteen", "关于改善食堂饭菜质量的建议", "食堂饭菜品种少，价格偏高。"),
        ("near", "建议上调夜班餐补", "夜班餐补十几年没涨过，现在的补贴标准买不到一份热饭菜。"),
        ("bus", "关于开通夜班通勤班车的建议", "夜班下班后没有公交车。"),
    ]:
        others[key] = submitted(rep2, session, rep1, title=title, cause=cause)
    # A draft is nobody's business but its author's: never suggested.
    draft(rep2, session, title="建议上调夜班餐补（草稿）", cause="夜班餐补太低")
    similar = queries.similar_proposals(subject)
    assert similar[0].proposal.pk == others["near"].pk
    assert subject.pk not in {s.proposal.pk for s in similar}
    assert all(s.proposal.state != "draft" for s in similar)
    assert len(similar) <= 5 and similar[0].percent > similar[-1].percent
