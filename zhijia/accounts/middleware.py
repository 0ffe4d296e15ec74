"""Idle session timeout by role, and the two-factor requirement for admins."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from zhijia.accounts.models import Role

_LAST_SEEN = "zhijia_last_seen"


def idle_minutes_for(user) -> int:
    roles = user.role_codes
    if Role.ADMIN in roles:
        return settings.ZHIJIA_IDLE_MINUTES["admin"]
    if Role.CADRE in roles:
        return settings.ZHIJIA_IDLE_MINUTES["cadre"]
    return settings.ZHIJIA_IDLE_MINUTES["member"]


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(_LAST_SEEN)
            if last is not None and now - last > idle_minutes_for(user) * 60:
                logout(request)
                request.session["zhijia_idle_logout"] = True
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Roles in ZHIJIA_REQUIRE_2FA_ROLES must verify a TOTP device before any other page."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and set(user.role_codes) & set(settings.ZHIJIA_REQUIRE_2FA_ROLES)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:two-factor')}?next={request.path}")
        return self.get_response(request)
