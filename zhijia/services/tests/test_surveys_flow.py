"""Surveys through the actions, queries and pages: who may answer, once; draft → open → closed;
results equal a hand count; frequent words; reminders to named surveys' non-respondents."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.home import todos_for
from zhijia.core.models import AuditEvent, Notification
from zhijia.services.actions import surveys as actions
from zhijia.services.models import Survey, SurveyParticipation, SurveyResponse
from zhijia.services.privacy import personal_data
from zhijia.services.queries import surveys as queries
from zhijia.services.tests.surveys_support import QUESTIONS, keys, make_respondents, make_survey


def _answer(k, single="0", picks=("1",), stars="4", text=""):
    data = {k[0]: single, k[1]: list(picks), k[2]: stars, k[4]: {"0": "0", "1": "1"}}
    if text:
        data[k[5]] = text
    return data


@pytest.fixture
def survey(personas, demo_units):
    return make_survey(personas["branch1"], demo_units["B1"])


def test_answer_once_then_refused(survey, personas):
    worker = personas["worker1"]
    actions.do_answer_survey(actor=worker, survey=survey, answers=_answer(keys(survey)))
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_answer_survey(actor=worker, survey=survey, answers=_answer(keys(survey)))
    assert exc.value.status == 409
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_out_of_audience_and_closed_and_draft_refused(survey, personas, demo_units):
    k = keys(survey)
    # worker2 is in B2: not asked, and not even shown the survey
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_answer_survey(actor=personas["worker2"], survey=survey, answers=_answer(k))
    assert exc.value.status == 404
    assert not queries.surveys_for_member(personas["worker2"]).filter(pk=survey.pk).exists()
    draft = make_survey(personas["branch1"], demo_units["B1"], open_it=False)
    with pytest.raises(actions.SurveyError):
        actions.do_answer_survey(actor=personas["worker1"], survey=draft, answers={})
    actions.do_close_survey(actor=personas["branch1"], survey=survey)
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_answer_survey(actor=personas["worker1"], survey=survey, answers=_answer(k))
    assert exc.value.status == 409
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_past_closing_time_refused_and_swept(personas, demo_units):
    survey = make_survey(
        personas["branch1"], demo_units["B1"], closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    survey.refresh_from_db()
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_answer_survey(
            actor=personas["worker1"], survey=survey, answers=_answer(keys(survey))
        )
    assert exc.value.status == 409
    assert actions.sweep_surveys() == 1
    survey.refresh_from_db()
    assert survey.is_closed


def test_bad_answer_names_the_question(survey, personas):
    k = keys(survey)
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_answer_survey(
            actor=personas["worker1"], survey=survey, answers=_answer(k, picks=("0", "1", "2"))
        )
    assert exc.value.errors == {f"answers.{k[1]}": ["最多只能选择 2 项"]}
    assert not SurveyParticipation.objects.filter(survey=survey).exists()


def test_draft_edits_open_does_not(personas, demo_units):
    cadre = personas["branch1"]
    draft = make_survey(cadre, demo_units["B1"], open_it=False)
    actions.do_edit_survey(
        actor=cadre, survey=draft, title="改过的标题", questions=QUESTIONS[:2], anonymous=False
    )
    draft.refresh_from_db()
    assert draft.title == "改过的标题" and draft.questions.count() == 2 and not draft.anonymous
    opened = actions.do_open_survey(actor=cadre, survey=draft)
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_edit_survey(actor=cadre, survey=opened, title="再改", questions=QUESTIONS)
    assert exc.value.status == 409
    assert Survey.objects.get(pk=draft.pk).questions.count() == 2
    # a sibling branch's cadre may not touch it; the audience must be in the cadre's scope
    with pytest.raises(PermissionDenied):
        actions.do_close_survey(actor=personas["branch2"], survey=opened)
    with pytest.raises(actions.SurveyError):
        make_survey(cadre, demo_units["B1"], audience=[demo_units["B2"]], open_it=False)


def test_results_equal_a_hand_count_and_frequent_words(personas, demo_units):
    cadre, unit = personas["branch1"], demo_units["B1"]
    survey = make_survey(cadre, unit, anonymous=False)
    k = keys(survey)
    users = make_respondents(4, unit)
    texts = ["食堂饭菜太贵", "食堂排队时间太长", "班车太少", ""]
    answers = [
        _answer(k, "0", ("1",), "5", texts[0]),
        _answer(k, "1", ("0", "1"), "3", texts[1]),
        _answer(k, "0", ("3",), "4", texts[2]),
        _answer(k, "2", ("1", "3"), "4"),
    ]
    for user, a in zip(users, answers, strict=True):
        actions.do_answer_survey(actor=user, survey=survey, answers=a)
    results = queries.results_for(survey)
    by_text = {r.question.text: r for r in results.questions}
    assert results.respondents == 4
    single = by_text["您对食堂的总体评价"]
    assert [(o.count, o.percent) for o in single.options] == [(2, 50), (1, 25), (1, 25)]
    multiple = by_text["您希望工会组织哪些活动"]
    assert [o.count for o in multiple.options] == [1, 3, 0, 2]
    stars = by_text["工会服务打分"]
    assert stars.average == 4.0 and [o.count for o in stars.options] == [0, 0, 1, 2, 1]
    matrix = by_text["各项服务的评价"]
    assert [[c.count for c in cells] for _label, cells in matrix.matrix_rows] == [[4, 0], [0, 4]]
    text = by_text["其他意见"]
    assert text.answered == 3
    assert text.texts == texts[:3]  # named: in the order answered
    words = dict(text.words)
    assert words["食堂"] == 2 and words["班车"] == 1
    assert text.words[0] == ("食堂", 2)


def test_named_answer_audited_without_content_anonymous_not_at_all(personas, demo_units):
    cadre, unit, worker = personas["branch1"], demo_units["B1"], personas["worker1"]
    named = make_survey(cadre, unit, anonymous=False, title="实名")
    anon = make_survey(cadre, unit, title="匿名")
    secret = "我的秘密意见"
    before = AuditEvent.objects.count()
    notes = Notification.objects.count()
    actions.do_answer_survey(actor=worker, survey=anon, answers=_answer(keys(anon), text=secret))
    assert AuditEvent.objects.count() == before
    assert Notification.objects.count() == notes
    actions.do_answer_survey(actor=worker, survey=named, answers=_answer(keys(named), text=secret))
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "services.answer_survey" and event.actor_id == worker.pk
    assert secret not in json.dumps(event.data, ensure_ascii=False)
    response = SurveyResponse.objects.get(survey=named)
    assert response.member == worker.member_record and response.submitted_at is not None
    anon_response = SurveyResponse.objects.get(survey=anon)
    assert anon_response.member_id is None and anon_response.submitted_at is None
    # Her data (core.privacy): both surveys answered, the named one's answers only.
    sheets = {str(sheet.title): list(sheet.rows) for sheet in personal_data(worker)}
    assert sorted(row[0] for row in sheets["填写过的问卷"]) == ["匿名", "实名"]
    assert [row[0] for row in sheets["实名问卷的答卷"]] == ["实名"]


def test_reminders_only_named_and_only_non_respondents(
    personas, demo_units, django_capture_on_commit_callbacks
):
    cadre, unit = personas["branch1"], demo_units["B1"]
    named = make_survey(cadre, unit, anonymous=False)
    answered = personas["worker1"]
    actions.do_answer_survey(actor=answered, survey=named, answers=_answer(keys(named)))
    expected = {m.user_id for m in queries.audience_members(named)} - {answered.pk}
    assert expected  # branch1, rep1 ... are in B1 too
    with django_capture_on_commit_callbacks(execute=True):
        count = actions.do_remind_survey(actor=cadre, survey=named)
    assert count == len(expected)
    reminded = set(
        Notification.objects.filter(kind="services.survey", title__startswith="提醒").values_list(
            "user_id", flat=True
        )
    )
    assert reminded == expected
    anon = make_survey(cadre, unit)
    with pytest.raises(actions.SurveyError) as exc:
        actions.do_remind_survey(actor=cadre, survey=anon)
    assert exc.value.status == 409


def test_pages_answer_thanks_and_answered_mark(survey, personas, login):
    client = login("worker1")
    k = keys(survey)
    page = client.get(f"/services/surveys/{survey.pk}/")
    assert page.status_code == 200 and "提交问卷" in page.content.decode()
    assert any(
        t.url.endswith(f"/services/surveys/{survey.pk}/") for t in todos_for(personas["worker1"])
    )
    data = {
        f"answers.{k[0]}": "1",
        f"answers.{k[1]}": ["0", "2"],
        f"answers.{k[2]}": "5",
        f"answers.{k[4]}_0": "0",
        f"answers.{k[4]}_1": "1",
        f"answers.{k[5]}": "希望多组织活动",
    }
    bad = client.post(f"/services/surveys/{survey.pk}/", {**data, f"answers.{k[0]}": ""})
    assert bad.status_code == 400 and "这道题必须回答" in bad.content.decode()
    done = client.post(f"/services/surveys/{survey.pk}/", data)
    assert done.status_code == 302 and done["Location"].endswith("/thanks/")
    assert "感谢您的填写" in client.get(done["Location"]).content.decode()
    mine = client.get("/services/surveys/").content.decode()
    assert "已填写" in mine
    again = client.post(f"/services/surveys/{survey.pk}/", data)
    assert again.status_code == 409 and "只能填写一次" in again.content.decode()
    assert not any(
        t.url.endswith(f"/services/surveys/{survey.pk}/") for t in todos_for(personas["worker1"])
    )
    # worker2 (another branch) gets 404
    assert login("worker2").get(f"/services/surveys/{survey.pk}/").status_code == 404


def test_cadre_creates_with_questions_and_sees_results(personas, demo_units, login):
    client = login("branch1")
    form = {
        "title": "新问卷",
        "intro": "",
        "kind": "general",
        "anonymous": "on",
        "org_unit": demo_units["B1"].pk,
        "audience": [demo_units["B1-G1"].pk],
        "q-TOTAL_FORMS": "3",
        "q-INITIAL_FORMS": "0",
        "q-0-kind": "single",
        "q-0-text": "选一个",
        "q-0-required": "on",
        "q-0-options": "甲\n乙",
        "q-0-scale": "stars",
        "q-1-kind": "matrix",
        "q-1-text": "矩阵缺行",
        "q-1-options": "好\n差",
        "q-1-scale": "stars",
        "q-2-scale": "stars",
    }
    refused = client.post("/services/surveys/manage/new/", form)
    assert refused.status_code == 400 and "矩阵题至少要有一行" in refused.content.decode()
    form["q-1-rows"] = "食堂"
    made = client.post("/services/surveys/manage/new/", form)
    assert made.status_code == 302
    survey = Survey.objects.get(title="新问卷")
    assert survey.questions.count() == 2
    assert list(survey.audience.all()) == [demo_units["B1-G1"]]
    assert client.post(f"/services/surveys/manage/{survey.pk}/open/").status_code == 302
    assert client.get(f"/services/surveys/manage/{survey.pk}/results/").status_code == 200
    export = client.get(f"/services/surveys/manage/{survey.pk}/results/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    # anonymous: no responses export
    assert client.get(f"/services/surveys/manage/{survey.pk}/responses/export/").status_code == 404
    # a sibling branch's cadre: 404; a worker: 403
    assert login("branch2").get(f"/services/surveys/manage/{survey.pk}/").status_code == 404
    assert login("worker1").get("/services/surveys/manage/").status_code == 403


def test_api_answer_refusals_name_the_field(survey, api_client):
    client = api_client("worker1")
    k = keys(survey)
    url = f"/api/v1/services/surveys/{survey.pk}/answer"
    bad = client.post(
        url,
        {"answers": {**_answer(k), k[2]: "9"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {f"answers.{k[2]}": ["评分应在 1 到 5 星之间"]}
    ok = client.post(url, {"answers": _answer(k)}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["answered"] is True
    again = client.post(url, {"answers": _answer(k)}, content_type="application/json")
    assert again.status_code == 409
    listed = client.get("/api/v1/services/surveys").json()
    assert [(i["id"], i["answered"]) for i in listed["items"]] == [(survey.pk, True)]
    results = api_client("branch1").get(f"/api/v1/services/surveys/manage/{survey.pk}/results")
    assert results.status_code == 200 and results.json()["respondents"] == 1
