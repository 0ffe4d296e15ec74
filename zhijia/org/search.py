"""Member name search keys: full pinyin ("zhangsan") and initials ("zs") via pypinyin."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore")).lower()


def name_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def fill_search_fields(member) -> None:
    member.name_pinyin = name_pinyin(member.name)
    member.name_initials = name_initials(member.name)
