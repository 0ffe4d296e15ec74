"""Sign-in with a username, a 工号 or a phone number."""

from __future__ import annotations

import re
import unicodedata

from django.contrib.auth.backends import ModelBackend

from zhijia.accounts.models import User
from zhijia.accounts.queries.signin import user_by_id

_PHONE_NOISE = re.compile(r"[\s\-()]")


def normalise_identifier(identifier: str | None) -> str:
    """Full-width letters and digits to ASCII (NFKC), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", identifier or "").strip()


def _phone_form(identifier: str) -> str | None:
    """The phone number an identifier may be: "+86 139-0000-0001" -> "13900000001"."""
    digits = _PHONE_NOISE.sub("", identifier)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits if digits.isdigit() and len(digits) >= 7 else None


def find_user(identifier: str | None) -> User | None:
    """The account an identifier names: its username, else its member's 工号, else its phone.

    The first kind that matches decides, so a username is never shadowed by somebody's 工号.
    A 工号 is matched without regard to case; a phone shared by two members names nobody.
    """
    identifier = normalise_identifier(identifier)
    if not identifier:
        return None
    users = User.objects.select_related("member_record")
    user = users.filter(username=identifier).first()
    if user is not None:
        return user
    matches = list(users.filter(member_record__employee_no__iexact=identifier)[:2])
    if len(matches) == 1:
        return matches[0]
    phone = _phone_form(identifier)
    if phone:
        matches = list(users.filter(member_record__phone=phone)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def axes_username(request, credentials) -> str:
    """Key lockouts on the account, whichever identifier was typed, so 工号 and phone share it.

    An identifier that names no account is keyed as typed (normalised): failures against
    unknown names are counted and locked exactly like real ones, which reveals nothing.
    """
    identifier = (credentials or {}).get("username") or ""
    if not identifier and request is not None:
        identifier = request.POST.get("username", "")
    # axes asks several times per attempt; look the account up once per request.
    cache = getattr(request, "_zhijia_axes_usernames", None) if request is not None else None
    if cache is not None and identifier in cache:
        return cache[identifier]
    user = find_user(identifier)
    username = user.username if user else normalise_identifier(identifier)
    if request is not None:
        if cache is None:
            cache = {}
            request._zhijia_axes_usernames = cache
        cache[identifier] = username
    return username


class LoginBackend(ModelBackend):
    """Checks the password of the account that `find_user` names.

    Listed after axes' backend, which refuses locked accounts before this one runs.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username)
        if user is None or password is None:
            User().set_password(password or "")  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request, with its member record (or its absence) loaded in
        the same query: nearly every page asks whether she is a member."""
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
