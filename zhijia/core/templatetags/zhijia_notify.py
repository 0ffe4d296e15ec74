"""{% inbox_link %}: the top bar's link to the inbox with the unread count; {% tabbar %}: the
phone's bottom tab bar with the same count."""

from __future__ import annotations

from django import template

from zhijia.core.notify import unread_count

register = template.Library()


def _unread(context) -> int:
    """The user's unread count, counted once per request (the top bar and the tab bar both
    show it)."""
    user = context.get("user")
    if user is None:
        return 0
    request = context.get("request")
    if request is None:
        return unread_count(user)
    if not hasattr(request, "_zhijia_unread"):
        request._zhijia_unread = unread_count(user)
    return request._zhijia_unread


@register.inclusion_tag("core/inbox_link.html", takes_context=True)
def inbox_link(context):
    return {"unread": _unread(context)}


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    return _unread(context)


@register.inclusion_tag("core/tabbar.html", takes_context=True)
def tabbar(context):
    """The phone's bottom tab bar (首页, 服务, 消息 with the unread count, 我的) for the users of
    the member home; cadres keep the collapsible menu. Hidden on wide screens (app.css)."""
    user = context.get("user")
    request = context.get("request")
    if user is None or not user.is_authenticated or getattr(user, "opens_workspace", False):
        return {"show": False}
    return {
        "show": True,
        "user": user,
        "path": request.path if request is not None else "",
        "unread": _unread(context),
    }
