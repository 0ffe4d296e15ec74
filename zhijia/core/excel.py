"""The one Excel writer: every .xlsx that zhijia hands out is written here.

    sheet = Sheet(_("会员名册"), [Column(_("工号"), text=True), Column(_("入会日期"), date=True)],
                  rows=((m.employee_no, m.join_date) for m in members.iterator()))
    return xlsx_response(_("会员名册.xlsx"), sheet)    # a download (pages)
    data = xlsx_bytes(sheet)                          # the file itself (tests, API, storage)

* Streamed: workbooks are written in openpyxl's write-only mode, so a 100,000-row export takes
  one pass over its rows and a few MB of memory (the response spools to disk past 16 MB).
* Formula-injection safe: a text cell starting with = + - @ or a tab or carriage return (or
  the full-width ＝ ＋ － ＠ that a Chinese input method types) is written as text with Excel's
  quote prefix (the cell shows and holds exactly the text; Excel
  never evaluates it), so a member who names a department "=HYPERLINK(...)" cannot plant a
  formula in a cadre's spreadsheet. Numbers, dates and money stay numbers, dates and money
  (a negative number is a number, not text). `needs_quote` is the one test of what is
  dangerous; zhijia.core.csvfile applies it to the .csv files.
* Widths fit Chinese: a column is as wide as its title or the widest of its first rows, counting
  a CJK character as two, unless the column gives its width.
* `Sheet.written` tells, once written, how many data rows the sheet had (for the export log).
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
TEXT = "@"
MAX_SPOOL = 16 * 1024 * 1024
# Rows measured for the width of columns that do not give one; the rest stream unmeasured.
MEASURED_ROWS = 200
MIN_WIDTH = 8
MAX_WIDTH = 60
# What a spreadsheet reads as the start of a formula (OWASP's list), and the full-width forms:
# Excel under a Chinese or Japanese input method turns a typed "＝" into a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class Column:
    """A column: its title and, when it needs them, a width (in Excel's character units) and
    a number format. `text=True` formats the column as text (工号, 身份证号, 手机号: Excel keeps
    leading zeros and all 18 digits when someone types into it)."""

    title: Any
    width: float | None = None
    number_format: str | None = None
    text: bool = False
    money: bool = False
    date: bool = False

    @property
    def format(self) -> str | None:
        if self.number_format:
            return self.number_format
        if self.money:
            return MONEY
        if self.date:
            return DATE
        if self.text:
            return TEXT
        return None


@dataclass
class Sheet:
    """One worksheet: optional `heading` lines above the header (a title, a summary block:
    the first line is written large, the others as they are), the header row of `columns`
    (bold, frozen), then `rows`, any iterable of sequences, consumed once."""

    title: Any
    columns: Sequence[Column | Any]
    rows: Iterable[Sequence[Any]] = ()
    heading: Sequence[Sequence[Any]] = ()
    heading_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    written: int = 0

    def column_list(self) -> list[Column]:
        return [c if isinstance(c, Column) else Column(c) for c in self.columns]


def display_width(value: Any) -> int:
    """Width of a value's text in Excel's character units: CJK (wide) characters count two."""
    text = _text_of(value)
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, datetime.date):
        return "yyyy-mm-dd"
    if isinstance(value, decimal.Decimal | float):
        return f"{value:,.2f}"
    return str(value)


def needs_quote(value: Any) -> bool:
    """Would Excel (or another spreadsheet) read this text as a formula? Only text is ever
    quoted: numbers (a negative one included), dates and money are what they are."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _plain(value: Any) -> Any:
    """What openpyxl can store: lazy translations become text, aware datetimes local naive
    ones (Excel has no time zones), everything else as it is."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _cell(ws, value: Any, *, number_format: str | None = None, font=None):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = _plain(value)
    if isinstance(value, str):
        # Control characters are not allowed in the file format: a pasted one is dropped.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if needs_quote(value):
        # Text, whatever it starts with: stored as a string with the quote prefix.
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format and (number_format == TEXT or not isinstance(value, str)):
        cell.number_format = number_format
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE
    if font is not None:
        cell.font = font
    return cell


def _widths(columns: list[Column], sample: list[Sequence[Any]]) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        width = display_width(column.title)
        for row in sample:
            if index < len(row):
                width = max(width, display_width(row[index]))
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, width + 2))))
    return widths


def _write_sheet(wb, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Excel's rules for a sheet name: at most 31 characters, none of []:*?/\
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", str(_plain(sheet.title)))[:31] or "Sheet")
    columns = sheet.column_list()
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, MEASURED_ROWS))
    for index, width in enumerate(_widths(columns, sample), start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if columns[index - 1].text:
            dimension.number_format = TEXT
    header_row = len(sheet.heading) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    title_font = Font(bold=True, size=14)
    for line_no, line in enumerate(sheet.heading, start=1):
        ws.append(
            [
                _cell(
                    ws,
                    value,
                    number_format=sheet.heading_formats.get((line_no, col)),
                    font=title_font if line_no == 1 and col == 1 else None,
                )
                for col, value in enumerate(line, start=1)
            ]
        )
    bold = Font(bold=True)
    ws.append([_cell(ws, c.title, font=bold) for c in columns])
    formats = [c.format for c in columns]
    count = 0
    for row in itertools.chain(sample, rows):
        ws.append(
            [
                _cell(ws, value, number_format=formats[i] if i < len(formats) else None)
                for i, value in enumerate(row)
            ]
        )
        count += 1
    sheet.written = count


def write_xlsx(out: IO[bytes], *sheets: Sheet) -> int:
    """Write `sheets` as one .xlsx workbook to `out`; returns the data rows written in all."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    wb.save(out)
    return sum(s.written for s in sheets)


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """The workbook of `sheets` as bytes (tests, the API, files kept in storage)."""
    import io

    out = io.BytesIO()
    write_xlsx(out, *sheets)
    return out.getvalue()


def xlsx_response(
    filename: str, *sheets: Sheet, stamp: bool = False, stream: bool = False
) -> HttpResponse | FileResponse:
    """The workbook of `sheets` as a download named `filename` (with `stamp`, the local time
    is added before the extension: members-20261203-1600.xlsx). Never cached.

    `stream=True` for exports that grow with the data (the roster, 100,000 rows): the file is
    spooled to disk past 16 MB and streamed; otherwise the response holds the bytes."""
    filename = _stamped(str(filename)) if stamp else str(filename)
    if not stream:
        return bytes_response(xlsx_bytes(*sheets), filename)
    out = tempfile.SpooledTemporaryFile(max_size=MAX_SPOOL)  # noqa: SIM115  (FileResponse closes it)
    write_xlsx(out, *sheets)
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    return response


def _stamped(filename: str) -> str:
    base = filename.removesuffix(".xlsx")
    return f"{base}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def bytes_response(data: bytes, filename: str) -> HttpResponse:
    """An .xlsx already written (a small file, or a report kept in storage) as a download."""
    from zhijia.core.attachments import content_disposition

    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(str(filename))
    response["Cache-Control"] = "no-store"
    return response
