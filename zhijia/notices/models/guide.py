"""The service guide (服务指南) of a union unit: what the union does, how to apply for each
service (sanitised rich text), whom to contact, office hours and hotlines (structured)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.notices import rules

DEFAULT_HOTLINES = "12351 职工服务热线"


class ServiceGuide(models.Model):
    org_unit = models.OneToOneField(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会组织")
    )
    about = models.TextField(_("工会做什么"), blank=True)
    how_to_apply = models.TextField(_("怎样办理"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("办公地点"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    hotlines = models.TextField(
        _("服务热线"), blank=True, default=DEFAULT_HOTLINES, help_text=_("每行一条：号码 说明")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("服务指南")
        verbose_name_plural = _("服务指南")

    def __str__(self) -> str:
        return str(self.org_unit_id)

    def get_absolute_url(self) -> str:
        return reverse("notices:guide-unit", args=[self.org_unit_id])

    @property
    def hotline_list(self) -> list[rules.Hotline]:
        return rules.hotlines(self.hotlines)
