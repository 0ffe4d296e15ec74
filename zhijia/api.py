"""The REST API under /api/v1: one NinjaAPI, bearer-token auth, one JSON error body
(zhijia.core.api_errors: {"detail": "...", "errors": {field: [...]}}).

Each module adds a router (module/api.py); endpoints are thin and use the same queries and
actions, and so the same permission layer, as the pages.
"""

from __future__ import annotations

import copy
import logging
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer

from zhijia.accounts.api.activation import TokenOut
from zhijia.accounts.apiauth import must_change_password_message
from zhijia.accounts.queries.signin import user_for_api_token
from zhijia.core.api_errors import (
    THROTTLED,
    ErrorOut,
    document_error_responses,
    error_body,
    schema_errors,
)
from zhijia.core.errors import ActionRefused
from zhijia.core.permissions import second_factor_would_open_more

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait after a 503 (busy database).
BUSY_RETRY_AFTER = 2


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is not None:
            if user.must_change_password:
                # An administrator set her password: she chooses her own on the web first.
                raise MustChangePassword
            request.user = user
        return user


class MustChangePassword(PermissionDenied):
    """The caller's password was set by an administrator and is not replaced yet (403)."""


class ZhijiaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares every operation's error responses (one body,
    `ErrorOut`) and marks the deprecated aliases."""

    # Building the document walks every operation's schemas (seconds on a busy machine); the
    # routes are fixed once the URL conf is loaded, so it is built once per prefix and language.
    _documents: dict[tuple, dict] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (id(self), path_prefix, repr(sorted((path_params or {}).items())), get_language())
        if key not in self._documents:
            document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            document_error_responses(document)
            self._documents[key] = document
        return copy.deepcopy(self._documents[key])

    def _get_urls(self):
        """ninja's URLs, with its root (`/api/v1/`, an HTML 404 in ninja) answering in JSON where
        the document and the docs are."""
        urls: list[Any] = super()._get_urls()
        root = urls[-1]
        assert root.name == "api-root"
        urls[-1] = path("", partial(_api_root, api=self), name="api-root")
        # The docs page (Swagger UI, served from this site's static files) is for signed-in
        # users: anonymous visitors are sent to the sign-in page. Swagger UI is a large
        # third-party script whose past flaws were reached through its page; the document
        # itself (openapi.json) stays public: API clients fetch it with a token, not a session,
        # and it describes operations of open-source code, no record (docs/security.md).
        for index, pattern in enumerate(urls):
            if pattern.name == "openapi-view":
                view = login_required(pattern.callback)
                urls[index] = path(str(pattern.pattern), view, name=pattern.name)
        return urls


@csrf_exempt
def _api_root(request, api):
    """GET /api/v1/: where the OpenAPI document and its pages are (any other method: 405)."""
    if request.method != "GET":
        return JsonResponse(error_body(_("不支持该请求方法")), status=405, headers={"Allow": "GET"})
    base = request.path.rstrip("/")
    return JsonResponse({"openapi": f"{base}/openapi.json", "docs": f"{base}/docs"})


api = ZhijiaAPI(
    title="zhijia API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    docs_url="/docs",
    # No call to swagger.io's online validator; no spec or config URL taken from the query.
    docs=Swagger(settings={"validatorUrl": "none", "queryConfigEnabled": False}),
)


def _answer(request, status: int, detail: str, errors=None, headers=None):
    response = api.create_response(request, error_body(detail, errors), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _answer(request, 404, _("未找到"))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    if isinstance(exc, MustChangePassword):
        return _answer(request, 403, must_change_password_message())
    # A cadre whose token was exchanged without a second-factor code is refused the hardship
    # files (zhijia.core.permissions, two_factor codes): say what would open them.
    if second_factor_would_open_more(request.user):
        return _answer(
            request,
            403,
            _(
                "无权执行此操作。困难职工档案等敏感记录需要两步验证：请先在网页上启用两步验证，"
                "再用密码和验证码（otp）换取令牌。"
            ),
        )
    return _answer(request, 403, _("无权执行此操作"))


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _answer(request, 401, _("未登录或令牌无效"))


@api.exception_handler(ValidationError)
def _django_validation(request, exc):
    if hasattr(exc, "error_dict"):
        errors = {
            ("__all__" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()
        }
    else:
        errors = {"__all__": exc.messages}
    first = next((m for messages in errors.values() for m in messages), _("输入无效"))
    return _answer(request, 400, first, errors)


@api.exception_handler(NinjaValidationError)
def _schema_validation(request, exc):
    return api.create_response(request, schema_errors(exc.errors), status=422)


@api.exception_handler(ActionRefused)
def _action_refused(request, exc):
    # A refusal that says how long to wait (core.throttle.Throttled, receipts.RateLimited):
    # every 429 carries Retry-After.
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return _answer(request, exc.status, exc.message, exc.errors, headers=headers)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _answer(request, exc.status_code, str(exc.message))


@api.exception_handler(OperationalError)
def _busy(request, exc):
    # SQLite's lock held past the busy timeout, a PostgreSQL serialization failure: the
    # action's transaction rolled back; the client may simply retry. The exception's text may
    # quote the statement, so only its class is logged.
    logger.warning("database busy during an API call (%s)", type(exc).__name__)
    return _answer(
        request, 503, _("系统繁忙，请稍后重试。"), headers={"Retry-After": str(BUSY_RETRY_AFTER)}
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # A number beyond what the database column holds (SQLite's 64-bit integers, PostgreSQL's
    # integer columns): bad input, not a server error. Schemas bound their fields; this is the
    # net under them.
    return _answer(request, 400, _("数值超出允许范围。"))


class TokenIn(Schema):
    username: str
    password: str
    # The two-factor code (or a backup code), for accounts that have enrolled a device.
    otp: str | None = None


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, **THROTTLED},
    tags=["auth"],
)
def issue_token(request, payload: TokenIn, response: HttpResponse):
    """Exchange a username (or 工号 / phone) and password for a bearer token.

    Failures count towards the account's lockout like the login page's; a locked account gets
    429 with the local time to retry. Accounts with two-factor sign-in also send `otp`.
    """
    from zhijia.accounts.apiauth import exchange_credentials

    result = exchange_credentials(
        request, username=payload.username, password=payload.password, otp=payload.otp
    )
    for name, value in result.headers.items():
        response[name] = value
    return Status(result.status, result.body)


from zhijia.core.api_inbox import router as inbox_router  # noqa: E402

api.add_router("/inbox", inbox_router)

from zhijia.core.api_satisfaction import router as satisfaction_router  # noqa: E402

api.add_router("/satisfaction", satisfaction_router)

from zhijia.core.api_search import router as search_router  # noqa: E402

api.add_router("/search", search_router)

from zhijia.accounts.api import router as accounts_router  # noqa: E402

api.add_router("/", accounts_router)

from zhijia.org.api import aliases as org_aliases  # noqa: E402
from zhijia.org.api import router as org_router  # noqa: E402

api.add_router("/org", org_router)
# The member endpoints where clients called them before they moved under /org (deprecated).
api.add_router("/", org_aliases)

from zhijia.voting.api import router as voting_router  # noqa: E402

api.add_router("/voting", voting_router)

from zhijia.congress.api import router as congress_router  # noqa: E402

api.add_router("/congress", congress_router)

from zhijia.cases.api import router as cases_router  # noqa: E402

api.add_router("/cases", cases_router)

from zhijia.services.api import router as services_router  # noqa: E402

api.add_router("/services", services_router)

from zhijia.safety.api import router as safety_router  # noqa: E402

api.add_router("/safety", safety_router)

from zhijia.disclosure.api import router as disclosure_router  # noqa: E402

api.add_router("/disclosure", disclosure_router)

from zhijia.assistance.api import router as assistance_router  # noqa: E402

api.add_router("/assistance", assistance_router)

from zhijia.notices.api import router as notices_router  # noqa: E402

api.add_router("/notices", notices_router)

from zhijia.bargaining.api import router as bargaining_router  # noqa: E402

api.add_router("/bargaining", bargaining_router)

from zhijia.women.api import router as women_router  # noqa: E402

api.add_router("/women", women_router)

from zhijia.homes.api import router as homes_router  # noqa: E402

api.add_router("/homes", homes_router)
from zhijia.dashboard.api import router as dashboard_router  # noqa: E402

api.add_router("/dashboard", dashboard_router)


@csrf_exempt
def not_found(request, unmatched: str = ""):
    """Any /api/ URL that no endpoint matches: the API's JSON 404, not an HTML page (nor the
    CSRF middleware's HTML 403 for a write to an unknown URL: the API has no cookies to
    protect)."""
    return JsonResponse(
        error_body(_("没有这个接口：%(path)s") % {"path": request.path}), status=404
    )
