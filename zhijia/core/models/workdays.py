"""Models of core.workdays: the admin-editable exceptions to the holiday calendar.

The statutory holidays and the 调休 working weekends come from the `holidays` package (see
zhijia.core.workdays). When the State Council announces a year's arrangements after the
installed package was released, or a union's enterprise adopts a different arrangement, the
administrator enters the days here; an override always wins over the package.
"""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

__all__ = ["WorkdayOverride"]


class WorkdayOverride(models.Model):
    """One day whose status differs from (or confirms) the package calendar.

    `is_workday=True` turns a weekend or holiday into a working day (a 调休 working Saturday);
    `is_workday=False` turns a weekday into a day off (a holiday, a 调休 day off).
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date:%Y-%m-%d} {kind}"


@receiver(post_save, sender=WorkdayOverride)
@receiver(post_delete, sender=WorkdayOverride)
def _overrides_changed(**kwargs) -> None:
    # Imported here: the calendar module imports this one.
    from zhijia.core.workdays import invalidate_cache

    invalidate_cache()
