"""Excel export of a fund's monthly statement (written by zhijia.core.excel)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhijia.assistance.queries.ledger import Statement
from zhijia.core.excel import Column, Sheet, xlsx_bytes

SUMMARY_LINES = (5, 6, 7, 8)  # 期初余额 … 期末余额: their amount in column B


def statement_sheet(s: Statement) -> Sheet:
    """The statement: a summary block, then one row per entry."""
    heading: list[list[Any]] = [
        [_("帮扶资金月报")],
        [_("资金"), s.fund.name],
        [_("管理单位"), s.fund.org_unit.name],
        [_("月份"), f"{s.month:%Y-%m}"],
        [_("期初余额"), s.opening],
        [_("本月收入"), s.income],
        [_("本月支出"), s.payments],
        [_("期末余额"), s.closing],
        [],
    ]
    columns = [
        Column(_("分录号"), width=8),
        Column(_("记账日期"), width=12, date=True),
        Column(_("类型"), width=10),
        Column(_("摘要"), width=36),
        Column(_("对方单位或个人"), width=18),
        Column(_("收入"), width=12, money=True),
        Column(_("支出"), width=12, money=True),
        Column(_("余额"), width=14, money=True),
        Column(_("申请号"), width=8),
        Column(_("发放批次"), width=8),
        Column(_("冲正分录"), width=8),
        Column(_("经办人"), width=10),
    ]
    rows = (
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
        for e in s.entries
    )
    return Sheet(
        f"{s.month:%Y-%m}",
        columns,
        rows,
        heading=heading,
        heading_formats={(line, 2): "#,##0.00" for line in SUMMARY_LINES},
    )


def statement_xlsx(s: Statement) -> bytes:
    return xlsx_bytes(statement_sheet(s))
