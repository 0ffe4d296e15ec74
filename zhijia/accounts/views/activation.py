"""Activation and forgotten password pages (public, mobile first). Thin: the rules are in
zhijia.accounts.actions.activation.

  /accounts/activate/            step 1: 工号 or phone, ID tail; SMS code or a slip code
  /accounts/activate/code/       step 2: the SMS code
  /accounts/activate/password/   step 3: the new password; then signed in, on the member home
  /accounts/password/forgot/     step 1 again, titled for a forgotten password

Between the steps the session holds only ids and times: the account step 1 named (or None
when the details matched nobody, so step 2 fails alike) and, after a code, the account that
may set its password for VERIFIED_MINUTES.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from zhijia.accounts import twofactor
from zhijia.accounts.actions import activation
from zhijia.accounts.actions.activation import client_ip
from zhijia.accounts.forms.activation import (
    ActivationCodeForm,
    ActivationStartForm,
    NewPasswordForm,
)
from zhijia.accounts.middleware import LAST_SEEN_KEY
from zhijia.accounts.queries.signin import user_by_id
from zhijia.core.forms import run_action

SESSION_KEY = "zhijia_activation"
PENDING_MINUTES = 30  # step 2 must follow step 1 within this time
VERIFIED_MINUTES = 15  # step 3 must follow the code within this time
LOGIN_BACKEND = "zhijia.accounts.backends.LoginBackend"


def _state(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _save_state(request, **values) -> None:
    request.session[SESSION_KEY] = {**values, "at": time.time()}


def _fresh(state: dict, minutes: int) -> bool:
    return bool(state) and time.time() - float(state.get("at", 0)) < minutes * 60


def _titles(reset: bool) -> str:
    return _("找回密码") if reset else _("激活账号")


@sensitive_post_parameters("id_tail", "slip_code")
@never_cache
def start(request, reset: bool = False):
    """Step 1. "获取短信验证码" goes to step 2; a slip code goes straight to step 3."""
    initial = {"identifier": (request.GET.get("u") or "")[:64]}
    form = ActivationStartForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ip = client_ip(request)
        if request.POST.get("action") == "slip":
            if not data["slip_code"]:
                form.add_error("slip_code", _("请输入激活单上的激活码。"))
                status = 400
            else:
                result, status = run_action(
                    form,
                    lambda: activation.check_identity_and_code(
                        identifier=data["identifier"],
                        id_tail=data["id_tail"],
                        code=data["slip_code"],
                        ip=ip,
                    ),
                )
                if result is not None:
                    user, row = result
                    _done, status = run_action(form, lambda: activation.consume_code(row))
                    if status == 200:
                        _save_state(request, verified=user.pk, purpose=row.purpose, reset=reset)
                        return redirect("accounts:activate-password")
        else:
            result, status = run_action(
                form,
                lambda: activation.request_sms_code(
                    identifier=data["identifier"], id_tail=data["id_tail"], ip=ip
                ),
            )
            if result is not None:
                user, key = result
                _save_state(
                    request,
                    pending=user.pk if user is not None else None,
                    key=key,
                    identifier=data["identifier"],
                    reset=reset,
                )
                return redirect("accounts:activate-code")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "title": _titles(reset), "reset": reset}
    return render(request, "accounts/activate_start.html", context, status=status)


@never_cache
def forgot(request):
    return start(request, reset=True)


@sensitive_post_parameters("code")
@never_cache
def code(request):
    """Step 2: the SMS code. The same answer whether or not step 1 named an account."""
    state = _state(request)
    if "key" not in state or not _fresh(state, PENDING_MINUTES):
        return redirect("accounts:activate")
    reset = bool(state.get("reset"))
    form = ActivationCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = user_by_id(state.get("pending"))
        row, status = run_action(
            form,
            lambda: activation.check_code(
                user=user, key=state["key"], code=form.cleaned_data["code"], ip=client_ip(request)
            ),
        )
        if row is not None:
            _done, status = run_action(form, lambda: activation.consume_code(row))
            if status == 200 and user is not None:
                _save_state(request, verified=user.pk, purpose=row.purpose, reset=reset)
                return redirect("accounts:activate-password")
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "title": _titles(reset),
        "reset": reset,
        "identifier": state.get("identifier", ""),
        "minutes": settings.ZHIJIA_ACTIVATION_SMS_MINUTES,
        "restart_url": _restart_url(reset, state.get("identifier", "")),
    }
    return render(request, "accounts/activate_code.html", context, status=status)


def _restart_url(reset: bool, identifier: str) -> str:
    from urllib.parse import urlencode

    name = "accounts:password-forgot" if reset else "accounts:activate"
    return f"{reverse(name)}?{urlencode({'u': identifier})}" if identifier else reverse(name)


@sensitive_post_parameters("password", "password2")
@never_cache
def password(request):
    """Step 3: choose a password by the rules; then signed in and on the member home."""
    state = _state(request)
    user = user_by_id(state.get("verified")) if _fresh(state, VERIFIED_MINUTES) else None
    if user is None:
        if state.get("verified"):
            messages.warning(request, _("验证已超时，请重新获取验证码。"))
        return redirect("accounts:activate")
    reset = bool(state.get("reset"))
    form = NewPasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        _done, status = run_action(
            form,
            lambda: activation.do_complete_activation(
                user=user, password=form.cleaned_data["password"], purpose=state.get("purpose", "")
            ),
        )
        if status == 200:
            request.session.pop(SESSION_KEY, None)
            user.refresh_from_db()
            login(request, user, backend=LOGIN_BACKEND)
            request.session[LAST_SEEN_KEY] = time.time()
            messages.success(
                request,
                _("密码已重置，您已登录。") if reset else _("账号已激活，欢迎使用职工之家。"),
            )
            step = twofactor.pending_step(user)
            if step == twofactor.SETUP:
                return redirect("accounts:two-factor-setup")
            if step == twofactor.VERIFY:
                return redirect("accounts:two-factor")
            return redirect("home")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "title": _titles(reset), "reset": reset, "member_name": str(user)}
    return render(request, "accounts/activate_password.html", context, status=status)
