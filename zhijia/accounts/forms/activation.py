"""Forms of account activation and forgotten passwords."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from zhijia.accounts.passwords import password_rules_for


class ActivationStartForm(forms.Form):
    """Step 1 of activation and of a forgotten password: who you are, and a slip code if any."""

    identifier = forms.CharField(
        label=_("工号或手机号"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    id_tail = forms.CharField(
        label=_("身份证号后六位"),
        max_length=12,
        help_text=_("最后一位是 X 的请输入 X（大小写均可）。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    slip_code = forms.CharField(
        label=_("激活码"),
        max_length=32,
        required=False,
        help_text=_("工会发给您的激活单上印有激活码；没有激活单请直接获取短信验证码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )

    def clean_id_tail(self):
        from zhijia.accounts.actions.activation import ID_TAIL_LENGTH, normalise_id_tail

        tail = normalise_id_tail(self.cleaned_data["id_tail"])
        if len(tail) != ID_TAIL_LENGTH:
            raise forms.ValidationError(_("请输入身份证号的最后 6 位。"))
        return tail


class ActivationCodeForm(forms.Form):
    """Step 2: the code from the SMS."""

    code = forms.CharField(
        label=_("短信验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class NewPasswordForm(forms.Form):
    """Step 3: the new password twice; the password rules' verdict sits under the first."""

    password = forms.CharField(
        label=_("设置密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].help_text = format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((rule,) for rule in password_rules_for(user))),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password2") != data.get("password"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
