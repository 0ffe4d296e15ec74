"""Campaigns (送温暖, 金秋助学, 大病互助), applications on the workflow, the public notice
(公示) and objections (异议).

An application's free text (the situation, the campaign form's answers) is encrypted; the public
notice shows only the masked name, the unit, the campaign, the category and the amount.
Anonymous objections keep no identity at all: no user, no IP, no time of day.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.assistance import rules
from zhijia.assistance.models.registry import Category
from zhijia.core import crypto
from zhijia.core.models import WorkflowRecord

__all__ = ["Application", "ApplicationDocument", "Campaign", "Objection"]


class Campaign(models.Model):
    class Kind(models.TextChoices):
        WARMTH = rules.WARMTH, _("送温暖")
        EDUCATION = rules.EDUCATION, _("金秋助学")
        ILLNESS = rules.ILLNESS, _("大病互助")
        OTHER = rules.OTHER, _("其他帮扶")

    name = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    fund = models.ForeignKey(
        "assistance.Fund",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("资金"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_on = models.DateField(_("申请开始"), null=True, blank=True)
    closes_on = models.DateField(_("申请截止"), null=True, blank=True)
    amount_cap = models.DecimalField(
        _("单笔上限（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    eligible_categories = models.JSONField(_("适用困难类别"), default=list, blank=True)
    required_documents = models.JSONField(_("须提交材料"), default=list, blank=True)
    form_fields = models.JSONField(_("申请表附加项"), default=list, blank=True)
    notice_workdays = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), null=True, blank=True, help_text=_("留空则按帮扶参数")
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("接受申请"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶活动")
        verbose_name_plural = _("帮扶活动")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [str(labels.get(c, c)) for c in self.eligible_categories]

    def is_open_on(self, day) -> bool:
        if not self.is_active:
            return False
        if self.opens_on and day < self.opens_on:
            return False
        return not (self.closes_on and day > self.closes_on)


class Application(WorkflowRecord):
    """An application for assistance, by the worker or by a cadre on the worker's behalf."""

    # The readable number (BF2026-00001), given at creation by zhijia.core.numbering.
    number = models.CharField(
        _("编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="applications", verbose_name=_("帮扶活动")
    )
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    # The member's unit when applying: the workflow's and the permission checks' unit.
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    hardship_file = models.ForeignKey(
        "assistance.HardshipFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    category = models.CharField(_("困难类别"), max_length=16, choices=Category.choices, blank=True)
    amount_requested = models.DecimalField(
        _("申请金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_approved = models.DecimalField(
        _("核定金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    situation_encrypted = models.TextField(default="", blank=True, editable=False)
    answers_encrypted = models.TextField(default="", blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(_("代为申请"), default=False)
    submitted_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    # The public notice: where (a unit whose subtree's members see it) and when.
    notice_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_starts_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("公示结束"), null=True, blank=True, db_index=True)
    notice_masked_name = models.CharField(_("公示姓名"), max_length=32, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    # When the applicant rated the help received (core.satisfaction_index holds the rating).
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True, editable=False)
    redacted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return _("帮扶申请 %(number)s") % {"number": self.number or ""}

    @property
    def situation(self) -> str:
        token = self.situation_encrypted
        return crypto.decrypt(token) if token else ""

    @situation.setter
    def situation(self, value: str) -> None:
        value = (value or "").strip()
        self.situation_encrypted = crypto.encrypt(value) if value else ""

    @property
    def answers(self) -> dict:
        token = self.answers_encrypted
        return json.loads(crypto.decrypt(token)) if token else {}

    @answers.setter
    def answers(self, value: dict) -> None:
        self.answers_encrypted = (
            crypto.encrypt(json.dumps(value, ensure_ascii=False)) if value else ""
        )

    @property
    def amount(self) -> Decimal:
        """What is (to be) paid: the approved amount once set, else the requested one."""
        return self.amount_approved if self.amount_approved is not None else self.amount_requested

    def notice_is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.in_state("notice")
            and self.notice_starts_at is not None
            and self.notice_ends_at is not None
            and self.notice_starts_at <= now <= self.notice_ends_at
        )


class ApplicationDocument(models.Model):
    """A supporting document (诊断证明, 录取通知书 ...) uploaded with an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("材料名称"), max_length=100)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """An objection (异议) to an application under public notice.

    Anonymous objections store no identity: `submitted_by` stays empty and only the day is kept.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("已处理")

    class Resolution(models.TextChoices):
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("异议内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("收到日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolution = models.CharField(
        _("处理结论"), max_length=16, choices=Resolution.choices, blank=True
    )
    resolution_note = models.CharField(_("处理说明"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        # Not by time of day: anonymous objections keep only the day they came in.
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return _("异议 #%(id)s") % {"id": self.pk}
