"""Congress models: the follow-up of resolutions between sessions (决议落实跟踪).

Every resolution the congress passed (an agenda item of kind motion whose vote passed, online
or on paper) and every adopted proposal (one in handling, answered or closed) may get one
implementation plan (落实方案): the responsible enterprise department and person, what is to
be done, milestones with due dates, and periodic follow-up reports (跟踪报告) on the three
points the congress asks about: 实施进度, 实施过程中的变化, 执行中的问题和整改情况.

Each milestone runs on the declared workflow `congress.milestone` (open → done → verified,
workflows.py). Its due date maps to the record's deadline as follows: the department has the
whole due date, and the milestone is supervised (督办) from the start of the NEXT WORKING DAY
after it (core.workdays' calendar: the weekend, statutory holidays, 调休 and the admin's
overrides). `deadline_at` is therefore the last moment before that working day begins
(23:59:59.999999 Beijing time of the day before it): a milestone due on a Friday is escalated
by the sweep on Monday, not on Saturday; one due on the eve of the National Day holiday on the
first working day after it.

`TourYearReminder` remembers that the congress office was reminded, once per term year, that
the year is about to end without its minimum of inspection tours (ZHIJIA_CONGRESS_MIN_TOURS_
PER_YEAR).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "FollowupPlan",
    "FollowupReport",
    "Milestone",
    "TourYearReminder",
]


class FollowupPlan(models.Model):
    """The implementation plan of one passed resolution or one adopted proposal."""

    session = models.ForeignKey(
        "congress.Session",
        on_delete=models.PROTECT,
        related_name="followup_plans",
        verbose_name=_("会议"),
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    agenda_item = models.OneToOneField(
        "congress.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followup_plan",
        verbose_name=_("决议事项"),
    )
    proposal = models.OneToOneField(
        "congress.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followup_plan",
        verbose_name=_("提案"),
    )
    title = models.CharField(_("决议或提案"), max_length=200)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    responsible = models.CharField(_("责任人"), max_length=64)
    measures = models.TextField(_("落实措施"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("落实方案")
        verbose_name_plural = _("落实方案")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(agenda_item__isnull=False, proposal__isnull=True)
                    | models.Q(agenda_item__isnull=True, proposal__isnull=False)
                ),
                name="congress_followup_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:followup-detail", args=[self.pk])

    @property
    def is_resolution(self) -> bool:
        return self.agenda_item_id is not None


class Milestone(WorkflowRecord):
    """One dated step of a plan, supervised when late (see the module docstring)."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.CASCADE, related_name="milestones")
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("完成期限"))
    result = models.TextField(_("完成情况"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("落实节点")
        verbose_name_plural = _("落实节点")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:followup-detail", args=[self.plan_id])

    def workflow_unit(self):
        return self.org_unit

    def workflow_department(self):
        return self.department


class FollowupReport(models.Model):
    """A periodic follow-up report (跟踪报告) on the three points, each required."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("报告期"), max_length=64, blank=True)
    progress = models.TextField(_("实施进度"))
    changes = models.TextField(_("实施过程中的变化"))
    problems = models.TextField(_("执行中的问题和整改情况"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("报告人"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("跟踪报告")
        verbose_name_plural = _("跟踪报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.period or str(self.created_at)


class TourYearReminder(models.Model):
    """The congress office was reminded of a term year short of inspection tours (once)."""

    term = models.ForeignKey("congress.Term", on_delete=models.CASCADE, related_name="+")
    year_start = models.DateField()
    tours = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("巡视次数提醒")
        verbose_name_plural = _("巡视次数提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "year_start"], name="uniq_congress_tour_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term_id}:{self.year_start}"
