"""The English catalogue is complete: no entry left untranslated or marked fuzzy (gettext does
not use a fuzzy translation, so the page would show the Chinese source), as `make messages`
leaves them when a source string changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _entries(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if "msgid" in block]


@pytest.mark.parametrize("name", ["django.po", "djangojs.po"])
def test_no_entry_is_fuzzy_or_empty(name):
    entries = _entries((LOCALE / name).read_text(encoding="utf-8"))
    assert len(entries) > 1
    fuzzy = [e for e in entries if re.search(r"^#,.*\bfuzzy\b", e, re.M)]
    assert fuzzy == []
    empty = []
    for entry in entries[1:]:  # the first is the header, whose msgid is empty
        for match in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", re.M):
            if "".join(re.findall(r'"(.*)"', match.group(1))) == "":
                empty.append(entry.splitlines()[0])
    assert empty == []
