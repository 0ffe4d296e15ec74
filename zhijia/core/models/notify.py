"""Notifications: the in-app inbox row and one delivery row per external channel.

Both are written in the caller's transaction (zhijia.core.notify.notify), so a notification
exists exactly when the action that caused it committed, and no message can be lost between
the commit and the worker: the Delivery row is the to-do list the worker works through.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Delivery", "Notification"]


class Notification(models.Model):
    """One message in one user's inbox. `body` is plain text that callers make safe to show
    (and to e-mail): never ballot choices, counseling notes, ID numbers or hardship details."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("收件人"),
    )
    kind = models.CharField(_("类别"), max_length=64, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The org unit the cause belongs to (materialised path, as in the audit log), for filters.
    unit_path = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["user", "read_at"], name="core_notif_user_read_idx"),
            models.Index(fields=["user", "-created_at"], name="core_notif_user_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """Sending one notification over one external channel (email, console, sms, ...).

    Lifecycle: `pending` until an adapter succeeds (`sent`), gives up for good (`failed`, after
    the last attempt or on a permanent error) or has nothing to do (`skipped`, e.g. a user
    without an e-mail address; `last_error` says why). A worker claims a pending row by pushing
    `not_before` one lease into the future and counting the attempt, in a single UPDATE; if it
    dies while sending, the row stays pending and is sent again once the lease runs out
    (at-least-once delivery).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("已跳过")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=32)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not to be tried before this moment: a running worker's lease, or the retry back-off.
    not_before = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="core_delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="core_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.notification_id}:{self.status}"
