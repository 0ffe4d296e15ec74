"""Account lockout (django-axes) seen from zhijia: who is locked, until when, and how we say so.

    until = lockout_until("branch1", request=request)  # aware datetime, or None when not locked
    lockout_message(until)                    # "…请于 14:35 后再试。" in Asia/Shanghai time

The rules (docs/security.md, "Sign-in lockout"), so that nobody can lock the chair out from
outside while 5 failures still lock (等保):

1. Per account AND client: 5 failures (AXES_FAILURE_LIMIT) of one account from one client
   address (core.throttle.client_address, the trusted proxy header included) lock that account
   for that client for 30 minutes (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]).
   Other clients, the owner's included, are not affected.
2. Per account, from all clients together: ZHIJIA_LOCKOUT_ACCOUNT_FAILURES (50) failures in the
   cool-off window lock the account for every client without a trusted-device cookie: the
   brake on a guessing run spread over many addresses.
3. A trusted device: every successful password sign-in leaves a signed cookie on the browser
   (`zhijia_device`, 180 days, HttpOnly) naming the account and a random device id. A request
   that carries it for the account being signed into is judged by that device's own failures
   only (5 lock the device): neither rules 1 nor 2 apply to it. So the owner gets in from her
   own browser while an attacker hammers her account from anywhere, the same factory NAT
   address included. An attacker cannot forge the cookie (signed with SECRET_KEY) and one he
   steals from a browser gives him 5 tries per 30 minutes, no more.
4. An administrator can lift any lockout (actions.accounts.do_unlock_account, audited).

Lockout records are django-axes' AccessAttempt rows (one per account, address and browser);
failures of unknown identifiers are counted and locked exactly like real ones.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from zhijia.accounts.backends import axes_username
from zhijia.accounts.rules import ceil_to_minute, lockout_end
from zhijia.core import throttle

DEVICE_COOKIE = "zhijia_device"
DEVICE_COOKIE_DAYS = 180
_DEVICE_SALT = "zhijia.accounts.device"


# --- trusted devices ------------------------------------------------------------------------


def set_device_cookie(response, request, username: str) -> None:
    """After a successful password sign-in: mark this browser as a device of `username` (kept
    when it already is one, so its own failure count follows it)."""
    device = trusted_device(request, username) or secrets.token_urlsafe(16)
    value = signing.dumps({"u": username, "d": device}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def trusted_device(request, username: str | None) -> str | None:
    """The device id of the request's trusted-device cookie when it names `username`."""
    if request is None or not username:
        return None
    value = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username or not data.get("d"):
        return None
    return str(data["d"])


def _device_key(device: str) -> str:
    return throttle.value_key("login.device", device)


def _cooloff_seconds(request=None) -> int:
    cooloff = get_cool_off(request)
    return int(cooloff.total_seconds()) if cooloff else 30 * 60


def account_failures(username: str, request) -> int:
    """Failures of `username` from all clients within the cool-off window."""
    rows = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    )
    return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with zhijia's rules 2 and 3 (rule 1 is axes' own with
    AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]). AXES_HANDLER names it."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        device = trusted_device(request, username)
        if device is not None:
            return throttle.count(_device_key(device))
        mine = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        account_limit = settings.ZHIJIA_LOCKOUT_ACCOUNT_FAILURES
        if mine < limit and username and account_failures(username, request) >= account_limit:
            return limit
        return mine

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and not getattr(request, "axes_locked_out", False):
            device = trusted_device(request, get_client_username(request, credentials))
            if device is not None:
                throttle.hit(_device_key(device), seconds=_cooloff_seconds(request))
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success through a trusted device clears that device's count only (user_logged_in):
        # the address it came from may be shared with an attacker (one factory NAT) whose lock
        # the owner's success must not lift.
        if trusted_device(request, get_client_username(request, credentials)) is not None:
            return 0
        return super().reset_user_attempts(request, credentials)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        device = trusted_device(request, user.get_username())
        if device is not None:
            throttle.reset(_device_key(device))


# --- until when -----------------------------------------------------------------------------


def _client_ip(request) -> str | None:
    ip = getattr(request, "axes_ip_address", None)
    return ip if ip is not None else throttle.axes_client_ip(request)


def lockout_until(username: str, *, request=None, credentials=None, now: datetime | None = None):
    """The moment the lockout that applies ends, or None when there is none.

    With a request: the lockout of that client (its device, or its address and the account-wide
    one). Without: the latest end among every client's lockout of the account and the
    account-wide one (what an administrator sees)."""
    cooloff = get_cool_off(request)
    if not username or cooloff is None:
        return None
    now = now or timezone.now()
    limit = get_failure_limit(request, credentials)
    device = trusted_device(request, username)
    if device is not None:
        key = _device_key(device)
        if throttle.count(key) < limit:
            return None
        return now + timedelta(seconds=throttle.retry_after(key, seconds=0))
    rows = list(
        AccessAttempt.objects.filter(
            username=username, attempt_time__gte=now - cooloff
        ).values_list("ip_address", "attempt_time", "failures_since_start")
    )
    ends = [
        lockout_end(
            [(at, n) for _, at, n in rows],
            limit=settings.ZHIJIA_LOCKOUT_ACCOUNT_FAILURES,
            cooloff=cooloff,
        )
    ]
    addresses = {ip for ip, _, _ in rows} if request is None else {_client_ip(request)}
    for address in addresses:
        mine = [(at, n) for ip, at, n in rows if ip == address]
        ends.append(lockout_end(mine, limit=limit, cooloff=cooloff))
    live = [end for end in ends if end is not None and end > now]
    return max(live) if live else None


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
