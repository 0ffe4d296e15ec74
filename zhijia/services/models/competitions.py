"""Competitions (劳动竞赛, 技能竞赛, 岗位练兵, 技术比武, 建功立业).

A competition (`Competition`, workflow `services.competition`: draft → registration →
running → publicity → final, or cancelled) is organised by a union unit for its audience units
(each covering its subtree). It has scoring items with weights and maximum points
(`CompetitionItem`), and an ordered list of scored stages (`CompetitionStage`, workflow
`services.competition_stage`: pending → scoring → closed), e.g. 初赛 and 决赛; registration is
the competition's own `registration` state.

Entries (`CompetitionEntry`) are persons or teams (team name, leader, members
`CompetitionTeamMember`). Every entry takes part in the first stage; after a stage closes the
entries ranked within its cut-off (`advance_count`, ties at the cut-off all advance, or a
minimum weighted total `advance_min_total`) take part in the next (`CompetitionResult`: one row
per stage and entry, holding its finish time, weighted total and rank once the stage closes).

Judges (`CompetitionJudge`) are appointed per competition; each declares conflicts of interest
(`CompetitionConflict`: an entry they may not score) and enters points per item per entry
(`CompetitionScore`). Until a stage closes a judge reads only their own scores.

The final stage's ranking is published with a 公示 period in working days; members of the
audience may object (`CompetitionObjection`), the organiser answers; the competition becomes
final once the period is over and every objection answered, writing the awards
(`CompetitionAward`: 名次 and titles such as 技术能手).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "Competition",
    "CompetitionAward",
    "CompetitionConflict",
    "CompetitionEntry",
    "CompetitionItem",
    "CompetitionJudge",
    "CompetitionObjection",
    "CompetitionResult",
    "CompetitionScore",
    "CompetitionStage",
    "CompetitionTeamMember",
]


class Competition(WorkflowRecord):
    """A competition campaign of a union unit."""

    class Kind(models.TextChoices):
        LABOUR = "labour", _("劳动竞赛")
        SKILLS = "skills", _("技能竞赛")
        DRILL = "drill", _("岗位练兵")
        CONTEST = "contest", _("技术比武")
        ACHIEVE = "achieve", _("建功立业")

    class EntryMode(models.TextChoices):
        PERSON = "person", _("个人参赛")
        TEAM = "team", _("团队参赛")
        BOTH = "both", _("个人或团队")

    title = models.CharField(_("竞赛名称"), max_length=100)
    kind = models.CharField(_("竞赛类型"), max_length=16, choices=Kind.choices)
    theme = models.CharField(_("竞赛主题"), max_length=100, blank=True)
    rules = models.TextField(_("竞赛规则"), blank=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    audience_units = models.ManyToManyField(
        "org.OrgUnit", related_name="+", verbose_name=_("面向单位")
    )
    entry_mode = models.CharField(
        _("参赛方式"), max_length=8, choices=EntryMode.choices, default=EntryMode.BOTH
    )
    # The declared tie rules, in order (competition_rules.TIE_RULES codes, comma separated).
    tie_rules = models.CharField(_("并列规则"), max_length=100, default="total,first_item,finish")
    drop_extremes = models.BooleanField(_("去掉最高分和最低分（5 名及以上评委时）"), default=False)
    publicity_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    prizes_first = models.PositiveSmallIntegerField(_("一等奖名额"), default=1)
    prizes_second = models.PositiveSmallIntegerField(_("二等奖名额"), default=2)
    prizes_third = models.PositiveSmallIntegerField(_("三等奖名额"), default=3)
    honour_title = models.CharField(_("授予称号"), max_length=50, blank=True)
    honour_count = models.PositiveSmallIntegerField(_("称号名额"), default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竞赛")
        verbose_name_plural = _("竞赛")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))

    @property
    def tie_rule_list(self) -> list[str]:
        return [r for r in self.tie_rules.split(",") if r]


class CompetitionItem(models.Model):
    """A scoring item (评分项) with its weight (percent) and maximum points."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("评分项"), max_length=100)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("竞赛评分项")
        verbose_name_plural = _("竞赛评分项")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="competition_item_weight"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="competition_item_max"),
        ]

    def __str__(self) -> str:
        return self.name


class CompetitionStage(WorkflowRecord):
    """A scored stage (初赛, 决赛, ...) of a competition, in `order`."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("阶段名称"), max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    advance_count = models.PositiveSmallIntegerField(_("晋级名次"), null=True, blank=True)
    advance_min_total = models.DecimalField(
        _("晋级分数线"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("竞赛阶段")
        verbose_name_plural = _("竞赛阶段")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.competition} · {self.name}"

    def workflow_unit(self):
        return self.competition.org_unit

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class CompetitionEntry(models.Model):
    """A person's or a team's entry."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        TEAM = "team", _("团队")

    class Status(models.TextChoices):
        ACTIVE = "active", _("已报名")
        WITHDRAWN = "withdrawn", _("已退出")

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("参赛类型"), max_length=8, choices=Kind.choices)
    team_name = models.CharField(_("团队名称"), max_length=100, blank=True)
    # The person (an individual entry) or the team's leader.
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在单位")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参赛报名")
        verbose_name_plural = _("参赛报名")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "leader"],
                condition=Q(kind="person", status="active"),
                name="competition_one_person_entry",
            ),
            models.UniqueConstraint(
                fields=["competition", "team_name"],
                condition=Q(kind="team", status="active"),
                name="competition_unique_team_name",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.TEAM:
            return self.team_name
        member = getattr(self.leader, "member_record", None)
        return member.name if member is not None else self.leader.get_full_name()


class CompetitionTeamMember(models.Model):
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="competition_team_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.user_id}"


class CompetitionResult(models.Model):
    """An entry's part in a stage: its finish time, and once the stage closes its weighted
    total, rank and whether it advances."""

    stage = models.ForeignKey(CompetitionStage, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="results")
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total = models.DecimalField(
        _("加权总分"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    advanced = models.BooleanField(_("晋级"), default=False)

    class Meta:
        verbose_name = _("阶段成绩")
        verbose_name_plural = _("阶段成绩")
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="competition_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.stage_id} · {self.entry_id}"


class CompetitionJudge(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竞赛评委")
        verbose_name_plural = _("竞赛评委")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="competition_judge_once")
        ]

    def __str__(self) -> str:
        return f"{self.competition_id} · {self.user_id}"


class CompetitionConflict(models.Model):
    """A judge's declared conflict of interest: they may not score this entry."""

    judge = models.ForeignKey(CompetitionJudge, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("回避原因"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评委回避")
        verbose_name_plural = _("评委回避")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="competition_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} · {self.entry_id}"


class CompetitionScore(models.Model):
    """One judge's points for one item of one entry in one stage."""

    stage = models.ForeignKey(CompetitionStage, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(CompetitionJudge, on_delete=models.PROTECT, related_name="scores")
    item = models.ForeignKey(CompetitionItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "judge", "item"], name="competition_score_once"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="competition_score_min"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.item_id}: {self.points}"


class CompetitionObjection(models.Model):
    """An objection (异议) raised during the 公示 period, answered by the organiser."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="objections"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        CompetitionEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("异议理由"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("竞赛异议")
        verbose_name_plural = _("竞赛异议")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.competition_id} · {self.pk}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class CompetitionAward(models.Model):
    """An award of a final competition: 名次 (一等奖, 第N名) and an optional title."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="awards")
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.PROTECT, related_name="awards")
    rank = models.PositiveIntegerField(_("名次"))
    award = models.CharField(_("奖项"), max_length=50)
    title = models.CharField(_("称号"), max_length=50, blank=True)
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竞赛奖项")
        verbose_name_plural = _("竞赛奖项")
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "entry"], name="competition_award_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.award}"
