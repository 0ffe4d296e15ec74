"""Idle session timeout by role, and the two-factor step after the password."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from zhijia.accounts import twofactor
from zhijia.accounts.rules import idle_minutes

LAST_SEEN_KEY = "zhijia_last_seen"
IDLE_LOGOUT_KEY = "zhijia_idle_logout"
# The last-seen stamp is rewritten at most this often, so reading pages costs no session write
# on every request (SQLite and PostgreSQL both thank us).
TOUCH_INTERVAL_SECONDS = 60


def idle_minutes_for(user) -> int:
    """Minutes of inactivity allowed: the shortest limit among the user's roles.

    settings.ZHIJIA_IDLE_MINUTES maps roles to minutes (admin 15, cadre 30 by default); roles
    without an entry use the "member" limit.
    """
    return idle_minutes(user.role_codes, settings.ZHIJIA_IDLE_MINUTES, default_key="member")


def _redirect(request, url: str):
    """A redirect that also works for htmx requests (which would swap the login page in)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"


class IdleTimeoutMiddleware:
    """Signs out a session idle longer than its user's limit; the login page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.ZHIJIA_ANONYMOUS_PATHS)):
            # Anonymous channels: do not write the visitor's session at the moment they write
            # anonymously (the stamp would date their visit next to the anonymous record).
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > idle_minutes_for(user) * 60:
                logout(request)
                request.session[IDLE_LOGOUT_KEY] = True
                return _redirect(request, _with_next("accounts:login", request))
            if last is None or now - last >= TOUCH_INTERVAL_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """After the password, an account with a device must enter a code before any other page;
    roles in ZHIJIA_REQUIRE_2FA_ROLES without a device must first enrol one."""

    OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/favicon.ico")
    OPEN_URL_NAMES = (
        "accounts:login",
        "accounts:logout",
        "accounts:two-factor",
        "accounts:two-factor-setup",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def _is_open(self, path: str) -> bool:
        if path.startswith(self.OPEN_PREFIXES):
            return True
        return path in {reverse(name) for name in self.OPEN_URL_NAMES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._is_open(request.path):
            step = twofactor.pending_step(user)
            if step == twofactor.VERIFY:
                return _redirect(request, _with_next("accounts:two-factor", request))
            if step == twofactor.SETUP:
                return _redirect(request, _with_next("accounts:two-factor-setup", request))
        return self.get_response(request)
