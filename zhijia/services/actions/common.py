"""Helpers every subject's actions of module services share: a free-text field checked the same
way everywhere, and a moment written the way the notifications write it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.errors import ActionRefused


def text_field(
    value: str,
    field: str,
    label: str,
    max_length: int,
    *,
    required: bool = True,
    error: type[ActionRefused] = ActionRefused,
) -> str:
    """The stripped text; `error` (the subject's refusal) names the field when it is missing
    or longer than `max_length` characters."""
    text = (value or "").strip()
    if required and not text:
        raise error(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > max_length:
        raise error(
            _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}, field=field
        )
    return text


def when_label(moment: dt.datetime) -> str:
    """ "5月8日 14:30" in the local time."""
    local = timezone.localtime(moment)
    return _("%(month)d月%(day)d日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }
