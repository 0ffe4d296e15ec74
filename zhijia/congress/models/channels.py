"""Congress models: participation channels between sessions (民主参与渠道).

Leadership reception days (领导接待日): a leader of the unit (a cadre or viewer, named with
title) publishes a reception day with slots (time and place, one visitor each); a member of
the unit's subtree books a slot with a topic (named, never anonymous) and may cancel before
it. A slot has at most one live booking: the partial unique constraint
`uniq_congress_reception_slot_live` is the last word, the booking action locks the slot too.
After the meeting the cadre records the outcome; an outcome that needs action becomes a
`ReceptionItem`, a tracked item on the declared workflow `congress.reception_item` (open →
done → closed) with the responsible department and a deadline in working days
(ZHIJIA_CONGRESS_RECEPTION_ITEM_WORKDAYS, default 15), escalated by the sweep when late.

Hearings (职工代表听证): a hearing on a draft rule (title, draft text, an optional attachment
through core.attachments, an open period) on the declared workflow `congress.hearing` (open →
closed). Representatives and workers of the unit comment; the cadre answers each comment; the
hearing cannot close while a comment is unanswered (workflows.every_comment_answered).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "Deliberation",
    "Hearing",
    "HearingComment",
    "ReceptionBooking",
    "ReceptionDay",
    "ReceptionItem",
    "ReceptionSlot",
    "SitIn",
    "SitInSeat",
]


class ReceptionDay(models.Model):
    """One leadership reception day of a unit."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    leader = models.CharField(_("接待领导"), max_length=64)
    leader_title = models.CharField(_("职务"), max_length=64)
    date = models.DateField(_("接待日期"))
    place = models.CharField(_("地点"), max_length=128)
    note = models.TextField(_("说明"), blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领导接待日")
        verbose_name_plural = _("领导接待日")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.leader}"

    def get_absolute_url(self) -> str:
        return reverse("congress:reception-detail", args=[self.pk])


class ReceptionSlot(models.Model):
    """A time of a reception day for one visitor."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("接待时段")
        verbose_name_plural = _("接待时段")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "starts_at"], name="uniq_congress_reception_slot_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class ReceptionBooking(models.Model):
    """A member's booking of a slot, with the topic; the outcome after the meeting."""

    slot = models.ForeignKey(ReceptionSlot, on_delete=models.PROTECT, related_name="bookings")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("预约人")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.TextField(_("反映事项"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    outcome = models.TextField(_("接待结果"), blank=True)
    outcome_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待预约")
        verbose_name_plural = _("接待预约")
        ordering = ["slot__day__date", "slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(cancelled_at__isnull=True),
                name="uniq_congress_reception_slot_live",
            )
        ]

    def __str__(self) -> str:
        return self.topic[:40]

    def get_absolute_url(self) -> str:
        return reverse("congress:reception-detail", args=[self.slot.day_id])


class Deliberation(models.Model):
    """A democratic deliberation meeting (职工民主议事会) or a labour-management consultation
    talk (劳资协商恳谈会) of a unit: its agenda, its participants (members of the unit's
    subtree), its minutes afterwards; each decision needing action is a tracked item
    (`ReceptionItem` with `deliberation`, the same workflow congress.reception_item)."""

    class Kind(models.TextChoices):
        DELIBERATION = "deliberation", _("职工民主议事会")
        CONSULTATION = "consultation", _("劳资协商恳谈会")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    agenda = models.TextField(_("议题"))
    participants = models.ManyToManyField(
        "org.Member", related_name="+", blank=True, verbose_name=_("参加人员")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    minutes_at = models.DateTimeField(_("纪要时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议事协商会议")
        verbose_name_plural = _("议事协商会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:meeting-detail", args=[self.pk])


class SitIn(models.Model):
    """Representatives sitting in on a management meeting (职工代表列席行政办公会)."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    body = models.CharField(_("召集机构"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职工代表列席")
        verbose_name_plural = _("职工代表列席")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("congress:sitin-detail", args=[self.pk])


class SitInSeat(models.Model):
    """One representative sitting in, and her report afterwards."""

    sitin = models.ForeignKey(SitIn, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("列席代表")
    )
    report = models.TextField(_("列席报告"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("列席代表")
        verbose_name_plural = _("列席代表")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sitin", "member"], name="uniq_congress_sitin_seat")
        ]

    def __str__(self) -> str:
        return str(self.member)


class ReceptionItem(WorkflowRecord):
    """A tracked item: what an outcome of a reception needs done (`booking`), or a decision
    of a deliberation meeting (`deliberation`); exactly one of the two."""

    booking = models.OneToOneField(
        ReceptionBooking, null=True, blank=True, on_delete=models.PROTECT, related_name="item"
    )
    deliberation = models.ForeignKey(
        Deliberation, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    title = models.CharField(_("事项"), max_length=200)
    result = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("跟踪事项")
        verbose_name_plural = _("跟踪事项")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booking__isnull=False, deliberation__isnull=True)
                | models.Q(booking__isnull=True, deliberation__isnull=False),
                name="congress_tracked_item_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:reception-mine")

    @property
    def state_label(self) -> str:
        from zhijia.congress.workflows import RECEPTION_ITEM

        return str(RECEPTION_ITEM.state_label(self.state))

    @property
    def source_date(self):
        """The day of the reception or of the meeting it comes from."""
        if self.booking is not None:
            return self.booking.slot.day.date
        assert self.deliberation is not None  # congress_tracked_item_one_source
        return self.deliberation.held_on

    @property
    def source_label(self) -> str:
        """Who raised it: the member who booked, or the meeting that decided it."""
        if self.booking is not None:
            return self.booking.member.name
        assert self.deliberation is not None  # congress_tracked_item_one_source
        return self.deliberation.title

    def workflow_unit(self):
        return self.org_unit

    def workflow_department(self):
        return self.department


class Hearing(WorkflowRecord):
    """A hearing on a draft rule of the unit."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    title = models.CharField(_("听证事项"), max_length=200)
    draft = models.TextField(_("草案内容"))
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职工代表听证")
        verbose_name_plural = _("职工代表听证")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:hearing-detail", args=[self.pk])

    @property
    def state_label(self) -> str:
        from zhijia.congress.workflows import HEARING

        return str(HEARING.state_label(self.state))

    def workflow_unit(self):
        return self.org_unit


class HearingComment(models.Model):
    """A comment on a hearing's draft, named, and the cadre's answer to it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("意见人"), max_length=64)
    is_representative = models.BooleanField(_("职工代表"), default=False)
    text = models.TextField(_("意见"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.CharField(_("答复人"), max_length=64, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("听证意见")
        verbose_name_plural = _("听证意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
