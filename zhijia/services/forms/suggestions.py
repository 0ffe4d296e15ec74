"""Forms of the suggestion pages: input parsing only; the rules live in
zhijia.services.actions.suggestions (a missing reason for not adopting, for instance, is the
action's refusal, shown next to the field)."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core.forms import MultipleFileField
from zhijia.services import suggestion_rules as rules
from zhijia.services.actions.suggestions import rule_message
from zhijia.services.models import Suggestion

_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}
_SPLIT = re.compile(r"[\s,，、;；]+")


def split_numbers(text: str) -> list[str]:
    """工号 separated by spaces, commas or 、."""
    return [n for n in _SPLIT.split(text or "") if n]


def _departments(field) -> None:
    from zhijia.services.queries.suggestions import departments

    cast(forms.ModelChoiceField, field).queryset = departments()


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, error_messages=_MSG)
    category = forms.ChoiceField(
        label=_("类别"),
        choices=Suggestion.Category.choices,
        error_messages={"required": _("请选择类别")},
    )
    department: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("涉及部门"), queryset=None, error_messages={"required": _("请选择涉及部门")}
    )
    problem = forms.CharField(
        label=_("存在的问题"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages=_MSG,
    )
    proposal = forms.CharField(
        label=_("建议内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages=_MSG,
    )
    expected_benefit = forms.CharField(
        label=_("预期效益"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("如节约成本、提高效率、改善安全，能估算金额的请写明"),
    )
    team_name = forms.CharField(
        label=_("团队名称"), max_length=100, required=False, help_text=_("团队提出时填写")
    )
    coauthors = forms.CharField(
        label=_("共同提出人工号"),
        max_length=500,
        required=False,
        help_text=_("多个工号用空格或逗号分隔"),
    )
    attachments = MultipleFileField(label=_("附件"), accept="image/*,.pdf,.doc,.docx,.xls,.xlsx")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _departments(self.fields["department"])


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ReasonForm(forms.Form):
    # Not required here: the action refuses an empty reason (one rule for pages and API).
    reason = forms.CharField(
        label=_("不予采纳的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AdoptForm(forms.Form):
    finance_department: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("效益认定部门"),
        queryset=None,
        required=False,
        help_text=_("实施后由该部门的承办人认定经济效益，一般为财务部"),
    )
    note = forms.CharField(
        label=_("采纳意见"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _departments(self.fields["finance_department"])


class CertifyForm(forms.Form):
    benefit = forms.DecimalField(
        label=_("认定经济效益（元/年）"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages=_MSG,
    )
    note = forms.CharField(
        label=_("认定说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ExpertsForm(forms.Form):
    employee_nos = forms.CharField(
        label=_("评审专家工号"),
        max_length=500,
        error_messages=_MSG,
        help_text=_("多个工号用空格或逗号分隔"),
    )


class ScoreForm(forms.Form):
    """One field per criterion of the suggestion (0–100), and a comment."""

    comment = forms.CharField(
        label=_("评审意见"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, criteria=(), initial_marks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        comment = self.fields.pop("comment")
        for i, c in enumerate(self.criteria):
            self.fields[f"mark_{i}"] = forms.IntegerField(
                label=f"{c.name}（{c.weight}%）",
                min_value=0,
                max_value=100,
                initial=(initial_marks or {}).get(c.name),
                error_messages=_MSG,
            )
        self.fields["comment"] = comment

    def marks(self) -> dict[str, int]:
        return {c.name: self.cleaned_data[f"mark_{i}"] for i, c in enumerate(self.criteria)}


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("实施节点"), max_length=100, error_messages=_MSG)
    workdays = forms.IntegerField(
        label=_("期限（工作日）"), min_value=1, max_value=250, error_messages=_MSG
    )


class MilestoneDoneForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), max_length=300, required=False)


class ConfigForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("工会"), queryset=None, error_messages={"required": _("请选择工会")}
    )
    criteria = forms.CharField(
        label=_("评分标准"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages=_MSG,
        help_text=_("每行一项：名称 权重，权重之和为 100"),
    )
    tiers = forms.CharField(
        label=_("奖励等级"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages=_MSG,
        help_text=_("每行一级：名称 最低认定效益（元） 最低得分 奖金（元）"),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = units

    def clean_criteria(self):
        try:
            return rules.parse_criteria(self.cleaned_data["criteria"])
        except rules.RuleError as exc:
            raise forms.ValidationError(rule_message(exc)) from None

    def clean_tiers(self):
        try:
            return rules.parse_tiers(self.cleaned_data["tiers"])
        except rules.RuleError as exc:
            raise forms.ValidationError(rule_message(exc)) from None
