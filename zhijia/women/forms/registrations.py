"""Forms of pregnancy and birth registrations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.women import rules
from zhijia.women.models import Province
from zhijia.women.models.registrations import CONSENT_TEXT, DEPARTMENT_CONSENT_TEXT, Kind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("登记类型"), choices=Kind.choices, widget=forms.RadioSelect)
    province = forms.ModelChoiceField(
        label=_("适用省份"), queryset=Province.objects.order_by("code"), empty_label=None
    )
    expected_date = forms.DateField(
        label=_("预产期"), required=False, widget=_DATE, help_text=_("登记“怀孕”时填写")
    )
    birth_date = forms.DateField(
        label=_("生育日期"), required=False, widget=_DATE, help_text=_("登记“生育”时填写")
    )
    babies = forms.IntegerField(
        label=_("婴儿数"), min_value=1, max_value=rules.MAX_BABIES, initial=1
    )
    difficult = forms.BooleanField(label=_("难产"), required=False)
    miscarriage_date = forms.DateField(
        label=_("流产日期"), required=False, widget=_DATE, help_text=_("登记“流产”时填写")
    )
    months_pregnant = forms.IntegerField(
        label=_("流产时怀孕月数"), required=False, min_value=1, max_value=10
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)
    department_consent = forms.BooleanField(label=DEPARTMENT_CONSENT_TEXT, required=False)


class BirthForm(forms.Form):
    birth_date = forms.DateField(label=_("生育日期"), widget=_DATE)
    babies = forms.IntegerField(
        label=_("婴儿数"), min_value=1, max_value=rules.MAX_BABIES, initial=1
    )
    difficult = forms.BooleanField(label=_("难产"), required=False)


class DepartmentConsentForm(forms.Form):
    consent = forms.BooleanField(label=DEPARTMENT_CONSENT_TEXT, required=False)
