"""Congress models: inspection tours (代表巡视), their findings and rectification items.

A cadre plans a tour (title, scope, dates) with representatives taking part; the participants
and the cadre record findings; each finding becomes one rectification item owned by an
enterprise department with a deadline in working days, running on the small workflow
`congress.rectification` (open → rectifying → done → verified, see workflows.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "InspectionFinding",
    "InspectionParticipant",
    "InspectionTour",
    "RectificationItem",
]


class InspectionTour(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        FINISHED = "finished", _("已结束")

    title = models.CharField(_("巡视主题"), max_length=200)
    scope = models.TextField(_("巡视范围与内容"))
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    session = models.ForeignKey(
        "congress.Session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_tours",
        verbose_name=_("关联会议"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("巡视总结"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表巡视")
        verbose_name_plural = _("代表巡视")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:inspection-detail", args=[self.pk])


class InspectionParticipant(models.Model):
    tour = models.ForeignKey(InspectionTour, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=64)
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        verbose_name = _("巡视人员")
        verbose_name_plural = _("巡视人员")
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "user"], name="uniq_congress_participant")
        ]

    def __str__(self) -> str:
        return self.name


class InspectionFinding(models.Model):
    tour = models.ForeignKey(InspectionTour, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(_("发现人"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("巡视发现问题")
        verbose_name_plural = _("巡视发现问题")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class RectificationItem(WorkflowRecord):
    """What a department must put right about one finding, tracked until verified."""

    finding = models.OneToOneField(
        InspectionFinding, on_delete=models.CASCADE, related_name="rectification"
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任部门"),
    )
    requirement = models.TextField(_("整改要求"))
    deadline_workdays = models.PositiveSmallIntegerField(_("整改时限（工作日）"))
    result = models.TextField(_("整改结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.finding.title

    def get_absolute_url(self) -> str:
        return reverse("congress:rectification-detail", args=[self.pk])

    def workflow_unit(self):
        return self.org_unit

    def workflow_department(self):
        return self.department
