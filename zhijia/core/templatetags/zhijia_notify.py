"""{% inbox_link %}: the top bar's link to the inbox with the unread count."""

from __future__ import annotations

from django import template

from zhijia.core.notify import unread_count

register = template.Library()


@register.inclusion_tag("core/inbox_link.html", takes_context=True)
def inbox_link(context):
    user = context.get("user")
    return {"unread": unread_count(user) if user is not None else 0}


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    user = context.get("user")
    return unread_count(user) if user is not None else 0
