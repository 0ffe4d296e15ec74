"""Forms of assistance campaigns and applications (帮扶申请): review, public notice, objections."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.forms.common import CENT, DATE, PickMixin, _choices, _money
from zhijia.assistance.models import (
    Campaign,
    Category,
    Objection,
)


class CampaignForm(PickMixin, forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Campaign.Kind.choices)
    org_unit = forms.ChoiceField(label=_("组织单位"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("申请开始"), required=False, widget=DATE)
    closes_on = forms.DateField(label=_("申请截止"), required=False, widget=DATE)
    amount_cap = _money(_("单笔上限（元）"), required=False, help_text=_("留空按活动类型的默认值"))
    eligible_categories = forms.MultipleChoiceField(
        label=_("适用困难类别"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("都不选则按活动类型的默认值"),
    )
    required_documents = forms.CharField(
        label=_("须提交材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一项，如：诊断证明；留空按活动类型的默认值，填“无”表示不需要"),
    )
    notice_workdays = forms.IntegerField(
        label=_("公示期（工作日）"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("留空按帮扶参数（默认 5 个工作日）"),
    )
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        cast(forms.ChoiceField, self.fields["org_unit"]).choices = _choices(
            [(u.pk, u.name) for u in self.units]
        )
        self.fields["year"].initial = timezone.localdate().year

    def clean_org_unit(self):
        unit = self._pick(self.units, self.cleaned_data["org_unit"])
        if unit is None:
            raise forms.ValidationError(_("请选择组织单位"))
        return unit

    def action_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org_unit")
        values = {k: v for k, v in data.items() if v not in (None, "", [])}
        docs = data.get("required_documents") or ""
        if docs.strip():
            lines = [line.strip() for line in docs.splitlines() if line.strip()]
            values["required_documents"] = [] if lines == ["无"] else lines
        return values


class ApplicationForm(forms.Form):
    """The worker's form, with the campaign's own extra fields and required documents."""

    amount = forms.DecimalField(
        label=_("申请金额（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=CENT,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )
    situation = forms.CharField(
        label=_("家庭困难情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("只有负责审核的工会干部能看到，公示中不会出现"),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        if campaign.amount_cap is not None:
            self.fields["amount"].help_text = _("本活动单笔上限 ¥%(cap)s") % {
                "cap": campaign.amount_cap
            }
        for f in campaign.form_fields:
            name = f"answer_{f['key']}"
            field: forms.Field
            if f.get("kind") == "number":
                field = forms.DecimalField(
                    label=f["label"], required=f.get("required", False), min_value=0
                )
            elif f.get("kind") == "date":
                field = forms.DateField(
                    label=f["label"], required=f.get("required", False), widget=DATE
                )
            else:
                field = forms.CharField(
                    label=f["label"], required=f.get("required", False), max_length=500
                )
            self.fields[name] = field
        for index, doc in enumerate(campaign.required_documents):
            self.fields[f"doc_{index}"] = forms.FileField(
                label=doc,
                help_text=_("照片或 PDF"),
                widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
            )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        cap = self.campaign.amount_cap
        if cap is not None and amount > cap:
            raise forms.ValidationError(_("申请金额不能超过本活动单笔上限 ¥%(cap)s") % {"cap": cap})
        return amount

    def answers(self) -> dict:
        out = {}
        for f in self.campaign.form_fields:
            value = self.cleaned_data.get(f"answer_{f['key']}")
            if value not in (None, ""):
                out[f["key"]] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return out

    def documents(self) -> list:
        return [
            self.cleaned_data.get(f"doc_{i}") for i in range(len(self.campaign.required_documents))
        ]


class OnBehalfForm(PickMixin, ApplicationForm):
    member = forms.ChoiceField(label=_("职工"))
    field_order = ["member"]

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        cast(forms.ChoiceField, self.fields["member"]).choices = _choices(
            [(m.pk, f"{m.name}（{m.employee_no}，{m.org_unit.name}）") for m in self.members],
            _("请选择"),
        )
        self.order_fields(["member"])

    def clean_member(self):
        member = self._pick(self.members, self.cleaned_data["member"])
        if member is None:
            raise forms.ValidationError(_("请选择职工"))
        return member


class ReviewForm(forms.Form):
    visited_on = forms.DateField(label=_("入户核查日期"), widget=DATE)
    visitors = forms.CharField(label=_("核查人员"), max_length=200)
    findings = forms.CharField(
        label=_("核查情况（加密保存）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("困难类别"), choices=Category.choices)
    amount = forms.DecimalField(
        label=_("建议金额（元）"), required=False, max_digits=12, decimal_places=2, min_value=CENT
    )
    note = forms.CharField(label=_("初审意见"), max_length=1000, required=False)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            self.fields["visited_on"].initial = timezone.localdate()
            self.fields["category"].initial = application.category
            self.fields["amount"].initial = application.amount_requested


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(PickMixin, forms.Form):
    notice_unit = forms.ChoiceField(label=_("公示范围"))
    workdays = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=1, max_value=30, required=False
    )

    def __init__(self, *args, units=(), default_unit=None, default_days=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        cast(forms.ChoiceField, self.fields["notice_unit"]).choices = _choices(
            [(u.pk, u.name) for u in self.units]
        )
        if default_unit is not None:
            self.fields["notice_unit"].initial = str(default_unit.pk)
        if default_days:
            self.fields["workdays"].initial = default_days

    def clean_notice_unit(self):
        unit = self._pick(self.units, self.cleaned_data["notice_unit"])
        if unit is None:
            raise forms.ValidationError(_("请选择公示范围"))
        return unit


class ApproveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("核定金额（元）"), required=False, max_digits=12, decimal_places=2, min_value=CENT
    )
    note = forms.CharField(label=_("审批意见"), max_length=1000, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    anonymous = forms.BooleanField(
        label=_("匿名提出（不记录您的身份）"), required=False, initial=False
    )


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("处理结论"), choices=Objection.Resolution.choices)
    note = forms.CharField(label=_("核实情况和处理说明"), max_length=500)


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或工号"), required=False, max_length=64)
    state = forms.ChoiceField(label=_("状态"), required=False)
    campaign = forms.ChoiceField(label=_("帮扶活动"), required=False)

    def __init__(self, *args, states=(), campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("", _("全部")),
            ("open", _("未办结")),
        ] + list(states)
        cast(forms.ChoiceField, self.fields["campaign"]).choices = _choices(
            [(c.pk, c.name) for c in campaigns], _("全部")
        )
