"""The service guide's editing form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.notices.forms.notices import BODY_HELP


class GuideForm(forms.Form):
    about = forms.CharField(
        label=_("工会做什么"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
    )
    how_to_apply = forms.CharField(
        label=_("怎样办理各项服务"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每项服务的申请条件、材料和步骤；可用小标题分开"),
    )
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=64)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=32)
    contact_email = forms.CharField(label=_("电子邮箱"), required=False, max_length=254)
    address = forms.CharField(label=_("办公地点"), required=False, max_length=200)
    office_hours = forms.CharField(
        label=_("办公时间"), required=False, max_length=200, help_text=_("如：工作日 8:30–17:30")
    )
    hotlines = forms.CharField(
        label=_("服务热线"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一条：号码 说明，如“12351 职工服务热线”"),
    )
