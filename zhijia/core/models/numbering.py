"""The counters of core.numbering: one row per kind of record and year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["NumberSequence"]


class NumberSequence(models.Model):
    """The last number handed out for `kind` (e.g. "SQ") in `year`.

    Only zhijia.core.numbering writes it, with one INSERT ... ON CONFLICT DO UPDATE SET
    last = last + 1 RETURNING last, so two transactions never get the same number.
    """

    kind = models.CharField(_("编号前缀"), max_length=8)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="core_number_sequence_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.year}: {self.last}"
