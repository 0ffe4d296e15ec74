"""The one CSV writer: every .csv that zhijia hands out is written here (the .xlsx files are
written by zhijia.core.excel).

    return csv_response("poll-7-choices.csv", [_("选择代码"), _("选择")], rows)   # a download
    text = csv_text([_("工号")], rows)                                            # the text

* Formula-injection safe: a spreadsheet opening a .csv evaluates a cell that starts with
  = + - @ (or a tab or carriage return, or the full-width ＝ ＋ － ＠) as a formula, so a
  candidate named "=HYPERLINK(...)" would plant a link or a DDE call in the file of whoever
  opens it. Such text is written with a leading apostrophe (OWASP's advice: Excel and WPS show
  the text, never evaluate it). The test of what is dangerous is zhijia.core.excel.needs_quote,
  the same as for .xlsx. Numbers (a negative one included), dates and money are written as
  they are: only text is ever prefixed.
* UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly; never cached.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from zhijia.core.excel import needs_quote

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    """A value as it is safe to write into a CSV cell: text that a spreadsheet would read as a
    formula gets a leading apostrophe; None is empty; aware datetimes are local time; numbers
    stay numbers."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | decimal.Decimal):
        return value
    text = str(value)
    return QUOTE + text if needs_quote(text) else text


def write_csv(
    out: IO[str] | HttpResponse, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> int:
    """Write the header and `rows` to `out` (a text stream); returns the data rows written."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The file's text (without the byte-order mark)."""
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]):
    """The CSV of `header` and `rows` as a download named `filename`."""
    from zhijia.core.attachments import content_disposition

    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(str(filename))
    response["Cache-Control"] = "no-store"
    response.write(BOM)  # Excel opens UTF-8 Chinese correctly
    write_csv(response, header, rows)
    return response
