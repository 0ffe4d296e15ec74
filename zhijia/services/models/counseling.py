"""Counseling (心理疏导): counselors' slots, workers' bookings, counselors' notes, and the
anonymous online Q&A.

Privacy is the point of this file:
- A note (`CounselingNote`) is encrypted at rest under a key derived for its author alone
  (zhijia.core.crypto, purpose "counseling-note:<author id>"); only the author's own pages and
  API read it (queries_counseling.access_note). It is registered nowhere else: not in the
  admin console, not in search, not in notifications, not in the audit data.
- What a worker writes when booking (`topic`) and everything in the anonymous Q&A is
  encrypted too (purposes "counseling" and "counseling-qa").
- An anonymous question (`CounselingQuestion`) has no user, no address, no time finer than the
  day, a random primary key (no counting or ordering by id), and only the keyed digest of its
  receipt code (zhijia.core.receipts). Its messages are ordered by a per-thread sequence.
- The dashboard gets numbers only (queries_counseling.counseling_counts).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhijia.core import crypto

__all__ = [
    "CounselingBooking",
    "CounselingMessage",
    "CounselingNote",
    "CounselingQuestion",
    "CounselingSlot",
]

TOPIC_PURPOSE = "counseling"
QA_PURPOSE = "counseling-qa"


def note_purpose(author_id: int) -> str:
    return f"counseling-note:{author_id}"


class CounselingSlot(models.Model):
    """A time a counselor offers: one person (individual, capacity 1) or a group session."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个体咨询")
        GROUP = "group", _("团体辅导")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("面谈")
        ONLINE = "online", _("线上")

    class Status(models.TextChoices):
        OPEN = "open", _("开放预约")
        CANCELLED = "cancelled", _("已取消")

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("心理咨询师"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_info = models.CharField(_("线上接入方式"), max_length=300, blank=True)
    title = models.CharField(_("主题"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("名额"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("咨询时段")
        verbose_name_plural = _("咨询时段")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["counselor", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="counseling_capacity_min"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="counseling_slot_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def where(self) -> str:
        return self.place if self.mode == self.Mode.IN_PERSON else str(_("线上"))


class CounselingBooking(models.Model):
    """A worker's place in a slot: booked, on the waiting list (group sessions), or over."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已到访")
        NO_SHOW = "no_show", _("未到")

    ACTIVE = (Status.BOOKED, Status.WAITLISTED)

    slot = models.ForeignKey(CounselingSlot, on_delete=models.PROTECT, related_name="bookings")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    # What the worker would like to talk about, for the counselor only (encrypted).
    topic_encrypted = models.TextField(default="", blank=True, editable=False)
    booked_at = models.DateTimeField(_("预约时间"))
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When the worker rated the appointment (the rating itself goes to the union's index only,
    # counted at the top of the union tree: core.satisfaction_index, actions.do_rate_counseling).
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("咨询预约")
        verbose_name_plural = _("咨询预约")
        ordering = ["booked_at", "id"]
        indexes = [models.Index(fields=["worker", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "worker"],
                condition=Q(status__in=["booked", "waitlisted"]),
                name="counseling_one_active_booking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.get_status_display()}"

    def set_topic(self, text: str) -> None:
        self.topic_encrypted = crypto.encrypt(text, purpose=TOPIC_PURPOSE) if text else ""

    def get_topic(self) -> str:
        if not self.topic_encrypted:
            return ""
        return crypto.decrypt(self.topic_encrypted, purpose=TOPIC_PURPOSE)


class CounselingNote(models.Model):
    """A counselor's note on an appointment or a group session: theirs alone to read."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        CounselingBooking, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    slot = models.ForeignKey(
        CounselingSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(booking__isnull=False) & Q(slot__isnull=True))
                | (Q(booking__isnull=True) & Q(slot__isnull=False)),
                name="counseling_note_one_subject",
            )
        ]

    def __str__(self) -> str:
        # Never the content: this string can end up in logs and error pages.
        return f"{_('咨询记录')} #{self.pk}"

    def set_body(self, text: str) -> None:
        self.body_encrypted = crypto.encrypt(text, purpose=note_purpose(self.author_id))

    def get_body(self) -> str:
        return crypto.decrypt(self.body_encrypted, purpose=note_purpose(self.author_id))


class CounselingQuestion(models.Model):
    """An anonymous question: found again only through its receipt code."""

    class Topic(models.TextChoices):
        WORK = "work", _("工作压力")
        RELATIONSHIP = "relationship", _("人际关系")
        FAMILY = "family", _("婚恋家庭")
        EMOTION = "emotion", _("情绪困扰")
        SLEEP = "sleep", _("睡眠健康")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待回复")
        ANSWERED = "answered", _("已回复")
        CLOSED = "closed", _("已结束")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt_digest = models.CharField(max_length=64, unique=True, editable=False)
    topic = models.CharField(_("话题"), max_length=16, choices=Topic.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # Days only: a finer time could be matched against other records of the same moment.
    asked_on = models.DateField(_("提问日期"))
    updated_on = models.DateField(_("最近更新"))
    # The day counselors were told about the latest worker message (None: not yet).
    counselors_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("匿名咨询")
        verbose_name_plural = _("匿名咨询")
        ordering = ["-updated_on"]

    def __str__(self) -> str:
        return f"{_('匿名咨询')} {str(self.pk)[:8]}"


class CounselingMessage(models.Model):
    """One message of an anonymous question's thread (the worker's or a counselor's)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(
        CounselingQuestion, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    from_counselor = models.BooleanField(default=False)
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body_encrypted = models.TextField(editable=False)
    written_on = models.DateField()

    class Meta:
        ordering = ["question", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["question", "seq"], name="counseling_message_seq")
        ]

    def __str__(self) -> str:
        return f"{self.question} #{self.seq}"

    def set_body(self, text: str) -> None:
        self.body_encrypted = crypto.encrypt(text, purpose=QA_PURPOSE)

    def get_body(self) -> str:
        return crypto.decrypt(self.body_encrypted, purpose=QA_PURPOSE)
