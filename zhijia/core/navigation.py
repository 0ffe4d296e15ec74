"""The cadre workspace navigation: each module contributes entries guarded by a permission code.

Modules call `add(...)` from their AppConfig.ready(); the menu shows an entry only when the
user holds its permission somewhere, so the navigation goes through the same permission layer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language

from zhijia.core.permissions import has_perm


@dataclass(frozen=True)
class NavItem:
    section: str | Promise  # translated label of the module
    label: str | Promise
    url_name: str
    permission: str | None  # None: every signed-in user
    order: int = 100
    # The view's own test when a permission code does not say it (a page for members only,
    # or for members and counselors): the entry is shown only when it holds too, so the
    # menu never links to a page that answers 403 (tests/test_navigation_crawl.py).
    visible: Callable[[object], bool] | None = None


_ITEMS: list[NavItem] = []
logger = logging.getLogger(__name__)


def add(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


# Entry URLs, reversed once per URL configuration and script prefix (every page shows the menu).
_URLS: dict[tuple, str | None] = {}


def _url(url_name: str) -> str | None:
    key = (url_name, get_urlconf(), get_script_prefix())
    if key not in _URLS:
        try:
            _URLS[key] = reverse(url_name)
        except NoReverseMatch:
            # One module's bad entry must not break every page; the test
            # tests/test_navigation.py fails on it instead.
            logger.warning("navigation entry %s has no URL", url_name)
            _URLS[key] = None
    return _URLS[key]


# The entries in menu order (their order, then their label in the active language), sorted once
# per language and set of entries rather than on every page.
_SORTED: dict[tuple, list[NavItem]] = {}


def _in_order() -> list[NavItem]:
    key = (get_language(), len(_ITEMS))
    if key not in _SORTED:
        _SORTED[key] = sorted(_ITEMS, key=lambda i: (i.order, str(i.label)))
    return _SORTED[key]


def nav_for(user) -> list[dict]:
    items = []
    for item in _in_order():
        if item.permission is not None and not has_perm(user, item.permission):
            continue
        if item.visible is None or item.visible(user):
            url = _url(item.url_name)
            if url is not None:
                items.append({"section": item.section, "label": item.label, "url": url})
    return items


def group_sections(items: list[dict]) -> list[dict]:
    """nav_for's entries grouped by module: [{"section", "items"}], in order of first entry."""
    sections: dict[str, dict] = {}
    for item in items:
        key = str(item["section"])
        sections.setdefault(key, {"section": item["section"], "items": []})["items"].append(item)
    return list(sections.values())


def registered_items() -> list[NavItem]:
    return list(_ITEMS)
