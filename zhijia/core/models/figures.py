"""The dashboards' cache (zhijia.core.figure_cache): the changes of the tables the declared
figures read, and the figures' values computed at a given state of those tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FigureChange", "FigureValue"]


class FigureChange(models.Model):
    """Changes of a table that figures read (`source`, its db table), written by database
    triggers (zhijia.core.figure_sql), never by Python: inserts, updates and deletes by the
    ORM, bulk paths and raw SQL alike. On SQLite the triggers keep one row per table and count
    its changed rows in `version`; on PostgreSQL they append a row per statement (concurrent
    writers never wait on each other), pruned hourly. The state of a table is the count, the
    largest id and the largest version of its rows."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=100, db_index=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("统计数据变更")
        verbose_name_plural = _("统计数据变更")

    def __str__(self) -> str:
        return f"{self.source} #{self.id}"


class FigureValue(models.Model):
    """A figure's value (and breakdown rows) over one unit subtree and period, valid while the
    state of its source tables is `stamp` (and, for a figure that depends on the clock, until
    `valid_until`: the next deadline in its scope)."""

    figure = models.CharField(max_length=100)
    unit_path = models.CharField(max_length=255)
    start = models.DateField()
    end = models.DateField()
    # The breakdown's labels are words of the language they were computed in.
    language = models.CharField(max_length=10)
    stamp = models.CharField(max_length=1000)
    value = models.JSONField(null=True)
    rows = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True)
    # The state of the data a background computation was queued for (figure_cache: queued
    # once per state, however many pages show the value meanwhile).
    queued_stamp = models.CharField(max_length=1000, blank=True, default="")
    # How long the last count took (seconds): a page counts a quick figure itself and shows a
    # slow one as last counted while the worker counts it again (figure_cache.QUICK).
    seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("统计数值缓存")
        verbose_name_plural = _("统计数值缓存")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_path", "start", "end", "language", "figure"],
                name="core_figurevalue_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.unit_path} {self.start}..{self.end}"
