"""Forms of the anonymous box."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.forms.grievances import TEXTAREA, GrievanceForm, RateForm, _category_field


class BoxForm(forms.Form):
    """The anonymous box: no file (photos and documents carry device, time and place data)."""

    kind = GrievanceForm.base_fields["kind"]
    category = _category_field()
    org_unit = forms.TypedChoiceField(label=_("反映给"), coerce=int, choices=())
    text = forms.CharField(
        label=_("情况说明"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": _("请只写事情本身，不要写能认出您的细节")}
        ),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["org_unit"]).choices = [(u.pk, u.name) for u in units]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("收据码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class BoxMessageForm(ReceiptForm):
    text = forms.CharField(
        label=_("补充信息或回答工会的询问"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class BoxRateForm(ReceiptForm, RateForm):
    pass
