"""Pure rules of module notices (no Django import, tested without a database).

clean_html(text)        the allow-list sanitiser of notices' and guides' rich text (nh3)
plain_text(html)        the words of a sanitised text (search, excerpts, Excel)
may_remind(last, now)   the brake on reminders: one a notice per REMIND_INTERVAL
hotlines(text)          the guide's hotlines, one per line: "12351 职工服务热线"
audience_covers(...)    whether a unit lies in an audience (a unit covers its subtree)
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3

# The tags a cadre may use in a notice or a guide; everything else is dropped (its text kept),
# script and style with their content. No attribute but a link's href (http, https, mailto,
# tel; relative links too) and a table cell's spans: no on* handlers, no style, no javascript:.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "a",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer"
REMOVED_WITH_CONTENT = frozenset({"script", "style"})

REMIND_INTERVAL = dt.timedelta(hours=1)


def clean_html(text: str) -> str:
    """The sanitised fragment: allowed tags and attributes only, links with rel="noopener
    noreferrer", comments removed. Plain text (no tag) becomes paragraphs, one per blank-line
    separated block, line breaks kept."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not re.search(r"<[a-zA-Z/!]", text):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
        text = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>"
            for block in blocks
        )
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(p|li|h[2-4]|blockquote|tr|table|caption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """The text of a sanitised fragment, one line per block."""
    text = _BLOCK_END.sub("\n", fragment or "")
    text = html.unescape(_TAG.sub(" ", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def excerpt(fragment: str, length: int = 60) -> str:
    text = " ".join(plain_text(fragment).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def may_remind(last: dt.datetime | None, now: dt.datetime) -> bool:
    """A reminder may go when none went within REMIND_INTERVAL."""
    return last is None or now - last >= REMIND_INTERVAL


def next_reminder_at(last: dt.datetime | None) -> dt.datetime | None:
    return None if last is None else last + REMIND_INTERVAL


@dataclass(frozen=True)
class Hotline:
    number: str
    label: str


def hotlines(text: str) -> list[Hotline]:
    """ "12351 职工服务热线" per line -> Hotline("12351", "职工服务热线"); blank lines skipped."""
    found = []
    for line in (text or "").splitlines():
        parts = line.strip().split(None, 1)
        if parts:
            found.append(Hotline(parts[0], parts[1].strip() if len(parts) > 1 else ""))
    return found


def audience_covers(audience_paths: Iterable[str], unit_path: str) -> bool:
    """Whether a unit (by its path) lies in an audience: under one of its units' subtrees."""
    return any(unit_path.startswith(path) for path in audience_paths)


def scopes_meet(scope_paths: Iterable[str], audience_paths: Iterable[str]) -> bool:
    """Whether a cadre's scope (subtrees) and an audience (subtrees) share a unit."""
    audience = list(audience_paths)
    return any(s.startswith(a) or a.startswith(s) for s in scope_paths for a in audience)
