"""The error pages: 400, 403, 404, 500 and the CSRF failure, in the site's layout and the user's
language, each with a plain sentence of what happened, what to do and a way back.

zhijia/urls.py names them as Django's handler400/403/404/500; settings.CSRF_FAILURE_VIEW names
`csrf_failure`. Under /api/ every one of them answers the API's JSON error body instead
(core.api_errors.error_body), although the API's own handlers and its /api/ catch-all answer
first and these see only what escapes them.

Two layouts:
- errors/page.html extends base.html (navigation, user menu, language switch) for 400, 403,
  404 and the CSRF failure: rendered with the request, like any page;
- errors/minimal.html for 500 and for every error on the anonymous channels' pages
  (settings.ZHIJIA_ANONYMOUS_PATHS): rendered WITHOUT the request, so no context processor
  runs, no session, user or database is read. A 500 must render when the database is down.

Nothing of the exception is shown (a 403's permission code, a 404's record), nor the CSRF
failure's reason.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from zhijia.core.api_errors import error_body
from zhijia.core.permissions import second_factor_would_open_more

# The favicon's seconds of browser cache: it changes with the brand only.
FAVICON_MAX_AGE = 60 * 60 * 24 * 30


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_anonymous_channel(request: HttpRequest) -> bool:
    return request.path.startswith(tuple(settings.ZHIJIA_ANONYMOUS_PATHS))


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site and not this very page."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of an unknown host still renders, with no "back"
        return ""
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return ""
    if referer.endswith(request.get_full_path()):
        return ""
    return referer


def _home_url(request: HttpRequest) -> str:
    """Where "home" leads: on an anonymous channel, that channel's own first page (its pages
    never carry the session into the app)."""
    for prefix in settings.ZHIJIA_ANONYMOUS_PATHS:
        if request.path.startswith(prefix):
            return prefix
    return reverse("home")


def _login_url(request: HttpRequest) -> str:
    return f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"


def _page(request: HttpRequest, status: int, context: dict, *, minimal: bool = False):
    context = {
        "status": status,
        "back_url": _back_url(request),
        "home_url": _home_url(request),
        **context,
    }
    if minimal or _is_anonymous_channel(request):
        body = render_to_string("errors/minimal.html", context)  # no request: no database
    else:
        body = render_to_string("errors/page.html", context, request)
    return HttpResponse(body, status=status)


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse(error_body(detail), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(400, _("请求无效"))
    return _page(
        request,
        400,
        {
            "title": _("请求无法处理"),
            "what": _("浏览器发来的请求不完整或格式不对，系统无法处理。"),
            "todo": _("请返回上一页重新操作；如果一再出现，请联系工会管理员。"),
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(403, _("无权执行此操作"))
    signed_in = bool(getattr(getattr(request, "user", None), "is_authenticated", False))
    return _page(
        request,
        403,
        {
            "title": _("没有权限打开此页"),
            "what": _("此页需要您的账号没有的角色（例如工会干部或经办人的角色）。"),
            "todo": (
                _("如果您的工作需要它，请联系所在工会的管理员为您的账号设置角色。")
                if signed_in
                else _("请先登录；登录后如仍无权限，请联系所在工会的管理员。")
            ),
            # Her sign-in without the second factor keeps some of her codes back (hardship
            # files): the refusal may be that, and enrolling opens them.
            "two_factor_url": (
                reverse("accounts:two-factor-setup")
                if signed_in and second_factor_would_open_more(request.user)
                else ""
            ),
            "login_url": "" if signed_in else _login_url(request),
        },
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(404, _("未找到"))
    return _page(
        request,
        404,
        {
            "title": _("找不到这个页面"),
            "what": _("这个页面不存在、已被删除，或不在您可以查看的范围内；也可能是链接有误。"),
            "todo": _("请检查地址，或从首页重新进入。"),
        },
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500: no query, no context processor, no session; the database may be what failed."""
    if _is_api(request):
        return _json(500, _("系统出错，请稍后重试。"))
    return _page(
        request,
        500,
        {
            "title": _("系统出错了"),
            "what": _("系统处理您的请求时出错，您的操作可能没有完成。"),
            "todo": _("请稍后再试；如果一再出现，请联系工会管理员。"),
        },
        minimal=True,
    )


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW. The reason (a missing cookie, a wrong origin) stays in the
    server's log: the page says what the user can do about it."""
    if _is_api(request):
        return _json(403, _("请求已过期，请重新发送。"))
    return _page(
        request,
        403,
        {
            "title": _("页面已过期，未能提交"),
            "what": _(
                "页面打开的时间太长，或您已在别处退出或重新登录，"
                "为保护您的账号，这次提交没有被接受。"
            ),
            "todo": _("请刷新页面（必要时重新登录），再填写并提交一次。"),
            "reload": True,
        },
    )


@cache
def _favicon_bytes() -> bytes:
    path = finders.find("zhijia/favicon.ico")
    if not isinstance(path, str):
        raise LookupError("static file zhijia/favicon.ico not found")
    with open(path, "rb") as fh:
        return fh.read()


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own; pages link the SVG (base.html)."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}, immutable"
    return response
