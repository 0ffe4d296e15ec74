"""Congress models: proposals (提案) with their co-signers, answers, ratings and carry-overs.

A proposal runs on the workflow `congress.proposal` (zhijia/congress/workflows.py): draft →
submitted → accepted → handling (→ supervised) → answered → closed, or rejected / merged /
withdrawn. Only core.workflow writes the state fields; the actions in actions_proposals.py
write everything else.

Two units matter for permissions: `org_unit` is the unit whose congress the proposal belongs
to (the proposal committee decides over it: normally the union committee), `proposer_unit`
is where the proposer is a member (their branch's cadres may read it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord
from zhijia.core.satisfaction import Satisfaction

__all__ = [
    "Proposal",
    "ProposalAnswer",
    "ProposalCarryOver",
    "ProposalCosigner",
    "ProposalRating",
]

# States in which nothing happens any more (kept here, used by queries and hooks).
FINAL_STATES = frozenset({"closed", "rejected", "merged", "withdrawn"})
# States in which the lead department is working on it.
HANDLING_STATES = frozenset({"handling", "supervised"})


class Proposal(WorkflowRecord):
    class Category(models.TextChoices):
        OPERATIONS = "operations", _("生产经营与管理")
        WAGES = "wages", _("劳动报酬与福利")
        SAFETY = "safety", _("安全生产与劳动保护")
        TRAINING = "training", _("职工培训与发展")
        LIVING = "living", _("生活后勤")
        DEMOCRACY = "democracy", _("民主管理")
        OTHER = "other", _("其他")

    Rating = Satisfaction  # the one scale: zhijia.core.satisfaction

    session = models.ForeignKey(
        "congress.Session",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("会议"),
    )
    serial = models.PositiveIntegerField(_("提案号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(
        _("类别"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    cause = models.TextField(_("案由"))
    reasons = models.TextField(_("理由"))
    measures = models.TextField(_("建议措施"))

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="congress_proposals",
        verbose_name=_("提案人"),
    )
    proposer_name = models.CharField(_("提案人"), max_length=64)
    proposer_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提案人所在单位"),
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("职代会所属组织"),
    )

    lead_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主办部门"),
    )
    co_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name=_("协办部门")
    )
    handling_workdays = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True
    )

    reject_reason = models.TextField(_("不立案理由"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
        verbose_name=_("并入提案"),
    )
    rating = models.CharField(_("满意度"), max_length=16, choices=Rating.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    manual_supervisions = models.PositiveSmallIntegerField(_("人工督办次数"), default=0)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "serial"], name="uniq_congress_proposal_serial"
            )
        ]
        indexes = [
            models.Index(fields=["session", "state"]),
            models.Index(fields=["lead_department", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:proposal-detail", args=[self.pk])

    def workflow_unit(self):
        return self.org_unit

    def workflow_department(self):
        return self.lead_department

    @property
    def number(self) -> str:
        """The proposal number shown to people: 第 N 号 within its session."""
        return f"{self.serial:03d}" if self.serial else ""

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def is_handling(self) -> bool:
        return self.state in HANDLING_STATES

    @property
    def supervision_level(self) -> int:
        """督办 so far: escalations by the sweep plus the committee's manual 督办."""
        return self.escalation_level + self.manual_supervisions


class ProposalCosigner(models.Model):
    """A representative asked to co-sign (附议) a proposal, and their answer."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待附议")
        SIGNED = "signed", _("已附议")
        DECLINED = "declined", _("已谢绝")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附议人")
        verbose_name_plural = _("附议人")
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="uniq_congress_cosigner")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_status_display()}"


class ProposalAnswer(models.Model):
    """A department's answer (lead) or opinion (co-handling) in one handling round.

    Round 1 is the first handling; round 2 follows a 不满意 that reopened the proposal.
    `summary` is the short, publishable answer (办理结果摘要) for the disclosure board.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    is_lead = models.BooleanField(_("主办答复"), default=True)
    summary = models.CharField(_("办理结果摘要"), max_length=300, blank=True)
    text = models.TextField(_("答复内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("答复人"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("答复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案答复")
        verbose_name_plural = _("提案答复")
        ordering = ["round", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.department_id} · {self.round}"


class ProposalRating(models.Model):
    """The proposer's rating of one answer; every rating is kept, also the one that reopened."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    rating = models.CharField(_("满意度"), max_length=16, choices=Proposal.Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    reopened = models.BooleanField(_("因此重新办理"), default=False)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案评价")
        verbose_name_plural = _("提案评价")
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.round} · {self.rating}"


class ProposalCarryOver(models.Model):
    """An unfinished proposal moved on to a later session; the trail is never rewritten."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="carry_overs")
    from_session = models.ForeignKey(
        "congress.Session", on_delete=models.PROTECT, related_name="+", verbose_name=_("原会议")
    )
    to_session = models.ForeignKey(
        "congress.Session", on_delete=models.PROTECT, related_name="+", verbose_name=_("转入会议")
    )
    from_serial = models.PositiveIntegerField(_("原提案号"), null=True, blank=True)
    state = models.CharField(_("转入时状态"), max_length=32)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("转入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案转入记录")
        verbose_name_plural = _("提案转入记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_session_id} → {self.to_session_id}"
