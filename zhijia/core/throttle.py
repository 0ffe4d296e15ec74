"""The one brake: fixed-window counters shared by all processes, per client, per code tried or
for everyone.

    throttle.count_submission(request, "org.join", limit=20, seconds=3600)   # raises Throttled
    key = throttle.client_key(request, "cases.grievance")                    # an address, hidden
    throttle.hit(key, seconds=900); throttle.blocked(key, limit=10, seconds=900)
    throttle.client_address(request)       # "203.0.113.7": the one answer to "who is this?"

Used by the receipt-code limit (zhijia.core.receipts), the public submission brakes (the
joining page), the activation codes and the sign-in lockout (django-axes reads
`client_address` through AXES_CLIENT_IP_CALLABLE): every brake asks the same function who the
client is.

The client address. Without configuration it is REMOTE_ADDR. Behind a reverse proxy REMOTE_ADDR
is the proxy's, so every visitor would share one counter; set ZHIJIA_TRUSTED_PROXY_HEADER
(e.g. "X-Forwarded-For" or "X-Real-IP") and ZHIJIA_TRUSTED_PROXY_HOPS (how many proxies of
ours append to that header, 1 for a single nginx): the address is then the entry that many
places from the right, the last one a proxy we trust wrote. Entries further left are written
by the client and never believed. An IPv6 client counts as its /64 (one subscriber's network:
an attacker has a whole /64 for free); an IPv4-mapped IPv6 address as its IPv4 address.

A client address is kept only as a keyed digest (zhijia.core.crypto), never as the address
itself. A window starts with its first hit and ends `seconds` later, when its counter expires.

Where the counters live: settings.ZHIJIA_RECEIPT_CACHE. By default "database": the table of
core.ThrottleWindow, in the application's own database, so they hold across worker processes,
app servers and restarts (a per-process memory cache multiplies a limit by the number of
workers and forgets it on every restart) and need nothing more than `migrate` (make test, make
demo and the zhijia CLI all run it). Not Django's DatabaseCache: its incr() is a read followed
by a write, so concurrent requests (which is how a guessing run arrives) lose hits, and it
resets the entry's expiry on every incr. Here a hit is UPDATE ... SET count = count + 1 inside
a transaction: PostgreSQL's row lock and SQLite's write lock serialise them. Any other value
names a CACHES alias whose incr() is atomic and keeps the expiry (Redis; LocMem for a single
process in development).
"""

from __future__ import annotations

import ipaddress
import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import crypto
from zhijia.core.errors import ActionRefused
from zhijia.core.models import ThrottleWindow

_PURPOSE = "throttle"


class Throttled(ActionRefused):
    """Too many submissions: 429, with `retry_after` in seconds (for a Retry-After header:
    the API adds it from this attribute, pages set it themselves)."""

    status = 429

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        minutes = max(1, math.ceil(self.retry_after / 60))
        text = message or _("提交过于频繁，请 %(minutes)d 分钟后再试")
        super().__init__(text % {"minutes": minutes}, status=429)


def _cache():
    return caches[settings.ZHIJIA_RECEIPT_CACHE]


def _parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header entry: "203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443"."""
    text = text.strip().strip('"')
    if text.startswith("["):  # [v6]:port (RFC 7239 style)
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _canonical(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)


def client_address(request) -> str:
    """The client's address as far as we can trust it (see the module docstring): the entry
    ZHIJIA_TRUSTED_PROXY_HOPS from the right of ZHIJIA_TRUSTED_PROXY_HEADER when that header is
    configured and holds that many entries, else REMOTE_ADDR. IPv6 as its /64's first address.
    "unknown" when there is nothing usable (all such requests then share one counter)."""
    meta = request.META
    header = settings.ZHIJIA_TRUSTED_PROXY_HEADER
    if header:
        name = "HTTP_" + header.upper().replace("-", "_")
        entries = [e for e in str(meta.get(name, "")).split(",") if e.strip()]
        hops = max(1, int(settings.ZHIJIA_TRUSTED_PROXY_HOPS))
        if len(entries) >= hops:
            address = _parse_address(entries[-hops])
            if address is not None:
                return _canonical(address)
    address = _parse_address(str(meta.get("REMOTE_ADDR") or ""))
    return _canonical(address) if address is not None else "unknown"


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: django-axes keys its per-client lockout on `client_address`."""
    address = client_address(request)
    return None if address == "unknown" else address


def client_key(request, scope: str) -> str:
    """The counter key of this client's address in `scope` (a keyed digest of the address)."""
    who = crypto.digest(f"{scope}|{client_address(request)}", purpose=_PURPOSE)[:32]
    return f"zhijia:throttle:{scope}:{who}"


def value_key(scope: str, value: str) -> str:
    """The counter key of a typed value (a receipt code tried, an account name) in `scope`:
    a keyed digest, so the cache holds no code that was typed."""
    what = crypto.digest(f"{scope}|{value}", purpose=_PURPOSE)[:32]
    return f"zhijia:throttle:{scope}:v:{what}"


def everyone_key(scope: str) -> str:
    """The counter key of all clients together in `scope`."""
    return f"zhijia:throttle:{scope}:all"


def _table() -> bool:
    return settings.ZHIJIA_RECEIPT_CACHE == "database"


def count(key: str) -> int:
    """Events under `key` in its current window (0 when none)."""
    if _table():
        row = (
            ThrottleWindow.objects.filter(key=key, until__gt=timezone.now())
            .values_list("count", flat=True)
            .first()
        )
        return int(row or 0)
    return int(_cache().get(key, 0))


def hit(key: str, *, seconds: int) -> int:
    """Count one event under `key`; returns the count in the current window."""
    if _table():
        return _hit_table(key, seconds)
    cache = _cache()
    if cache.add(key, 0, timeout=seconds):
        cache.set(f"{key}:until", time.time() + seconds, timeout=seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        cache.set(f"{key}:until", time.time() + seconds, timeout=seconds)
        return 1


def _hit_table(key: str, seconds: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        live = ThrottleWindow.objects.filter(key=key, until__gt=now)
        if not live.update(count=F("count") + 1):
            # A new window: expired rows (this key's included) go first.
            ThrottleWindow.objects.filter(until__lte=now).delete()
            try:
                with transaction.atomic():
                    ThrottleWindow.objects.create(
                        key=key, count=1, until=now + timedelta(seconds=seconds)
                    )
                return 1
            except IntegrityError:  # another request opened it a moment ago
                live.update(count=F("count") + 1)
        return int(live.values_list("count", flat=True).first() or 1)


def retry_after(key: str, *, seconds: int) -> int:
    """Seconds until the window of `key` ends (the whole window when unknown)."""
    if _table():
        until_at = ThrottleWindow.objects.filter(key=key).values_list("until", flat=True).first()
        left = (until_at - timezone.now()).total_seconds() if until_at else seconds
        return max(1, math.ceil(left))
    until = _cache().get(f"{key}:until") or time.time() + seconds
    return max(1, math.ceil(until - time.time()))


def blocked(key: str, *, limit: int, seconds: int) -> int | None:
    """None while `key` is under `limit` in its window, else the seconds left to wait."""
    if count(key) >= limit:
        return retry_after(key, seconds=seconds)
    return None


def reset(*keys: str) -> None:
    if _table():
        ThrottleWindow.objects.filter(key__in=keys).delete()
        return
    _cache().delete_many([k for key in keys for k in (key, f"{key}:until")])


def count_submission(request, scope: str, *, limit: int, seconds: int) -> None:
    """Count one submission from this client in `scope`; past `limit` in the window, raise
    Throttled (the submission is refused before it reaches the action)."""
    key = client_key(request, scope)
    if hit(key, seconds=seconds) > limit:
        raise Throttled(retry_after(key, seconds=seconds))
