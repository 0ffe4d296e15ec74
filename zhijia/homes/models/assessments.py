"""A branch union's assessment in a round (declared workflow homes.assessment): its
self-assessment (a score and evidence per criterion), the committee's review scores and
comments, and the title awarded when the round closes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord


class Assessment(WorkflowRecord):
    round = models.ForeignKey(
        "homes.Round", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("评比")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("分工会")
    )
    self_total = models.DecimalField(
        _("自评总分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    review_total = models.DecimalField(
        _("评审总分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    review_note = models.CharField(_("评审意见"), max_length=500, blank=True)
    title = models.CharField(_("授予称号"), max_length=50, blank=True)
    honour_url = models.CharField(_("荣誉记录"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建家自评")
        verbose_name_plural = _("建家自评")
        ordering = ["round_id", "org_unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "org_unit"], name="homes_one_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.org_unit_id}"

    def get_absolute_url(self) -> str:
        return reverse("homes:assessment", args=[self.pk])

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("homes.Criterion", on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(
        _("自评分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField(_("佐证说明"), blank=True)
    review_score = models.DecimalField(
        _("评审分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    review_comment = models.CharField(_("评审意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="homes_one_score")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.criterion_id}"
