"""The legal consultation knowledge base (法律咨询知识库): questions and answers kept by cadres,
indexed by zhijia.core.search when published. An entry made from a grievance's answer keeps the
link to its source for the cadres only; the public page never shows it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models.grievances import Category


class KnowledgeEntry(models.Model):
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    # The union organisation whose cadres keep the entry; published entries are read by all.
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("维护单位")
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    source_grievance = models.ForeignKey(
        "cases.Grievance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("来源诉求"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法律咨询知识")
        verbose_name_plural = _("法律咨询知识")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:knowledge-detail", args=[self.pk])
