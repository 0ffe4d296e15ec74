"""Online tests: the server's time limit (an attempt left open is closed and scored at its
limit by the sweep and on the next read; an answer after it is refused), the random draw per
attempt, attempts allowed, the pass mark, completion credited once, the certificate's public
page after revocation, and the question bank's all-or-nothing import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhijia.core.models import Rating
from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.actions.learning import LearningError
from zhijia.services.models import LearningAttempt, LearningEnrolment, LearningQuestion
from zhijia.services.queries import learning as queries
from zhijia.services.tests.learning_support import bank_rows, published_course

pytestmark = pytest.mark.django_db


def _answer_all(attempt, value="A") -> dict:
    return {str(q): value for q in attempt.question_ids}


def test_an_open_attempt_is_closed_by_the_server_at_its_limit(personas, login):
    cadre, worker = personas["branch1"], personas["worker1"]
    course = published_course(cadre, minutes=10)
    enrolment = actions.do_enrol_learning(actor=worker, course=course)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
        first = attempt.question_ids[0]
        test_actions.do_answer_learning_attempt(
            actor=worker, attempt=attempt, question_id=first, answer="A"
        )
    assert attempt.deadline == start + dt.timedelta(minutes=10)
    # at the limit: an answer is refused and changes nothing
    with time_machine.travel(attempt.deadline, tick=False):
        with pytest.raises(LearningError) as exc:
            test_actions.do_answer_learning_attempt(
                actor=worker, attempt=attempt, question_id=attempt.question_ids[1], answer="A"
            )
        assert exc.value.status == 409
        with pytest.raises(LearningError):
            test_actions.do_submit_learning_attempt(
                actor=worker, attempt=attempt, answers=_answer_all(attempt)
            )
        # the browser never submits: the sweep closes it with the answers saved before
        assert test_actions.sweep_learning() == 1
        assert test_actions.sweep_learning() == 0  # once
    attempt.refresh_from_db()
    assert attempt.status == LearningAttempt.Status.SUBMITTED
    assert attempt.closed_by == LearningAttempt.ClosedBy.SERVER
    assert attempt.answers == {str(first): "A"}
    assert (attempt.correct, attempt.score, attempt.passed) == (1, 20, False)

    # and on the next read of one left open (no sweep): the API closes it when read
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        second = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    assert second.number == 2
    with time_machine.travel(second.deadline + dt.timedelta(seconds=1), tick=False):
        client = Client()
        client.force_login(worker)
        page = client.get(reverse("services:learning-attempt", args=[second.pk]))
    assert page.status_code == 200
    assert "系统已自动收卷" in page.content.decode()
    second.refresh_from_db()
    assert second.closed_by == LearningAttempt.ClosedBy.SERVER and second.score == 0


def test_two_attempts_draw_different_questions_and_a_pass_credits_hours_once(personas):
    cadre, worker = personas["branch1"], personas["worker1"]
    course = published_course(cadre, bank=10, draw=5, test_attempts=3, pass_mark=80)
    enrolment = actions.do_enrol_learning(actor=worker, course=course)
    first = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    # resuming returns the running attempt, not a new draw
    assert test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment) == first
    test_actions.do_submit_learning_attempt(
        actor=worker, attempt=first, answers=_answer_all(first, "B")
    )
    first.refresh_from_db()
    assert (first.score, first.passed) == (0, False)
    second = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    assert len(second.question_ids) == 5
    assert not set(first.question_ids) & set(second.question_ids)
    # the wrong-answer review is given after submission only, with the key
    test_actions.do_submit_learning_attempt(
        actor=worker, attempt=second, answers=_answer_all(second, "A")
    )
    second.refresh_from_db()
    assert (second.score, second.passed) == (100, True)
    enrolment.refresh_from_db()
    year = timezone.localdate().year
    assert enrolment.completed_how == LearningEnrolment.How.TEST
    assert enrolment.hours_credited == Decimal("2.0") and enrolment.credit_year == year
    assert queries.yearly_hours(worker, year) == Decimal("2.0")
    # passed: no further attempt; completing again credits nothing
    with pytest.raises(LearningError):
        test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    assert actions.complete_enrolment(enrolment, "material", actor=worker) is False
    assert queries.yearly_hours(worker, year) == Decimal("2.0")
    # rating the course: counted in the satisfaction index for the course's unit, once
    actions.do_rate_learning_course(actor=worker, enrolment=enrolment, rating="satisfied")
    assert Rating.objects.filter(service="services.learning", unit_path=course.org_unit.path)
    with pytest.raises(LearningError):
        actions.do_rate_learning_course(actor=worker, enrolment=enrolment, rating="satisfied")


def test_attempts_allowed_and_classroom_attendance_credits_once(personas):
    cadre, worker = personas["branch1"], personas["worker1"]
    course = published_course(cadre, bank=3, draw=3, test_attempts=1)
    enrolment = actions.do_enrol_learning(actor=worker, course=course)
    attempt = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    test_actions.do_submit_learning_attempt(actor=worker, attempt=attempt, answers={})
    with pytest.raises(LearningError) as exc:
        test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    assert "次数已用完" in exc.value.message

    now = timezone.now()
    room = actions.do_create_learning_course(
        actor=cadre, title="安全生产", org_unit=course.org_unit, kind="classroom", hours="3"
    )
    session = actions.do_add_learning_session(
        actor=cadre,
        course=room,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        place="职工之家",
        capacity=1,
    )
    actions.do_publish_learning_course(actor=cadre, course=room)
    seat = actions.do_enrol_learning(actor=worker, course=room, session=session)
    with pytest.raises(LearningError) as full:
        actions.do_enrol_learning(actor=personas["rep1"], course=room, session=session)
    assert full.value.field == "session"
    # the QR code's link, as a reader pastes it (the token URL-encoded in it)
    link = "http://testserver/services/learning/desk/sessions/1/?" + urlencode(
        {"token": actions.checkin_token(seat)}
    )
    with pytest.raises(LearningError):
        actions.do_check_in_learning_token(actor=cadre, session=session, token=link[:-3])
    _, new = actions.do_check_in_learning_token(actor=cadre, session=session, token=link)
    _, again = actions.do_check_in_learning(actor=cadre, session=session, enrolment_id=seat.pk)
    assert (new, again) == (True, False)
    seat.refresh_from_db()
    assert seat.completed_how == LearningEnrolment.How.ATTENDED
    assert queries.yearly_hours(worker, now.year) == Decimal("3.0")


def test_revoked_certificate_says_so_on_its_public_page(personas, login):
    cadre, worker = personas["branch1"], personas["worker1"]
    course = actions.do_create_learning_course(
        actor=cadre,
        title="职工代表履职",
        org_unit=published_course(cadre).org_unit,
        kind="online",
        hours="1",
    )
    actions.do_publish_learning_course(actor=cadre, course=course)
    enrolment = actions.do_enrol_learning(actor=worker, course=course)
    actions.do_finish_learning_material(actor=worker, enrolment=enrolment)
    certificate = enrolment.certificate
    url = reverse("services:learning-verify", args=[certificate.token])
    anonymous = Client()
    page = anonymous.get(url).content.decode()
    name = worker.member_record.name
    assert "有效" in page and name[0] + "*" in page and name not in page
    assert course.title in page
    with pytest.raises(LearningError):
        actions.do_revoke_learning_certificate(actor=cadre, certificate=certificate, reason=" ")
    desk = login("branch1")
    response = desk.post(
        reverse("services:learning-desk-revoke", args=[certificate.pk]), {"reason": "学时造假"}
    )
    assert response.status_code == 302
    page = anonymous.get(url).content.decode()
    assert "已撤销" in page and "有效" not in page
    assert anonymous.get(url.replace(certificate.token, "x" * 32)).status_code == 404


def test_bank_import_is_all_or_nothing_with_row_errors(personas):
    cadre = personas["branch1"]
    course = published_course(cadre, bank=2, draw=1)
    rows = bank_rows(3)
    rows[1] = ["单选", "坏题", "甲", "乙", "", "", "", "", "E", ""]
    rows.append(["问答", "题", "", "", "", "", "", "", "x", ""])
    with pytest.raises(LearningError) as exc:
        test_actions.do_import_learning_questions(actor=cadre, course=course, rows=rows)
    messages = exc.value.errors["file"]
    assert "未导入任何题目" in messages[0]
    assert [m[:5] for m in messages[1:]] == ["第 3 行", "第 5 行"]
    assert LearningQuestion.objects.filter(course=course).count() == 2


def test_the_api_takes_a_test_and_refuses_an_answer_after_the_limit(personas, api_client):
    cadre = personas["branch1"]
    course = published_course(cadre, bank=4, draw=2, minutes=5)
    api = api_client("worker1")
    base = "/api/v1/services/learning"
    assert api.post(f"{base}/courses/{course.pk}/enrol", {}, "application/json").status_code == 201
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        started = api.post(f"{base}/courses/{course.pk}/attempts")
    assert started.status_code == 201
    body = started.json()
    assert len(body["questions"]) == 2 and body["questions"][0]["answer"] is None  # no key
    first = body["questions"][0]["id"]
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        saved = api.post(
            f"{base}/attempts/{body['id']}/answer",
            {"question_id": first, "answer": "A"},
            "application/json",
        )
    assert saved.status_code == 200 and saved.json()["questions"][0]["given"] == "A"
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        late = api.post(
            f"{base}/attempts/{body['id']}/answer",
            {"question_id": body["questions"][1]["id"], "answer": "A"},
            "application/json",
        )
        assert late.status_code == 409 and late.json()["detail"]
        read = api.get(f"{base}/attempts/{body['id']}").json()
    assert read["status"] == "submitted" and read["closed_by"] == "server"
    assert read["score"] == 50 and read["questions"][0]["correct"] is True
    assert read["questions"][1]["given"] == ""  # the late answer was not kept
