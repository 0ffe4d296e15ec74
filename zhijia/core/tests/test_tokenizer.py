"""The one jieba tokenizer: loaded once, with the union's vocabulary, used by search,
proposal similarity and the knowledge suggestions."""

from __future__ import annotations

from zhijia.core import search, similarity, tokenizer


def test_one_tokenizer_for_every_user():
    first = tokenizer.tokenizer()
    assert tokenizer.tokenizer() is first  # loaded once


def test_domain_words_stay_whole():
    cut = tokenizer.tokenizer().lcut("职代会讨论劳务派遣女职工倒班问题")
    for word in ("职代会", "劳务派遣", "女职工", "倒班"):
        assert word in cut
    assert "隐患随手拍" in search.segment("安康杯隐患随手拍活动").split()
    assert "劳务派遣" in similarity.words("劳务派遣职工同工同酬")


def test_keywords_by_tf_idf():
    words = tokenizer.keywords("劳务派遣职工的加班工资怎么计算，劳务派遣公司不发加班工资", top=3)
    assert len(words) == 3 and "劳务派遣" in words  # one word, thanks to the vocabulary
    assert tokenizer.keywords("", top=3) == []
