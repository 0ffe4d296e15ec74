"""Forms of mediation cases."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.forms.grievances import TEXTAREA
from zhijia.cases.models import Category, MediationParty


class MediationRequestForm(forms.Form):
    category = forms.ChoiceField(label=_("争议类别"), choices=Category.choices)
    respondent = forms.CharField(
        label=_("被申请人"), max_length=200, help_text=_("一般是用人单位的名称")
    )
    claim = forms.CharField(
        label=_("申请事项和理由"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": _("您要求什么（如补发工资多少元），以及事情经过")}
        ),
    )
    contact = forms.CharField(label=_("联系电话（可选）"), max_length=100, required=False)


class AcceptMediationForm(forms.Form):
    mediator = forms.TypedChoiceField(label=_("调解员"), coerce=int, choices=())
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mediator"]).choices = [
            (u.pk, u.get_full_name()) for u in mediators
        ]


class PartyForm(forms.Form):
    side = forms.ChoiceField(label=_("身份"), choices=MediationParty.Side.choices)
    name = forms.CharField(label=_("名称或姓名"), max_length=200)
    representative = forms.CharField(label=_("代表人或代理人"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("调解时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    attendees = forms.CharField(label=_("参加人员"), max_length=500)
    minutes = forms.CharField(
        label=_("调解笔录"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("调解协议内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    performance_deadline = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
