"""Account lockout (django-axes) seen from zhijia: when it ends and how we say so.

    until = lockout_until("branch1")          # aware datetime, or None when not locked
    lockout_message(until)                    # "…请于 14:35 后再试。" in Asia/Shanghai time

Lockouts are keyed on the account (AXES_LOCKOUT_PARAMETERS = ["username"] with
`backends.axes_username` mapping 工号 and phone to the username), never on the address alone.
"""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from zhijia.accounts.backends import axes_username
from zhijia.accounts.rules import ceil_to_minute, lockout_end


def lockout_until(username: str, *, request=None, credentials=None, now: datetime | None = None):
    """The moment the account's lockout ends, or None when it is not locked."""
    cooloff = get_cool_off(request)
    if not username or cooloff is None:
        return None
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - cooloff
    ).values_list("attempt_time", "failures_since_start")
    limit = get_failure_limit(request, credentials)
    until = lockout_end(rows, limit=limit, cooloff=cooloff)
    return until if until is not None and until > now else None


def format_retry_time(until: datetime, *, now: datetime | None = None) -> str:
    """The local time (TIME_ZONE, Asia/Shanghai) to show: "14:35", or "3月5日 00:10" another day."""
    local = timezone.localtime(ceil_to_minute(until))
    today = timezone.localtime(now or timezone.now()).date()
    if local.date() == today:
        return dateformat.format(local, "H:i")
    # Translators: a PHP-style date format (Django's `date` filter) for another day's time.
    return dateformat.format(local, _("n月j日 H:i"))


def lockout_message(until: datetime | None, *, now: datetime | None = None) -> str:
    """The sentence shown on the login page and in the API's 429 answer."""
    if until is None:
        return _("登录失败次数过多，账号已暂时锁定，请稍后再试。")
    return _("登录失败次数过多，账号已暂时锁定。请于 %(time)s 后再试。") % {
        "time": format_retry_time(until, now=now)
    }


def lockout_message_for_request(request, credentials=None) -> tuple[str, datetime | None]:
    """Message and end of the lockout that axes just applied to this request's account."""
    credentials = credentials or getattr(request, "axes_credentials", None)
    username = axes_username(request, credentials)
    until = lockout_until(username, request=request, credentials=credentials)
    return lockout_message(until), until


def failures_left(request, credentials=None) -> int | None:
    """How many more failures this account may have before it is locked (after a failure)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(get_failure_limit(request, credentials) - failures, 0)
