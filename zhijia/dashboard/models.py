"""Dashboard's one record: which monthly summary was sent to whom (the dashboards themselves
own no records; every figure is declared by the module that owns its records)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthlySummarySent(models.Model):
    """The monthly summary of `month` sent to `user` (over `org_unit`'s subtree). One row per
    user and month: the sweep creates it in the transaction that queues the message, so a
    second worker, or a rerun, finds it and sends nothing (zhijia.dashboard.mailing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the month summarised
    org_unit = models.ForeignKey(
        "org.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("月度数据摘要发送记录")
        verbose_name_plural = _("月度数据摘要发送记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="dashboard_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.month:%Y-%m}"
