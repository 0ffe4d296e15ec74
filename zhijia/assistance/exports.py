"""Excel export of a fund's monthly statement (openpyxl)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhijia.assistance.queries.ledger import Statement

MONEY_FORMAT = "#,##0.00"


def statement_xlsx(s: Statement) -> bytes:
    """The statement as a workbook: a summary block, then one row per entry."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{s.month:%Y-%m}"
    bold = Font(bold=True)
    ws.append([_("帮扶资金月报")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("资金"), s.fund.name])
    ws.append([_("管理单位"), s.fund.org_unit.name])
    ws.append([_("月份"), f"{s.month:%Y-%m}"])
    ws.append([_("期初余额"), s.opening])
    ws.append([_("本月收入"), s.income])
    ws.append([_("本月支出"), s.payments])
    ws.append([_("期末余额"), s.closing])
    for row in range(5, 9):
        ws.cell(row=row, column=2).number_format = MONEY_FORMAT
    ws.append([])
    headers = [
        _("分录号"),
        _("记账日期"),
        _("类型"),
        _("摘要"),
        _("对方单位或个人"),
        _("收入"),
        _("支出"),
        _("余额"),
        _("申请号"),
        _("发放批次"),
        _("冲正分录"),
        _("经办人"),
    ]
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for e in s.entries:
        ws.append(
            [
                e.pk,
                e.booked_on,
                e.get_kind_display(),
                e.description,
                e.counterparty,
                e.amount if e.amount > 0 else None,
                -e.amount if e.amount < 0 else None,
                e.balance_after,
                e.application_id,
                e.payment_run_id,
                e.reverses_id,
                e.actor_label,
            ]
        )
        r = ws.max_row
        ws.cell(row=r, column=2).number_format = "yyyy-mm-dd"
        for col in (6, 7, 8):
            ws.cell(row=r, column=col).number_format = MONEY_FORMAT
    for letter, width in zip(
        "ABCDEFGHIJKL", (8, 12, 10, 36, 18, 12, 12, 14, 8, 8, 8, 10), strict=True
    ):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
