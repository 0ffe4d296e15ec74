"""Writes of the assistance configuration of a unit (the 低保 line and the factors)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.assistance import permissions as perms
from zhijia.assistance.errors import AssistanceError
from zhijia.assistance.models import AssistanceConfig
from zhijia.assistance.queries.common import config_for
from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.org.models import OrgUnit

# field: (lowest, highest, integer?)
LIMITS: dict[str, tuple[Decimal, Decimal, bool]] = {
    "dibao_line": (Decimal("0.01"), Decimal("100000"), False),
    "relative_factor": (Decimal("1"), Decimal("10"), False),
    "accident_loss_ratio": (Decimal("0.01"), Decimal("10"), False),
    "notice_workdays": (Decimal("1"), Decimal("30"), True),
    "retention_years": (Decimal("1"), Decimal("50"), True),
    "review_interval_months": (Decimal("1"), Decimal("36"), True),
}
LABELS = {
    "dibao_line": gettext_lazy("当地城市低保标准"),
    "relative_factor": gettext_lazy("相对困难倍数"),
    "accident_loss_ratio": gettext_lazy("意外致困损失比例"),
    "notice_workdays": gettext_lazy("公示期"),
    "retention_years": gettext_lazy("档案保存年限"),
    "review_interval_months": gettext_lazy("复核周期"),
}


def _value(name: str, raw: Any):
    low, high, integer = LIMITS[name]
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise AssistanceError(_("请输入数字"), field=name) from None
    if not value.is_finite() or not low <= value <= high:
        raise AssistanceError(
            _("%(label)s应在 %(low)s 到 %(high)s 之间")
            % {"label": LABELS[name], "low": low, "high": high},
            field=name,
        )
    if integer:
        if value != value.to_integral_value():
            raise AssistanceError(_("请输入整数"), field=name)
        return int(value)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def do_set_config(*, actor, unit: OrgUnit, values: Mapping[str, Any]) -> AssistanceConfig:
    """Set the unit's own configuration (it then applies to its subtree)."""
    require(actor, perms.CONFIGURE, unit=unit)
    row = AssistanceConfig.objects.select_for_update().filter(org_unit=unit).first()
    if row is None:
        inherited = config_for(unit)
        row = AssistanceConfig(org_unit=unit)
        for name in LIMITS:
            setattr(row, name, getattr(inherited, name))
    changed: dict[str, list[str]] = {}
    for name in LIMITS:
        if name in values and values[name] not in (None, ""):
            value = _value(name, values[name])
            if getattr(row, name) != value:
                changed[name] = [str(getattr(row, name)), str(value)]
                setattr(row, name, value)
    row.updated_by = actor
    row.save()
    record(
        actor=actor,
        action="assistance.set_config",
        target=row,
        unit=unit,
        data={"changed": changed},
    )
    return row
