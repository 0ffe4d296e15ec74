"""The cadre workspace navigation: each module contributes entries guarded by a permission code.

Modules call `add(...)` from their AppConfig.ready(); the menu shows an entry only when the
user holds its permission somewhere, so the navigation goes through the same permission layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from zhijia.core.permissions import has_perm


@dataclass(frozen=True)
class NavItem:
    section: str | Promise  # translated label of the module
    label: str | Promise
    url_name: str
    permission: str | None  # None: every signed-in user
    order: int = 100


_ITEMS: list[NavItem] = []


def add(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


def nav_for(user) -> list[dict]:
    items = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, str(i.label))):
        if item.permission is None or has_perm(user, item.permission):
            items.append(
                {"section": item.section, "label": item.label, "url": reverse(item.url_name)}
            )
    return items
