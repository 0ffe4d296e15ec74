"""The one brake: fixed-window counters in Django's cache, per client address or for everyone.

    throttle.count_submission(request, "org.join", limit=20, seconds=3600)   # raises Throttled
    key = throttle.client_key(request, "cases.grievance")                    # an address, hidden
    throttle.hit(key, seconds=900); throttle.blocked(key, limit=10, seconds=900)

Used by the receipt-code limit (zhijia.core.receipts: wrong codes per address and for all
addresses together) and by the public submission brakes (the joining page). A client address
is kept only as a keyed digest (zhijia.core.crypto), never as the address itself. A window
starts with its first hit and ends `seconds` later, when its counter expires. The counters
live in settings.ZHIJIA_RECEIPT_CACHE ("default"): with several app servers, configure a
shared cache (database or Redis) so they count together.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _

from zhijia.core import crypto
from zhijia.core.errors import ActionRefused

_PURPOSE = "throttle"


class Throttled(ActionRefused):
    """Too many submissions: 429, with `retry_after` in seconds (for a Retry-After header)."""

    status = 429

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        minutes = max(1, math.ceil(self.retry_after / 60))
        text = message or _("提交过于频繁，请 %(minutes)d 分钟后再试")
        super().__init__(text % {"minutes": minutes}, status=429)


def _cache():
    return caches[settings.ZHIJIA_RECEIPT_CACHE]


def client_key(request, scope: str) -> str:
    """The counter key of this client's address in `scope` (a keyed digest of the address)."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    who = crypto.digest(f"{scope}|{address}", purpose=_PURPOSE)[:32]
    return f"zhijia:throttle:{scope}:{who}"


def everyone_key(scope: str) -> str:
    """The counter key of all clients together in `scope`."""
    return f"zhijia:throttle:{scope}:all"


def count(key: str) -> int:
    return int(_cache().get(key, 0))


def hit(key: str, *, seconds: int) -> int:
    """Count one event under `key`; returns the count in the current window."""
    cache = _cache()
    if cache.add(key, 0, timeout=seconds):
        cache.set(f"{key}:until", time.time() + seconds, timeout=seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        cache.set(f"{key}:until", time.time() + seconds, timeout=seconds)
        return 1


def retry_after(key: str, *, seconds: int) -> int:
    """Seconds until the window of `key` ends (the whole window when unknown)."""
    until = _cache().get(f"{key}:until") or time.time() + seconds
    return max(1, math.ceil(until - time.time()))


def blocked(key: str, *, limit: int, seconds: int) -> int | None:
    """None while `key` is under `limit` in its window, else the seconds left to wait."""
    if count(key) >= limit:
        return retry_after(key, seconds=seconds)
    return None


def reset(*keys: str) -> None:
    _cache().delete_many([k for key in keys for k in (key, f"{key}:until")])


def count_submission(request, scope: str, *, limit: int, seconds: int) -> None:
    """Count one submission from this client in `scope`; past `limit` in the window, raise
    Throttled (the submission is refused before it reaches the action)."""
    key = client_key(request, scope)
    if hit(key, seconds=seconds) > limit:
        raise Throttled(retry_after(key, seconds=seconds))
