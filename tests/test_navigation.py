"""Every navigation entry a module registers leads to a page, and only permitted users see it."""

from __future__ import annotations

from django.urls import reverse

from zhijia.core.navigation import nav_for, registered_items
from zhijia.core.permissions import registry


def test_every_navigation_entry_resolves_and_names_a_known_permission():
    items = registered_items()
    assert items, "modules register their navigation in AppConfig.ready()"
    codes = registry()
    for item in items:
        assert reverse(item.url_name), item
        assert item.permission is None or item.permission in codes, item


def test_navigation_follows_the_permission_layer(personas):
    member_list = reverse("org:member-list")
    assert member_list in {i["url"] for i in nav_for(personas["branch1"])}
    assert member_list not in {i["url"] for i in nav_for(personas["worker1"])}
