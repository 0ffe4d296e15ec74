"""Forms of the honours pages: input parsing only; the rules live in
zhijia.services.actions.honours and zhijia.services.honour_rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core.forms import MultipleFileField
from zhijia.services.models import (
    HonourCareItem,
    HonourCriterion,
    HonourStudio,
    HonourStudioProject,
    HonourStudioResult,
)
from zhijia.services.models.honours import HonourKind, HonourLevel

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}
_CHOICE = {"required": _("请选择此项"), "invalid_choice": _("请从列表中选择")}


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("年度"), min_value=1950, max_value=2100, error_messages=_MSG, **kwargs
    )


def _set_units(form, units) -> None:
    """The units of the cadre's scope (tree order, indented by depth)."""
    from zhijia.org.models import OrgUnit

    field = cast(forms.ModelChoiceField, form.fields["org_unit"])
    field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
    field.choices = [("", "---------")] + [
        (u.pk, "　" * getattr(u, "depth", 0) + u.name) for u in units
    ]


class _HonourFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("荣誉类别"), choices=HonourKind.choices, error_messages=_CHOICE
    )
    level = forms.ChoiceField(label=_("级别"), choices=HonourLevel.choices, error_messages=_CHOICE)
    year = _year_field()
    title = forms.CharField(label=_("荣誉称号"), max_length=200, error_messages=_MSG)
    awarding_body = forms.CharField(label=_("授予单位"), max_length=200, error_messages=_MSG)


class HonourForm(_HonourFields):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, error_messages={"required": _("请选择所属工会")}
    )
    member_employee_no = forms.CharField(
        label=_("获得者工号"), max_length=32, required=False, help_text=_("个人荣誉填写")
    )
    team_name = forms.CharField(
        label=_("集体名称"),
        max_length=100,
        required=False,
        help_text=_("集体荣誉填写，如“检修班组”"),
    )
    source_label = forms.CharField(
        label=_("来源"), max_length=200, required=False, help_text=_("如：2025 年技能竞赛")
    )
    source_url = forms.CharField(label=_("来源链接"), max_length=500, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_units(self, list(units))
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class HonourEditForm(_HonourFields):
    team_name = forms.CharField(label=_("集体名称"), max_length=100, required=False)
    source_label = forms.CharField(label=_("来源"), max_length=200, required=False)
    source_url = forms.CharField(label=_("来源链接"), max_length=500, required=False)
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300, error_messages=_MSG)


class DocumentsForm(forms.Form):
    documents = MultipleFileField(
        label=_("证书或文件"), accept="image/*,.pdf,.doc,.docx,.xls,.xlsx"
    )


class HonourFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("荣誉类别"), choices=[("", _("全部类别")), *HonourKind.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", _("全部级别")), *HonourLevel.choices], required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=1950, max_value=2100, required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("active", _("有效")), ("revoked", _("已撤销")), ("", _("全部"))],
        required=False,
    )


# --- care -----------------------------------------------------------------------------------------


class CareRecordForm(forms.Form):
    member_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    item_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=1950, max_value=2100)
    done_on = forms.DateField(label=_("完成日期"), widget=_DATE, error_messages=_MSG)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class CareItemForm(forms.ModelForm):
    class Meta:
        model = HonourCareItem
        fields = ["name", "kind", "level", "due_month"]
        error_messages = {"name": _MSG, "due_month": _MSG}


# --- the "五型" assessment ------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    team_name = forms.CharField(label=_("班组名称"), max_length=100, error_messages=_MSG)
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, error_messages={"required": _("请选择所属工会")}
    )
    year = _year_field()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_units(self, list(units))
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class ScoresForm(forms.Form):
    """Points per criterion (`c<id>`) and, for the team's own, evidence (`e<id>`)."""

    def __init__(
        self, *args, criteria=(), evidence: bool = False, required: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.get_team_type_display()} · {c.title}（{c.max_points} 分）",
                min_value=0,
                max_value=c.max_points,
                decimal_places=1,
                required=required,
                error_messages={
                    **_MSG,
                    "max_value": _("不能超过该项分值"),
                    "min_value": _("不能为负数"),
                    "max_decimal_places": _("最多一位小数"),
                },
            )
            if evidence:
                self.fields[f"e{c.pk}"] = forms.CharField(
                    label=_("佐证说明"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    max_length=2000,
                    required=False,
                )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}

    def evidence(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"e{c.pk}", "") for c in self.criteria}


class SelfAssessmentForm(ScoresForm):
    summary = forms.CharField(
        label=_("创建情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, criteria=criteria, evidence=True, **kwargs)


class ReviewForm(ScoresForm):
    note = forms.CharField(label=_("评审意见"), max_length=500, required=False)
    record_honour = forms.BooleanField(
        label=_("达标即登记“五型”班组荣誉"), required=False, initial=True
    )
    awarding_body = forms.CharField(
        label=_("授予单位"), max_length=200, required=False, help_text=_("不填为班组所属工会")
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, criteria=criteria, required=True, **kwargs)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = HonourCriterion
        fields = ["team_type", "title", "max_points"]
        error_messages = {"title": _MSG, "max_points": _MSG}


class PassMarkForm(forms.Form):
    pass_percent = forms.DecimalField(
        label=_("达标得分率（%）"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        error_messages=_MSG,
    )


# --- studios --------------------------------------------------------------------------------------


class StudioForm(forms.Form):
    name = forms.CharField(label=_("工作室名称"), max_length=100, error_messages=_MSG)
    kind = forms.ChoiceField(
        label=_("类型"), choices=HonourStudio.Kind.choices, error_messages=_CHOICE
    )
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, error_messages={"required": _("请选择所属工会")}
    )
    lead_employee_no = forms.CharField(label=_("领衔人工号"), max_length=32, error_messages=_MSG)
    founded_on = forms.DateField(label=_("命名日期"), widget=_DATE, required=False)
    description = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_units(self, list(units))


class StudioMemberForm(forms.Form):
    employee_no = forms.CharField(label=_("成员工号"), max_length=32, error_messages=_MSG)
    role = forms.CharField(label=_("分工"), max_length=100, required=False)


class StudioProjectForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200, error_messages=_MSG)
    started_on = forms.DateField(label=_("开始日期"), widget=_DATE, error_messages=_MSG)
    ended_on = forms.DateField(label=_("结束日期"), widget=_DATE, required=False)
    description = forms.CharField(
        label=_("项目内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=HonourStudioProject.Status.choices, error_messages=_CHOICE
    )
    ended_on = forms.DateField(label=_("结束日期"), widget=_DATE, required=False)


class StudioResultForm(forms.Form):
    title = forms.CharField(label=_("成果名称"), max_length=200, error_messages=_MSG)
    kind = forms.ChoiceField(
        label=_("成果类型"), choices=HonourStudioResult.Kind.choices, error_messages=_CHOICE
    )
    achieved_on = forms.DateField(label=_("取得日期"), widget=_DATE, error_messages=_MSG)
    benefit = forms.CharField(
        label=_("效益"), max_length=300, required=False, help_text=_("如：年节约成本 12 万元")
    )
    project_id = forms.TypedChoiceField(
        label=_("所属项目"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["project_id"]).choices = [
            ("", _("（不属于某个项目）")),
            *[(p.pk, p.title) for p in projects],
        ]
