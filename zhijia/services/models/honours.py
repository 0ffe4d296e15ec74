"""Honours (荣誉), 劳模 care, the "五型"班组 assessment and innovation studios.

`Honour` (workflow `services.honour`: active → revoked) is one award: of a member (a person)
or of a team (a team name and its union unit), with its kind and level (the codes of
zhijia.services.honour_rules), year, awarding body, title, source and documents
(core.attachments). A revoked honour keeps its row and its history; it leaves the worker's
pages.

劳模 care: `HonourCareItem` (configurable: 健康体检, 疗休养, 走访慰问 by default) is due every year
to the holders of an active honour of its kind (and level, when set), by the end of its month;
`HonourCareRecord` is one done item of one person and year; `HonourCareReminder` marks the
reminder sent to the responsible cadres (once per person, item and year).

"五型"班组: `HonourCriterion` (configurable, with points, per team type), `HonourAssessmentConfig`
(the pass mark, one row), `HonourAssessment` (workflow `services.honour_assessment`: draft →
submitted → passed / failed) with one `HonourAssessmentScore` per criterion (the team's own
points and evidence, then the reviewers' points).

Innovation studios (劳模/工匠创新工作室): `HonourStudio` with members, projects and results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "Honour",
    "HonourAssessment",
    "HonourAssessmentConfig",
    "HonourAssessmentScore",
    "HonourCareItem",
    "HonourCareRecord",
    "HonourCareReminder",
    "HonourCriterion",
    "HonourStudio",
    "HonourStudioMember",
    "HonourStudioProject",
    "HonourStudioResult",
]


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳动模范")
    GREAT_CRAFTSMAN = "great_craftsman", _("大国工匠")
    CRAFTSMAN = "craftsman", _("企业工匠")
    MAY_DAY_MEDAL = "may_day_medal", _("五一劳动奖章")
    PIONEER = "pioneer", _("工人先锋号")
    FIVE_TYPE_TEAM = "five_type_team", _("“五型”班组")
    ADVANCED_INDIVIDUAL = "advanced_individual", _("先进个人")
    ADVANCED_COLLECTIVE = "advanced_collective", _("先进集体")
    TECHNICAL_EXPERT = "technical_expert", _("技术能手")
    COMPETITION_PLACE = "competition_place", _("竞赛名次")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省部级")
    CITY = "city", _("市级")
    ENTERPRISE = "enterprise", _("企业级")


class TeamType(models.TextChoices):
    LEARNING = "learning", _("学习型")
    SAFETY = "safety", _("安全型")
    CLEAN = "clean", _("清洁型")
    THRIFT = "thrift", _("节约型")
    HARMONY = "harmony", _("和谐型")


class Honour(WorkflowRecord):
    """One honour of a member or of a team."""

    Kind = HonourKind
    Level = HonourLevel

    kind = models.CharField(_("荣誉类别"), max_length=32, choices=HonourKind.choices)
    level = models.CharField(_("级别"), max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("荣誉称号"), max_length=200)
    awarding_body = models.CharField(_("授予单位"), max_length=200)
    # The union unit of the holder (the member's at the time, or the team's): the cadres of
    # this unit's subtree record and edit it.
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    member = models.ForeignKey(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("获得者"),
    )
    team_name = models.CharField(_("集体名称"), max_length=100, blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=500, blank=True)
    note = models.TextField(_("备注"), blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["kind", "year"]), models.Index(fields=["state", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, team_name="")
                | Q(member__isnull=True) & ~Q(team_name=""),
                name="honour_person_or_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @property
    def holder_name(self) -> str:
        return self.member.name if self.member_id and self.member else self.team_name

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class HonourCareItem(models.Model):
    """A care item (关爱项目) due every year to the holders of an honour kind (and level)."""

    name = models.CharField(_("关爱项目"), max_length=100)
    kind = models.CharField(
        _("荣誉类别"), max_length=32, choices=HonourKind.choices, default=HonourKind.MODEL_WORKER
    )
    level = models.CharField(
        _("级别"),
        max_length=16,
        choices=HonourLevel.choices,
        blank=True,
        help_text=_("不选为全部级别"),
    )
    due_month = models.PositiveSmallIntegerField(_("应完成月份"))
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("劳模关爱项目")
        verbose_name_plural = _("劳模关爱项目")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12), name="honour_care_due_month"
            )
        ]

    def __str__(self) -> str:
        return self.name


class HonourCareRecord(models.Model):
    """One care item done for one person in one year."""

    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(HonourCareItem, on_delete=models.PROTECT, related_name="records")
    year = models.PositiveSmallIntegerField(_("年度"))
    done_on = models.DateField(_("完成日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("劳模关爱记录")
        verbose_name_plural = _("劳模关爱记录")
        ordering = ["-year", "member_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item", "year"], name="honour_care_one_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.item}"


class HonourCareReminder(models.Model):
    """The reminder sent to the cadres for an overdue care item (once per person and year)."""

    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(HonourCareItem, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item", "year"], name="honour_care_one_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.item}"


class HonourCriterion(models.Model):
    """A criterion of the "五型"班组 assessment, with its points, under one team type."""

    TeamType = TeamType

    team_type = models.CharField(_("类型"), max_length=16, choices=TeamType.choices)
    title = models.CharField(_("考核标准"), max_length=200)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("“五型”班组考核标准")
        verbose_name_plural = _("“五型”班组考核标准")
        ordering = ["team_type", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="honour_criterion_points")
        ]

    def __str__(self) -> str:
        return self.title


class HonourAssessmentConfig(models.Model):
    """The assessment's pass mark (one row): a percentage of the points available."""

    pass_percent = models.DecimalField(_("达标得分率（%）"), max_digits=4, decimal_places=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.pass_percent}%"


class HonourAssessment(WorkflowRecord):
    """A team's yearly "五型"班组 self-assessment and its review."""

    team_name = models.CharField(_("班组名称"), max_length=100)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    summary = models.TextField(_("创建情况"), blank=True)
    self_total = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    review_total = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    review_rate = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    pass_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    review_note = models.CharField(_("评审意见"), max_length=500, blank=True)
    honour = models.ForeignKey(
        Honour, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("“五型”班组考核")
        verbose_name_plural = _("“五型”班组考核")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "team_name", "year"], name="honour_assessment_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.team_name}"

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class HonourAssessmentScore(models.Model):
    assessment = models.ForeignKey(
        HonourAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(HonourCriterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.TextField(_("佐证说明"), blank=True)
    review_points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="honour_score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion}"


class HonourStudio(models.Model):
    """A 劳模/工匠创新工作室."""

    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳模创新工作室")
        CRAFTSMAN = "craftsman", _("工匠创新工作室")

    name = models.CharField(_("工作室名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    lead = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("领衔人")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    founded_on = models.DateField(_("命名日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("创新工作室")
        verbose_name_plural = _("创新工作室")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class HonourStudioMember(models.Model):
    studio = models.ForeignKey(HonourStudio, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("分工"), max_length=100, blank=True)
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "member"], name="honour_studio_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.studio} · {self.member}"


class HonourStudioProject(models.Model):
    """A project of a studio. Its status is descriptive, set again at will (not a workflow)."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("进行中")
        COMPLETED = "completed", _("已完成")
        SUSPENDED = "suspended", _("已暂停")

    studio = models.ForeignKey(HonourStudio, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("项目名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ONGOING
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("项目内容"), blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title


class HonourStudioResult(models.Model):
    """A result (成果) of a studio: a patent, a 工法, a QC result..."""

    class Kind(models.TextChoices):
        PATENT = "patent", _("专利")
        METHOD = "method", _("工法")
        QC = "qc", _("QC成果")
        INNOVATION = "innovation", _("技术革新")
        OTHER = "other", _("其他")

    studio = models.ForeignKey(HonourStudio, on_delete=models.CASCADE, related_name="results")
    project = models.ForeignKey(
        HonourStudioProject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("成果名称"), max_length=200)
    kind = models.CharField(_("成果类型"), max_length=16, choices=Kind.choices)
    benefit = models.CharField(_("效益"), max_length=300, blank=True)
    achieved_on = models.DateField(_("取得日期"))

    class Meta:
        ordering = ["-achieved_on", "-id"]

    def __str__(self) -> str:
        return self.title
