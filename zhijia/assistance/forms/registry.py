"""Forms of the hardship registry (困难职工档案)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.forms.common import DATE, PickMixin, _choices, _money
from zhijia.assistance.models import (
    Category,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    RigidExpense,
)


class FileForm(forms.Form):
    causes = forms.MultipleChoiceField(
        label=_("致困原因"),
        choices=HardshipFile.Cause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    cause_note = forms.CharField(label=_("其他原因说明"), max_length=200, required=False)
    applicant_monthly_income = _money(_("本人月收入（元）"))
    other_monthly_income = _money(
        _("其他月收入（元）"),
        required=False,
        help_text=_("养老金、低保金、赡养费、租金等，不含家庭成员工资"),
    )
    accident_loss = _money(
        _("近一年意外或灾害损失（元）"), required=False, help_text=_("用于判断是否意外致困")
    )
    accident_description = forms.CharField(label=_("损失情况"), max_length=200, required=False)
    medical_details = forms.CharField(
        label=_("病情及治疗情况（加密保存）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewFileForm(PickMixin, FileForm):
    member = forms.ChoiceField(label=_("职工"))
    field_order = ["member"]

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
            raise forms.ValidationError(_("请选择职工"))
        return member


class HouseholdForm(forms.Form):
    relation = forms.ChoiceField(label=_("关系"), choices=HouseholdMember.Relation.choices)
    age = forms.IntegerField(label=_("年龄"), min_value=0, max_value=130)
    monthly_income = _money(_("月收入（元）"), required=False)
    health = forms.ChoiceField(label=_("健康状况"), choices=HouseholdMember.Health.choices)
    note = forms.CharField(label=_("情况说明"), max_length=100, required=False)


class ExpenseForm(forms.Form):
    kind = forms.ChoiceField(label=_("支出类别"), choices=RigidExpense.Kind.choices)
    monthly_amount = _money(_("月均金额（元）"))
    note = forms.CharField(label=_("说明"), max_length=100, required=False)


class FileReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("复核结论"), choices=HardshipReview.Outcome.choices, widget=forms.RadioSelect
    )
    exit_reason = forms.ChoiceField(
        label=_("退出原因（结论为退出时）"),
        choices=[("", "—")] + list(HardshipFile.ExitReason.choices),
        required=False,
    )
    note = forms.CharField(
        label=_("复核意见"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FileExitForm(forms.Form):
    reason = forms.ChoiceField(label=_("退出原因"), choices=HardshipFile.ExitReason.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    exited_on = forms.DateField(label=_("退出日期"), required=False, widget=DATE)


class FileFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或工号"), required=False, max_length=64)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))] + list(HardshipFile.Status.choices),
    )
    category = forms.ChoiceField(
        label=_("困难类别"),
        required=False,
        choices=[("", _("全部"))] + list(Category.choices) + [("none", _("未达标准"))],
    )
    due = forms.BooleanField(label=_("只看待复核"), required=False)
