"""Writes of the province table (configuration for the whole union)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.women import provinces_data
from zhijia.women.models import Province
from zhijia.women.permissions import CONFIGURE
from zhijia.women.queries.provinces import may_configure

__all__ = ["ProvinceError", "do_save_province", "ensure_provinces"]

FIELDS = (
    "code",
    "name",
    "extra_days",
    "difficult_extra_days",
    "multiple_extra_days",
    "holidays_extend",
    "paternity_days",
    "regulation",
    "year",
    "confirmed",
    "note",
)


class ProvinceError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def ensure_provinces() -> int:
    """The shipped rows (provinces_data), where missing."""
    return provinces_data.load(Province)


@transaction.atomic
def do_save_province(*, actor, province: Province | None = None, **values) -> Province:
    """Add a province (province=None) or change one; the days are whole days up to a year."""
    if not may_configure(actor):
        raise PermissionDenied(CONFIGURE)
    row = province or Province()
    for name in FIELDS:
        if name in values:
            setattr(row, name, values[name])
    for name in ("extra_days", "difficult_extra_days", "multiple_extra_days", "paternity_days"):
        value = getattr(row, name)
        if not isinstance(value, int) or not 0 <= value <= 365:
            raise ProvinceError(_("天数应在 0 到 365 之间"), field=name)
    if not isinstance(row.year, int) or not 1980 <= row.year <= 2100:
        raise ProvinceError(_("请填写法规年份"), field="year")
    for name, label in (("code", _("代码")), ("name", _("省份")), ("regulation", _("依据法规"))):
        if not str(getattr(row, name) or "").strip():
            raise ProvinceError(_("请填写%(label)s") % {"label": label}, field=name)
    clash = Province.objects.exclude(pk=row.pk).filter(code=row.code).exists() or (
        Province.objects.exclude(pk=row.pk).filter(name=row.name).exists()
    )
    if clash:
        raise ProvinceError(_("该省份已在表中"), field="name", status=409)
    created = row.pk is None
    row.save()
    record(
        actor=actor,
        action="women.add_province" if created else "women.change_province",
        target=row,
        data={name: getattr(row, name) for name in FIELDS},
    )
    return row
