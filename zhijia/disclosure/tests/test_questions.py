"""Workers ask questions on an item; cadres answer within working days; overdue questions are
escalated to the next level (workflow disclosure.question)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhijia.core import workflow
from zhijia.core.models import Notification
from zhijia.core.workflow import TransitionError
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.actions import questions as actions_questions
from zhijia.disclosure.errors import DisclosureRefused
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.tests.conftest import CHINA, at
from zhijia.disclosure.workflows import QUESTION

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(catalogue, publish):
    return publish("B1", by="branch1", entry="workshop-bonus", period="2026-10", title="十月奖金")


def test_ask_and_answer(item, personas, login):
    worker1 = personas["worker1"]
    response = login("worker1").post(
        f"/disclosure/items/{item.pk}/ask/", {"text": "夜班津贴为什么没有计入？"}
    )
    assert response.status_code == 302
    question = queries_questions.my_questions(worker1).get()
    assert question.state == "asked"
    # Thursday 12 Nov + 5 working days = Thursday 19 Nov, end of day (Beijing).
    assert question.deadline_at.astimezone(CHINA).date() == dt.date(2026, 11, 19)
    assert Notification.objects.filter(
        user=personas["branch1"], kind="disclosure.question_asked"
    ).exists()
    assert question in queries_questions.question_queue(personas["branch1"])
    assert question in queries_questions.question_queue(personas["chair"])
    assert question not in queries_questions.question_queue(personas["branch2"])

    # branch2 cannot even see it; worker2 neither
    assert login("branch2").get(f"/disclosure/questions/{question.pk}/").status_code == 404
    assert login("worker2").get(f"/disclosure/questions/{question.pk}/").status_code == 404
    # the asker sees the question page, without the answer form
    own = login("worker1").get(f"/disclosure/questions/{question.pk}/").content.decode()
    assert "夜班津贴" in own and "提交答复" not in own

    empty = login("branch1").post(
        f"/disclosure/questions/{question.pk}/answer/", {"answer": "", "public": "on"}
    )
    assert empty.status_code == 400
    response = login("branch1").post(
        f"/disclosure/questions/{question.pk}/answer/",
        {"answer": "夜班津贴按月单独发放，见工资条第5项。", "public": "on"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == "answered" and question.deadline_at is None
    assert Notification.objects.filter(user=worker1, kind="disclosure.question_answered").exists()
    # A public answer is shown to every reader, without the asker's name.
    page = login("rep1").get(f"/disclosure/items/{item.pk}/").content.decode()
    assert "夜班津贴按月单独发放" in page and "陈小红" not in page
    # answering twice is refused (409 through the API)
    with pytest.raises(TransitionError) as exc:
        actions_questions.do_answer_question(
            actor=personas["branch1"], question=question, answer="再答"
        )
    assert exc.value.status == 409


def test_private_answers_and_rules_of_asking(item, personas, publish):
    worker1, rep1 = personas["worker1"], personas["rep1"]
    q = actions_questions.do_ask_question(actor=worker1, item=item, text="我的奖金系数是多少？")
    actions_questions.do_answer_question(
        actor=personas["branch1"], question=q, answer="1.2", public=False
    )
    assert q not in queries_questions.questions_for_item(rep1, item)
    assert q in queries_questions.questions_for_item(worker1, item)
    with pytest.raises(DisclosureRefused):
        actions_questions.do_ask_question(actor=worker1, item=item, text="  ")
    # outside the audience: refused
    with pytest.raises(PermissionDenied):
        actions_questions.do_ask_question(actor=personas["chair"], item=item, text="?")
    # at most three open questions per asker and item
    for n in range(3):
        actions_questions.do_ask_question(actor=rep1, item=item, text=f"问题{n}")
    with pytest.raises(DisclosureRefused):
        actions_questions.do_ask_question(actor=rep1, item=item, text="第四个")
    # a branch cadre cannot answer a question of another branch's item
    other = publish("B2", by="branch2", title="二分会")
    q2 = actions_questions.do_ask_question(actor=personas["worker2"], item=other, text="?")
    with pytest.raises(TransitionError) as exc:
        actions_questions.do_answer_question(actor=personas["branch1"], question=q2, answer="x")
    assert exc.value.status == 403


def test_overdue_question_is_escalated_to_the_next_level(
    item, personas, django_capture_on_commit_callbacks
):
    question = actions_questions.do_ask_question(
        actor=personas["worker1"], item=item, text="何时发放？"
    )
    # the day before the deadline: the reminder goes to branch1, once
    with (
        time_machine.travel(at(2026, 11, 18, 20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert workflow.sweep_reminders(QUESTION) == 1
        assert workflow.sweep_reminders(QUESTION) == 0
    assert Notification.objects.filter(
        user=personas["branch1"], kind="disclosure.question_due"
    ).exists()
    # after the deadline (Friday 20 Nov): escalated, 3 more working days, the chair is told
    with (
        time_machine.travel(at(2026, 11, 20, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert workflow.sweep_overdue(QUESTION) == 1
        assert workflow.sweep_overdue(QUESTION) == 0
    question.refresh_from_db()
    assert question.state == "escalated" and question.escalation_level == 1
    assert question.deadline_at.astimezone(CHINA).date() == dt.date(2026, 11, 25)
    chair_note = Notification.objects.get(
        user=personas["chair"], kind="disclosure.question_overdue"
    )
    assert "第 1 次督办" in chair_note.title
    # the chair (level above) may answer it
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        actions_questions.do_answer_question(
            actor=personas["chair"], question=question, answer="已于本周发放"
        )
    question.refresh_from_db()
    assert question.state == "answered"
    steps = [e.transition for e in workflow.history(question)]
    assert steps == ["start", "escalate", "answer"]


def test_close_and_withdraw(item, personas, api_client):
    q1 = actions_questions.do_ask_question(
        actor=personas["worker1"], item=item, text="与本事项无关的问题"
    )
    response = api_client("branch1").post(
        f"/api/v1/disclosure/questions/{q1.pk}/close",
        {"reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"] == "请填写关闭理由"
    response = api_client("branch1").post(
        f"/api/v1/disclosure/questions/{q1.pk}/close",
        {"reason": "请通过诉求渠道反映"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "closed"
    q2 = api_client("worker1").post(
        f"/api/v1/disclosure/items/{item.pk}/questions",
        {"text": "想撤回的问题"},
        content_type="application/json",
    )
    assert q2.status_code == 201 and q2.json()["asker_name"] is None
    qid = q2.json()["id"]
    assert (
        api_client("rep1").post(f"/api/v1/disclosure/questions/{qid}/withdraw").status_code == 404
    )
    done = api_client("worker1").post(f"/api/v1/disclosure/questions/{qid}/withdraw")
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"
    queue = api_client("branch1").get("/api/v1/disclosure/questions?state=").json()["items"]
    assert {q["state"] for q in queue} == {"closed", "withdrawn"}
    assert queue[0]["asker_name"] == "陈小红"
    assert api_client("branch1").get("/api/v1/disclosure/questions").json()["items"] == []


def test_withdrawing_the_item_closes_its_open_questions(item, personas):
    q = actions_questions.do_ask_question(actor=personas["worker1"], item=item, text="何时发放？")
    actions.do_withdraw_item(actor=personas["branch1"], item=item, reason="数据有误，重新核算")
    q.refresh_from_db()
    assert q.state == "closed" and "数据有误" in q.answer and q.deadline_at is None
    assert Notification.objects.filter(
        user=personas["worker1"], kind="disclosure.question_closed"
    ).exists()
    assert list(queries_questions.question_queue(personas["branch1"])) == []
