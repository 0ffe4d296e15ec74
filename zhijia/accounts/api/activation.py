"""Activation and forgotten passwords for mobile clients (no token needed).

    POST /api/v1/auth/activation/request  {identifier, id_tail}               -> 202
    POST /api/v1/auth/activation/confirm  {identifier, id_tail, code, password} -> {token}

`request` answers 202 whatever the details (nothing is said about which 工号 exist) and sends
the SMS code when they match. `confirm` takes an SMS code or an activation-slip code. Wrong
tries are throttled like the web pages (per account and per client address; 429 with the time
to retry and a Retry-After header).
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zhijia.accounts.actions import activation
from zhijia.accounts.models import ApiToken
from zhijia.core.api_errors import THROTTLED, ErrorOut, error_body
from zhijia.core.api_types import Code

router = Router(tags=["auth"])


class ActivationRequestIn(Schema):
    identifier: str
    id_tail: str


class ActivationConfirmIn(Schema):
    identifier: str
    id_tail: str
    code: Code
    password: str


class Detail(Schema):
    detail: str


class TokenOut(Schema):
    token: str


def _locked(exc: activation.ActivationLocked, response: HttpResponse):
    if exc.until is not None:
        seconds = max(int((exc.until - timezone.now()).total_seconds()), 1)
        response["Retry-After"] = str(seconds)
    return Status(429, error_body(exc.message))


@router.post("/auth/activation/request", auth=None, response={202: Detail, **THROTTLED})
def activation_request(request, payload: ActivationRequestIn, response: HttpResponse):
    """Send an SMS code to the member's registered phone if the details match (202 always)."""
    try:
        activation.request_sms_code(
            identifier=payload.identifier,
            id_tail=payload.id_tail,
            ip=activation.client_ip(request),
        )
    except activation.ActivationLocked as exc:
        return _locked(exc, response)
    return Status(
        202, {"detail": _("如果信息与工会登记的一致，验证码已通过短信发送到登记的手机号。")}
    )


@router.post(
    "/auth/activation/confirm",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 409: ErrorOut, **THROTTLED},
)
def activation_confirm(request, payload: ActivationConfirmIn, response: HttpResponse):
    """Check the details and the code, set the password (activating the account or resetting
    a forgotten password) and return a bearer token. Earlier tokens are revoked."""
    try:
        user, row = activation.check_identity_and_code(
            identifier=payload.identifier,
            id_tail=payload.id_tail,
            code=payload.code,
            ip=activation.client_ip(request),
        )
    except activation.ActivationLocked as exc:
        return _locked(exc, response)
    with transaction.atomic():
        activation.do_complete_activation(
            user=user, password=payload.password, purpose=row.purpose, code=row
        )
        token = ApiToken.issue(user)
    return Status(200, {"token": token})
