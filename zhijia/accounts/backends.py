"""Sign-in with a username, a 工号 or a phone number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from zhijia.accounts.models import User


def find_user(identifier: str) -> User | None:
    """The account an identifier names: username, the member's 工号, or the member's phone."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    matches = list(
        User.objects.filter(
            Q(username=identifier)
            | Q(member_record__employee_no=identifier)
            | Q(member_record__phone=identifier)
        ).distinct()[:2]
    )
    # A phone shared by two records identifies nobody; refuse rather than guess.
    return matches[0] if len(matches) == 1 else None


def axes_username(request, credentials) -> str:
    """Key lockouts on the account, whichever identifier was typed, so 工号 and phone share it."""
    identifier = (credentials or {}).get("username", "") if credentials else ""
    if not identifier and request is not None:
        identifier = request.POST.get("username", "")
    user = find_user(identifier)
    return user.username if user else (identifier or "").strip()


class LoginBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username or "")
        if user is None or password is None:
            User().set_password(password or "")  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
