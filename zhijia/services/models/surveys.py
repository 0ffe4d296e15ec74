"""Surveys (问卷调查) and the pre-congress consultation (会前征求意见).

A survey belongs to an org unit (its cadres manage it) and asks the members of its audience
units (each with its subtree). It is a draft (editable), then open (its questions fixed),
then closed.

Who answered and what they answered are kept apart, as the secret ballot of module voting
keeps them (zhijia/voting/models.py):

- `SurveyParticipation` is the respondent side: this user has answered this survey. It never
  points to a response, and carries no time. Its unique (survey, user) constraint is what lets
  each member answer at most once, also under concurrent requests.
- `SurveyResponse` holds the answers of one respondent (a JSON mapping question key -> value,
  zhijia.services.survey_rules). Its key is a random UUID4. For a named survey it also names
  the member and the time; for an anonymous one both stay empty: no user, no member, no time,
  no address. Anonymous responses are written at a random SQLite rowid
  (zhijia.core.unordered.forget_insertion_order) and re-stored in a fresh random order with
  fresh keys when the survey closes (actions.surveys.do_close_survey), which also rewrites
  the participation rows so that PostgreSQL's xmin no longer pairs them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.services import survey_rules as rules

__all__ = ["Survey", "SurveyParticipation", "SurveyQuestion", "SurveyResponse"]


class Survey(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("问卷调查")
        CONSULTATION = "consultation", _("会前征求意见")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起组织")
    )
    audience = models.ManyToManyField(
        "org.OrgUnit", related_name="+", blank=True, verbose_name=_("调查对象（含下级组织）")
    )
    anonymous = models.BooleanField(_("匿名填写"), default=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(_("上次提醒时间"), null=True, blank=True)

    # Not a column: set once an anonymous survey's close has committed: True when its response
    # storage was compacted (zhijia.core.unordered.compact_storage), False when not (the page
    # tells the cadre), None while not known or not applicable.
    storage_compacted: bool | None = None

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = rules.SINGLE, _("单选")
        MULTIPLE = rules.MULTIPLE, _("多选")
        RATING = rules.RATING, _("评分")
        MATRIX = rules.MATRIX, _("矩阵单选")
        TEXT = rules.TEXT, _("填空")
        TOPIC = rules.TOPIC, _("建议议题")

    class Scale(models.TextChoices):
        STARS = rules.STARS, _("1–5 星")
        SATISFACTION = rules.SATISFACTION, _("满意 / 基本满意 / 不满意")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("题型"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=300)
    required = models.BooleanField(_("必答"), default=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    rows = models.JSONField(_("矩阵的行"), default=list, blank=True)
    min_picks = models.PositiveSmallIntegerField(_("最少选几项"), default=0)
    max_picks = models.PositiveSmallIntegerField(_("最多选几项"), default=0)
    scale = models.CharField(
        _("评分方式"), max_length=16, choices=Scale.choices, default=Scale.STARS
    )

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def key(self) -> str:
        return str(self.pk)

    def spec(self) -> rules.QuestionSpec:
        return rules.QuestionSpec(
            key=self.key,
            kind=self.kind,
            required=self.required,
            options=tuple(self.options or ()),
            rows=tuple(self.rows or ()),
            min_picks=self.min_picks,
            max_picks=self.max_picks,
            scale=self.scale,
        )


class SurveyParticipation(models.Model):
    """This user has answered this survey: nothing else (no response, no time)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="uniq_survey_participation")
        ]
        indexes = [models.Index(fields=["user", "survey"])]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.user_id}"


class SurveyResponse(models.Model):
    """One respondent's answers. Anonymous: `member` and `submitted_at` stay empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "org.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(_("回答"), default=dict)

    def __str__(self) -> str:
        return str(_("答卷"))  # never the answers: str() ends up in logs and error pages
