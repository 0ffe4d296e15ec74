"""Sign-in, lockout answer, two-factor steps, password change and the security page."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice

from zhijia.accounts import twofactor
from zhijia.accounts.actions import accounts as actions
from zhijia.accounts.forms.signin import (
    ChangePasswordForm,
    CodeForm,
    ConfirmPasswordForm,
    LoginForm,
)
from zhijia.accounts.lockout import lockout_message_for_request, set_device_cookie
from zhijia.accounts.middleware import IDLE_LOGOUT_KEY, LAST_SEEN_KEY


def _safe_next(request, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """Password sign-in; then the two-factor step for accounts that have or need a device."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("登录")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET" and self.request.session.pop(IDLE_LOGOUT_KEY, False):
            context["session_expired"] = True
        return context

    def form_valid(self, form):
        next_url = self.get_success_url()
        super().form_valid(form)  # django.contrib.auth.login: new session key, axes resets
        self.request.session[LAST_SEEN_KEY] = time.time()
        step = twofactor.pending_step(self.request.user)
        if step == twofactor.VERIFY:
            response = redirect(_with_next("accounts:two-factor", next_url))
        elif step == twofactor.SETUP:
            response = redirect(_with_next("accounts:two-factor-setup", next_url))
        else:
            response = redirect(next_url)
        # This browser is now a trusted device of the account: lockouts others cause by
        # hammering the account do not apply to it (accounts.lockout, rule 3).
        set_device_cookie(response, self.request, self.request.user.get_username())
        return response


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): says until when, in local time.

    The API's token endpoint writes its own JSON answer; it is passed through unchanged.
    """
    message, until = lockout_message_for_request(request, credentials)
    if request.path.startswith("/api/"):
        if original_response is not None and original_response.status_code == 429:
            return original_response
        return JsonResponse({"detail": message}, status=429)
    identifier = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": identifier})
    context = {
        "form": form,
        "title": _("登录"),
        "lockout_message": message,
        "locked_until": until,
        "next": _safe_next(request, ""),
    }
    response = render(request, "accounts/login.html", context, status=429)
    if until is not None:
        from django.utils import timezone

        response["Retry-After"] = str(max(int((until - timezone.now()).total_seconds()), 1))
    return response


@never_cache
@login_required
def two_factor(request):
    """The code step after the password (authenticator code or one backup code)."""
    user = request.user
    next_url = _safe_next(request)
    step = twofactor.pending_step(user)
    if step == twofactor.SETUP:
        return redirect(_with_next("accounts:two-factor-setup", next_url))
    if step is None:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.throttled_seconds(user)
        device = None if wait else twofactor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("您使用了一个备用码，还剩 %(n)d 个。用完前请在“账号安全”中重新生成。")
                    % {"n": device.token_set.count()},
                )
            return redirect(next_url)
        if wait:
            form.add_error("code", _("尝试次数过多，请 %(s)d 秒后再输入验证码。") % {"s": wait})
        else:
            form.add_error("code", _("验证码不正确或已过期，请输入验证器上当前显示的 6 位数字。"))
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": next_url, "title": _("两步验证")},
    )


@never_cache
@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: QR code and secret, confirmed by a code from the app."""
    user = request.user
    next_url = _safe_next(request, reverse("accounts:security"))
    if twofactor.pending_step(user) == twofactor.VERIFY:
        # Replacing a device needs the current one first, or the second factor means nothing.
        return redirect(_with_next("accounts:two-factor", request.get_full_path()))
    device = actions.do_start_totp_enrolment(actor=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.do_confirm_totp_enrolment(
            actor=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": next_url, "title": _("备用码"), "first_time": True},
            )
        form.add_error("code", _("验证码不正确，请确认手机时间准确后输入验证器上当前的 6 位数字。"))
    context = {
        "form": form,
        "next": next_url,
        "title": _("设置两步验证"),
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_for_display(device),
        "required": twofactor.is_required_for(user),
        "replacing": twofactor.has_device(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
def security(request):
    """Account security: password, two-factor status, backup codes."""
    user = request.user
    totp = twofactor.confirmed_totp_device(user)
    context = {
        "title": _("账号安全"),
        "totp_device": totp,
        "required": twofactor.is_required_for(user),
        "backup_codes_left": twofactor.backup_codes_left(user) if totp else 0,
        "disable_form": ConfirmPasswordForm(user),
    }
    return render(request, "accounts/security.html", context)


@never_cache
@login_required
def backup_codes(request):
    """Replace the backup codes (POST) and show the new ones once."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        codes = actions.do_regenerate_backup_codes(actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:security"), "title": _("备用码")},
    )


@never_cache
@login_required
def two_factor_disable(request):
    """Turn two-factor sign-in off (optional roles only), after re-entering the password."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    form = ConfirmPasswordForm(user, request.POST)
    if form.is_valid():
        try:
            actions.do_disable_two_factor(actor=user)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("已关闭两步验证。"))
        return redirect("accounts:security")
    totp = twofactor.confirmed_totp_device(user)
    context = {
        "title": _("账号安全"),
        "totp_device": totp,
        "required": twofactor.is_required_for(user),
        "backup_codes_left": twofactor.backup_codes_left(user) if totp else 0,
        "disable_form": form,
    }
    return render(request, "accounts/security.html", context, status=400)


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request):
    """Change one's own password: the current one, then the new one twice. Also the page a
    user is held on after an administrator set her password (RequirePasswordChangeMiddleware),
    which then sends her on to where she was going."""
    forced = request.user.must_change_password
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_change_password(
            actor=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。其他设备上的登录和 API 令牌已失效。"))
        if forced:
            return redirect(_safe_next(request))
        return redirect("accounts:security")
    context = {
        "form": form,
        "title": _("修改密码"),
        "forced": forced,
        "next": _safe_next(request, default="") if forced else "",
    }
    return render(request, "accounts/password_change.html", context)
