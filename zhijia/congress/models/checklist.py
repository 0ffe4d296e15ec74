"""Congress models: an inspection tour's checklist (巡视检查清单).

One entry per tour and subject (checklist_rules.SUBJECTS): the facts zhijia knew for the tour's
unit subtree when the checklist was taken (a snapshot, gathered through core.hooks'
inspection_facts; refreshed only on request while the tour is planned) and the participants'
finding on the subject. A problem becomes one of the tour's findings (InspectionFinding), which
the cadre can turn into a rectification item as any other finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models.inspections import InspectionFinding, InspectionTour

__all__ = ["ChecklistEntry"]


class ChecklistEntry(models.Model):
    class Subject(models.TextChoices):
        DISCLOSURE = "disclosure", _("企务公开工作")
        SAFETY = "safety", _("安全生产管理")
        PROGRESS = "progress", _("办事进度")
        CONTRACT = "contract", _("集体合同履行情况")
        RESOLUTIONS = "resolutions", _("会议决议的落实情况")

    class Verdict(models.TextChoices):
        OK = "ok", _("正常")
        PROBLEM = "problem", _("存在问题")

    tour = models.ForeignKey(InspectionTour, on_delete=models.CASCADE, related_name="checklist")
    subject = models.CharField(_("检查内容"), max_length=16, choices=Subject.choices)
    facts = models.JSONField(_("已掌握的情况"), default=list, blank=True)
    facts_taken_at = models.DateTimeField(_("情况截至"))
    verdict = models.CharField(_("检查结论"), max_length=8, choices=Verdict.choices, blank=True)
    note = models.TextField(_("检查情况"), blank=True)
    finding = models.OneToOneField(
        InspectionFinding,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_entry",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder_name = models.CharField(_("记录人"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("巡视检查项")
        verbose_name_plural = _("巡视检查项")
        ordering = ["tour", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "subject"], name="uniq_congress_checklist")
        ]

    def __str__(self) -> str:
        return f"{self.tour} · {self.get_subject_display()}"

    def get_absolute_url(self) -> str:
        return reverse("congress:inspection-checklist", args=[self.tour_id])
