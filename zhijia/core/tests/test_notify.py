"""notify(): inbox rows, delivery rows, the adapters (console, real SMTP, webhook), retries,
the sweep that recovers lost tasks, and the inbox page."""

from __future__ import annotations

import email
import email.policy
import io
import json
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijia.accounts.models import User
from zhijia.core import notify as notify_mod
from zhijia.core.models import Delivery, Notification
from zhijia.core.notify import (
    ConsoleAdapter,
    OutgoingMessage,
    deliver,
    deliver_due,
    notify,
    register_adapter,
    unread_count,
)
from zhijia.core.tasks import send_deliveries

# --- helpers: a real SMTP server and a real HTTP server on loopback ----------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Collects every message an aiosmtpd server on 127.0.0.1 receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)
            for e in self.envelopes
        ]


@contextmanager
def smtp_server():
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


@contextmanager
def http_server(status: int = 200):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            length = int(self.headers["Content-Length"])
            received.append(
                {
                    "path": self.path,
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length).decode("utf-8")),
                }
            )
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for it (0.5 s by default, at every test).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def make_user(username: str, email_address: str = "", **extra) -> User:
    return User.objects.create_user(
        username=username, password="x-" + username, email=email_address, **extra
    )


# --- notify() writes ----------------------------------------------------------------------------


def test_notify_writes_inbox_and_delivery_rows_and_enqueues_after_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["inbox", "email", "console"]
    alice, bob = make_user("alice", "alice@zhijia.localhost"), make_user("bob")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notes = notify(
            recipients=[alice, bob, alice, None],
            kind="congress.proposal_accepted",
            title="您的提案已立案",
            body="提案《食堂延长供餐时间》已立案。",
            url="/congress/proposals/7/",
        )
        # Nothing is queued before the action commits.
        assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1
    assert [n.user for n in notes] == [alice, bob]  # duplicates and None dropped
    assert Notification.objects.filter(user=alice, read_at__isnull=True).count() == 1
    rows = Delivery.objects.order_by("notification__user__username", "channel")
    assert [(d.notification.user.username, d.channel, d.status) for d in rows] == [
        ("alice", "console", "pending"),
        ("alice", "email", "pending"),
        ("bob", "console", "pending"),
        ("bob", "email", "pending"),
    ]
    task = DBTaskResult.objects.get()
    assert task.task_path == "zhijia.core.tasks.send_deliveries"
    assert sorted(task.args_kwargs["args"][0]) == sorted(d.pk for d in rows)


def test_notify_rolled_back_with_the_action(db, settings, django_capture_on_commit_callbacks):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    alice = make_user("alice", "alice@zhijia.localhost")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[alice], kind="x", title="标题", body="内容")
        raise RuntimeError("the action failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_inactive_users_are_not_notified_and_title_is_one_line(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = []
    gone = make_user("gone", is_active=False)
    here = make_user("here")
    notes = notify(recipients=[gone, here], kind="x", title="第一行\n第二行", body="")
    assert [n.user for n in notes] == [here]
    assert notes[0].title == "第一行 第二行"
    assert not Delivery.objects.exists()  # inbox only


# --- adapters -----------------------------------------------------------------------------------


def test_console_adapter_prints_the_message(db, settings, capsys):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["console"]
    settings.ZHIJIA_SITE_URL = "http://127.0.0.1:8000"
    alice = make_user("alice", full_name="王丽")
    notify(
        recipients=[alice],
        kind="cases.grievance_answered",
        title="您的诉求已有答复",
        body="请登录查看答复并评价。",
        url="/cases/12/",
    )
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert send_deliveries.call(ids) == {"sent": 1}
    out = capsys.readouterr().out
    assert "alice (王丽)" in out
    assert "标题: 您的诉求已有答复" in out
    assert "请登录查看答复并评价。" in out
    assert "链接: http://127.0.0.1:8000/cases/12/" in out
    d = Delivery.objects.get()
    assert (d.status, d.attempts, d.last_error) == ("sent", 1, "")
    assert d.sent_at is not None


def test_console_adapter_writes_to_a_given_stream(db):
    stream = io.StringIO()
    user = make_user("carol")
    ConsoleAdapter(stream).send(
        OutgoingMessage(
            delivery_id=5,
            channel="console",
            user=user,
            kind="k",
            title="会议通知",
            body="正文",
            url="",
        )
    )
    text = stream.getvalue()
    assert "#5 → carol" in text and "标题: 会议通知" in text and "正文" in text
    assert "链接" not in text


def test_email_is_sent_over_a_real_smtp_conversation(transactional_db, settings):
    """notify → the task is queued after commit → `zhijia_worker --once` runs it → a real
    SMTP server on 127.0.0.1 receives the message with its UTF-8 Chinese subject."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    settings.DEFAULT_FROM_EMAIL = "zhijia@zhijia.localhost"
    settings.ZHIJIA_SITE_URL = "http://127.0.0.1:8000"
    alice = make_user("alice", "alice@zhijia.localhost")
    with smtp_server() as (sink, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        notify(
            recipients=[alice],
            kind="congress.session_called",
            title="关于召开第三届职工代表大会第二次会议的通知",
            body="会议定于 3 月 12 日上午 9 时在职工活动中心召开。",
            url="/congress/sessions/2/",
        )
        assert DBTaskResult.objects.count() == 1  # enqueued on commit (autocommit here)
        call_command("zhijia_worker", "--once", verbosity=0)
    assert len(sink.envelopes) == 1
    envelope = sink.envelopes[0]
    assert envelope.rcpt_tos == ["alice@zhijia.localhost"]
    assert envelope.mail_from == "zhijia@zhijia.localhost"
    message = sink.messages[0]
    # Python's header folding starts a long encoded subject on a continuation line, which
    # leaves a leading space after unfolding; clients strip it.
    assert "=?utf-8?b?" in envelope.original_content.decode("utf-8")
    assert message["Subject"].strip() == "关于召开第三届职工代表大会第二次会议的通知"
    assert message["To"] == "alice@zhijia.localhost"
    body = message.get_content()
    assert "职工活动中心" in body
    assert "http://127.0.0.1:8000/congress/sessions/2/" in body
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("sent", 1)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_email_skips_users_without_an_address(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    notify(recipients=[make_user("noaddr")], kind="k", title="t", body="b")
    assert deliver(Delivery.objects.values_list("pk", flat=True)) == {"skipped": 1}
    d = Delivery.objects.get()
    assert d.status == "skipped"
    assert "没有登记电子邮箱" in d.last_error


def test_transient_smtp_failure_is_retried_with_backoff_then_fails(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    settings.ZHIJIA_NOTIFY_MAX_ATTEMPTS = 3
    notify(recipients=[make_user("a", "a@zhijia.localhost")], kind="k", title="t", body="b")
    d = Delivery.objects.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert deliver([d.pk]) == {"retry": 1}
        d.refresh_from_db()
        assert (d.status, d.attempts) == ("pending", 1)
        assert "ConnectionRefusedError" in d.last_error
        assert d.not_before == start + timedelta(minutes=1)
        assert deliver([d.pk]) == {"not_due": 1}  # backing off
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert deliver_due() == {"retry": 1}
        d.refresh_from_db()
        assert d.not_before == start + timedelta(minutes=3)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert deliver_due() == {"failed": 1}
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("failed", 3)


def test_a_claimed_delivery_is_not_sent_twice(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["console"]
    notify(recipients=[make_user("a")], kind="k", title="t", body="b")
    d = Delivery.objects.get()
    now = timezone.now()
    # Another worker holds the lease.
    Delivery.objects.filter(pk=d.pk).update(not_before=now + timedelta(minutes=5), attempts=1)
    assert deliver([d.pk]) == {"not_due": 1}
    assert deliver_due(min_age=timedelta(0)) == {}
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("pending", 1)


def test_sweep_sends_deliveries_whose_task_was_lost(
    db, settings, capsys, django_capture_on_commit_callbacks
):
    """The process dies between the commit and the enqueue: the rows are there, no task."""
    settings.ZHIJIA_NOTIFY_CHANNELS = ["console"]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            notify(recipients=[make_user("a")], kind="k", title="丢失的任务", body="b")
        assert not DBTaskResult.objects.exists()
        assert deliver_due() == {}  # fresh rows are left to their task for a minute
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert deliver_due() == {"sent": 1}
    assert "丢失的任务" in capsys.readouterr().out
    assert Delivery.objects.get().status == "sent"


def test_a_failing_enqueue_does_not_fail_the_action(
    db, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from django_tasks_db.backend import DatabaseBackend

    def broken_enqueue(self, task, args, kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken_enqueue)
    settings.ZHIJIA_NOTIFY_CHANNELS = ["console"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[make_user("a")], kind="k", title="t", body="b")
    assert Delivery.objects.get().status == "pending"
    assert "the sweep will send them" in caplog.text


def test_unknown_channel_fails_for_good(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["pigeon"]
    notify(recipients=[make_user("a")], kind="k", title="t", body="b")
    assert deliver(Delivery.objects.values_list("pk", flat=True)) == {"failed": 1}
    d = Delivery.objects.get()
    assert d.status == "failed" and "pigeon" in d.last_error


def test_registered_adapter_is_used(db, settings):
    sent = []

    class Recorder(notify_mod.Adapter):
        def send(self, message):
            sent.append((message.user.username, message.title))

    register_adapter("test-recorder", Recorder())
    settings.ZHIJIA_NOTIFY_CHANNELS = ["test-recorder"]
    notify(recipients=[make_user("a")], kind="k", title="自定义渠道", body="b")
    deliver(Delivery.objects.values_list("pk", flat=True))
    assert sent == [("a", "自定义渠道")]


def test_webhook_adapter_posts_json_to_a_loopback_server(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["webhook", "sms"]
    with http_server() as (received, url):
        settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {"webhook": url, "sms": url}
        notify(
            recipients=[make_user("a", "a@zhijia.localhost", full_name="李强")],
            kind="notices.published",
            title="关于发放防暑降温用品的通知",
            body="请于本周五前到分工会领取。",
            url="/notices/3/",
        )
        outcomes = deliver(Delivery.objects.order_by("channel").values_list("pk", flat=True))
    # sms needs a phone number (from the member record), which this account lacks.
    assert outcomes == {"skipped": 1, "sent": 1}
    assert Delivery.objects.get(channel="sms").last_error == "该用户没有登记手机号"
    assert len(received) == 1
    hit = received[0]
    assert hit["path"] == "/hook"
    assert hit["content_type"].startswith("application/json")
    payload = hit["json"]
    assert payload["channel"] == "webhook"
    assert payload["title"] == "关于发放防暑降温用品的通知"
    assert payload["recipient"] == {
        "username": "a",
        "name": "李强",
        "email": "a@zhijia.localhost",
        "phone": "",
    }
    assert payload["delivery_id"] == Delivery.objects.get(channel="webhook").pk


def test_webhook_client_errors_are_permanent_server_errors_are_retried(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["webhook"]
    notify(recipients=[make_user("a")], kind="k", title="t", body="b")
    d = Delivery.objects.get()
    with http_server(status=503) as (received, url):
        settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {"webhook": url}
        assert deliver([d.pk]) == {"retry": 1}
    Delivery.objects.filter(pk=d.pk).update(not_before=timezone.now())
    with http_server(status=400) as (received, url):
        settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {"webhook": url}
        assert deliver([d.pk]) == {"failed": 1}
    d.refresh_from_db()
    assert (d.status, d.attempts, d.last_error) == ("failed", 2, "HTTP 400")


def test_webhook_without_url_is_a_permanent_failure(db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["wecom"]
    settings.ZHIJIA_NOTIFY_ROBOT_KINDS = ["k"]
    settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {}
    notify(recipients=[make_user("a")], kind="k", title="t", body="b")
    assert deliver(Delivery.objects.values_list("pk", flat=True)) == {"failed": 1}
    assert "wecom" in Delivery.objects.get().last_error


# --- the inbox page -----------------------------------------------------------------------------


@pytest.fixture
def inbox_setup(personas, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = []
    w1, w2 = personas["worker1"], personas["worker2"]
    start = timezone.now() - timedelta(hours=3)
    with time_machine.travel(start, tick=False):
        old = notify(recipients=[w1], kind="k", title="旧通知已读", body="早先的消息")[0]
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        unread = notify(
            recipients=[w1], kind="k", title="新的未读通知", body="请查看", url="/org/members/"
        )[0]
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        newest_read = notify(recipients=[w1], kind="k", title="最新但已读", body="")[0]
    notify(recipients=[w2], kind="k", title="第二分工会的私信", body="不应给别人看")
    Notification.objects.filter(pk__in=[old.pk, newest_read.pk]).update(read_at=timezone.now())
    return {"unread": unread, "old": old, "newest_read": newest_read}


def test_inbox_shows_only_my_notifications_unread_first(inbox_setup, login):
    html = login("worker1").get("/core/inbox/").content.decode()
    assert "第二分工会的私信" not in html
    assert html.index("新的未读通知") < html.index("最新但已读") < html.index("旧通知已读")
    assert "1 条未读" in html
    html2 = login("worker2").get("/core/inbox/").content.decode()
    assert "第二分工会的私信" in html2 and "新的未读通知" not in html2


def test_top_bar_shows_the_unread_count(inbox_setup, login, personas):
    html = login("worker1").get("/").content.decode()
    assert 'id="inbox-link"' in html
    assert '<span class="badge"' in html and ">1</span>" in html
    assert unread_count(personas["worker1"]) == 1


def test_mark_read_with_htmx(inbox_setup, login, personas):
    note = inbox_setup["unread"]
    client = login("worker1")
    response = client.post(f"/core/inbox/{note.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="note-{note.pk}"' in html and "标为已读" not in html
    assert 'id="inbox-link" class="inbox-link" href="/core/inbox/" hx-swap-oob="true"' in html
    assert "没有未读通知" in html
    note.refresh_from_db()
    assert note.read_at is not None
    assert unread_count(personas["worker1"]) == 0


def test_cannot_touch_someone_elses_notification(inbox_setup, login):
    note = inbox_setup["unread"]
    client = login("worker2")
    assert client.post(f"/core/inbox/{note.pk}/read/").status_code == 404
    assert client.post(f"/core/inbox/{note.pk}/open/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_and_open(inbox_setup, login, personas):
    client = login("worker1")
    response = client.post(f"/core/inbox/{inbox_setup['unread'].pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/org/members/"
    # A stored link to another site is never followed.
    evil = notify(
        recipients=[personas["worker1"]], kind="k", title="t", body="", url="//evil.test/"
    )
    response = client.post(f"/core/inbox/{evil[0].pk}/open/")
    assert response["Location"] == "/core/inbox/"
    notify(recipients=[personas["worker1"]], kind="k", title="再来一条", body="")
    assert client.post("/core/inbox/read-all/").status_code == 302
    assert unread_count(personas["worker1"]) == 0
    assert client.get("/core/inbox/read-all/").status_code == 405


def test_inbox_requires_login(db, client):
    response = client.get("/core/inbox/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
