"""Labour-dispute mediation (劳动争议调解): a request, its parties, sessions with minutes, and
the outcome (an agreement, printable, or failure). Workflow: zhijia.cases.workflows.MEDIATION."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models.grievances import Category
from zhijia.core.models import WorkflowRecord


class MediationCase(WorkflowRecord):
    # The readable number (TJ2026-00001), given at creation by zhijia.core.numbering.
    number = models.CharField(
        _("编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    category = models.CharField(_("争议类别"), max_length=32, choices=Category.choices)
    respondent = models.CharField(_("被申请人"), max_length=200)
    claim = models.TextField(_("申请事项和理由"))
    # The day the mediation committee received the request: the 15 days run from it.
    requested_on = models.DateField(_("申请日期"), db_index=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("调解员"),
    )
    agreement_text = models.TextField(_("调解协议内容"), blank=True)
    agreed_on = models.DateField(_("协议日期"), null=True, blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    closing_reason = models.TextField(_("终结理由"), blank=True)
    arbitration_notified_at = models.DateTimeField(_("仲裁权利告知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("劳动争议调解")
        verbose_name_plural = _("劳动争议调解")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["state", "deadline_at"])]

    def __str__(self) -> str:
        return f"{_('调解')} {self.number or ''} {self.get_category_display()}"

    @property
    def state_label(self) -> str:
        from zhijia.cases.workflows import MEDIATION

        return MEDIATION.state_label(self.state)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:mediation-detail", args=[self.pk])


class MediationParty(models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        RESPONDENT = "respondent", _("被申请人")
        THIRD = "third", _("第三人")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("身份"), max_length=16, choices=Side.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    representative = models.CharField(_("代表人或代理人"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("调解当事人")
        verbose_name_plural = _("调解当事人")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.name}"


class MediationSession(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("地点"), max_length=200)
    attendees = models.CharField(_("参加人员"), max_length=500)
    minutes = models.TextField(_("调解笔录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"
