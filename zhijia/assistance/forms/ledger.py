"""Forms of the assistance fund ledger (帮扶资金台账)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.forms.common import DATE, PickMixin, _choices, _money
from zhijia.assistance.models import (
    LedgerEntry,
)


class IncomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("收入类型"),
        choices=[(k.value, k.label) for k in LedgerEntry.INCOME_KINDS],
    )
    amount = _money(_("金额（元）"))
    description = forms.CharField(label=_("摘要"), max_length=200)
    counterparty = forms.CharField(label=_("拨款单位或捐赠人"), max_length=100, required=False)
    booked_on = forms.DateField(label=_("记账日期"), required=False, widget=DATE)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=150)


class RunForm(forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=100, required=False)
    applications = forms.MultipleChoiceField(
        label=_("发放的申请"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, payable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.payable = list(payable)
        cast(forms.ChoiceField, self.fields["applications"]).choices = [
            (str(a.pk), f"{a.number or a.pk} {a.member.name}（{a.org_unit.name}）¥{a.amount}")
            for a in self.payable
        ]

    def chosen(self) -> list:
        ids = set(self.cleaned_data["applications"])
        return [a for a in self.payable if str(a.pk) in ids]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class ReconciliationForm(PickMixin, forms.Form):
    unit = forms.ChoiceField(label=_("单位"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    payroll = forms.DecimalField(
        label=_("全年工资总额（元）"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=0,
        help_text=_("财务部门提供的数字；留空按会员名册的月工资估算"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        cast(forms.ChoiceField, self.fields["unit"]).choices = _choices(
            [(u.pk, u.name) for u in self.units]
        )

    def clean_unit(self):
        unit = self._pick(self.units, self.cleaned_data["unit"])
        if unit is None:
            raise forms.ValidationError(_("请选择单位"))
        return unit
