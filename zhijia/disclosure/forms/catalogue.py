"""Form of a catalogue entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.disclosure.forms.items import DATE
from zhijia.disclosure.models import Cadence, Level


class CatalogueEntryForm(forms.Form):
    code = forms.SlugField(
        label=_("代码"), max_length=64, help_text=_("英文字母、数字和连字符，用于链接和接口")
    )
    title = forms.CharField(label=_("公开事项"), max_length=100)
    level = forms.ChoiceField(label=_("公开层级"), choices=Level.choices)
    cadence = forms.ChoiceField(label=_("公开频次"), choices=Cadence.choices)
    description = forms.CharField(
        label=_("公开内容要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=200)
    offset_days = forms.IntegerField(
        label=_("期满后公开期限（天）"),
        min_value=0,
        max_value=366,
        initial=10,
        help_text=_("每期结束后多少个自然日内须公开，例如每月事项 10 表示次月 10 日前"),
    )
    remind_days = forms.IntegerField(
        label=_("提前提醒（天）"), min_value=0, max_value=60, initial=3
    )
    effective_from = forms.DateField(
        label=_("起始日期"), widget=DATE, help_text=_("此日期之前结束的期间不要求公开")
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=100000, initial=100)
