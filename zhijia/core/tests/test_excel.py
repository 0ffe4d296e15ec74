"""The one Excel writer: formula injection, formats, widths, streaming and responses."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils.translation import gettext_lazy

from zhijia.core.excel import (
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    display_width,
    needs_quote,
    xlsx_bytes,
    xlsx_response,
)


def _load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_formula_like_text_is_written_as_quoted_text(text):
    data = xlsx_bytes(Sheet("s", ["列"], [[text]]))
    cell = _load(data).active["A2"]
    # The text: openpyxl's own writer leaves a CR bare (XML reads it as LF); its lxml writer
    # (lxml comes with python-docx) escapes it and it reads back as written.
    assert cell.value in {text, text.replace("\r", "\n")}
    assert cell.data_type == "s" and cell.quotePrefix  # never a formula
    assert b"<f>" not in data


def test_plain_values_keep_their_types():
    rows = [["张三", 12, Decimal("8500.50"), datetime.date(2026, 3, 5), None, -3]]
    columns = ["姓名", "数", Column("工资", money=True), "日期", "空", "负数"]
    ws = _load(xlsx_bytes(Sheet("s", columns, rows))).active
    name, number, wage, day, empty, negative = (c for c in ws[2])
    assert name.value == "张三" and not name.quotePrefix
    assert number.value == 12 and negative.value == -3
    assert wage.value == 8500.5 and wage.number_format == "#,##0.00"
    assert day.value == datetime.datetime(2026, 3, 5) and day.number_format == "yyyy-mm-dd"
    assert empty.value is None
    assert not needs_quote(-3) and not needs_quote("工号") and needs_quote("=A1")


def test_header_heading_and_text_columns():
    sheet = Sheet(
        gettext_lazy("名册"),
        [Column("工号", text=True), Column("身份证号", width=22)],
        [["007", "110101********0015"]],
        heading=[["标题"], ["单位", "第一分工会"]],
    )
    ws = _load(xlsx_bytes(sheet))["名册"]
    assert [c.value for c in ws[1]][:1] == ["标题"] and ws["A1"].font.b
    assert [c.value for c in ws[3]] == ["工号", "身份证号"] and ws["A3"].font.b
    assert ws["A4"].value == "007" and ws["A4"].number_format == "@"
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["B"].width == 22
    assert sheet.written == 1


def test_widths_count_chinese_as_two():
    assert display_width("abc") == 3 and display_width("工会") == 4
    ws = _load(xlsx_bytes(Sheet("s", ["a", "b"], [["x", "示例能源集团工会委员会"]]))).active
    assert ws.column_dimensions["A"].width < ws.column_dimensions["B"].width
    assert ws.column_dimensions["B"].width >= 22


def test_control_characters_are_dropped_and_sheets_stream():
    def rows():
        for i in range(1000):
            yield [i, f"行\x01{i}"]

    first = Sheet("一", ["n", "t"], rows())
    second = Sheet("二", ["n"], [])
    wb = _load(xlsx_bytes(first, second))
    assert wb.sheetnames == ["一", "二"]
    assert wb["一"]["B1001"].value == "行999" and first.written == 1000
    assert wb["二"].max_row == 1 and second.written == 0


def test_responses_small_and_streamed():
    small = xlsx_response("统计.xlsx", Sheet("s", ["a"], [[1]]))
    assert small["Content-Type"] == XLSX_CONTENT_TYPE
    assert small["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E7%BB%9F%E8%AE%A1.xlsx" in small["Content-Disposition"]
    assert _load(small.content).active["A2"].value == 1
    sheet = Sheet("s", ["a"], ([i] for i in range(5)))
    streamed = xlsx_response("members.xlsx", sheet, stamp=True, stream=True)
    assert sheet.written == 5
    assert "members-" in streamed["Content-Disposition"]
    content = b"".join(streamed.streaming_content)
    for close in streamed._resource_closers:  # the file, as the WSGI server would
        close()
    assert _load(content).active.max_row == 6


def test_sheet_names_follow_excel_rules():
    title = "示例能源集团工会/第一分工会:2026[一季度]*?很长很长很长很长"
    data = xlsx_bytes(Sheet(title, ["a"], []))
    (name,) = _load(data).sheetnames
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_full_width_formula_start_is_quoted_too():
    data = xlsx_bytes(Sheet("s", ["列"], [["＝1+1"], ["－5"], ["工号"]]))
    ws = _load(data).active
    assert ws["A2"].quotePrefix and ws["A3"].quotePrefix and not ws["A4"].quotePrefix
