"""The provinces' maternity terms (configuration): each province's extra days over the national
98, with the regulation they come from. Shipped as data (zhijia/women/provinces_data.py, loaded
by the migration and by `actions.provinces.ensure_provinces`); cadres edit or add rows on the
configuration page. `confirmed` says whether the row was checked against the official text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.women import rules


class Province(models.Model):
    code = models.SlugField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("省份"), max_length=32, unique=True)
    extra_days = models.PositiveSmallIntegerField(_("延长生育假（天）"), default=0)
    difficult_extra_days = models.PositiveSmallIntegerField(_("难产另增（天）"), default=0)
    multiple_extra_days = models.PositiveSmallIntegerField(_("多胞胎每多一婴另增（天）"), default=0)
    holidays_extend = models.BooleanField(_("遇法定节假日顺延"), default=False)
    paternity_days = models.PositiveSmallIntegerField(_("配偶陪产假（天）"), default=0)
    regulation = models.CharField(_("依据法规"), max_length=100)
    year = models.PositiveSmallIntegerField(_("法规年份"))
    confirmed = models.BooleanField(_("已核对官方文本"), default=False)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("省份生育假规定")
        verbose_name_plural = _("省份生育假规定")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> rules.ProvinceTerms:
        return rules.ProvinceTerms(
            extra_days=self.extra_days,
            difficult_extra_days=self.difficult_extra_days,
            multiple_extra_days=self.multiple_extra_days,
            holidays_extend=self.holidays_extend,
        )
