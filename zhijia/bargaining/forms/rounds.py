"""Forms of the round pages: input parsing only; the rules live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.models import Contract, Demand, Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


class UnitChoiceForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, error_messages={"required": _("请选择工会")}
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]


class RoundForm(UnitChoiceForm):
    kind = forms.ChoiceField(label=_("协商事项"), choices=Contract.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=200, error_messages=MSG)
    employer_name = forms.CharField(label=_("用人单位"), max_length=200, error_messages=MSG)
    demands_until = forms.DateField(
        label=_("意见征集截止"), required=False, widget=DATE, error_messages=MSG
    )
    union_basis = forms.ChoiceField(label=_("工会方代表产生方式"), choices=Round.UnionBasis.choices)
    max_delegates = forms.IntegerField(
        label=_("每方代表最多人数"), initial=10, min_value=3, max_value=30, error_messages=MSG
    )


class DemandForm(forms.Form):
    topic = forms.ChoiceField(label=_("议题"), choices=Demand.Topic.choices)
    text = forms.CharField(
        label=_("意见建议"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=MSG,
    )


class RequestForm(forms.Form):
    request_text = forms.CharField(
        label=_("协商要求"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=MSG,
    )
    received_on = forms.DateField(label=_("对方收到日期"), widget=DATE, error_messages=MSG)


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("回应日期"), widget=DATE, error_messages=MSG)
    answer_text = forms.CharField(
        label=_("对方书面回应"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=MSG,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=500, error_messages={"required": _("请填写理由")}
    )


def parse_people(text: str, chief: str) -> list[tuple[str, str, bool]]:
    """One delegate a line: "姓名 职务" (a space, a comma or a tab between)."""
    people = []
    for line in (text or "").splitlines():
        parts = line.replace("，", " ").replace(",", " ").replace("\t", " ").split(None, 1)
        if parts:
            name = parts[0].strip()
            people.append((name, parts[1].strip() if len(parts) > 1 else "", name == chief.strip()))
    return people


class DelegationsForm(forms.Form):
    union_basis = forms.ChoiceField(label=_("工会方代表产生方式"), choices=Round.UnionBasis.choices)
    union = forms.CharField(
        label=_("职工方代表（每行一人：姓名 职务）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=MSG,
    )
    union_chief = forms.CharField(label=_("职工方首席代表"), max_length=64, error_messages=MSG)
    employer = forms.CharField(
        label=_("企业方代表（每行一人：姓名 职务）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=MSG,
    )
    employer_chief = forms.CharField(label=_("企业方首席代表"), max_length=64, error_messages=MSG)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("协商日期"), widget=DATE, error_messages=MSG)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    minutes = forms.CharField(
        label=_("协商记录"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=MSG,
    )


class SignMinutesForm(forms.Form):
    side = forms.ChoiceField(
        label=_("签字方"), choices=[("union", _("职工方")), ("employer", _("企业方"))]
    )
