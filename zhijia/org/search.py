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
