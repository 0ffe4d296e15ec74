"""The audit log: append-only and hash-chained, so an edited or deleted row shows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditEvent", "AuditHead"]


class AuditEvent(models.Model):
    """Who did what to which record and when.

    The actor is stored as a plain id and label, not a foreign key: deleting a user must not
    rewrite history. `data` holds what changed, never secrets (no passwords, no ID numbers in
    clear, no ballot content). `hash` = SHA-256 over the previous hash and this row's content.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The org unit the record belongs to, so cadres can read the log of their own subtree.
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Writers lock it, so the chain stays linear
    under concurrent requests, and deleting the newest events shows as a gap against it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # Where the chain starts once the oldest events are purged (zhijia.core.audit.purge_expired):
    # the last purged event's sequence number and hash (0 and the genesis hash before any purge).
    base_seq = models.BigIntegerField(default=0)
    base_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
