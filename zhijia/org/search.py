"""Member name search keys: full pinyin ("zhangsan") and initials ("zs") via pypinyin.

pypinyin is imported on first use: its phrase dictionary takes about 0.3 s to load, which every
process that starts Django (each `zhijia` command, each server worker) would otherwise pay
without writing a single member."""

from __future__ import annotations

import functools
import re


def _pinyin(name: str, first_letters: bool) -> str:
    from pypinyin import Style, lazy_pinyin

    style = Style.FIRST_LETTER if first_letters else Style.NORMAL
    return "".join(lazy_pinyin(name, style=style, errors="ignore")).lower()


def name_pinyin(name: str) -> str:
    return _pinyin(name, first_letters=False)


def name_initials(name: str) -> str:
    return _pinyin(name, first_letters=True)


def fill_search_fields(member) -> None:
    member.name_pinyin = name_pinyin(member.name)
    member.name_initials = name_initials(member.name)


# --- the global search's entries (zhijia.core.search, type "org.member") ---------------------

SEARCH_TYPE = "org.member"


def member_entry(member, unit_path: str | None = None) -> tuple:
    """(id, title, text, unit_path) of a member's search entry: the name and 工号 as the title,
    the pinyin keys and the 工号 as the text (never the ID number, phone or anything else)."""
    if not member.name_pinyin and member.name:
        fill_search_fields(member)
    title = f"{member.name}（{member.employee_no}）" if member.employee_no else member.name
    text = " ".join(filter(None, [member.name_pinyin, member.name_initials, member.employee_no]))
    return (member.pk, title, text, unit_path or member.org_unit.path)


def index_member(member) -> None:
    from zhijia.core import search

    pk, title, text, unit_path = member_entry(member)
    search.index(SEARCH_TYPE, pk, title=title, text=text, unit_path=unit_path)


@functools.lru_cache(maxsize=65536)
def _cut_name(name: str) -> str:
    from zhijia.core.search import segment

    return segment(name)


_TITLE = re.compile(r"(.+)（([A-Za-z0-9]+)）")


def cut_entry_text(text: str) -> str:
    """zhijia.core.search.segment for a member entry's texts, fast: the title "张三（E0001）"
    is the name (cut once per distinct name) and the 工号; a text of ASCII letters and digits
    (the pinyin keys) is its words. Anything else is cut in full. Equal to segment(text)."""
    if text.isascii() and all(word.isalnum() for word in text.split()):
        return " ".join(text.split())
    match = _TITLE.fullmatch(text)
    if match:
        return f"{_cut_name(match[1])} {match[2]}".strip()
    return _cut_name(text)


def index_members(members) -> int:
    """Index many members at once (the roster import, the demo, a reindex): one query for the
    paths of their units, each distinct name cut once."""
    from zhijia.core import search
    from zhijia.org.models import OrgUnit

    members = list(members)
    paths = dict(
        OrgUnit.objects.filter(pk__in={m.org_unit_id for m in members}).values_list("pk", "path")
    )
    rows = (member_entry(m, paths[m.org_unit_id]) for m in members)
    return search.index_many(SEARCH_TYPE, rows, cut=cut_entry_text)


def reindex_members() -> int:
    """Index the members that have no search entry yet (seed-demo calls it after creating
    its members in bulk); returns how many."""
    from zhijia.core.models import SearchEntry
    from zhijia.org.models import Member

    indexed = set(
        SearchEntry.objects.filter(target_type=SEARCH_TYPE).values_list("target_id", flat=True)
    )
    missing = [m for m in Member.objects.order_by("pk") if str(m.pk) not in indexed]
    return index_members(missing) if missing else 0
