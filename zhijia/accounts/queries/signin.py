"""Reads of module accounts."""

from __future__ import annotations

import functools

from django.utils import timezone

from zhijia.accounts.models import ApiToken, User

# last_used_at is refreshed at most this often, so a busy client doesn't write on every call.
TOKEN_TOUCH_SECONDS = 300


def user_for_api_token(token: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    row = (
        ApiToken.objects.select_related("user__member_record__org_unit")
        .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user = row.user
    # As django_otp's middleware marks a session: codes that need the second factor
    # (zhijia.core.permissions) are held only through a token exchanged with one.
    user.is_verified = functools.partial(bool, row.two_factor)  # type: ignore[attr-defined]
    return user


def user_by_id(user_id) -> User | None:
    """The account with this id (with its member record), or None."""
    if not isinstance(user_id, int):
        return None
    return User.objects.select_related("member_record__org_unit").filter(pk=user_id).first()


# --- activation (cadre pages) ------------------------------------------------------------------

MANAGE_ACTIVATION = "accounts.manage_activation"
