"""Labour protection: hazard reports (隐患随手拍) with their rectification, and the mass safety
supervisors (群众安全监督员) who, with the reporter, verify that a fix holds.

A hazard runs on the workflow declared in safety/workflows.py:
reported → assigned → rectifying → fixed → verified, with reopened (the fix did not hold) and
dismissed (not a hazard, or a duplicate). Its unit is the org unit where it was found; its owner
is an enterprise department (its handlers work it) or a named union cadre.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = ["HazardReport", "SafetySupervisor"]


class SafetySupervisor(models.Model):
    """A member designated 群众安全监督员 for an org unit (and the units below it)."""

    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("监督范围")
    )
    appointed_on = models.DateField(_("聘任日期"))
    ended_on = models.DateField(_("解聘日期"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("群众安全监督员")
        verbose_name_plural = _("群众安全监督员")
        ordering = ["org_unit__path", "appointed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "org_unit"],
                condition=Q(ended_on__isnull=True),
                name="safety_one_active_supervisor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.org_unit}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class HazardReport(WorkflowRecord):
    # The readable number (YH2026-00001), given at creation by zhijia.core.numbering.
    number = models.CharField(
        _("编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )

    class Category(models.TextChoices):
        ELECTRICAL = "electrical", _("用电安全")
        FIRE = "fire", _("消防安全")
        MACHINERY = "machinery", _("机械设备")
        CHEMICAL = "chemical", _("危险化学品")
        HEIGHT = "height", _("高处作业")
        TRAFFIC = "traffic", _("厂内交通")
        ENVIRONMENT = "environment", _("作业环境")
        PROTECTION = "protection", _("劳动防护用品")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        GENERAL = "general", _("一般隐患")
        MAJOR = "major", _("重大隐患")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("报告人"),
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在单位")
    )
    place = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("隐患描述"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    level = models.CharField(_("等级"), max_length=16, choices=Level.choices, default=Level.GENERAL)
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now, db_index=True)
    photo = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # rectification
    owner_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("整改责任部门"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("整改责任人"),
    )
    requirement = models.TextField(_("整改要求"), blank=True)
    rectify_workdays = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True)
    # The deadline given at (re)assignment: "on time" in the 安康杯 tally is measured against it.
    due_at = models.DateTimeField(_("整改期限"), null=True, blank=True)
    result = models.TextField(_("整改结果"), blank=True)
    fix_photo = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fixed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    closing_note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline_at"]),
            models.Index(fields=["reporter", "reported_at"]),
            models.Index(fields=["org_unit", "reported_at"]),
        ]

    def __str__(self) -> str:
        return f"{_('隐患')} {self.number or ''} · {self.place}"

    def workflow_department(self):
        return self.owner_department

    @property
    def owner_label(self) -> str:
        if self.owner_department_id:
            return str(self.owner_department)
        if self.owner_user_id:
            return str(self.owner_user)
        return ""

    @property
    def fixed_on_time(self) -> bool | None:
        if self.fixed_at is None or self.due_at is None:
            return None
        return self.fixed_at <= self.due_at
