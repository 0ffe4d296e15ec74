"""Notifications: one `notify()` for every module, an in-app inbox and external channels.

    from zhijia.core.notify import notify

    notify(recipients=[proposer], kind="congress.proposal_accepted",
           title=gettext("您的提案已立案"), body=..., url=proposal.get_absolute_url(),
           unit=proposal.unit)

Call it from an action, inside its transaction. It writes the inbox rows (`Notification`) and
the `Delivery` rows of the external channels (settings.ZHIJIA_NOTIFY_CHANNELS) in that same
transaction: one per recipient and channel, except the group robots (below), which get one per
call. After the commit it enqueues a background task that sends them. Nothing is ever sent
inside the request.

Safe text only: titles and bodies are shown in the inbox, e-mailed, posted to webhooks and to
group chats, so callers never put ballot choices, counseling notes, ID numbers, hardship or
medical details, or an anonymous reporter's identity in them. Say *that* something happened
and link to the page, which applies the permission checks.

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
  (a 4xx from a webhook, an error code a robot will keep answering) mark the row failed, and
  rows that have nothing to do (a user without an e-mail address) are marked skipped, with the
  reason in `last_error`.

Adapters (zhijia/core/notify_adapters.py; add your own with `register_adapter(name, adapter)`):
- `console` (development: writes the message to standard output) and `email` (Django's e-mail
  backend, SMTP in production): one message per recipient.
- `webhook` and `sms` POST zhijia's own JSON document, with the recipient, to the URL of the
  channel (settings.ZHIJIA_NOTIFY_WEBHOOK_URLS): a relay the union runs, e.g. in front of its
  SMS provider. One message per recipient; `sms` skips recipients without a phone number.
- `wecom` and `dingtalk` post to a group chat through the group robot whose webhook URL is
  configured for the channel: 企业微信 群机器人 ({"msgtype": "markdown", "markdown":
  {"content"}}, at most 4096 bytes) and 钉钉 自定义机器人 ({"msgtype": "markdown", "markdown":
  {"title", "text"}}, signed with settings.ZHIJIA_NOTIFY_DINGTALK_SECRET when the robot uses
  "加签"). A robot speaks to the whole group, so these channels post each notify() call once
  (title, body, link), not once per recipient, and only for the kinds listed in
  settings.ZHIJIA_NOTIFY_ROBOT_KINDS (prefixes such as "congress." or "notices."; empty: none,
  since most notifications are personal). Configure them for a group whose members may read
  what those kinds say. The robot answers {"errcode": 0}; rate limits (企业微信 45009, 钉钉
  130101) are retried, other error codes fail the delivery for good.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from zhijia.core.models import Delivery, Notification
from zhijia.core.notify_adapters import (  # noqa: F401 - the adapters' API, re-exported
    Adapter,
    ConsoleAdapter,
    DingtalkRobotAdapter,
    EmailAdapter,
    OutgoingMessage,
    PermanentError,
    SkipDelivery,
    WebhookAdapter,
    WecomRobotAdapter,
    get_adapter,
    is_per_recipient,
    register_adapter,
)

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
    if channels is None:
        configured = external_channels()
        personal = [c for c in configured if is_per_recipient(c)]
        group = [c for c in configured if not is_per_recipient(c) and robot_kind(kind)]
    else:
        # An explicit choice (e.g. only the SMS channel for a one-time code): never a robot.
        personal = [c for c in channels if c != INBOX and is_per_recipient(c)]
        group = []
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
        rows = [
            Delivery(notification=note, channel=channel, created_at=now, not_before=now)
            for note in notes
            for channel in personal
        ]
        # A group robot posts the call's message once, attached to the first inbox row.
        rows += [
            Delivery(notification=notes[0], channel=channel, created_at=now, not_before=now)
            for channel in group
        ]
        deliveries = Delivery.objects.bulk_create(rows)
        ids = [d.pk for d in deliveries]
        if ids:
            transaction.on_commit(partial(_enqueue, ids))
    return notes


def external_channels() -> list[str]:
    channels: list[str] = []
    for channel in settings.ZHIJIA_NOTIFY_CHANNELS:
        if channel and channel != INBOX and channel not in channels:
            channels.append(channel)
    return channels


def robot_kind(kind: str) -> bool:
    """Whether notifications of `kind` go to the group robots: only the kinds listed in
    ZHIJIA_NOTIFY_ROBOT_KINDS (none by default, since most notifications are personal)."""
    prefixes = [p for p in settings.ZHIJIA_NOTIFY_ROBOT_KINDS if p]
    return any(kind == p or kind.startswith(p) for p in prefixes)


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


# --- sending (runs in the worker) --------------------------------------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=settings.ZHIJIA_NOTIFY_LEASE_SECONDS)


def _max_attempts() -> int:
    return settings.ZHIJIA_NOTIFY_MAX_ATTEMPTS


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _absolute(url: str) -> str:
    base = settings.ZHIJIA_SITE_URL.rstrip("/")
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
