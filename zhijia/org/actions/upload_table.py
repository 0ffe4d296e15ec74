"""Reading an uploaded table (.xlsx or .csv) by its header: the one reader of the roster import
and the payroll deduction import.

    with open_table(data, filename="…", header_name=fn, required=("工号",)) as table:
        for number, raw in table.rows:   # {column name: cell value}, empty lines skipped
            ...

The header row is found among the first HEADER_SCAN_ROWS rows of the first sheet that has one,
by its column names: `header_name(cell)` gives a cell's column name, or None for a column the
caller does not read (extra columns are ignored, the order is free). .xlsx is read with
openpyxl in read-only mode (a 100,000-row file streams); .csv as UTF-8, UTF-16 or GB18030, its
delimiter guessed from the header. Problems with the file as a whole (unreadable, no header, a
column twice, a required column missing) raise `TableRejected` with (row, column, value,
reason) tuples; each importer reports them as its own row errors.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from zhijia.org import normalize as n

HEADER_SCAN_ROWS = 20
HeaderName = Callable[[Any], "str | None"]
Problem = tuple["int | None", str, str, str]  # (row, column, value, reason)


class TableRejected(Exception):
    """The file as a whole cannot be read; `problems` lists (row, column, value, reason)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s)")


def file_error(reason: str, column: str = "") -> TableRejected:
    return TableRejected([(None, column, "", reason)])


@dataclass
class Source:
    rows: Iterator[tuple[int, list[Any]]]
    epoch_1904: bool = False
    close: Callable[[], None] = field(default=lambda: None)


@dataclass
class Table:
    """The data rows under the header: (row number as Excel shows it, {column: raw cell})."""

    header_row: int
    columns: tuple[str, ...]  # the known columns present, in file order
    rows: Iterator[tuple[int, dict[str, Any]]]
    epoch_1904: bool = False


def read_bytes(source: str | Path | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _xlsx_sources(data: bytes) -> list[Source]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise file_error(_("无法读取该 Excel 文件，请确认它是 .xlsx 格式且没有损坏")) from None
    epoch_1904 = workbook.epoch.year == 1904
    sources = []
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "reset_dimensions"):
            continue  # a chart sheet
        # Some generators write a wrong <dimension>; without this, rows would be cut short.
        sheet.reset_dimensions()
        rows = (
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        sources.append(Source(rows, epoch_1904, workbook.close))
    return sources


def _unwrap_csv(cell: str) -> Any:
    # Excel's ="0012" trick to keep leading zeros in a CSV.
    if len(cell) >= 3 and cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1]
    return cell or None


def _csv_sources(data: bytes, header_name: HeaderName) -> list[Source]:
    try:
        text = n.decode_text(data)
    except n.CellError as exc:
        raise file_error(_(exc.reason)) from None
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";", "|"):
        sample = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        score = max((_header_score(list(r), header_name)[0] for r in sample), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    rows = (
        (number, [_unwrap_csv(c) for c in cells]) for number, cells in enumerate(reader, start=1)
    )
    return [Source(rows)]


def _header_score(cells: list[Any], header_name: HeaderName) -> tuple[int, dict[int, str]]:
    mapping = {}
    for index, cell in enumerate(cells):
        if cell is None:
            continue
        name = header_name(cell)
        if name:
            mapping[index] = name
    return len(set(mapping.values())), mapping


def _find_header(
    buffered: list[tuple[int, list[Any]]], header_name: HeaderName, required: Sequence[str]
) -> tuple[int, dict[int, str]] | None:
    best: tuple[int, dict[int, str]] | None = None
    best_score = 1  # a header names at least two known columns
    for number, cells in buffered:
        score, mapping = _header_score(cells, header_name)
        if score > best_score:
            best, best_score = (number, mapping), score
            if all(c in mapping.values() for c in required):
                break
    return best


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _columns(header_row: int, mapping: dict[int, str], required: Sequence[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for index, name in sorted(mapping.items()):
        if name in seen:
            problems.append(
                (
                    header_row,
                    name,
                    name,
                    _("表头中该列出现了两次（第 %(a)s 列和第 %(b)s 列）")
                    % {"a": column_letter(seen[name]), "b": column_letter(index)},
                )
            )
        else:
            seen[name] = index
    for column in required:
        if column not in seen:
            problems.append((header_row, column, "", _("缺少必需的列")))
    if problems:
        raise TableRejected(problems)
    return seen


def _data_rows(
    src: Source, buffered: list[tuple[int, list[Any]]], header_row: int, columns: dict[str, int]
) -> Iterator[tuple[int, dict[str, Any]]]:
    pairs = list(columns.items())
    lines = itertools.chain(((num, cells) for num, cells in buffered if num > header_row), src.rows)
    for number, cells in lines:
        width = len(cells)
        raw = {name: cells[index] if index < width else None for name, index in pairs}
        if all(v is None or (isinstance(v, str) and not n.clean_text(v)) for v in raw.values()):
            continue  # an empty line
        yield number, raw


@contextmanager
def open_table(
    source: str | Path | bytes | IO[bytes],
    *,
    filename: str = "",
    header_name: HeaderName,
    required: Sequence[str],
) -> Iterator[Table]:
    """The table of the first sheet with a header; closed when the block ends."""
    if not filename and isinstance(source, str | Path):
        filename = Path(source).name
    data = read_bytes(source)
    if not data.strip():
        raise file_error(_("文件是空的"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(_("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入"))
    is_xlsx = data.startswith(b"PK\x03\x04")
    if not is_xlsx and filename.lower().endswith((".xlsx", ".xlsm")):
        raise file_error(_("无法读取该 Excel 文件，请确认它是 .xlsx 格式且没有损坏"))
    sources = _xlsx_sources(data) if is_xlsx else _csv_sources(data, header_name)
    try:
        for src in sources:
            buffered = list(itertools.islice(src.rows, HEADER_SCAN_ROWS))
            header = _find_header(buffered, header_name, required)
            if header is None:
                continue
            header_row, mapping = header
            columns = _columns(header_row, mapping, required)
            rows = _data_rows(src, buffered, header_row, columns)
            yield Table(header_row, tuple(columns), rows, src.epoch_1904)
            return
        names = "".join(f"“{c}”" for c in required)
        raise file_error(
            _("找不到表头：前 %(n)d 行中没有列名为%(names)s等的一行")
            % {"n": HEADER_SCAN_ROWS, "names": names}
        )
    finally:
        for src in sources:
            src.close()
