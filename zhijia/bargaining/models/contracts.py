"""Collective contracts (集体合同): a structured document of numbered clauses in versions.

A contract runs on the workflow `bargaining.contract` (workflows.py):
draft → voted → signed → filed → effective → expired, with rejected (the vote failed or the
labour bureau objected; a new version goes back to draft). Each version is frozen once it was
put to the vote or signed: a change after that is a new version, which copies the clauses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = ["Clause", "Contract", "ContractVersion"]


class Contract(WorkflowRecord):
    class Kind(models.TextChoices):
        GENERAL = "general", _("综合性集体合同")
        WAGE = "wage", _("工资专项集体合同")
        WOMEN = "women", _("女职工权益保护专项集体合同")
        SAFETY = "safety", _("劳动安全卫生专项集体合同")

    class VoteBasis(models.TextChoices):
        REPRESENTATIVES = "representatives", _("职工代表大会（全体职工代表）")
        ALL_WORKERS = "all_workers", _("全体职工")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    kind = models.CharField(_("合同类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("合同名称"), max_length=200)
    employer_name = models.CharField(_("用人单位"), max_length=200)
    round = models.ForeignKey(
        "bargaining.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
        verbose_name=_("协商轮次"),
    )
    term_years = models.PositiveSmallIntegerField(_("期限（年）"), default=3)
    vote_basis = models.CharField(
        _("审议方式"), max_length=20, choices=VoteBasis.choices, default=VoteBasis.REPRESENTATIVES
    )
    # the vote (Art. 36), through module voting
    poll = models.ForeignKey(
        "voting.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vote_total = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    vote_present = models.PositiveIntegerField(_("出席人数"), null=True, blank=True)
    vote_yes = models.PositiveIntegerField(_("赞成人数"), null=True, blank=True)
    # signing (Art. 42 counts from the chief representatives' signature)
    signed_on = models.DateField(_("签字日期"), null=True, blank=True)
    union_signer = models.CharField(_("工会方首席代表"), max_length=64, blank=True)
    employer_signer = models.CharField(_("企业方首席代表"), max_length=64, blank=True)
    filing_due_on = models.DateField(_("报送期限"), null=True, blank=True)
    # filing (Art. 47 counts from the bureau's receipt)
    bureau = models.CharField(_("劳动保障行政部门"), max_length=100, blank=True)
    bureau_received_on = models.DateField(_("收到文本日期"), null=True, blank=True)
    objection_until = models.DateField(_("审查期限"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("期满日期"), null=True, blank=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集体合同")
        verbose_name_plural = _("集体合同")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.bargaining.workflows import CONTRACT

        return str(CONTRACT.state_label(self.state))

    def current_version(self) -> ContractVersion | None:
        return self.versions.order_by("-number").first()


class ContractVersion(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    # frozen once put to the vote or signed: a change is a new version
    frozen_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合同版本")
        verbose_name_plural = _("合同版本")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="bargaining_version_no")
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Clause(models.Model):
    version = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="clauses")
    number = models.PositiveSmallIntegerField(_("条款号"))
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("条款内容"))
    # a measurable promise (a wage increase, rest days, a protection item): checked in the term
    measurable = models.BooleanField(_("可量化承诺"), default=False)

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="bargaining_clause_no")
        ]

    def __str__(self) -> str:
        return f"第{self.number}条 {self.title}"
