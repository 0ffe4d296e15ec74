"""Excel output of module safety: the 安康杯 tally (written by zhijia.core.excel)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhijia.core.excel import Column, Sheet


def tally_sheet(result) -> Sheet:
    """The year's tally (queries.tally): one row per unit, then the total."""
    title = _("%(year)d 年安康杯隐患排查治理统计 · %(unit)s") % {
        "year": result.year,
        "unit": result.root.name,
    }
    columns = [
        Column(_("单位"), width=28),
        _("报告隐患"),
        _("不予立项"),
        _("重大隐患"),
        _("已整改"),
        _("已验收"),
        _("按期整改"),
        _("超期未改"),
        _("整改率（%）"),
        _("按期率（%）"),
        _("安全监督员"),
    ]
    rows = (
        [
            row.label,
            row.reported,
            row.dismissed,
            row.major,
            row.fixed,
            row.verified,
            row.on_time,
            row.overdue_open,
            row.fix_rate,
            row.on_time_rate,
            row.supervisors,
        ]
        for row in [*result.rows, result.total]
    )
    return Sheet(f"{result.year}", columns, rows, heading=[[title]])
