"""Forms of the health check campaigns."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), min_value=1950, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=100)
    signup_until = forms.DateField(label=_("报名截止日期"), widget=_DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]


class CompletionForm(forms.Form):
    signup_ids = forms.TypedMultipleChoiceField(
        label=_("完成体检的报名"), coerce=int, required=False, choices=()
    )
    done = forms.TypedChoiceField(
        label=_("标记为"),
        coerce=lambda v: v == "1",
        choices=(("1", _("已完成")), ("0", _("未完成"))),
        initial="1",
    )

    def __init__(self, *args, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signup_ids"].choices = [(i, i) for i in ids]  # type: ignore[attr-defined]
