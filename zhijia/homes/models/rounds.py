"""A 建家 round (评比) of a year: opened by a union committee over a criteria set for the
branch unions (child units) it chooses; closed when the titles are awarded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.homes.rules import DEFAULT_TIERS


class Round(models.Model):
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    criteria_set = models.ForeignKey(
        "homes.CriteriaSet",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("建家标准"),
    )
    tiers = models.TextField(_("称号及分数线"), default=DEFAULT_TIERS)
    due_on = models.DateField(_("自评截止日期"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建家评比")
        verbose_name_plural = _("建家评比")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("homes:round", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
