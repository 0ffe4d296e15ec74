"""Forms of volunteering and donation pages: input parsing only; the rules live in
zhijia.services.actions.volunteering."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.services.models import Donation

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


def _unit_fields(form, units) -> None:
    """The units of the cadre's scope (tree order, indented by depth)."""
    from zhijia.org.models import OrgUnit

    qs = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
    labels = [(u.pk, "　" * getattr(u, "depth", 0) + u.name) for u in units]
    org_unit = cast(forms.ModelChoiceField, form.fields["org_unit"])
    audience = cast(forms.ModelMultipleChoiceField, form.fields["audience_units"])
    org_unit.queryset = audience.queryset = qs
    org_unit.choices = [("", "---------"), *labels]
    audience.choices = labels


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=100, error_messages=_MSG)
    description = forms.CharField(
        label=_("项目说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("组织单位"), queryset=None, error_messages={"required": _("请选择组织单位")}
    )
    audience_units: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("面向单位"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则面向组织单位全体会员；每个单位含其下级单位"),
    )
    leader_employee_no = forms.CharField(
        label=_("项目负责人工号"),
        max_length=32,
        required=False,
        help_text=_("选填：负责人可登记和确认本项目的服务时长"),
    )
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _unit_fields(self, list(units))


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_DT, error_messages=_MSG)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_DT, error_messages=_MSG)
    place = forms.CharField(label=_("地点"), max_length=200, error_messages=_MSG)
    places = forms.IntegerField(
        label=_("需要人数"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("请填写需要人数"),
            "invalid": _("请填写整数"),
            "min_value": _("至少 1 人"),
            "max_value": _("不能超过 500 人"),
        },
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=200, error_messages={"required": _("请填写理由")}
    )


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("服务时长（小时）"),
        required=False,
        min_value=0,
        max_value=24,
        decimal_places=1,
        max_digits=3,
        help_text=_("不填则按班次时长"),
        error_messages={"invalid": _("请填写数字，如 2.5")},
    )
    reason = forms.CharField(
        label=_("调整原因"), max_length=200, required=False, help_text=_("与班次时长不同时必填")
    )


class DriveForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages=_MSG)
    purpose = forms.CharField(
        label=_("募捐用途"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("发起单位"), queryset=None, error_messages={"required": _("请选择发起单位")}
    )
    audience_units: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("面向单位"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则面向发起单位全体会员"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=_DATE, error_messages=_MSG)
    ends_on = forms.DateField(label=_("结束日期"), widget=_DATE, error_messages=_MSG)
    accepts_money = forms.BooleanField(label=_("接受捐款"), required=False, initial=True)
    accepts_goods = forms.BooleanField(label=_("接受捐物"), required=False)
    fund_id = forms.TypedChoiceField(
        label=_("捐款入账的帮扶资金"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("捐款记入该资金的台账，不另设账本"),
    )
    show_amounts = forms.BooleanField(label=_("鸣谢名单显示金额"), required=False)

    def __init__(self, *args, units=(), funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        _unit_fields(self, list(units))
        fund = cast(forms.TypedChoiceField, self.fields["fund_id"])
        fund.choices = [("", "---------")] + [(f.id, f.label) for f in funds]


class _DonationFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=Donation.Kind.choices,
        widget=forms.RadioSelect,
        initial=Donation.Kind.MONEY,
        error_messages={"required": _("请选择捐款或捐物")},
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": _("请填写金额，如 200 或 50.5")},
    )
    goods = forms.CharField(
        label=_("物品及数量"),
        max_length=300,
        required=False,
        help_text=_("捐物时填写，如：冬衣 3 件"),
    )
    display = forms.ChoiceField(
        label=_("鸣谢名单"),
        choices=Donation.Display.choices,
        widget=forms.RadioSelect,
        initial=Donation.Display.FULL,
    )


class PledgeForm(_DonationFields):
    pass


class DonationForm(_DonationFields):
    donor_employee_no = forms.CharField(
        label=_("会员工号"), max_length=32, required=False, help_text=_("会员捐赠填工号")
    )
    donor_name = forms.CharField(
        label=_("捐赠人（非会员）"),
        max_length=100,
        required=False,
        help_text=_("单位或个人名称；填了工号则不必填"),
    )
    donated_on = forms.DateField(
        label=_("捐赠日期"), widget=_DATE, required=False, error_messages=_MSG
    )

    field_order = ["donor_employee_no", "donor_name", "kind", "amount", "goods", "donated_on"]


class ConfirmDonationForm(forms.Form):
    received_on = forms.DateField(
        label=_("收到日期"), widget=_DATE, required=False, error_messages=_MSG
    )
