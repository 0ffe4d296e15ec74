"""A brake on submissions from one client address (spam on the public joining page).

At most settings.ZHIJIA_JOIN_SUBMITS_PER_HOUR applications per address per hour reach the
action; the address is kept in the cache only as a keyed digest. Lookups of the status page
use the receipt-code limit of zhijia.core.receipts (wrong codes counted per address).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _

from zhijia.core import crypto
from zhijia.core.errors import ActionRefused

WINDOW_SECONDS = 3600
STATUS_SCOPE = "org.join"


class TooManySubmissions(ActionRefused):
    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        minutes = max(1, math.ceil(self.retry_after / 60))
        super().__init__(
            _("提交过于频繁，请 %(minutes)d 分钟后再试") % {"minutes": minutes}, status=429
        )


def _limit() -> int:
    return settings.ZHIJIA_JOIN_SUBMITS_PER_HOUR


def _cache():
    return caches[settings.ZHIJIA_RECEIPT_CACHE]


def _key(request) -> str:
    who = crypto.digest(
        f"join|{request.META.get('REMOTE_ADDR') or 'unknown'}", purpose="join-ratelimit"
    )
    return f"zhijia:join:{who[:32]}"


def count_submission(request) -> None:
    """Count one submission from this address; raise TooManySubmissions past the limit."""
    key = _key(request)
    cache = _cache()
    if cache.add(key, 0, timeout=WINDOW_SECONDS):
        cache.set(key + ":until", time.time() + WINDOW_SECONDS, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        cache.set(key + ":until", time.time() + WINDOW_SECONDS, timeout=WINDOW_SECONDS)
        count = 1
    if count > _limit():
        until = cache.get(key + ":until") or time.time() + WINDOW_SECONDS
        raise TooManySubmissions(math.ceil(until - time.time()))


def reset(request) -> None:
    _cache().delete_many([_key(request), _key(request) + ":until"])
