"""Forms of the knowledge base."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.forms.grievances import _category_field


class KnowledgeForm(forms.Form):
    question = forms.CharField(label=_("问题"), max_length=300)
    answer = forms.CharField(
        label=_("解答"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    category = _category_field()
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300, required=False)
    publish = forms.BooleanField(label=_("发布（所有职工可查）"), required=False, initial=True)


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("问题（已去除个人信息）"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请删去姓名、工号、班组、具体日期等可能识别出职工的信息"),
    )
    answer = forms.CharField(
        label=_("解答"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = _category_field()
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300, required=False)
