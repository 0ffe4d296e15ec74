"""The API's credential exchange (POST /api/v1/auth/token), with the same rules as the login page.

- The password goes through django.contrib.auth.authenticate(request=...), so django-axes
  counts API failures on the same per-account counter as the login page and refuses locked
  accounts (429, with the local time to retry, and a Retry-After header).
- An account with a two-factor device must also send `otp` (a code or a backup code); an
  account whose role requires two-factor sign-in and has no device must enrol on the web
  first. Otherwise a token would be a way around the second factor.
- An account whose password an administrator set (must_change_password) gets no token (403)
  until she has chosen her own on the web; a token she holds is refused too (zhijia.api).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts import twofactor
from zhijia.accounts.lockout import failures_left, lockout_message_for_request
from zhijia.accounts.models import ApiToken
from zhijia.core import throttle
from zhijia.core.api_errors import error_body


def must_change_password_message() -> str:
    return _("管理员重置了您的密码，请先在网页上登录并设置新密码。")


@dataclass
class Exchange:
    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


def exchange_credentials(request, *, username: str, password: str, otp: str | None) -> Exchange:
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            message, until = lockout_message_for_request(request)
            headers = {}
            if until is not None:
                seconds = max(int((until - timezone.now()).total_seconds()), 1)
                headers["Retry-After"] = str(seconds)
            return Exchange(429, error_body(message), headers)
        detail = _("账号或密码不正确。")
        left = failures_left(request)
        if left:
            detail += " " + _("再输错 %(n)d 次，账号将被暂时锁定。") % {"n": left}
        return Exchange(401, error_body(detail))
    if twofactor.has_device(user):
        if not otp:
            return Exchange(401, error_body(_("该账号已启用两步验证，请同时提供验证码（otp）。")))
        if twofactor.verify_code(user, otp) is None:
            return Exchange(401, error_body(_("两步验证码不正确或已过期。")))
    elif twofactor.is_required_for(user):
        return Exchange(403, error_body(_("您的角色必须使用两步验证，请先在网页上完成设置。")))
    if user.must_change_password:
        return Exchange(403, error_body(must_change_password_message()))
    # A successful exchange is a successful sign-in: clear this client's failures of the
    # account, as the login page does (axes resets on user_logged_in, which an API token does
    # not send). Other clients' failures stay: the owner's success must not unlock an attacker.
    axes_reset(username=user.get_username(), ip=throttle.axes_client_ip(request))
    # With a device, the code was checked above: the token holds the two-factor codes.
    return Exchange(200, {"token": ApiToken.issue(user, two_factor=twofactor.has_device(user))})
