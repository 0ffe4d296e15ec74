"""Rationalisation suggestions and innovation (合理化建议, 技术革新, "五小").

A member submits a `Suggestion` (alone, or for a team with co-authors among the members) to a
department concerned; it runs on workflow `services.suggestion` (services/workflows.py):
department review → expert scoring (`SuggestionExpert` appointed by cadres, one
`SuggestionScore` per expert and criterion, the criteria copied onto the suggestion when
scoring opens) → adopted or rejected with a reason → implementation (`SuggestionMilestone`,
each on workflow `services.suggestion_milestone` with a deadline in working days, escalated by
the sweep) → economic benefit certified by the finance department's handler → reward by the
unit's tiers → closed. The author rates the handling once closed or rejected.

A union unit configures its scoring criteria (`SuggestionCriterion`) and reward tiers
(`SuggestionRewardTier`); a unit without its own uses the nearest unit above it that has them,
else the defaults of suggestion_rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "Suggestion",
    "SuggestionCriterion",
    "SuggestionExpert",
    "SuggestionMilestone",
    "SuggestionRewardTier",
    "SuggestionScore",
]


class Suggestion(WorkflowRecord):
    class Category(models.TextChoices):
        RATIONALISATION = "rationalisation", _("合理化建议")
        INNOVATION = "innovation", _("技术革新")
        INVENTION = "invention", _("小发明")
        CREATION = "creation", _("小创造")
        RENOVATION = "renovation", _("小革新")
        DESIGN = "design", _("小设计")
        SMALL = "small", _("小建议")

    title = models.CharField(_("标题"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    problem = models.TextField(_("存在的问题"))
    proposal = models.TextField(_("建议内容"))
    expected_benefit = models.TextField(_("预期效益"), blank=True)
    # The author's union unit when submitted: the cadres of its subtree handle it.
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("涉及部门")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提出人"),
    )
    team_name = models.CharField(_("团队名称"), max_length=100, blank=True)
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("共同提出人")
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    review_note = models.TextField(_("部门意见"), blank=True)
    # [{"name": ..., "weight": ...}] copied from the unit's criteria when scoring opens.
    criteria = models.JSONField(_("评分标准"), default=list, blank=True)
    score = models.DecimalField(
        _("评审得分"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    finance_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("效益认定部门"),
    )
    certified_benefit = models.DecimalField(
        _("认定经济效益（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    certified_note = models.TextField(_("认定说明"), blank=True)
    reward_tier = models.CharField(_("奖励等级"), max_length=20, blank=True)
    reward_amount = models.DecimalField(
        _("奖金（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rating = models.CharField(_("评价"), max_length=20, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合理化建议")
        verbose_name_plural = _("合理化建议")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["year", "state"])]

    def __str__(self) -> str:
        return self.title

    def workflow_department(self):
        return self.department

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))

    @property
    def author_label(self) -> str:
        name = self.author.get_full_name()
        return f"{self.team_name}（{name}）" if self.team_name else name


class SuggestionExpert(models.Model):
    """An expert appointed by a cadre to score one suggestion."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="experts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField()
    comment = models.TextField(_("评审意见"), blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["appointed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "expert"], name="suggestion_one_expert")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} · {self.expert}"


class SuggestionScore(models.Model):
    """One expert's mark (0–100) on one criterion."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(_("评分项"), max_length=20)
    value = models.PositiveSmallIntegerField(_("分数"))

    class Meta:
        verbose_name = _("评审打分")
        verbose_name_plural = _("评审打分")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "expert", "criterion"], name="suggestion_one_mark"
            ),
            models.CheckConstraint(condition=Q(value__lte=100), name="suggestion_mark_max"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.value}"


class SuggestionMilestone(WorkflowRecord):
    """A step of an adopted suggestion's implementation, due in `workdays` working days."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    workdays = models.PositiveSmallIntegerField(_("期限（工作日）"))
    done_note = models.CharField(_("完成情况"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workdays__gte=1) & Q(workdays__lte=250), name="suggestion_ms_workdays"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def workflow_unit(self):
        return self.suggestion.org_unit

    def workflow_department(self):
        return self.suggestion.department

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class SuggestionCriterion(models.Model):
    """A scoring criterion of a union unit (weights of a unit's criteria sum to 100)."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("工会")
    )
    name = models.CharField(_("名称"), max_length=20)
    weight = models.PositiveSmallIntegerField(_("权重"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("合理化建议评分标准")
        verbose_name_plural = _("合理化建议评分标准")
        ordering = ["org_unit", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="suggestion_criterion_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}%"


class SuggestionRewardTier(models.Model):
    """A reward tier of a union unit: minimum certified benefit and score, and the amount."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("工会")
    )
    name = models.CharField(_("名称"), max_length=20)
    min_benefit = models.DecimalField(_("最低认定效益（元）"), max_digits=14, decimal_places=2)
    min_score = models.DecimalField(_("最低得分"), max_digits=4, decimal_places=1)
    amount = models.DecimalField(_("奖金（元）"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("合理化建议奖励等级")
        verbose_name_plural = _("合理化建议奖励等级")
        ordering = ["org_unit", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="suggestion_tier_name")
        ]

    def __str__(self) -> str:
        return self.name
