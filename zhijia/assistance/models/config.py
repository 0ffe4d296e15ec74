"""Configuration of the assistance rules per org unit (the local 低保 line and the factors).

A unit's row applies to its whole subtree unless a deeper unit has its own row; a unit with no
row up its path uses the defaults of zhijia.assistance.rules. The committee's row is thus the
enterprise-wide setting, and a branch in another city can set its own 低保 line.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.assistance import rules

__all__ = ["AssistanceConfig"]


class AssistanceConfig(models.Model):
    org_unit = models.OneToOneField(
        "org.OrgUnit",
        on_delete=models.CASCADE,
        related_name="assistance_config",
        verbose_name=_("适用组织"),
    )
    dibao_line = models.DecimalField(
        _("当地城市低保标准（元/人/月）"),
        max_digits=10,
        decimal_places=2,
        default=rules.DEFAULT_DIBAO_LINE,
        validators=[MinValueValidator(0)],
    )
    relative_factor = models.DecimalField(
        _("相对困难倍数"),
        max_digits=4,
        decimal_places=2,
        default=rules.DEFAULT_RELATIVE_FACTOR,
        validators=[MinValueValidator(1)],
    )
    accident_loss_ratio = models.DecimalField(
        _("意外致困损失比例"),
        max_digits=4,
        decimal_places=2,
        default=rules.DEFAULT_ACCIDENT_LOSS_RATIO,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("损失超过家庭年收入的该比例即为意外致困，0.80 即 80%"),
    )
    notice_workdays = models.PositiveSmallIntegerField(
        _("公示期（工作日）"),
        default=rules.DEFAULT_NOTICE_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    retention_years = models.PositiveSmallIntegerField(
        _("退出后档案保存年限"),
        default=rules.DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("复核周期（月）"),
        default=rules.DEFAULT_REVIEW_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("帮扶参数")
        verbose_name_plural = _("帮扶参数")

    def __str__(self) -> str:
        return f"{self.org_unit}：{self.dibao_line}"

    def eligibility(self) -> rules.EligibilityConfig:
        return rules.EligibilityConfig(
            dibao_line=self.dibao_line,
            relative_factor=self.relative_factor,
            accident_loss_ratio=self.accident_loss_ratio,
        )
