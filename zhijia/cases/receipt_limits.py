"""Rate limit of wrong receipt codes for the anonymous box: per client address (through
zhijia.core.receipts, which keeps the address only as a keyed digest, only for failures) and
for all clients together (settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES per window), so a spread-out
guessing run stops too. A right code writes nothing anywhere."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches

from zhijia.core import receipts
from zhijia.core.receipts import RateLimited

SCOPE = "cases.grievance"
_KEY = "zhijia:receipt:cases.grievance:all"

__all__ = ["RateLimited", "check_allowed", "register_wrong"]


def _cache():
    return caches[settings.ZHIJIA_RECEIPT_CACHE]


def _window() -> int:
    return settings.ZHIJIA_RECEIPT_WINDOW_SECONDS


def _global_limit() -> int:
    return settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES


def check_allowed(request) -> None:
    """Raise RateLimited (message in Chinese, retry_after in seconds) when this client, or
    everyone together, has used up the wrong codes of the current window."""
    receipts.check_rate_limit(request, SCOPE)
    data = _cache().get_many([_KEY, _KEY + ":until"])
    if data.get(_KEY, 0) >= _global_limit():
        until = data.get(_KEY + ":until") or time.time() + _window()
        raise RateLimited(math.ceil(until - time.time()))


def register_wrong(request) -> None:
    receipts.register_failure(request, SCOPE)
    cache = _cache()
    window = _window()
    if cache.add(_KEY, 0, timeout=window):
        cache.set(_KEY + ":until", time.time() + window, timeout=window)
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.set(_KEY, 1, timeout=window)
