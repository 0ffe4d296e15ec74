"""Models of core.workflow: the fields a record needs, and the event history of every record.

A module's model inherits `WorkflowRecord` (abstract) to get its state and deadline fields;
every step of every record, whatever its model, is one `WorkflowEvent` row keyed by content type
and object id. See zhijia.core.workflow for how a module declares and runs a workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["WorkflowEvent", "WorkflowRecord"]


class WorkflowRecord(models.Model):
    """Abstract base for any record that runs on a workflow (proposal, grievance, hazard ...).

    Only core.workflow writes these fields. `escalated_at` is when the record was last escalated:
    the current deadline has been escalated when escalated_at >= deadline_at, which is what makes
    the sweep idempotent. `reminded_at` is when a reminder was sent for the current deadline; it is
    cleared whenever a new deadline is set.

    Override `workflow_unit()` when the record's org unit is not the `org_unit` field, and
    `workflow_department()` when transitions use department-scoped permissions (handlers):
    a permission check with no unit (or department) to check against is refused.
    """

    state = models.CharField(_("状态"), max_length=32, db_index=True, default="")
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("办理期限"), null=True, blank=True, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    escalated_at = models.DateTimeField(_("最近升级时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def workflow_unit(self):
        """The org unit whose subtree's holders of a permission may act on this record."""
        return getattr(self, "org_unit", None)

    def workflow_department(self):
        """The enterprise department for department-scoped permissions (None: none)."""
        return None

    def in_state(self, *codes: str) -> bool:
        """Whether the record is in one of the named states; each name is checked against the
        record's workflow, so a typo raises instead of comparing false forever."""
        from zhijia.core.workflow import in_state

        return in_state(self, *codes)

    @property
    def is_overdue(self) -> bool:
        return self.deadline_at is not None and self.deadline_at < timezone.now()


class WorkflowEvent(models.Model):
    """One step in a record's history: started, a transition, or an escalation.

    `transition` is "start", "escalate", or the name of a declared transition. `deadline_at`
    is the deadline in force after the step. History is never rewritten; the actor's label is
    kept so the history still reads right after a rename or deactivation.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    workflow = models.CharField(_("流程"), max_length=64)
    transition = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    deadline_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        # Steps on one record are serialised by a row lock, so id order is step order.
        ordering = ["id"]
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        indexes = [models.Index(fields=["content_type", "object_id", "id"])]

    def __str__(self) -> str:
        return (
            f"{self.workflow}:{self.object_id} {self.transition} {self.from_state}→{self.to_state}"
        )
