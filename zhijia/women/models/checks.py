"""The yearly women's health check campaign (女职工健康检查) of a unit: members sign up and
the committee records who completed the check. No medical result is stored, only done or not."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckCampaign(models.Model):
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    signup_until = models.DateField(_("报名截止日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("女职工健康检查")
        verbose_name_plural = _("女职工健康检查")
        ordering = ["-year", "org_unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year"], name="women_one_campaign_a_year")
        ]

    def __str__(self) -> str:
        return self.title


class CheckSignup(models.Model):
    campaign = models.ForeignKey(CheckCampaign, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_up_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成体检登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("健康检查报名")
        verbose_name_plural = _("健康检查报名")
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="women_check_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.member_id}"
