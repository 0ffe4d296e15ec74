"""Template context shared by every page: the navigation the user may see."""

from __future__ import annotations

from zhijia.core.navigation import group_sections, nav_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_sections": []}
    items = nav_for(user)
    return {"nav_items": items, "nav_sections": group_sections(items)}
