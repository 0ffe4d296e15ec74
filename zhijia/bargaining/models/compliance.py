"""Compliance checks (履约检查): during the term, a clause with a measurable promise gets
scheduled checks; a breach opens a grievance in module cases through core.hooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ComplianceCheck"]


class ComplianceCheck(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("待检查")
        MET = "met", _("已履行")
        BREACHED = "breached", _("未履行")

    contract = models.ForeignKey(
        "bargaining.Contract", on_delete=models.CASCADE, related_name="checks"
    )
    clause = models.ForeignKey("bargaining.Clause", on_delete=models.PROTECT, related_name="checks")
    due_on = models.DateField(_("检查日期"))
    responsible = models.CharField(_("检查责任人"), max_length=64)
    result = models.CharField(
        _("结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    finding = models.TextField(_("检查情况"), blank=True)
    checked_on = models.DateField(_("检查完成日期"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the grievance a breach opened in module cases (through core.hooks.grievance_opener)
    grievance_id = models.BigIntegerField(null=True, blank=True)
    grievance_url = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("履约检查")
        verbose_name_plural = _("履约检查")
        ordering = ["contract", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.clause} {self.due_on}"

    def org_unit_path(self) -> str:
        return self.contract.org_unit.path
