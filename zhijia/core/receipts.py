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

Rate limit (zhijia.core.throttle; counters shared by all processes, kept across restarts;
the client is core.throttle.client_address, the trusted proxy header when configured):

    check_rate_limit(request, scope)       # only THIS client's own count can refuse it
    found = lookup(typed)                  # the code is checked before anyone else's failures
    if found is None: register_failure(request, scope)

- Per client: after settings.ZHIJIA_RECEIPT_FAILURES wrong codes in a window of
  ZHIJIA_RECEIPT_WINDOW_SECONDS, that client is refused (429 with Retry-After) until the
  window ends, right codes included, so the limit cannot be probed.
- Per code tried (`code=`, a keyed digest): after ZHIJIA_RECEIPT_CODE_FAILURES wrong tries of
  the same code from any clients, that code is refused until the window ends. It matters where
  a code has a second factor (joining: the code and the phone's last four digits): the 10,000
  phone endings of a known code cannot be walked from many addresses. A single-factor code
  that is right never fails, so this count never refuses it.
- For everyone: no global lockout. A global lock (as before) let anybody shut the channel
  for everybody with 200 wrong codes, right codes from fresh clients included. What protects
  the code against a guessing run spread over many addresses is its size: 80 bits, 1.2e24
  codes. With a million live codes, one guess hits one with probability 8e-19; a botnet of a
  million addresses at 10 wrong codes per 15 minutes each makes 3.5e11 guesses a year, a chance
  of 3e-7 a year of hitting any code at all. On top of that, when all clients together have
  typed ZHIJIA_RECEIPT_GLOBAL_FAILURES wrong codes in a window the scope is "under attack": a
  warning is logged and each client's allowance drops to ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK,
  which slows the run down fivefold while a right code from a client that has not failed (or
  failed less than that) still answers. The brake only ever weighs on wrong answers.
- A right code writes nothing anywhere.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from zhijia.core import crypto, throttle

logger = logging.getLogger(__name__)

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
    "under_attack",
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


class RateLimited(throttle.Throttled):
    """Too many wrong codes from this client (or for this code); `message` is for the user,
    `retry_after` in seconds (for a Retry-After header). A core.throttle.Throttled, so an
    ActionRefused with `status` 429: the API answers it with Retry-After when it propagates."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after, _("收据码错误次数过多，请 %(minutes)d 分钟后再试"))


def _window() -> int:
    return settings.ZHIJIA_RECEIPT_WINDOW_SECONDS


def _scope(scope: str) -> str:
    return f"receipt:{scope}"


def _code_key(scope: str, code: str) -> str:
    # The canonical form when the code can be one, so "7k3m q9xd ..." and "7K3M-Q9XD-..." are
    # the same try; the typed text otherwise (still only as a digest).
    return throttle.value_key(_scope(scope), normalize_receipt(code) or str(code)[:64])


def under_attack(scope: str) -> bool:
    """Have all clients together typed ZHIJIA_RECEIPT_GLOBAL_FAILURES wrong codes in `scope`
    in the current window?"""
    everyone = throttle.everyone_key(_scope(scope))
    return throttle.count(everyone) >= settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES


def _client_limit(scope: str) -> int:
    if under_attack(scope):
        return min(settings.ZHIJIA_RECEIPT_FAILURES, settings.ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK)
    return settings.ZHIJIA_RECEIPT_FAILURES


def check_rate_limit(request, scope: str, code: str | None = None) -> None:
    """Before a lookup: raise RateLimited when THIS client has used up its wrong codes of the
    window in `scope` (its own allowance, smaller while the scope is under attack), or, when
    `code` is given, when that code has been tried wrongly ZHIJIA_RECEIPT_CODE_FAILURES times
    (a code with a second factor: joining's code and phone ending). Other clients' failures
    never refuse this one (see the module docstring)."""
    window = _window()
    mine = throttle.client_key(request, _scope(scope))
    wait = throttle.blocked(mine, limit=_client_limit(scope), seconds=window)
    if not wait and code is not None:
        wait = throttle.blocked(
            _code_key(scope, code), limit=settings.ZHIJIA_RECEIPT_CODE_FAILURES, seconds=window
        )
    if wait:
        raise RateLimited(wait)


def register_failure(request, scope: str, code: str | None = None) -> int:
    """Count one wrong code: for this client, for everyone in `scope` and, when given, for
    `code`; returns this client's count in the window."""
    window = _window()
    everyone = throttle.everyone_key(_scope(scope))
    if throttle.hit(everyone, seconds=window) == settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES:
        logger.warning(
            "receipt codes of %s: %d wrong codes from all clients in %d s; each client is now "
            "allowed %d a window",
            scope,
            settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES,
            window,
            settings.ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK,
        )
    if code is not None:
        throttle.hit(_code_key(scope, code), seconds=window)
    return throttle.hit(throttle.client_key(request, _scope(scope)), seconds=window)


def reset_failures(request, scope: str) -> None:
    """Forget this client's wrong codes in `scope` (tests, an administrator's unblock).
    Deliberately not called on a right code: one valid code must not buy unlimited guesses."""
    throttle.reset(throttle.client_key(request, _scope(scope)))
