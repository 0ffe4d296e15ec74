"""Receipt codes: how an anonymous author follows up on what they wrote.

An anonymous grievance or counseling question stores no user, so the author is handed a random
code, once, and comes back with it. The record keeps only a keyed digest of the code:

    code = new_receipt_code()                    # "7K3M-Q9XD-2HVB-WT6R", shown once
    record.receipt_digest = receipt_digest(code)  # unique, indexed column

    # following up (the code travels in a POST body, never in a URL, so no access log has it)
    check_rate_limit(request, "cases.grievance")        # raises RateLimited (429) when blocked
    found = Model.objects.filter(receipt_digest=receipt_digest(typed)).first()
    if found is None:
        register_failure(request, "cases.grievance")
        ...  # one message for "malformed" and "unknown": a wrong code gives nothing away

The code: 16 symbols of Crockford's base 32 (0-9 and A-Z without I, L, O, U), 80 random bits
from `secrets`, shown in four groups of four. Reading it back forgives what people do when they
copy a code by hand or on a phone: lower case, spaces, hyphens, full-width characters, O for 0,
I or L for 1 (`normalize_receipt`).

The digest is an HMAC-SHA256 under a key derived for this purpose from the field-encryption
keys (zhijia.core.crypto, purpose "receipt"): a database dump alone cannot test guesses, and an
80-bit code is out of reach of guessing online, which the rate limit slows down further.

Rate limit (zhijia.core.throttle): wrong codes are counted per scope and per client address
(kept in the cache only as a keyed digest, never as the address itself) in a fixed window;
after settings.ZHIJIA_RECEIPT_FAILURES wrong codes in settings.ZHIJIA_RECEIPT_WINDOW_SECONDS
every further attempt from that address is refused until the window ends, right codes
included, so the limit cannot be probed. All addresses together are held to
settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES wrong codes per window and scope, so a guessing run
spread over many addresses stops too. A right code writes nothing anywhere.
"""

from __future__ import annotations

import hmac
import math
import secrets
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from zhijia.core import crypto, throttle

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "RateLimited",
    "check_rate_limit",
    "format_receipt",
    "new_receipt_code",
    "normalize_receipt",
    "receipt_digest",
    "register_failure",
    "reset_failures",
    "verify_receipt",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 16  # 16 symbols x 5 bits = 80 bits
GROUP = 4
_PURPOSE = "receipt"
# What people type instead of the symbol meant (Crockford's decoding rules).
_CONFUSABLE = {"O": "0", "I": "1", "L": "1"}
_SEPARATORS = frozenset(" -_.·—–\u3000\t\n\r")


def new_receipt_code() -> str:
    """A fresh random code in its display form, e.g. "7K3M-Q9XD-2HVB-WT6R"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_receipt(raw)


def format_receipt(code: str) -> str:
    """The display form of a code: groups of four joined by hyphens ("" when malformed)."""
    raw = normalize_receipt(code)
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalize_receipt(code: str) -> str:
    """The canonical form (16 upper-case symbols, no separators), or "" when `code` cannot be
    a receipt code (wrong length or a character outside the alphabet)."""
    text = unicodedata.normalize("NFKC", str(code or "")).upper()
    symbols = []
    for ch in text:
        if ch in _SEPARATORS:
            continue
        ch = _CONFUSABLE.get(ch, ch)
        if ch not in ALPHABET:
            return ""
        symbols.append(ch)
    if len(symbols) != CODE_LENGTH:
        return ""
    return "".join(symbols)


def receipt_digest(code: str) -> str:
    """The keyed digest stored in place of the code ("" for a malformed code, which matches
    no stored digest: store digests of codes from new_receipt_code only)."""
    raw = normalize_receipt(code)
    if not raw:
        return ""
    return crypto.digest(raw, purpose=_PURPOSE)


def verify_receipt(code: str, digest: str) -> bool:
    """Does `code` belong to the stored `digest`? (Constant-time comparison.)"""
    candidate = receipt_digest(code)
    return bool(candidate and digest) and hmac.compare_digest(candidate, digest)


# --- rate limit ----------------------------------------------------------------------------------


class RateLimited(Exception):  # noqa: N818 - it is an outcome the caller shows
    """Too many wrong codes from this client; `message` is for the user, `retry_after` in
    seconds (for a Retry-After header). API endpoints answer with `status` (429)."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        minutes = max(1, math.ceil(self.retry_after / 60))
        self.message = _("收据码错误次数过多，请 %(minutes)d 分钟后再试") % {"minutes": minutes}
        super().__init__(self.message)


def _limit() -> int:
    return settings.ZHIJIA_RECEIPT_FAILURES


def _global_limit() -> int:
    return settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES


def _window() -> int:
    return settings.ZHIJIA_RECEIPT_WINDOW_SECONDS


def _keys(request, scope: str) -> tuple[str, str]:
    return throttle.client_key(request, f"receipt:{scope}"), throttle.everyone_key(
        f"receipt:{scope}"
    )


def check_rate_limit(request, scope: str) -> None:
    """Raise RateLimited when this client, or everyone together, has used up the wrong codes
    of the current window for `scope`."""
    mine, everyone = _keys(request, scope)
    window = _window()
    wait = throttle.blocked(mine, limit=_limit(), seconds=window) or throttle.blocked(
        everyone, limit=_global_limit(), seconds=window
    )
    if wait:
        raise RateLimited(wait)


def register_failure(request, scope: str) -> int:
    """Count one wrong code for this client (and for everyone) in `scope`; returns this
    client's count in the window."""
    mine, everyone = _keys(request, scope)
    window = _window()
    throttle.hit(everyone, seconds=window)
    return throttle.hit(mine, seconds=window)


def reset_failures(request, scope: str) -> None:
    """Forget this client's wrong codes in `scope` (tests, an administrator's unblock).
    Deliberately not called on a right code: one valid code must not buy unlimited guesses."""
    throttle.reset(_keys(request, scope)[0])
