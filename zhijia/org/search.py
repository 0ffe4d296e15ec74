"""Member name search keys: full pinyin ("zhangsan") and initials ("zs") via pypinyin.

pypinyin is imported on first use: its phrase dictionary takes about 0.3 s to load, which every
process that starts Django (each `zhijia` command, each server worker) would otherwise pay
without writing a single member."""

from __future__ import annotations


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


def index_members(members) -> int:
    """Index many members at once (the roster import, the demo, a reindex): one query for the
    paths of their units."""
    from zhijia.core import search
    from zhijia.org.models import OrgUnit

    members = list(members)
    paths = dict(
        OrgUnit.objects.filter(pk__in={m.org_unit_id for m in members}).values_list("pk", "path")
    )
    rows = (member_entry(m, paths[m.org_unit_id]) for m in members)
    return search.index_many(SEARCH_TYPE, rows)


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
