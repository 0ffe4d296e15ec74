"""Notices and news (通知公告, 工会新闻).

Notice          one notice or news item of a union unit, on the workflow `notices.notice`
                (draft → published → withdrawn); its body is sanitised rich text
NoticeAudience  the units it is addressed to (each covers its subtree; the root: everyone)
NoticeRead      one row per member and notice: the member opened it (once, idempotent)
NoticeReminder  each reminder sent to a must-read notice's non-readers (the hourly brake)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord
from zhijia.notices import rules


class Notice(WorkflowRecord):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("通知公告")
        NEWS = "news", _("工会新闻")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布单位")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    must_read = models.BooleanField(_("必读"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("撰写人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [models.Index(fields=["state", "pinned", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice-detail", args=[self.pk])

    @property
    def excerpt(self) -> str:
        return rules.excerpt(self.body)


class NoticeAudience(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audience")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="notices_one_audience_unit")
        ]
        indexes = [models.Index(fields=["unit", "notice"])]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.unit_id}"


class NoticeRead(models.Model):
    """A member opened a notice: one row per member and notice, the first opening."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey("org.Member", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "member"], name="notices_one_read")
        ]
        indexes = [models.Index(fields=["member", "notice"])]

    def __str__(self) -> str:
        return f"{self.notice_id} read by {self.member_id}"


class NoticeReminder(models.Model):
    """A reminder sent to the non-readers of a must-read notice (within the sender's scope)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.notice_id} reminded {self.recipients}"
