"""Spreadsheets for people around the roster import: the error report and the empty template
(re-exported by zhijia.org.actions.roster_import)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhijia.core.excel import Column, Sheet, xlsx_bytes
from zhijia.org import normalize as n

if TYPE_CHECKING:
    from zhijia.org.actions.roster_import import RowError

COLUMNS = n.COLUMNS


# --- spreadsheets for people ------------------------------------------------------------------
def error_report_xlsx(errors: Iterable[RowError]) -> bytes:
    """The error report as an .xlsx: 行号, 列, 值, 原因 (streamed: fast for 100,000 rows)."""
    whole_file = _("整个文件")
    columns = [
        Column(_("行号"), width=10),
        Column(_("列"), width=14),
        Column(_("值"), width=24),
        Column(_("原因"), width=60),
    ]
    rows = ([whole_file if e.row is None else e.row, e.column, e.value, e.reason] for e in errors)
    return xlsx_bytes(Sheet(_("导入错误"), columns, rows))


_COLUMN_HELP = {
    n.EMPLOYEE_NO: gettext_noop("必填。导入时按工号识别会员：已有的更新，没有的新增。"),
    n.NAME: gettext_noop("必填。"),
    n.GENDER: gettext_noop("男或女；留空时按身份证号第17位判断。"),
    n.ID_NUMBER: gettext_noop("必填。18位，校验位正确；末位X大小写均可。"),
    n.PHONE: gettext_noop("11位大陆手机号，可带+86、空格或横线。"),
    n.UNIT: gettext_noop(
        "工会名称或代码，须在您的管辖范围内；系统中没有的，确认后新建为您所在工会下的工会小组，"
        "也可写成“第一分工会/新班组”指定上级。留空（或没有这一列）时，新会员按部门的默认所属工会，"
        "部门没有设置时按您所在的工会；已有会员不变。"
    ),
    n.DEPARTMENT: gettext_noop(
        "部门名称或代码，可留空；系统中没有的，确认后新建。可写成“生产部/一车间”表示上下级。"
    ),
    n.JOB: gettext_noop("不超过64个字。"),
    n.EMPLOYMENT_TYPE: gettext_noop("正式、劳务派遣、返聘、临时、实习；留空为正式。"),
    n.JOIN_DATE: gettext_noop(
        "如 2021-03-05、2021/3/5、2021.03.05、2021年3月5日、2021年3月（记为1日）。"
    ),
    n.WAGE: gettext_noop("金额，如 8500、8500.00、¥8,500.00、8500元。"),
}


def template_xlsx() -> bytes:
    """An empty roster with the header row (text-formatted 工号/身份证号/手机号 columns so
    Excel keeps leading zeros and all 18 digits) and a sheet explaining each column."""
    roster = Sheet(
        _("花名册"),
        [
            Column(
                column,
                width=22 if column == n.ID_NUMBER else 14,
                text=column in (n.EMPLOYEE_NO, n.ID_NUMBER, n.PHONE),
            )
            for column in COLUMNS
        ],
    )
    notes = Sheet(
        _("填写说明"),
        [Column(_("列名"), width=14), Column(_("说明"), width=80)],
        ([column, _(_COLUMN_HELP[column])] for column in COLUMNS),
    )
    return xlsx_bytes(roster, notes)
