"""Grievances (诉求) and legal questions, their messages, routing rules and the anonymous box.

Anonymity (DESIGN.md module 4; see also actions_box.py):
- An anonymous grievance has no submitter, and no column finer than the day: `received_on` is
  a date; there is no auto_now timestamp on these tables.
- Primary keys are random (`random_id`), so an id says nothing about when a row was written or
  what was written before or after it (also for named grievances: the two kinds look alike).
- What an anonymous worker writes first lands in `BoxItem`, a table that holds only anonymous
  input; the daily opening of the box turns items into grievances, messages and ratings, with
  their workflow and audit events, at the opening's time, in random order.
- The receipt code is kept only as a keyed digest (zhijia.core.receipts).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.cases import rules
from zhijia.core.models import WorkflowRecord
from zhijia.core.satisfaction import Satisfaction

# Ids stay below 2**53 so JavaScript clients (a WeChat mini-program) read them exactly.
_ID_SPACE = 2**53 - 1


def random_id() -> int:
    """A random positive id: 53 bits from the system's CSPRNG (collisions are retried)."""
    return secrets.randbelow(_ID_SPACE) + 1


class Category(models.TextChoices):
    WAGES = "wages", _("工资报酬")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    WORKING_HOURS = "working_hours", _("工作时间与休息休假")
    CONTRACT = "contract", _("劳动合同")
    SAFETY = "safety", _("劳动安全卫生")
    DISCRIMINATION = "discrimination", _("就业歧视")
    OTHER = "other", _("其他")


assert tuple(Category.values) == rules.CATEGORIES


class Grievance(WorkflowRecord):
    """A grievance or a legal question raised by a worker, named or anonymous.

    `org_unit` is where the worker belongs (for an anonymous one: the union organisation the
    worker chose, at most a branch union); `handling_unit` is the union level responsible now
    (routing, transfers, escalation and reopening move it); `department` the enterprise
    department whose handlers answer it while it is assigned.
    """

    class Kind(models.TextChoices):
        GRIEVANCE = "grievance", _("诉求")
        LEGAL = "legal", _("法律咨询")

    Rating = Satisfaction  # the one scale: zhijia.core.satisfaction

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    # The readable number (SQ2026-00001), given at creation by zhijia.core.numbering.
    number = models.CharField(
        _("编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.GRIEVANCE)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    text = models.TextField(_("内容"))
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提出人"),
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    handling_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("办理层级")
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办部门"),
    )
    # Working days the responsible level has to answer (from the routing rule or the default).
    deadline_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=10)
    received_on = models.DateField(_("收到日期"), db_index=True)
    receipt_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    answer = models.TextField(_("答复"), blank=True)
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["deadline_at"]
        indexes = [
            models.Index(fields=["handling_unit", "state", "deadline_at"]),
            models.Index(fields=["department", "state", "deadline_at"]),
            models.Index(fields=["org_unit", "state"]),
            models.Index(fields=["submitter", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number or ''} {self.title}".strip()

    @property
    def title(self) -> str:
        return rules.summary(self.text)

    @property
    def state_label(self) -> str:
        from zhijia.cases.workflows import GRIEVANCE

        return GRIEVANCE.state_label(self.state)

    def workflow_unit(self):
        return self.handling_unit

    def workflow_department(self):
        return self.department

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:grievance-detail", args=[self.pk])


class CaseMessage(models.Model):
    """One message on a grievance: a question from the union or a department, information the
    worker adds, or an answer. Anonymous workers' messages come through the box and carry the
    opening's time, not the time they were written."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("询问")
        INFO = "info", _("补充信息")
        ANSWER = "answer", _("答复")

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发言人"),
    )
    author_label = models.CharField(_("发言人"), max_length=150, blank=True)
    from_worker = models.BooleanField(default=False)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("诉求消息")
        verbose_name_plural = _("诉求消息")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grievance.number or self.grievance_id}"


class RoutingRule(models.Model):
    """Where grievances of a category from an org-unit subtree go: a union level (its cadres
    handle them) and/or an enterprise department (its handlers answer them), and the working
    days to answer. The deepest matching subtree wins (rules.choose_rule)."""

    category = models.CharField(
        _("类别"),
        max_length=32,
        choices=Category.choices,
        blank=True,
        help_text=_("留空表示全部类别"),
    )
    scope = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("适用范围")
    )
    target_unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("办理层级"),
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("承办部门"),
    )
    deadline_workdays = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        ordering = ["scope__path", "category", "id"]

    def __str__(self) -> str:
        return f"{self.scope} · {self.get_category_display() or _('全部类别')}"


class BoxItem(models.Model):
    """Anonymous input waiting for the daily opening of the box: a new grievance, a message on
    one, or a rating. Holds nothing but what the worker wrote, the day, and (for a new one) the
    digest of its receipt code."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("新诉求")
        MESSAGE = "message", _("补充信息")
        RATE = "rate", _("评价")

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    received_on = models.DateField()
    grievance = models.ForeignKey(
        Grievance, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case_kind = models.CharField(max_length=16, choices=Grievance.Kind.choices, blank=True)
    category = models.CharField(max_length=32, choices=Category.choices, blank=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    rating = models.CharField(max_length=16, choices=Grievance.Rating.choices, blank=True)
    receipt_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("匿名信箱待开启件")
        verbose_name_plural = _("匿名信箱待开启件")
        ordering = ["id"]  # random ids: no order of arrival

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"
