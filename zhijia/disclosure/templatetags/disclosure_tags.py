"""Template helpers of module disclosure: safe body text and period labels."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from zhijia.disclosure import text
from zhijia.disclosure.models import period_label

register = template.Library()


@register.filter
def disclosure_text(value: str) -> str:
    # render_text escapes every character of the input before adding its own few tags.
    return mark_safe(text.render_text(value or ""))  # noqa: S308


@register.filter
def period(value: str) -> str:
    return period_label(value or "")


@register.filter
def table_rows(value: str) -> list[list[str]]:
    try:
        return text.parse_table(value or "")
    except text.TableError:
        return []
