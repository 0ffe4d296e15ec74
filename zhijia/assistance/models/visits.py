"""Visits (走访慰问): home visits of a branch review, festival and sickbed visits, with who went,
what was given (gifts, money) and photos (attachments owned by the visit)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.core import crypto

__all__ = ["Visit"]


class Visit(models.Model):
    class Kind(models.TextChoices):
        HOME_CHECK = "home_check", _("入户核查")
        FESTIVAL = "festival", _("节日慰问")
        ILLNESS = "illness", _("探病慰问")
        DISASTER = "disaster", _("灾后慰问")
        OTHER = "other", _("其他走访")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已走访")
        CANCELLED = "cancelled", _("已取消")

    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("走访对象")
    )
    # The member's unit when planned: scope of the permission checks.
    org_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    hardship_file = models.ForeignKey(
        "assistance.HardshipFile",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    application = models.ForeignKey(
        "assistance.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    campaign = models.ForeignKey(
        "assistance.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_on = models.DateField(_("计划日期"), null=True, blank=True, db_index=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visitors = models.CharField(_("走访人员"), max_length=200, blank=True)
    gifts = models.CharField(_("慰问物品"), max_length=200, blank=True)
    money = models.DecimalField(
        _("慰问金（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    findings_encrypted = models.TextField(default="", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访慰问")
        verbose_name_plural = _("走访慰问")
        ordering = ["-visited_on", "-planned_on", "-id"]

    def __str__(self) -> str:
        return _("走访 #%(id)s") % {"id": self.pk}

    @property
    def findings(self) -> str:
        token = self.findings_encrypted
        return crypto.decrypt(token) if token else ""

    @findings.setter
    def findings(self, value: str) -> None:
        value = (value or "").strip()
        self.findings_encrypted = crypto.encrypt(value) if value else ""
