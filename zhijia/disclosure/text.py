"""Text of a disclosure item: safe rendering, pasted tables, and the diff between versions.

Pure Python (no Django), tested without a database.

Body text is what a cadre types: plain text with line breaks plus a few Markdown-like marks
(a line starting "# " or "## " is a heading, "- " / "* " a bullet, "1. " a numbered line,
**bold**). Everything is HTML-escaped first: raw HTML typed by a user is shown as text, never
interpreted, and no link or image markup exists, so nothing a user types can run or load.

Tables are pasted from Excel (tab-separated) or typed as CSV (comma, or the Chinese comma
"，"); quoted CSV cells may contain delimiters.

Diffs work on tokens suited to Chinese: every CJK character (and every punctuation mark) is
its own token, a run of Latin letters or digits (with . , % - inside numbers, so "1,250.00"
changes as one) is one token, whitespace runs are tokens. Lines are aligned first, then the
changed blocks are compared token by token, so a changed figure in a long text shows as
exactly that figure.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
from dataclasses import dataclass

# --- rendering body text -----------------------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})(?:[.)]\s+|、\s*)(.*)$")


def _inline(line: str) -> str:
    escaped = html.escape(line, quote=True)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def render_text(text: str) -> str:
    """Safe HTML for a body text (a string the caller marks safe)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(x) for x in paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            close_paragraph()
            close_list()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            close_paragraph()
            close_list()
            level = len(heading.group(1)) + 2  # h3..h5: the page has h1 and h2 already
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            content = bullet.group(1) if bullet else numbered.group(2)  # type: ignore[union-attr]
            out.append(f"<li>{_inline(content)}</li>")
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    return "\n".join(out)


def plain_text(text: str) -> str:
    """The body without the marks, for search indexing and notifications."""
    lines = []
    for raw in (text or "").splitlines():
        line = _BOLD.sub(r"\1", raw)
        for pattern, group in ((_HEADING, 2), (_BULLET, 1), (_NUMBERED, 2)):
            match = pattern.match(line)
            if match:
                line = match.group(group)
                break
        lines.append(line.strip())
    return "\n".join(x for x in lines if x)


# --- tables ------------------------------------------------------------------------------------

MAX_TABLE_ROWS = 1000
MAX_TABLE_COLUMNS = 30
MAX_CELL_CHARS = 500


class TableError(ValueError):
    """A pasted table that cannot be used; `code` names the reason, `row` is 1-based."""

    def __init__(self, code: str, row: int | None = None, limit: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.limit = limit


def _delimiter(lines: list[str]) -> str:
    first = next((x for x in lines if x.strip()), "")
    if "\t" in first:
        return "\t"
    if "，" in first and "," not in first:
        return "，"
    return ","


def parse_table(text: str) -> list[list[str]]:
    """Rows of cells from pasted text; [] for an empty text. Rows are padded to one width.

    The first row is the header. Raises TableError on limits or broken quoting.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return []
    lines = text.split("\n")
    delimiter = _delimiter(lines)
    rows: list[list[str]] = []
    if delimiter == "，":
        raw_rows = [line.split("，") for line in lines]
    else:
        try:
            raw_rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
        except csv.Error:
            raise TableError("quoting") from None
    for number, raw in enumerate(raw_rows, start=1):
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if len(cells) > MAX_TABLE_COLUMNS:
            raise TableError("columns", number, MAX_TABLE_COLUMNS)
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            raise TableError("cell", number, MAX_CELL_CHARS)
        rows.append(cells)
        if len(rows) > MAX_TABLE_ROWS:
            raise TableError("rows", number, MAX_TABLE_ROWS)
    width = max((len(r) for r in rows), default=0)
    # Trailing empty columns (a trailing delimiter on every row) carry nothing.
    while width > 0 and all(len(r) < width or not r[width - 1] for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]


def table_to_text(rows: list[list[str]]) -> str:
    """Rows back to the CSV text kept in the database (one canonical form)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


# --- diffs -------------------------------------------------------------------------------------

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

_TOKEN = re.compile(
    r"[A-Za-z0-9]+(?:[.,%\-][A-Za-z0-9]+)*%?"  # words and numbers such as 1,250.00 or 3.5%
    r"|\s+"  # whitespace runs
    r"|.",  # any other single character: a CJK character, a punctuation mark
    re.DOTALL,
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, INSERT or DELETE
    text: str


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if merged and merged[-1].op == seg.op:
            merged[-1] = Segment(seg.op, merged[-1].text + seg.text)
        else:
            merged.append(seg)
    return merged


def _token_diff(old: str, new: str) -> list[Segment]:
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment(EQUAL, "".join(a[i1:i2])))
        else:
            out.append(Segment(DELETE, "".join(a[i1:i2])))
            out.append(Segment(INSERT, "".join(b[j1:j2])))
    return out


def diff_text(old: str, new: str) -> list[Segment]:
    """Segments that turn `old` into `new`: equal text, deleted text, inserted text."""
    old = (old or "").replace("\r\n", "\n")
    new = (new or "").replace("\r\n", "\n")
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_block, new_block = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(Segment(EQUAL, old_block))
        elif op == "replace":
            out.extend(_token_diff(old_block, new_block))
        else:
            out.append(Segment(DELETE, old_block))
            out.append(Segment(INSERT, new_block))
    return _merge(out)


def has_changes(segments: list[Segment]) -> bool:
    return any(s.op != EQUAL for s in segments)


@dataclass(frozen=True)
class Cell:
    text: str
    old: str | None = None  # the previous text when the cell changed


@dataclass(frozen=True)
class RowDiff:
    status: str  # EQUAL, INSERT, DELETE, or "changed"
    cells: tuple[Cell, ...]


CHANGED = "changed"


def diff_table(old: list[list[str]], new: list[list[str]]) -> list[RowDiff]:
    """Row by row, cell by cell: unchanged, added, removed and changed rows (with old cells)."""
    a = [tuple(r) for r in old]
    b = [tuple(r) for r in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[RowDiff] = []

    def plain(row: tuple[str, ...], status: str) -> RowDiff:
        return RowDiff(status, tuple(Cell(c) for c in row))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(plain(r, EQUAL) for r in b[j1:j2])
        elif op == "delete":
            out.extend(plain(r, DELETE) for r in a[i1:i2])
        elif op == "insert":
            out.extend(plain(r, INSERT) for r in b[j1:j2])
        else:
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                if k >= len(olds):
                    out.append(plain(news[k], INSERT))
                elif k >= len(news):
                    out.append(plain(olds[k], DELETE))
                else:
                    o, n = olds[k], news[k]
                    width = max(len(o), len(n))
                    o = o + ("",) * (width - len(o))
                    n = n + ("",) * (width - len(n))
                    cells = tuple(
                        Cell(nc, None if nc == oc else oc) for oc, nc in zip(o, n, strict=True)
                    )
                    out.append(RowDiff(CHANGED, cells))
    return out
