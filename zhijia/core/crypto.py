"""Field encryption for sensitive values (身份证号, later counseling notes).

Fernet (AES-128-CBC + HMAC-SHA256) with keys derived by HKDF from FIELD_ENCRYPTION_KEYS;
MultiFernet so a new key can be put first and old ciphertexts still decrypt. A separate HMAC
key gives a deterministic digest for uniqueness and exact lookup without decrypting.

`purpose` (optional, e.g. "counseling", "receipt") derives keys of their own for one kind of
data, so a ciphertext or digest made for one purpose never opens or matches under another
(a member's ID number cannot be fed to code that decrypts counseling notes, and vice versa).
Without it the keys are the original ones, so existing ciphertexts and digests stay valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )


def _info(base: bytes, purpose: str | None) -> bytes:
    return base if not purpose else base + b":" + purpose.encode()


@cache
def _fernet(purpose: str | None = None) -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    info = _info(b"zhijia-field-encryption", purpose)
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(k, info))) for k in keys])


@cache
def _digest_key(purpose: str | None = None) -> bytes:
    # The digest key follows the oldest key, so rotating encryption keys keeps digests stable.
    return _derive(settings.FIELD_ENCRYPTION_KEYS[-1], _info(b"zhijia-field-digest", purpose))


def encrypt(value: str, *, purpose: str | None = None) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode()


def decrypt(token: str, *, purpose: str | None = None) -> str:
    return _fernet(purpose).decrypt(token.encode()).decode()


def digest(value: str, *, purpose: str | None = None) -> str:
    return hmac.new(_digest_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(id_number: str) -> str:
    """1101**********1234: the first four and last four characters, the rest starred."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
