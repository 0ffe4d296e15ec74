"""Congress models: the bodies of a term between sessions (subject `bodies`).

* Working groups (专门小组 / 专业委员会): real bodies of a term with a kind (提案, 劳动保护,
  女职工, 生活福利, 民主管理 ...), a head, members (representatives of the term), tasks on the
  declared workflow `congress.group_task` (open → done; overdue escalated by the sweep, as
  follow-up milestones are: supervised from the next working day after the due date) and
  meeting minutes. Membership of the term's 提案 group grants the proposal committee's review
  of that term's proposals (bodies_rules.may_review_proposals, through
  queries.bodies.may_review_proposals).
* Duty reports (述职): a representative's yearly report for a term year, rated by the members
  of the representative's electoral unit on the shared satisfaction scale, once each.
* Grassroots worker supervisors (基层职工监督员): an appointment of a member for a union unit and
  a period; the supervisor's observations run on the declared workflow
  `congress.observation` (open → answered → closed), answered by a cadre within a number of
  working days, escalated when overdue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord
from zhijia.core.satisfaction import Satisfaction

__all__ = [
    "DutyRating",
    "DutyReport",
    "GroupMember",
    "GroupMinutes",
    "GroupTask",
    "Observation",
    "SupervisorAppointment",
    "WorkingGroup",
]


class WorkingGroup(models.Model):
    """A working group (专门小组 / 专业委员会) of a congress term."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案工作委员会")
        LABOUR_PROTECTION = "labour", _("劳动保护监督检查委员会")
        WOMEN = "women", _("女职工委员会")
        WELFARE = "welfare", _("生活福利委员会")
        DEMOCRATIC = "democratic", _("民主管理委员会")
        OTHER = "other", _("其他专门小组")

    term = models.ForeignKey(
        "congress.Term", on_delete=models.PROTECT, related_name="groups", verbose_name=_("届次")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    duties = models.TextField(_("职责"), blank=True)
    head = models.ForeignKey(
        "congress.Representative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("组长"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专门小组")
        verbose_name_plural = _("专门小组")
        ordering = ["term", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="uniq_congress_group_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("congress:bodies-group-detail", args=[self.pk])


class GroupMember(models.Model):
    """A representative of the term sitting in a working group."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    representative = models.ForeignKey(
        "congress.Representative", on_delete=models.PROTECT, related_name="group_seats"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "representative"], name="uniq_congress_group_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.representative_id}"


class GroupTask(WorkflowRecord):
    """A task of a working group with a due date (workflow congress.group_task)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="tasks")
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    title = models.CharField(_("任务"), max_length=200)
    due_date = models.DateField(_("完成期限"))
    result = models.TextField(_("完成情况"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("小组任务")
        verbose_name_plural = _("小组任务")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:bodies-group-detail", args=[self.group_id])

    def workflow_unit(self):
        return self.org_unit


class GroupMinutes(models.Model):
    """The minutes (会议纪要) of a meeting of a working group."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="minutes")
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议主题"), max_length=200)
    text = models.TextField(_("纪要"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("小组会议纪要")
        verbose_name_plural = _("小组会议纪要")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DutyReport(models.Model):
    """A representative's yearly duty report (述职) for one term year."""

    representative = models.ForeignKey(
        "congress.Representative", on_delete=models.PROTECT, related_name="duty_reports"
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("选举单位")
    )
    year_start = models.DateField(_("届内年度开始"))
    text = models.TextField(_("述职报告"))
    filed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表述职")
        verbose_name_plural = _("代表述职")
        ordering = ["-year_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "year_start"], name="uniq_congress_duty_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id}:{self.year_start}"

    def get_absolute_url(self) -> str:
        return reverse("congress:bodies-report-detail", args=[self.pk])


class DutyRating(models.Model):
    """One constituent's rating of a duty report (one per member per report)."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="uniq_congress_duty_rating")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.member_id}"


class SupervisorAppointment(models.Model):
    """A member appointed grassroots worker supervisor (基层职工监督员) for a unit and a period."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("监督单位")
    )
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("监督员")
    )
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("基层职工监督员")
        verbose_name_plural = _("基层职工监督员")
        ordering = ["org_unit", "-starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_unit_id}"


class Observation(WorkflowRecord):
    """An observation filed by a supervisor (workflow congress.observation)."""

    appointment = models.ForeignKey(
        SupervisorAppointment, on_delete=models.PROTECT, related_name="observations"
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    subject = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("情况"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    observed_on = models.DateField(_("发现日期"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督意见")
        verbose_name_plural = _("监督意见")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("congress:bodies-observation-detail", args=[self.pk])

    def workflow_unit(self):
        return self.org_unit
