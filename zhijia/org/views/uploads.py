"""Uploads kept for a cadre's confirmation, and old files dropped: the roster import and the
payroll deduction import show what a file would do, keep the file and act on it only when the
cadre confirms.

The file is kept encrypted (it holds personal data) under the data directory's storage, in a
folder per user, for at most PENDING_KEEP_SECONDS; the token that names it is random and taken
once (the file is deleted when read). `kind` keeps one import's token from confirming another's.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from typing import Any

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from zhijia.core import crypto

PENDING_DIR = "import-pending"
PENDING_KEEP_SECONDS = 3600
_PURPOSE = "org-import-pending"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def drop_old(folder: str, keep_seconds: int) -> None:
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for name in files:
        path = f"{folder}/{name}"
        if time.time() - default_storage.get_modified_time(path).timestamp() > keep_seconds:
            default_storage.delete(path)


def _pending_name(user, token: str) -> str:
    return f"{PENDING_DIR}/{user.pk}/{token}.bin"


def keep_pending(user, data: bytes, filename: str, *, kind: str, **extra: Any) -> str:
    """Keep an upload (encrypted) with what the confirmation needs (`extra`, JSON values);
    returns the token that names it."""
    drop_old(f"{PENDING_DIR}/{user.pk}", PENDING_KEEP_SECONDS)
    payload = json.dumps(
        {"kind": kind, "filename": filename, **extra, "data": base64.b64encode(data).decode()}
    )
    token = secrets.token_urlsafe(18)
    name = _pending_name(user, token)
    default_storage.save(name, ContentFile(crypto.encrypt(payload, purpose=_PURPOSE).encode()))
    return token


def take_pending(user, token: str, *, kind: str) -> dict | None:
    """The kept upload (removed from storage) as {"filename", "data" (bytes), extra...}, or
    None when unknown, expired or kept for another kind of import."""
    name = _pending_name(user, token)
    if not TOKEN.match(token) or not default_storage.exists(name):
        return None
    try:
        if time.time() - default_storage.get_modified_time(name).timestamp() > PENDING_KEEP_SECONDS:
            return None
        with default_storage.open(name, "rb") as fh:
            payload = json.loads(crypto.decrypt(fh.read().decode(), purpose=_PURPOSE))
    except InvalidToken:  # the keys changed meanwhile
        return None
    finally:
        default_storage.delete(name)
    if payload.get("kind", "roster") != kind:
        return None
    payload["data"] = base64.b64decode(payload["data"])
    return payload
