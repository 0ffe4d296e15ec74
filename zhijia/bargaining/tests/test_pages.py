"""Pages that the access matrix only counts: the PDF of a version carries the Chinese text in an
embedded CJK font; the diff page marks the changed words; a refused delegation is shown on the
page with the article."""

from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client

from zhijia.bargaining.actions import contracts as actions
from zhijia.bargaining.tests.support import EMPLOYER, UNION, new_contract, new_round

pytestmark = pytest.mark.django_db


def _mapped_characters(body: bytes) -> set[int]:
    """The Unicode characters the PDF's embedded fonts map glyphs to (ToUnicode)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n", body):
        try:
            streams.append(zlib.decompressobj().decompress(body[match.end() :]))
        except zlib.error:
            continue
    joined = b"\n".join(streams)
    return {int(code, 16) for code in re.findall(rb"<[0-9a-f]{2,4}> <([0-9a-f]{4})>", joined)}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_version_pdf_and_diff(personas):
    branch1 = personas["branch1"]
    contract = new_contract(branch1)
    actions.do_new_version(actor=branch1, contract=contract, note="第二稿")
    actions.do_edit_clause(
        actor=branch1,
        contract=contract,
        number=1,
        title="工资增长",
        text="职工月平均工资年增长不低于 6%。",
    )
    client = _client(branch1)
    response = client.get(f"/bargaining/desk/contracts/{contract.pk}/versions/1/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert {ord(ch) for ch in "工资增长女职工"} <= _mapped_characters(response.content)
    page = client.get(f"/bargaining/desk/contracts/{contract.pk}/diff/?a=1&b=2").content.decode()
    assert "<del>5</del>" in page and "<ins>6</ins>" in page


def test_a_refused_delegation_is_shown_with_the_article(personas):
    round_ = new_round(personas["branch1"])
    response = _client(personas["branch1"]).post(
        f"/bargaining/desk/rounds/{round_.pk}/delegations/",
        {
            "union_basis": "elected",
            "union": "\n".join(f"{n} {p}" for n, p, _c in [*UNION, ("周六", "代表", False)]),
            "union_chief": "张三",
            "employer": "\n".join(f"{n} {p}" for n, p, _c in EMPLOYER),
            "employer_chief": "赵总",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "职工方 4 人，企业方 3 人" in text and "《集体合同规定》第十九条" in text
    assert not round_.delegates.exists()


def test_a_womens_contract_below_the_statute_is_pointed_out(personas):
    contract = new_contract(
        personas["branch1"],
        kind="women",
        title="女职工权益保护专项集体合同",
        clauses=[("产假", "女职工生育享受 90 天产假。", True), ("哺乳时间", "每天 1 小时。", True)],
    )
    page = _client(personas["branch1"]).get(f"/bargaining/desk/contracts/{contract.pk}/")
    text = page.content.decode()
    assert "第1条的产假（90 天）低于法定的 98 天（《女职工劳动保护特别规定》第七条）" in text
    assert "没有关于孕期保护" in text and "《女职工劳动保护特别规定》第六条" in text
    assert "哺乳时间（" not in text  # one hour a day is the statute's


def test_the_round_page_shows_the_consultation_surveys_topics(personas, monkeypatch):
    """Topics of the unit's consultation surveys (module services) come through the core hook
    consultation_topics; here the hook's answer is given, the page shows it."""
    from zhijia.bargaining.queries import rounds as round_queries

    seen = []

    def topics(unit):
        seen.append(unit.code)
        return [("夜班津贴", 12, "2026 年职工意见征集")]

    monkeypatch.setattr(round_queries, "consultation_topics", topics)
    round_ = new_round(personas["branch1"])
    page = _client(personas["branch1"]).get(f"/bargaining/desk/rounds/{round_.pk}/")
    text = page.content.decode()
    assert seen == ["B1"]
    assert "问卷征集的议题" in text and "夜班津贴（12）" in text and "2026 年职工意见征集" in text


def test_the_article_is_cited_in_the_pages_language():
    from django.utils import translation

    from zhijia.bargaining.actions.common import cite

    assert cite(32) == "《集体合同规定》第三十二条"
    with translation.override("en"):
        assert cite(32) == "Article 32 of the Provisions on Collective Contracts"
