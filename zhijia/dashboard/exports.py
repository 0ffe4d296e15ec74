"""The dashboard's outputs: the Excel of its tables (core.excel), the annual work report's
data annex and the congress work report as PDF (core.pdf, CJK font, the SVG charts) and as
Word (.docx, python-docx: one table per group, for cadres to write the text around)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.excel import Column, Sheet
from zhijia.dashboard import rules
from zhijia.dashboard.queries import Dashboard

REPORT_TITLES = {
    rules.ANNUAL: gettext_lazy("年度工作报告数据附件"),
    rules.CONGRESS: gettext_lazy("职代会工作报告数据"),
}


def report_title(report: str) -> str:
    return str(REPORT_TITLES[report])


def _period(board: Dashboard) -> str:
    return _("%(unit)s · %(period)s（%(start)s 至 %(end)s）") % {
        "unit": board.unit.name,
        "period": board.label,
        "start": board.start.isoformat(),
        "end": board.end.isoformat(),
    }


def _number(value: Any) -> Any:
    """A figure as a cell: numbers stay numbers (Excel sums them), no value stays empty."""
    return value


def figure_sheets(board: Dashboard) -> list[Sheet]:
    """The figures sheet (one row per figure, with its group), then one sheet per figure with
    a breakdown (its rows)."""
    figures_sheet = Sheet(
        _("数据看板"),
        [
            Column(_("类别")),
            Column(_("指标")),
            Column(_("数值")),
            Column(_("单位")),
            Column(_("说明")),
        ],
        [
            (str(g.label), str(f.label), _number(f.value), str(f.unit), str(f.description))
            for g in board.groups
            for f in g.figures
        ],
        heading=[[_("数据看板")], [_period(board)]],
    )
    sheets = [figures_sheet]
    for f in board.all_figures():
        if not f.raw_rows:
            continue
        sheets.append(
            Sheet(
                str(f.label)[:31],
                [Column(_("分类")), Column(_("数值"))],
                [(str(label), value) for label, value in f.raw_rows],
                heading=[[str(f.label)], [_period(board)]],
            )
        )
    return sheets


def report_docx(board: Dashboard, report: str) -> bytes:
    """The report as Word: a title, the period, then per group a heading and a table of its
    figures and their breakdowns. The charts are in the PDF only."""
    from docx import Document

    doc = Document()
    doc.add_heading(report_title(report), level=0)
    doc.add_paragraph(_period(board))
    for group in board.groups:
        doc.add_heading(str(group.label), level=1)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        head = table.rows[0].cells
        head[0].text, head[1].text, head[2].text = _("指标"), _("数值"), _("单位")
        for f in group.figures:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(f.label), f.shown, str(f.unit)
            for label, shown in f.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = f"　{label}", shown, str(f.unit)
    doc.add_paragraph(_("本附件由职工之家平台按上述期间和组织范围统计生成，可在此基础上编辑文字。"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
