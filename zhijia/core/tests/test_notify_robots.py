"""The 企业微信 and 钉钉 group-robot channels, through the real delivery code (deliver /
_deliver_one) against a robot stand-in on 127.0.0.1: it checks the message format the robots
accept, verifies 钉钉's "加签" signature, and answers with robot error codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.core.models import Delivery, Notification
from zhijia.core.notify import deliver, notify
from zhijia.core.notify_adapters import dingtalk_sign, fit_bytes

SECRET = "SEC0123456789abcdef-test-secret"


class Robot:
    """What a group robot does: check the request, answer {"errcode", "errmsg"}."""

    def __init__(self, kind: str, secret: str = ""):
        self.kind = kind
        self.secret = secret
        self.received: list[dict] = []
        self.answers: list[object] = []  # errcodes (or raw bytes) to answer, in order

    def check(self, path: str, payload: dict) -> tuple[int, str]:
        url = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(url.query)
        if self.kind == "wecom":
            if query.get("key") != ["robot-key"]:
                return 93000, "invalid webhook url"
            if payload.get("msgtype") != "markdown" or set(payload) != {"msgtype", "markdown"}:
                return 40008, "invalid message type"
            content = payload["markdown"].get("content")
            if not isinstance(content, str) or not content:
                return 44004, "empty content"
            if len(content.encode("utf-8")) > 4096:
                return 40058, "markdown.content exceed max length 4096"
            return 0, "ok"
        if query.get("access_token") != ["robot-token"]:
            return 300001, "token is not exist"
        if self.secret:
            timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600_000:
                return 310000, "invalid timestamp"
            string_to_sign = f"{timestamp}\n{self.secret}".encode()
            digest = hmac.new(self.secret.encode(), string_to_sign, hashlib.sha256).digest()
            if sign != base64.b64encode(digest).decode():
                return 310000, "sign not match"
        markdown = payload.get("markdown") or {}
        if payload.get("msgtype") != "markdown" or not markdown.get("title"):
            return 40035, "缺少参数 markdown"
        if not markdown.get("text"):
            return 40035, "缺少参数 text"
        return 0, "ok"


@contextmanager
def robot_server(robot: Robot):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            length = int(self.headers["Content-Length"])
            raw = self.rfile.read(length)
            payload = json.loads(raw.decode("utf-8"))
            robot.received.append(
                {"path": self.path, "content_type": self.headers["Content-Type"], "json": payload}
            )
            errcode, errmsg = robot.check(self.path, payload)
            answer = robot.answers.pop(0) if robot.answers else None
            if isinstance(answer, bytes):
                body = answer
            else:
                if errcode == 0 and answer is not None:
                    errcode, errmsg = int(answer), "answered by the test"
                body = json.dumps({"errcode": errcode, "errmsg": errmsg}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for it (0.5 s by default, at every test).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def users(n: int) -> list[User]:
    return [
        User.objects.create_user(username=f"u{i}", password="x", full_name=f"用户{i}")
        for i in range(n)
    ]


@pytest.fixture
def wecom(db, settings):
    robot = Robot("wecom")
    settings.ZHIJIA_NOTIFY_CHANNELS = ["wecom"]
    settings.ZHIJIA_NOTIFY_ROBOT_KINDS = ["k", "notices.", "congress."]
    settings.ZHIJIA_SITE_URL = "https://zhijia.example.org"
    with robot_server(robot) as base:
        settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {
            "wecom": f"{base}/cgi-bin/webhook/send?key=robot-key"
        }
        yield robot


@pytest.fixture
def dingtalk(db, settings):
    robot = Robot("dingtalk", secret=SECRET)
    settings.ZHIJIA_NOTIFY_CHANNELS = ["dingtalk"]
    settings.ZHIJIA_NOTIFY_ROBOT_KINDS = ["k", "notices.", "congress."]
    settings.ZHIJIA_NOTIFY_DINGTALK_SECRET = SECRET
    settings.ZHIJIA_SITE_URL = "https://zhijia.example.org"
    with robot_server(robot) as base:
        settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {
            "dingtalk": f"{base}/robot/send?access_token=robot-token"
        }
        yield robot


def send_all() -> dict[str, int]:
    return deliver(Delivery.objects.order_by("pk").values_list("pk", flat=True))


def retry_now(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())


# --- 企业微信 ----------------------------------------------------------------------------------


def test_wecom_posts_one_markdown_message_per_notify_call(wecom):
    notify(
        recipients=users(3),
        kind="notices.published",
        title="关于发放防暑降温用品的通知",
        body="请于本周五前到分工会领取。\n逾期不候。",
        url="/notices/3/",
    )
    assert Notification.objects.count() == 3  # every inbox gets it
    assert Delivery.objects.filter(channel="wecom").count() == 1  # the group gets it once
    assert send_all() == {"sent": 1}
    assert len(wecom.received) == 1
    hit = wecom.received[0]
    assert hit["content_type"].startswith("application/json")
    content = hit["json"]["markdown"]["content"]
    assert content == (
        "**关于发放防暑降温用品的通知**\n\n请于本周五前到分工会领取。\n逾期不候。\n\n"
        "[查看详情](https://zhijia.example.org/notices/3/)"
    )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("sent", "")


def test_wecom_content_is_cut_to_4096_bytes_keeping_title_and_link(wecom, settings):
    settings.ZHIJIA_SITE_URL = ""
    notify(recipients=users(1), kind="k", title="长通知", body="工会" * 3000, url="/n/1/")
    assert send_all() == {"sent": 1}
    content = wecom.received[0]["json"]["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith("**长通知**\n\n工会工会")
    assert "…\n\n" in content and content.endswith("请登录职工之家查看详情")  # no site URL


def test_wecom_rate_limit_is_retried_then_sent(wecom):
    notify(recipients=users(2), kind="k", title="t", body="b")
    delivery = Delivery.objects.get()
    wecom.answers = [45009]
    assert send_all() == {"retry": 1}
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "45009" in delivery.last_error
    assert delivery.not_before > timezone.now()
    retry_now(delivery)
    assert send_all() == {"sent": 1}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_wecom_wrong_key_fails_for_good(wecom, settings):
    base = settings.ZHIJIA_NOTIFY_WEBHOOK_URLS["wecom"].split("?")[0]
    settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {"wecom": f"{base}?key=wrong"}
    notify(recipients=users(1), kind="k", title="t", body="b")
    assert send_all() == {"failed": 1}
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "errcode 93000: invalid webhook url"


def test_an_answer_that_is_not_json_is_retried(wecom):
    notify(recipients=users(1), kind="k", title="t", body="b")
    wecom.answers = [b"<html>gateway</html>"]
    assert send_all() == {"retry": 1}
    assert "JSON" in Delivery.objects.get().last_error


# --- 钉钉 -------------------------------------------------------------------------------------


def test_dingtalk_signed_markdown_is_accepted(dingtalk):
    notify(
        recipients=users(4),
        kind="congress.session_opened",
        title="第三届职代会第二次会议开幕",
        body="请代表按时签到。",
        url="/congress/sessions/2/",
    )
    assert Delivery.objects.filter(channel="dingtalk").count() == 1
    assert send_all() == {"sent": 1}
    hit = dingtalk.received[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(hit["path"]).query)
    assert set(query) == {"access_token", "timestamp", "sign"}
    markdown = hit["json"]["markdown"]
    assert hit["json"]["msgtype"] == "markdown"
    assert markdown["title"] == "第三届职代会第二次会议开幕"
    assert markdown["text"] == (
        "#### 第三届职代会第二次会议开幕\n\n请代表按时签到。\n\n"
        "[查看详情](https://zhijia.example.org/congress/sessions/2/)\n\n—— 职工之家"
    )


def test_dingtalk_wrong_secret_fails_for_good(dingtalk, settings):
    settings.ZHIJIA_NOTIFY_DINGTALK_SECRET = "SECwrong"
    notify(recipients=users(1), kind="k", title="t", body="b")
    assert send_all() == {"failed": 1}
    assert Delivery.objects.get().last_error == "errcode 310000: sign not match"


def test_dingtalk_without_secret_sends_no_signature(dingtalk, settings):
    settings.ZHIJIA_NOTIFY_DINGTALK_SECRET = ""
    dingtalk.secret = ""  # a robot with keyword security only
    notify(recipients=users(1), kind="k", title="t", body="")
    assert send_all() == {"sent": 1}
    path = dingtalk.received[0]["path"]
    assert path.endswith("/robot/send?access_token=robot-token")


def test_dingtalk_rate_limit_retried_until_the_attempts_run_out(dingtalk, settings):
    settings.ZHIJIA_NOTIFY_MAX_ATTEMPTS = 2
    notify(recipients=users(1), kind="k", title="t", body="b")
    delivery = Delivery.objects.get()
    dingtalk.answers = [130101, 130101]
    assert send_all() == {"retry": 1}
    retry_now(delivery)
    assert send_all() == {"failed": 1}
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "130101" in delivery.last_error


def test_robot_url_must_be_http(dingtalk, settings):
    notify(recipients=users(1), kind="k", title="t", body="b")
    settings.ZHIJIA_NOTIFY_WEBHOOK_URLS = {"dingtalk": "ftp://127.0.0.1/robot"}
    assert send_all() == {"failed": 1}
    assert "http" in Delivery.objects.get().last_error
    assert dingtalk.received == []


def test_long_dingtalk_title_is_shortened(dingtalk):
    notify(recipients=users(1), kind="k", title="很长的标题" * 30, body="b")
    assert send_all() == {"sent": 1}
    title = dingtalk.received[0]["json"]["markdown"]["title"]
    assert len(title) == 64 and title.endswith("…")


# --- which kinds reach the robots, and what is pure ------------------------------------------


def test_robot_kinds_limit_what_the_group_sees(dingtalk, settings, mailoutbox):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["dingtalk", "email"]
    settings.ZHIJIA_NOTIFY_ROBOT_KINDS = ["notices.", "congress.session_opened"]
    people = users(2)
    for person in people:
        person.email = f"{person.username}@zhijia.localhost"
        person.save()
    notify(recipients=people, kind="cases.grievance_accepted", title="您的诉求已受理", body="")
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email", "email"]
    notify(recipients=people, kind="notices.published", title="公示", body="")
    notify(recipients=people, kind="congress.session_opened", title="开幕", body="")
    assert Delivery.objects.filter(channel="dingtalk").count() == 2
    assert Delivery.objects.filter(channel="email").count() == 6
    assert send_all() == {"sent": 8}
    assert [r["json"]["markdown"]["title"] for r in dingtalk.received] == ["公示", "开幕"]
    assert len(mailoutbox) == 6


def test_dingtalk_sign_matches_the_documented_recipe():
    timestamp, sign = dingtalk_sign("SECabc", 1700000000000)
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    assert timestamp == 1700000000000
    assert sign == urllib.parse.quote_plus(base64.b64encode(digest).decode())
    assert "%" in sign or sign.isalnum()  # URL-safe: "+", "/" and "=" are escaped
    assert dingtalk_sign("SECabc")[0] > 1700000000000


def test_fit_bytes_never_splits_a_character():
    assert fit_bytes("工会", 6) == "工会"
    cut = fit_bytes("工会会员" * 10, 20)
    assert len(cut.encode("utf-8")) <= 20 and cut.endswith("…")
    assert cut == "工会会员工…"  # 15 bytes of text and 3 of "…"; the 6th character did not fit


def test_robots_post_nothing_unless_the_kind_is_listed(dingtalk, settings):
    """Most notifications are personal: by default no kind reaches a group."""
    settings.ZHIJIA_NOTIFY_ROBOT_KINDS = []
    notify(recipients=users(1), kind="cases.accepted", title="您的诉求已受理", body="b")
    assert not Delivery.objects.filter(channel="dingtalk").exists()
