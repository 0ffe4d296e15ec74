"""A bargaining round (集体协商): workers' demands, the request and the other side's answer
(Art. 32), the two delegations (Art. 19) and the sessions with their minutes.

A round runs on the workflow `bargaining.round` (workflows.py):
collecting → requested → bargaining → concluded, or abandoned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.models.contracts import Contract
from zhijia.core.models import WorkflowRecord

__all__ = ["BargainingSession", "Delegate", "Demand", "Round"]


class Round(WorkflowRecord):
    class UnionBasis(models.TextChoices):
        ELECTED = "elected", _("民主推选")
        APPOINTED = "appointed", _("工会指派")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    kind = models.CharField(_("协商事项"), max_length=16, choices=Contract.Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    employer_name = models.CharField(_("用人单位"), max_length=200)
    demands_until = models.DateField(_("意见征集截止"), null=True, blank=True)
    # the request (Art. 32)
    request_text = models.TextField(_("协商要求"), blank=True)
    request_received_on = models.DateField(_("对方收到日期"), null=True, blank=True)
    answer_due_on = models.DateField(_("书面回应期限"), null=True, blank=True)
    answered_on = models.DateField(_("回应日期"), null=True, blank=True)
    answer_text = models.TextField(_("对方书面回应"), blank=True)
    # the delegations (Art. 19)
    union_basis = models.CharField(
        _("工会方代表产生方式"),
        max_length=16,
        choices=UnionBasis.choices,
        default=UnionBasis.ELECTED,
    )
    max_delegates = models.PositiveSmallIntegerField(_("每方代表最多人数"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商轮次")
        verbose_name_plural = _("协商轮次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "deadline_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.bargaining.workflows import ROUND

        return str(ROUND.state_label(self.state))


class Demand(models.Model):
    class Topic(models.TextChoices):
        WAGES = "wages", _("工资调整")
        HOURS = "hours", _("工作时间")
        REST = "rest", _("休息休假")
        SAFETY = "safety", _("劳动安全卫生")
        WOMEN = "women", _("女职工特殊保护")
        INSURANCE = "insurance", _("保险福利")
        TRAINING = "training", _("职业技能培训")
        OTHER = "other", _("其他")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="demands")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("议题"), max_length=16, choices=Topic.choices)
    text = models.TextField(_("意见建议"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("职工协商意见")
        verbose_name_plural = _("职工协商意见")
        ordering = ["round", "-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.get_topic_display()


class Delegate(models.Model):
    class Side(models.TextChoices):
        UNION = "union", _("职工方")
        EMPLOYER = "employer", _("企业方")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="delegates")
    side = models.CharField(_("方"), max_length=10, choices=Side.choices)
    name = models.CharField(_("姓名"), max_length=64)
    position = models.CharField(_("职务"), max_length=64, blank=True)
    is_chief = models.BooleanField(_("首席代表"), default=False)

    class Meta:
        verbose_name = _("协商代表")
        verbose_name_plural = _("协商代表")
        ordering = ["round", "side", "-is_chief", "id"]

    def __str__(self) -> str:
        return self.name


class BargainingSession(models.Model):
    """One meeting of the two delegations, with its minutes signed by both sides."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("协商日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    minutes = models.TextField(_("协商记录"))
    union_signed_by = models.CharField(_("职工方签字人"), max_length=64, blank=True)
    union_signed_at = models.DateTimeField(_("职工方签字时间"), null=True, blank=True)
    employer_signed_by = models.CharField(_("企业方签字人"), max_length=64, blank=True)
    employer_signed_at = models.DateTimeField(_("企业方签字时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["round", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.round} {self.held_on}"

    @property
    def fully_signed(self) -> bool:
        return self.union_signed_at is not None and self.employer_signed_at is not None
