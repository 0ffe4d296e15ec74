"""Forms of module accounts. Errors sit on the field they are about, in plain Chinese."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijia.accounts.lockout import failures_left
from zhijia.accounts.passwords import password_rules_for


class LoginForm(AuthenticationForm):
    """Username, 工号 or phone, and password. A wrong pair is reported on the password field,
    with how many tries are left before the account locks (unknown names count alike, so this
    tells nothing about which accounts exist)."""

    username = forms.CharField(
        label=_("账号"),
        max_length=150,
        help_text=_("用户名、工号或手机号"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("账号或密码不正确。"),
        "inactive": _("该账号已停用，请联系工会管理员。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                message = gettext("账号或密码不正确。")
                left = failures_left(self.request) if self.request is not None else None
                if left:
                    message += " " + gettext("再输错 %(n)d 次，账号将被暂时锁定。") % {"n": left}
                self.add_error("password", forms.ValidationError(message, code="invalid_login"))
            else:
                self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ChangePasswordForm(PasswordChangeForm):
    """Old password, then the new one twice; the new one passes the password validators,
    whose messages appear under the new password field."""

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    error_messages = {
        "password_incorrect": _("当前密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].help_text = format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((rule,) for rule in password_rules_for(user))),
        )

    def clean(self):
        # Django files the validators' verdict under the confirmation field; it belongs under
        # the password being chosen.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)

    def save(self, commit=True):  # pragma: no cover - the view calls actions.do_change_password
        raise NotImplementedError("use zhijia.accounts.actions.accounts.do_change_password")


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or one backup code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class ConfirmPasswordForm(forms.Form):
    """Re-enter the password before a sensitive change (turning two-factor sign-in off)."""

    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("当前密码不正确，请重新输入。"), code="password_incorrect"
            )
        return password
