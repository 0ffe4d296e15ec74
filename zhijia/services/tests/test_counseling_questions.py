"""Anonymous online Q&A: no trace of the author, the receipt code works, wrong codes are
rate-limited, counselors hear of questions a day later."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from zhijia.core.models import AuditEvent, Notification
from zhijia.core.receipts import normalize_receipt
from zhijia.services.actions import counseling as actions
from zhijia.services.models import CounselingMessage, CounselingQuestion

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _ask_on_page(client, text="最近压力很大，晚上睡不着，不想让同事知道"):
    response = client.post("/services/counseling/ask/", {"topic": "work", "body": text})
    assert response.status_code == 201, response.content.decode()[:500]
    assert response["Cache-Control"].startswith("no-store")
    return CODE_RE.search(response.content.decode()).group(0)


def test_asking_leaves_no_trace_of_the_author(personas, login):
    worker = personas["worker1"]
    audit_before = AuditEvent.objects.count()
    notes_before = Notification.objects.count()
    code = _ask_on_page(login("worker1"))
    question = CounselingQuestion.objects.get()
    # no audit event and no notification at the moment of asking (either would date it)
    assert AuditEvent.objects.count() == audit_before
    assert Notification.objects.count() == notes_before
    # no user, address or time in the rows: scan every column of both tables
    # (the user's id is looked for as a whole value: as a substring, a 3-digit id turns up by
    # chance in a hex digest)
    identifiers = {
        worker.username,
        worker.full_name,
        worker.member_record.phone,
        worker.member_record.employee_no,
        "127.0.0.1",
    }
    with connection.cursor() as cursor:
        for table in ("services_counselingquestion", "services_counselingmessage"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = str(value)
                    assert text != str(worker.pk) or column in ("id", "seq"), (table, column)
                    for ident in identifiers:
                        if column in ("seq",):
                            continue
                        assert ident not in text or len(ident) < 3, (table, column)
            assert not any(c.endswith("user_id") or c in ("ip", "user_agent") for c in columns)
    fields = {f.name for f in CounselingQuestion._meta.get_fields()}
    assert not fields & {"user", "worker", "author", "created_at", "ip"}
    # only the day, and only the digest of the code
    assert question.asked_on is not None
    assert normalize_receipt(code) not in question.receipt_digest


def test_receipt_code_opens_the_thread_and_the_counselor_answers(personas, login):
    worker = login("worker1")
    code = _ask_on_page(worker)
    question = CounselingQuestion.objects.get()
    counselor = login("counselor1")
    listing = counselor.get("/services/counseling/desk/questions/")
    assert "工作压力" in listing.content.decode()
    page = counselor.get(f"/services/counseling/desk/questions/{question.pk}/")
    assert "不想让同事知道" in page.content.decode()
    answer = counselor.post(
        f"/services/counseling/desk/questions/{question.pk}/",
        {"body": "谢谢你的信任。可以先试试睡前放松练习。"},
    )
    assert answer.status_code == 302
    # typed back loosely: lower case, spaces instead of hyphens
    typed = code.lower().replace("-", " ")
    thread = worker.post("/services/counseling/follow/", {"code": typed})
    assert thread.status_code == 200
    body = thread.content.decode()
    assert "睡前放松练习" in body and "吴静" in body
    assert code not in body  # the page carries the code only in the form's hidden field value
    reply = worker.post(
        "/services/counseling/follow/reply/", {"code": typed, "body": "好的，我试试。"}
    )
    assert reply.status_code == 200 and "我试试" in reply.content.decode()
    question.refresh_from_db()
    assert question.status == "open"
    assert [m.from_counselor for m in CounselingMessage.objects.order_by("seq")] == [
        False,
        True,
        False,
    ]


def test_another_worker_with_the_code_reads_it_but_nobody_without(personas, login):
    code = _ask_on_page(login("worker1"))
    other = login("worker2")
    assert other.post("/services/counseling/follow/", {"code": code}).status_code == 200
    wrong = other.post("/services/counseling/follow/", {"code": "0000-0000-0000-0000"})
    assert wrong.status_code == 404
    assert "收据码不正确" in wrong.content.decode()
    assert "不想让同事知道" not in wrong.content.decode()
    # admin and chair have no inbox of questions
    for name in ("admin", "chair"):
        assert login(name).get("/services/counseling/desk/questions/").status_code == 403


def test_wrong_codes_are_rate_limited(personas, login, api_client, settings):
    settings.ZHIJIA_RECEIPT_FAILURES = 3
    code = _ask_on_page(login("worker1"))
    client = login("worker2")
    for _ in range(3):
        assert (
            client.post("/services/counseling/follow/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code
            == 404
        )
    blocked = client.post("/services/counseling/follow/", {"code": code})  # even the right one
    assert blocked.status_code == 429
    assert "分钟后再试" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    # the API shares the counter (same client address)
    api = api_client("worker2").post(
        "/api/v1/services/counseling/questions/lookup",
        data={"code": code},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert 1 <= int(api["Retry-After"]) <= settings.ZHIJIA_RECEIPT_WINDOW_SECONDS


def test_api_flow(personas, api_client, settings):
    settings.ZHIJIA_RECEIPT_FAILURES = 2
    worker = api_client("worker1")
    asked = worker.post(
        "/api/v1/services/counseling/questions",
        data={"topic": "family", "body": "家里老人生病，心里很乱"},
        content_type="application/json",
    )
    assert asked.status_code == 201
    code = asked.json()["receipt_code"]
    assert CODE_RE.fullmatch(code)
    counselor = api_client("counselor1")
    inbox = counselor.get("/api/v1/services/counseling/desk/questions").json()["items"]
    assert len(inbox) == 1 and inbox[0]["topic"] == "family"
    qid = inbox[0]["id"]
    answered = counselor.post(
        f"/api/v1/services/counseling/desk/questions/{qid}/answer",
        data={"body": "照顾好自己也很重要。"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    thread = worker.post(
        "/api/v1/services/counseling/questions/lookup",
        data={"code": code},
        content_type="application/json",
    )
    assert thread.status_code == 200
    assert [m["body"] for m in thread.json()["messages"]][-1] == "照顾好自己也很重要。"
    for _ in range(2):
        bad = worker.post(
            "/api/v1/services/counseling/questions/lookup",
            data={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"},
            content_type="application/json",
        )
        assert bad.status_code == 404 and bad.json()["detail"] == "收据码不正确"
    limited = worker.post(
        "/api/v1/services/counseling/questions/lookup",
        data={"code": code},
        content_type="application/json",
    )
    assert limited.status_code == 429
    closed = counselor.post(f"/api/v1/services/counseling/desk/questions/{qid}/close")
    assert closed.json()["status"] == "closed"
    # members only may ask; the admin and the chair's API have no inbox
    assert (
        api_client("admin")
        .post(
            "/api/v1/services/counseling/questions",
            data={"topic": "work", "body": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert api_client("chair").get("/api/v1/services/counseling/desk/questions").status_code == 403


def test_counselors_hear_of_questions_the_next_day(personas):
    with time_machine.travel("2026-03-02 10:17:00+08:00", tick=False):
        actions.do_ask_counseling_question(actor=personas["worker1"], topic="sleep", body="失眠")
        # the same day: nothing (a notification now would date the question to the minute)
        assert actions.sweep_counseling()["questions_announced"] == 0
    with time_machine.travel("2026-03-03 00:05:00+08:00", tick=False):
        assert actions.sweep_counseling()["questions_announced"] == 1
        assert actions.sweep_counseling()["questions_announced"] == 0
    notes = Notification.objects.filter(kind="services.counseling_questions_waiting")
    assert [n.user.username for n in notes] == ["counselor1"]
    assert "失眠" not in notes[0].body
