"""Forms of visits (走访慰问)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.forms.common import DATE, PickMixin, _choices, _money
from zhijia.assistance.models import (
    Visit,
)


class VisitForm(PickMixin, forms.Form):
    member = forms.ChoiceField(label=_("走访对象"))
    kind = forms.ChoiceField(label=_("类型"), choices=Visit.Kind.choices)
    done = forms.BooleanField(label=_("已走访（直接登记走访情况）"), required=False)
    planned_on = forms.DateField(label=_("计划日期"), required=False, widget=DATE)
    visited_on = forms.DateField(label=_("走访日期"), required=False, widget=DATE)
    visitors = forms.CharField(label=_("走访人员"), max_length=200, required=False)
    gifts = forms.CharField(label=_("慰问物品"), max_length=200, required=False)
    money = _money(_("慰问金（元）"), required=False)
    findings = forms.CharField(
        label=_("走访情况（加密保存）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        cast(forms.ChoiceField, self.fields["member"]).choices = _choices(
            [(m.pk, f"{m.name}（{m.employee_no}，{m.org_unit.name}）") for m in self.members],
            _("请选择"),
        )

    def clean_member(self):
        member = self._pick(self.members, self.cleaned_data["member"])
        if member is None:
            raise forms.ValidationError(_("请选择走访对象"))
        return member


class CompleteVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    visitors = forms.CharField(label=_("走访人员"), max_length=200)
    gifts = forms.CharField(label=_("慰问物品"), max_length=200, required=False)
    money = _money(_("慰问金（元）"), required=False)
    findings = forms.CharField(
        label=_("走访情况（加密保存）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
