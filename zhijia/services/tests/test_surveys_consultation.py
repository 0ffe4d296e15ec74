"""Pre-congress consultation: the topics members suggest, counted, reach the congress
secretariat's session page through zhijia.core.hooks (services does not import congress)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhijia.congress.actions import sessions as congress
from zhijia.core.hooks import consultation_topics
from zhijia.services.actions import surveys as actions
from zhijia.services.tests.surveys_support import make_respondents, make_survey

TOPIC = [{"kind": "topic", "text": "您建议本次职代会讨论哪些议题？"}]


def test_topics_counted_and_shown_on_the_congress_session_page(personas, demo_units, login):
    chair, branch1 = personas["chair"], personas["branch1"]
    # A branch runs the consultation; the committee's congress hears it.
    survey = make_survey(
        branch1, demo_units["B1"], questions=TOPIC, kind="consultation", title="会前征求意见"
    )
    key = str(survey.questions.get().pk)
    suggestions = ["食堂改善\n班车时间", "食堂 改善。", "带薪年休假；食堂改善", "班车时间"]
    for user, text in zip(make_respondents(4, demo_units["B1-G2"]), suggestions, strict=True):
        actions.do_answer_survey(actor=user, survey=survey, answers={key: text})
    # A general survey's texts are not topics.
    make_survey(branch1, demo_units["B1"], questions=[{"kind": "text", "text": "意见"}])

    expected = [
        ("食堂改善", 3, "会前征求意见"),
        ("班车时间", 2, "会前征求意见"),
        ("带薪年休假", 1, "会前征求意见"),
    ]
    assert consultation_topics(demo_units["U"]) == expected
    assert consultation_topics(demo_units["B2"]) == []  # a sibling branch's congress: none

    term = congress.do_create_term(
        actor=chair,
        unit=demo_units["U"],
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2029, 2, 28),
    )
    session = congress.do_schedule_session(
        actor=chair, term=term, date=dt.date(2026, 12, 20), place="大礼堂"
    )
    page = login("chair").get(reverse("congress:session-detail", args=[session.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "会前征求意见的议题" in html
    section = html.split("会前征求意见的议题", 1)[1]
    for topic, count, _title in expected:
        assert f"<td>{topic}</td><td>{count}</td>" in section
