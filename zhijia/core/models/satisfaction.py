"""The satisfaction index's ledger (满意度): one row per rating given anywhere on the shared scale
(zhijia.core.satisfaction), and the follow-up a low rating opens.

A row names the service ("cases.grievance"), the rated record as the module chooses to name it
(its id, a label and a link; all empty where even that would say too much, as for counseling),
the union unit of the worker who rated, the rating and when. It holds no person: the index
counts, the follow-up goes to the unit's cadres, and who rated stays with the module's record.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core.models.workflow import WorkflowRecord
from zhijia.core.satisfaction import Satisfaction

__all__ = ["Rating", "RatingFollowUp"]


class Rating(models.Model):
    service = models.CharField(_("服务"), max_length=40)
    record_id = models.CharField(_("记录编号"), max_length=40, blank=True)
    record_label = models.CharField(_("记录"), max_length=200, blank=True)
    record_url = models.CharField(_("记录链接"), max_length=300, blank=True)
    unit_path = models.CharField(_("所属工会"), max_length=255)
    rating = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        indexes = [
            models.Index(fields=["rated_at", "service"]),
            models.Index(fields=["unit_path", "rated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.rating}"


class RatingFollowUp(WorkflowRecord):
    """A 不满意 asks the responsible cadres to call the worker back (回访) and write what they
    found and did; it runs on the workflow `core.rating_follow_up` (zhijia/core/workflows.py)."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="follow_up")
    unit_path = models.CharField(_("所属工会"), max_length=255, db_index=True)
    note = models.TextField(_("回访情况"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度回访")
        verbose_name_plural = _("满意度回访")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rating_id} · {self.state}"

    def workflow_unit(self):
        # Core knows no unit model: the permission layer reads only `.path`.
        return SimpleNamespace(path=self.unit_path)
