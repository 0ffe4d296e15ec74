"""Helpers every subject's actions of module services share: a free-text field checked the same
way everywhere (core.errors.text_field, re-exported), and a moment written the way the
notifications write it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.errors import text_field

__all__ = ["text_field", "when_label"]


def when_label(moment: dt.datetime) -> str:
    """ "5月8日 14:30" in the local time."""
    local = timezone.localtime(moment)
    return _("%(month)d月%(day)d日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }
