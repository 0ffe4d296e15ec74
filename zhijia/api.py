"""The REST API under /api/v1: one NinjaAPI, bearer-token auth, JSON errors {"detail": ...}.

Each module adds a router (module/api.py); endpoints are thin and use the same queries and
actions, and so the same permission layer, as the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from zhijia.accounts.queries import user_for_api_token
from zhijia.core.errors import ActionRefused
from zhijia.core.workflow import TransitionError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="zhijia API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    docs_url="/docs",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "无权执行此操作"}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def _django_validation(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(NinjaValidationError)
def _schema_validation(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(ActionRefused)
def _action_refused(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(TransitionError)
def _transition_refused(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


class TokenIn(Schema):
    username: str
    password: str
    # The two-factor code (or a backup code), for accounts that have enrolled a device.
    otp: str | None = None


class TokenOut(Schema):
    token: str


class TokenError(Schema):
    detail: str


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: TokenError, 403: TokenError, 429: TokenError},
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


from zhijia.accounts.api import router as accounts_router  # noqa: E402

api.add_router("/", accounts_router)

from zhijia.org.api import router as org_router  # noqa: E402

api.add_router("/", org_router)

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
