"""The channels' adapters of core.notify: console, e-mail, JSON webhook, SMS relay, and the
企业微信 and 钉钉 group robots. See zhijia.core.notify for how deliveries reach them.

An adapter sends one OutgoingMessage over one channel; register your own with
`register_adapter(name, adapter)` (e.g. from an AppConfig.ready()).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _


class SkipDelivery(Exception):  # noqa: N818 - it is an outcome, not an error
    """Nothing to send for this user on this channel (e.g. no e-mail address)."""


class PermanentError(Exception):
    """Sending can never succeed as configured; do not retry."""


@dataclass(frozen=True)
class OutgoingMessage:
    delivery_id: int
    channel: str
    user: Any
    kind: str
    title: str
    body: str
    url: str  # absolute when settings.ZHIJIA_SITE_URL is set, else the site-relative path


class Adapter:
    """Sends one message over one channel.

    `send` returns on success; raises SkipDelivery when there is nothing to do for this user,
    PermanentError when retrying is pointless, and any other exception for a transient failure
    (retried with back-off). It must not log the message body.
    """

    # False for channels that post to a group (robots): one delivery per notify() call.
    per_recipient = True

    def send(self, message: OutgoingMessage) -> None:
        raise NotImplementedError


class ConsoleAdapter(Adapter):
    """Development channel: writes the whole message to standard output (or `stream`)."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, message: OutgoingMessage) -> None:
        stream = self.stream or sys.stdout
        user = message.user
        lines = [
            "=" * 60,
            f"[zhijia 通知] #{message.delivery_id} → {user.get_username()} ({user})",
            f"类别: {message.kind}",
            f"标题: {message.title}",
        ]
        if message.url:
            lines.append(f"链接: {message.url}")
        lines += ["", message.body, "=" * 60, ""]
        stream.write("\n".join(lines))
        stream.flush()


class EmailAdapter(Adapter):
    """E-mail to the user's address through Django's e-mail backend (SMTP in production)."""

    def send(self, message: OutgoingMessage) -> None:
        address = (message.user.email or "").strip()
        if not address:
            raise SkipDelivery(_("该用户没有登记电子邮箱"))
        parts = [message.body]
        if message.url:
            parts.append(_("查看详情：%(url)s") % {"url": message.url})
        parts.append(_("此邮件由职工之家自动发送，请勿直接回复。"))
        EmailMessage(
            subject=message.title,
            body="\n\n".join(p for p in parts if p),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        ).send(fail_silently=False)


class WebhookAdapter(Adapter):
    """POSTs the message as JSON to the URL configured for this channel.

    Body: {"channel", "kind", "title", "body", "url", "delivery_id",
           "recipient": {"username", "name", "email", "phone"}}.
    `delivery_id` is stable across retries, so the receiver can drop duplicates.
    """

    def __init__(self, channel: str, *, timeout: float = 10):
        self.channel = channel
        self.timeout = timeout

    def payload(self, message: OutgoingMessage) -> dict[str, Any]:
        user = message.user
        member = getattr(user, "member_record", None)
        return {
            "channel": self.channel,
            "delivery_id": message.delivery_id,
            "kind": message.kind,
            "title": message.title,
            "body": message.body,
            "url": message.url,
            "recipient": {
                "username": user.get_username(),
                "name": str(user),
                "email": user.email or "",
                "phone": getattr(member, "phone", "") or "",
            },
        }

    def send(self, message: OutgoingMessage) -> None:
        url = _configured_url(self.channel)
        payload = self.payload(message)
        if self.channel == "sms" and not payload["recipient"]["phone"]:
            raise SkipDelivery(_("该用户没有登记手机号"))
        post_json(url, payload, timeout=self.timeout)


class RobotError(Exception):
    """A group robot refused for now (rate limit, busy) or answered garbage: retried."""


class GroupRobotAdapter(Adapter):
    """Posts to a group chat through a group robot's webhook (企业微信 / 钉钉).

    A robot speaks to the whole group, not to a person: the channel gets one delivery per
    notify() call (see `per_recipient`), carrying the call's title, body and link, which are
    the same for every recipient. The robot answers HTTP 200 with {"errcode": 0, "errmsg":
    "ok"}; another errcode is an error, transient for the codes in `TRANSIENT_ERRCODES` (rate
    limits, "system busy") and permanent otherwise (a wrong key, a keyword or signature the
    robot refuses, a malformed message).
    """

    per_recipient = False
    channel = ""
    TRANSIENT_ERRCODES: frozenset[int] = frozenset()

    def __init__(self, *, timeout: float = 10):
        self.timeout = timeout

    def body(self, message: OutgoingMessage) -> dict[str, Any]:
        raise NotImplementedError

    def target(self, url: str) -> str:
        return url

    def send(self, message: OutgoingMessage) -> None:
        url = self.target(_configured_url(self.channel))
        answer = post_json(url, self.body(message), timeout=self.timeout)
        try:
            result = json.loads(answer.decode("utf-8"))
            errcode = int(result.get("errcode", -1))
            errmsg = str(result.get("errmsg", ""))[:200]
        except (ValueError, AttributeError, TypeError):
            raise RobotError(_("机器人的回答不是预期的 JSON")) from None
        if errcode == 0:
            return
        error = f"errcode {errcode}: {errmsg}"
        if errcode in self.TRANSIENT_ERRCODES:
            raise RobotError(error)
        raise PermanentError(error)


def markdown_text(message: OutgoingMessage) -> tuple[str, str, str]:
    """(title, body, link) of a robot's markdown message, the body's lines right-trimmed.

    The link is clickable only when settings.ZHIJIA_SITE_URL makes it absolute; otherwise the
    message says where to look.
    """
    body = "\n".join(line.rstrip() for line in message.body.strip().splitlines())
    if message.url.startswith(("http://", "https://")):
        link = f"[{_('查看详情')}]({message.url})"
    else:
        link = _("请登录职工之家查看详情")
    return message.title, body, link


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (ending in … when cut), never mid-character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    ellipsis = "…"
    room = limit - len(ellipsis.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + ellipsis


def _compose(head: str, body: str, tail: str, limit: int) -> str:
    """head + body + tail within `limit` bytes, shortening the body (then the head) to fit."""
    sep = "\n\n"
    fixed = len((head + sep + tail).encode("utf-8"))
    if body:
        body_room = limit - fixed - len(sep.encode("utf-8"))
        if body_room >= 16:
            return head + sep + fit_bytes(body, body_room) + sep + tail
    return fit_bytes(head + sep + tail, limit)


class WecomRobotAdapter(GroupRobotAdapter):
    """企业微信 group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}} to
    https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=... (the key is the credential; keep
    the URL secret). Content at most 4096 bytes of UTF-8. Limit: 20 messages a minute per
    robot (errcode 45009, retried)."""

    channel = "wecom"
    CONTENT_MAX_BYTES = 4096
    # -1 system busy, 45009 API frequency out of limit, 45033 too many concurrent calls.
    TRANSIENT_ERRCODES = frozenset({-1, 45009, 45033})

    def body(self, message: OutgoingMessage) -> dict[str, Any]:
        title, body, link = markdown_text(message)
        content = _compose(f"**{title}**", body, link, self.CONTENT_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}


class DingtalkRobotAdapter(GroupRobotAdapter):
    """钉钉 custom robot: POST {"msgtype": "markdown", "markdown": {"title", "text"}} to
    https://oapi.dingtalk.com/robot/send?access_token=... . With "加签" security, the secret
    (settings.ZHIJIA_NOTIFY_DINGTALK_SECRET, "SEC...") signs each request: `timestamp` (ms)
    and `sign` = urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\n{secret}"))) are added to
    the URL. With "自定义关键词" security, every message ends in "职工之家", so that word works
    as the keyword. Limit: 20 messages a minute per robot (errcode 130101 or 410100, retried).
    """

    channel = "dingtalk"
    TEXT_MAX_BYTES = 4096
    TITLE_MAX_CHARS = 64  # shown in the conversation list
    SIGNATURE = "职工之家"  # in every language: it is the robot's keyword
    # -1 system busy, 130101 / 410100 sending too fast (rate limited).
    TRANSIENT_ERRCODES = frozenset({-1, 130101, 410100})

    def secret(self) -> str:
        return settings.ZHIJIA_NOTIFY_DINGTALK_SECRET

    def target(self, url: str) -> str:
        secret = self.secret()
        if not secret:
            return url
        timestamp, sign = dingtalk_sign(secret)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={timestamp}&sign={sign}"

    def body(self, message: OutgoingMessage) -> dict[str, Any]:
        title, body, link = markdown_text(message)
        footer = f"{link}\n\n—— {self.SIGNATURE}"
        text = _compose(f"#### {title}", body, footer, self.TEXT_MAX_BYTES)
        short = (
            title if len(title) <= self.TITLE_MAX_CHARS else title[: self.TITLE_MAX_CHARS - 1] + "…"
        )
        return {"msgtype": "markdown", "markdown": {"title": short, "text": text}}


def dingtalk_sign(secret: str, timestamp: int | None = None) -> tuple[int, str]:
    """(timestamp in ms, URL-encoded signature) for a 钉钉 robot with "加签" security."""
    if timestamp is None:
        timestamp = int(time.time() * 1000)
    string_to_sign = f"{timestamp}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return timestamp, urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def _configured_url(channel: str) -> str:
    url = settings.ZHIJIA_NOTIFY_WEBHOOK_URLS.get(channel, "")
    if not url:
        raise PermanentError(_("渠道 %(channel)s 未配置 webhook 地址") % {"channel": channel})
    if not url.startswith(("http://", "https://")):
        raise PermanentError(_("webhook 地址必须以 http:// 或 https:// 开头"))
    return url


def post_json(url: str, payload: dict[str, Any], *, timeout: float) -> bytes:
    """POST `payload` as UTF-8 JSON; returns the answer's body. A 4xx (but 408 and 429) is a
    PermanentError; other HTTP and network errors propagate as transient."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by _configured_url
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read(65536)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise PermanentError(f"HTTP {exc.code}") from exc
        raise


_ADAPTERS: dict[str, Adapter] = {}


def register_adapter(channel: str, adapter: Adapter) -> None:
    """Install (or replace) the adapter of a channel, e.g. from an AppConfig.ready()."""
    _ADAPTERS[channel] = adapter


def is_per_recipient(channel: str) -> bool:
    """Whether `channel` sends one message per recipient (True for unknown channels)."""
    adapter = _ADAPTERS.get(channel)
    return adapter is None or adapter.per_recipient


def get_adapter(channel: str) -> Adapter:
    try:
        return _ADAPTERS[channel]
    except KeyError:
        raise PermanentError(_("未知的通知渠道：%(channel)s") % {"channel": channel}) from None


register_adapter("console", ConsoleAdapter())
register_adapter("email", EmailAdapter())
for _channel in ("webhook", "sms"):
    register_adapter(_channel, WebhookAdapter(_channel))
register_adapter("wecom", WecomRobotAdapter())
register_adapter("dingtalk", DingtalkRobotAdapter())
