"""Form of a routing rule."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Category


class RoutingRuleForm(forms.Form):
    scope = forms.TypedChoiceField(label=_("适用范围（该组织及下级）"), coerce=int, choices=())
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别"))] + list(Category.choices)
    )
    target_unit = forms.TypedChoiceField(
        label=_("办理层级"), coerce=int, required=False, empty_value=None, choices=()
    )
    department = forms.TypedChoiceField(
        label=_("承办部门"), coerce=int, required=False, empty_value=None, choices=()
    )
    deadline_workdays = forms.IntegerField(
        label=_("办理时限（工作日）"), required=False, min_value=1, max_value=60
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, units=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        cast(forms.ChoiceField, self.fields["scope"]).choices = choices
        cast(forms.ChoiceField, self.fields["target_unit"]).choices = [
            ("", _("默认（职工所在分工会）"))
        ] + choices
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("不指定"))] + [
            (d.pk, d.name) for d in departments
        ]
