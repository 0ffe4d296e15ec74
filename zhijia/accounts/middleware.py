"""Idle session timeout by role, the two-factor step after the password, the password an
administrator set that must be replaced, and read-only sessions on the anonymous channels."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse

from zhijia.accounts import twofactor
from zhijia.accounts.rules import idle_minutes

LAST_SEEN_KEY = "zhijia_last_seen"
IDLE_LOGOUT_KEY = "zhijia_idle_logout"
# The last-seen stamp is rewritten at most this often, so reading pages costs no session write
# on every request (SQLite and PostgreSQL both thank us).
TOUCH_INTERVAL_SECONDS = 60


def is_anonymous_path(path: str) -> bool:
    """Is `path` one of settings.ZHIJIA_ANONYMOUS_PATHS (prefixes; an entry ending in "$" is
    matched exactly)?"""
    for entry in settings.ZHIJIA_ANONYMOUS_PATHS:
        if entry.endswith("$"):
            if path == entry[:-1]:
                return True
        elif path.startswith(entry):
            return True
    return False


class _ReadOnlySession:
    """Mixed into a session's class on an anonymous path: it can be read (the page knows who is
    signed in), but nothing written to it reaches the session row or the cookie: `modified`
    stays False (SessionMiddleware neither saves it nor sends the cookie again), and save,
    delete, flush and cycle_key do nothing."""

    @property
    def modified(self) -> bool:
        return False

    @modified.setter
    def modified(self, value: bool) -> None:
        pass

    def save(self, must_create: bool = False) -> None:
        pass

    def delete(self, session_key=None) -> None:
        pass

    def flush(self) -> None:
        pass

    def cycle_key(self) -> None:
        pass


_read_only_classes: dict[type, type] = {}


def read_only_session(session):
    """Make `session` (any session engine's store) read-only in place; returns it."""
    base = type(session)
    if not issubclass(base, _ReadOnlySession):
        cls = _read_only_classes.get(base)
        if cls is None:
            cls = type(base.__name__, (_ReadOnlySession, base), {})
            # The session data is signed with a salt naming the class: keep the engine's.
            cls.__qualname__ = base.__qualname__
            _read_only_classes[base] = cls
        session.__class__ = cls
    return session


class AnonymousPathsMiddleware:
    """On the anonymous channels (settings.ZHIJIA_ANONYMOUS_PATHS: the grievance box, anonymous
    counseling questions, joining, their API endpoints) the visitor's session is read-only for
    everything that runs after SessionMiddleware: no expiry, last-seen stamp or other write
    dates the visit next to the anonymous record (issue 11, finding 6). Listed right after
    SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "session") and is_anonymous_path(request.path):
            read_only_session(request.session)
        return self.get_response(request)


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


# Paths of URL names, reversed once per URL configuration and script prefix: the middlewares
# below ask on every request.
_PATHS: dict[tuple, frozenset[str]] = {}


def _paths(url_names: tuple[str, ...]) -> frozenset[str]:
    key = (url_names, get_urlconf(), get_script_prefix())
    if key not in _PATHS:
        _PATHS[key] = frozenset(reverse(name) for name in url_names)
    return _PATHS[key]


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"


class IdleTimeoutMiddleware:
    """Signs out a session idle longer than its user's limit; the login page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_anonymous_path(request.path):
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
        return path in _paths(self.OPEN_URL_NAMES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._is_open(request.path):
            step = twofactor.pending_step(user)
            if step == twofactor.VERIFY:
                return _redirect(request, _with_next("accounts:two-factor", request))
            if step == twofactor.SETUP:
                return _redirect(request, _with_next("accounts:two-factor-setup", request))
        return self.get_response(request)


class RequirePasswordChangeMiddleware:
    """After an administrator set her password (User.must_change_password), a signed-in user
    reaches only the password-change page, sign-out and the two-factor steps (which come
    first) until she has chosen her own. The API refuses her in zhijia.api.BearerToken."""

    OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/favicon.ico")
    OPEN_URL_NAMES = (
        "accounts:logout",
        "accounts:password-change",
        "accounts:two-factor",
        "accounts:two-factor-setup",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.OPEN_PREFIXES)
            and request.path not in _paths(self.OPEN_URL_NAMES)
        ):
            return _redirect(request, _with_next("accounts:password-change", request))
        return self.get_response(request)
