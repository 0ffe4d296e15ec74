"""The full-text search index: one row per searchable record, written by zhijia.core.search.

The full-text structures themselves are not Django fields: on SQLite an FTS5 table
(`core_searchentry_fts`, kept in sync by triggers), on PostgreSQL a generated tsvector column
(`search_vector`) with a GIN index. Both are created by zhijia.core.search_sql.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SearchEntry"]


class SearchEntry(models.Model):
    # "app.model" of the indexed record (e.g. "cases.grievance") and its primary key.
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    # Org unit path of the record, so results can be limited to the searcher's scope.
    unit_path = models.CharField(max_length=255, db_index=True)
    # A second unit path under which the record is found as well (a grievance: the level that
    # handles it, which a routing rule or a transfer may put outside the worker's line).
    also_path = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=300)
    # The plain text, for snippets in the result list.
    body = models.TextField(default="", blank=True)
    # jieba segmentation (search mode), words separated by spaces: what the index reads.
    title_segmented = models.TextField(default="", blank=True)
    body_segmented = models.TextField(default="", blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        # Fixed: the FTS5 table, its triggers and the PostgreSQL column refer to this name.
        db_table = "core_searchentry"
        verbose_name = _("搜索索引")
        verbose_name_plural = _("搜索索引")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="core_searchentry_unique_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id}"
