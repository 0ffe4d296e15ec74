"""Notifications: one `notify()` for every module, an in-app inbox and external channels.

    from zhijia.core.notify import notify

    notify(recipients=[proposer], kind="congress.proposal_accepted",
           title=gettext("您的提案已立案"), body=..., url=proposal.get_absolute_url(),
           unit=proposal.unit)

Call it from an action, inside its transaction. It writes the inbox rows (`Notification`) and
one `Delivery` row per recipient and external channel (settings.ZHIJIA_NOTIFY_CHANNELS) in that
same transaction; after the commit it enqueues a background task that sends them. Nothing is
ever sent inside the request.

Safe text only: titles and bodies are shown in the inbox, e-mailed and posted to webhooks, so
callers never put ballot choices, counseling notes, ID numbers, hardship or medical details,
or an anonymous reporter's identity in them. Say *that* something happened and link to the
page, which applies the permission checks.

Delivery guarantees (at-least-once):
- The Delivery rows commit with the action, so a process that dies after the commit but before
  the task is enqueued loses nothing: the worker's sweep (`deliver_due`) sends pending rows
  older than a minute.
- A worker claims a row by one UPDATE that pushes `not_before` a lease into the future
  (settings.ZHIJIA_NOTIFY_LEASE_SECONDS) and counts the attempt; two workers never send the
  same row at the same time while the lease holds.
- A worker killed while sending leaves the row pending; once the lease runs out the next sweep
  sends it again. If the first send had already reached the server, the user receives the
  message twice: duplicates are possible, losses are not.
- Transient errors are retried with back-off up to ZHIJIA_NOTIFY_MAX_ATTEMPTS; permanent ones
  (a 4xx from a webhook) mark the row failed, and rows that have nothing to do (a user without
  an e-mail address) are marked skipped, with the reason in `last_error`.

Adapters: `console` (development: writes the message to standard output), `email` (Django's
e-mail backend, SMTP in production), and `webhook`, `sms`, `wecom`, `dingtalk`, which POST a
JSON document to a URL configured per channel (settings.ZHIJIA_NOTIFY_WEBHOOK_URLS) — a relay
the union runs in front of its SMS provider or 企业微信/钉钉 application. Provider-specific APIs
are not built in; register your own with `register_adapter(name, adapter)`.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.models import Delivery, Notification

logger = logging.getLogger("zhijia.notify")

INBOX = "inbox"  # always on; listed in ZHIJIA_NOTIFY_CHANNELS or not
TITLE_MAX = 200
ENQUEUE_CHUNK = 200


# --- writing -----------------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str,
    url: str = "",
    unit: Any = None,
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue it for the external channels.

    Recipients are users; duplicates, None and deactivated accounts are dropped. Returns the
    inbox rows created. `body` must be safe to show and to e-mail (see the module docstring).
    `channels` replaces the configured external channels for this message (e.g. only the SMS
    channel for a one-time code).
    """
    users = _unique_active(recipients)
    if not users:
        return []
    title = " ".join(str(title).split())  # one line: it becomes an e-mail subject
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    now = timezone.now()
    unit_path = getattr(unit, "path", "") or ""
    channels = external_channels() if channels is None else [c for c in channels if c != INBOX]
    with transaction.atomic():
        notes = Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    kind=kind,
                    title=title,
                    body=str(body),
                    url=url,
                    unit_path=unit_path,
                    created_at=now,
                )
                for user in users
            ]
        )
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(notification=note, channel=channel, created_at=now, not_before=now)
                for note in notes
                for channel in channels
            ]
        )
        ids = [d.pk for d in deliveries]
        if ids:
            transaction.on_commit(partial(_enqueue, ids))
    return notes


def external_channels() -> list[str]:
    channels: list[str] = []
    for channel in getattr(settings, "ZHIJIA_NOTIFY_CHANNELS", []):
        if channel and channel != INBOX and channel not in channels:
            channels.append(channel)
    return channels


def _unique_active(recipients: Iterable[Any]) -> list[Any]:
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or user.pk is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _enqueue(delivery_ids: list[int]) -> None:
    """After commit: hand the rows to the task queue. A failure here loses nothing, the
    worker's sweep picks the rows up a minute later."""
    from zhijia.core.tasks import send_deliveries

    for start in range(0, len(delivery_ids), ENQUEUE_CHUNK):
        chunk = delivery_ids[start : start + ENQUEUE_CHUNK]
        try:
            send_deliveries.enqueue(chunk)
        except Exception:
            logger.exception(
                "could not enqueue %d deliveries; the sweep will send them", len(chunk)
            )


# --- adapters ----------------------------------------------------------------------------------


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

    def url(self) -> str:
        return (getattr(settings, "ZHIJIA_NOTIFY_WEBHOOK_URLS", {}) or {}).get(self.channel, "")

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
        url = self.url()
        if not url:
            raise PermanentError(
                _("渠道 %(channel)s 未配置 webhook 地址") % {"channel": self.channel}
            )
        if not url.startswith(("http://", "https://")):
            raise PermanentError(_("webhook 地址必须以 http:// 或 https:// 开头"))
        payload = self.payload(message)
        if self.channel == "sms" and not payload["recipient"]["phone"]:
            raise SkipDelivery(_("该用户没有登记手机号"))
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentError(f"HTTP {exc.code}") from exc
            raise


_ADAPTERS: dict[str, Adapter] = {}


def register_adapter(channel: str, adapter: Adapter) -> None:
    """Install (or replace) the adapter of a channel, e.g. from an AppConfig.ready()."""
    _ADAPTERS[channel] = adapter


def get_adapter(channel: str) -> Adapter:
    try:
        return _ADAPTERS[channel]
    except KeyError:
        raise PermanentError(_("未知的通知渠道：%(channel)s") % {"channel": channel}) from None


register_adapter("console", ConsoleAdapter())
register_adapter("email", EmailAdapter())
for _channel in ("webhook", "sms", "wecom", "dingtalk"):
    register_adapter(_channel, WebhookAdapter(_channel))


# --- sending (runs in the worker) --------------------------------------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "ZHIJIA_NOTIFY_LEASE_SECONDS", 300))


def _max_attempts() -> int:
    return getattr(settings, "ZHIJIA_NOTIFY_MAX_ATTEMPTS", 6)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _absolute(url: str) -> str:
    base = (getattr(settings, "ZHIJIA_SITE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def deliver(
    delivery_ids: Iterable[int], *, should_stop: Callable[[], bool] | None = None
) -> dict[str, int]:
    """Send the given deliveries that are due; returns counts by outcome
    (sent, skipped, failed, retry, not_due)."""
    outcomes: Counter[str] = Counter()
    for pk in delivery_ids:
        if should_stop is not None and should_stop():
            break
        outcomes[_deliver_one(pk)] += 1
    return dict(outcomes)


def deliver_due(
    *,
    min_age: timedelta = timedelta(minutes=1),
    batch: int = 200,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """The sweep: send every pending delivery whose task may have been lost.

    Due rows are those past their lease or back-off that either were tried before (a worker
    died or the send failed) or were created more than `min_age` ago (their task should have
    run by now). Fresh, never-tried rows are left to their task.
    """
    total: Counter[str] = Counter()
    while not (should_stop is not None and should_stop()):
        now = timezone.now()
        ids = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING, not_before__lte=now)
            .filter(Q(attempts__gt=0) | Q(created_at__lte=now - min_age))
            .order_by("not_before", "id")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        outcomes = deliver(ids, should_stop=should_stop)
        total.update(outcomes)
        if len(ids) < batch or set(outcomes) <= {"not_due"}:
            break
    return dict(total)


def _deliver_one(pk: int) -> str:
    now = timezone.now()
    # Claim: one UPDATE, committed before anything is sent (callers run in autocommit).
    claimed = Delivery.objects.filter(
        pk=pk, status=Delivery.Status.PENDING, not_before__lte=now
    ).update(not_before=now + _lease(), attempts=F("attempts") + 1)
    if not claimed:
        return "not_due"
    delivery = Delivery.objects.select_related("notification__user").get(pk=pk)
    note = delivery.notification
    message = OutgoingMessage(
        delivery_id=delivery.pk,
        channel=delivery.channel,
        user=note.user,
        kind=note.kind,
        title=note.title,
        body=note.body,
        url=_absolute(note.url),
    )
    try:
        get_adapter(delivery.channel).send(message)
    except SkipDelivery as exc:
        logger.info("delivery %s (%s) skipped: %s", pk, delivery.channel, exc)
        _finish(pk, status=Delivery.Status.SKIPPED, last_error=str(exc))
        return "skipped"
    except PermanentError as exc:
        logger.warning("delivery %s (%s) failed for good: %s", pk, delivery.channel, exc)
        _finish(pk, status=Delivery.Status.FAILED, last_error=str(exc))
        return "failed"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= _max_attempts():
            logger.warning(
                "delivery %s (%s) failed after %d attempts: %s",
                pk,
                delivery.channel,
                delivery.attempts,
                error,
            )
            _finish(pk, status=Delivery.Status.FAILED, last_error=error)
            return "failed"
        logger.info(
            "delivery %s (%s) attempt %d failed, will retry: %s",
            pk,
            delivery.channel,
            delivery.attempts,
            error,
        )
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            last_error=error, not_before=timezone.now() + retry_delay(delivery.attempts)
        )
        return "retry"
    _finish(pk, status=Delivery.Status.SENT, last_error="", sent_at=timezone.now())
    return "sent"


def _finish(pk: int, **fields: Any) -> None:
    Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(**fields)


# --- the inbox (reads and the user's own writes) -----------------------------------------------


def unread_count(user) -> int:
    """Unread inbox messages of `user` (0 for anonymous users); for the top bar."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def list_notifications_for_user(user) -> QuerySet[Notification]:
    """The user's own inbox, unread first, newest first within each group."""
    return (
        Notification.objects.filter(user=user)
        .alias(
            read_rank=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("read_rank", "-created_at", "-id")
    )


def access_notification(user, notification_id: int) -> Notification:
    """The user's own notification, or 404 (also for someone else's)."""
    note = Notification.objects.filter(user=user, pk=notification_id).first()
    if note is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return note


# Marking one's own message read is personal state, like a mail client's flag: not audited.
def do_mark_read(*, actor, notification_id: int) -> Notification:
    note = access_notification(actor, notification_id)
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def do_mark_all_read(*, actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
