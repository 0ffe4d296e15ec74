"""Criteria sets (建家标准) of a union committee: criteria under headings, each with a maximum
score, an optional weight and what counts as evidence. A set used by a round is not changed
any more (the round's scores refer to it); the committee copies it into a new one."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CriteriaSet(models.Model):
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    name = models.CharField(_("名称"), max_length=100)
    weighted = models.BooleanField(_("按权重计分"), default=False)
    is_default = models.BooleanField(_("默认标准"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建家标准")
        verbose_name_plural = _("建家标准")
        ordering = ["org_unit__path", "-id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("建家标准")
    )
    heading = models.CharField(_("类别"), max_length=50)
    title = models.CharField(_("评分项"), max_length=200)
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=2)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=Decimal("1"))
    evidence_hint = models.CharField(_("佐证材料"), max_length=300, blank=True)
    # Declared figure keys (zhijia.core.figures) shown as evidence, comma separated.
    figure_keys = models.CharField(_("关联数据"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["criteria_set_id", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def keys(self) -> list[str]:
        return [k.strip() for k in self.figure_keys.split(",") if k.strip()]
