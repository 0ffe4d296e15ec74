"""Forms of the competition pages: input parsing only; the rules live in
zhijia.services.actions.competitions."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.services import competition_rules as rules
from zhijia.services.models import Competition, CompetitionEntry

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}
_INT = {
    "required": _("请填写此项"),
    "invalid": _("请填写整数"),
    "min_value": _("不能小于 %(limit_value)s"),
    "max_value": _("不能大于 %(limit_value)s"),
}

TIE_RULE_LABELS = {
    "first_item": _("第一评分项得分高者在前"),
    "items": _("依次比较各评分项得分"),
    "finish": _("完成时间早者在前"),
}


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("竞赛名称"), max_length=100, error_messages=_MSG)
    kind = forms.ChoiceField(label=_("竞赛类型"), choices=Competition.Kind.choices)
    theme = forms.CharField(
        label=_("竞赛主题"),
        max_length=100,
        required=False,
        help_text=_("如：重点工程、降本增效、节能减排，或自拟"),
    )
    rules = forms.CharField(
        label=_("竞赛规则"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("主办单位"), queryset=None, error_messages={"required": _("请选择主办单位")}
    )
    audience_units: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("面向单位"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则面向主办单位全体会员；每个单位含其下级单位"),
    )
    entry_mode = forms.ChoiceField(
        label=_("参赛方式"),
        choices=Competition.EntryMode.choices,
        initial=Competition.EntryMode.BOTH,
    )
    tie_rules = forms.MultipleChoiceField(
        label=_("总分相同时依次比较"),
        choices=list(TIE_RULE_LABELS.items()),
        initial=["first_item", "finish"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("按所列顺序比较；全部相同则名次并列"),
    )
    drop_extremes = forms.BooleanField(
        label=_("评委 5 人及以上时去掉一个最高分和一个最低分"), required=False
    )
    publicity_workdays = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=0, max_value=30, initial=5, error_messages=_INT
    )
    prizes_first = forms.IntegerField(
        label=_("一等奖名额"), min_value=0, max_value=100, initial=1, error_messages=_INT
    )
    prizes_second = forms.IntegerField(
        label=_("二等奖名额"), min_value=0, max_value=100, initial=2, error_messages=_INT
    )
    prizes_third = forms.IntegerField(
        label=_("三等奖名额"), min_value=0, max_value=100, initial=3, error_messages=_INT
    )
    honour_title = forms.CharField(
        label=_("授予称号"), max_length=50, required=False, help_text=_("如：技术能手")
    )
    honour_count = forms.IntegerField(
        label=_("称号名额（前 N 名）"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
        error_messages=_INT,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        from zhijia.org.models import OrgUnit

        units = list(units)
        qs = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
        labels = [(u.pk, "　" * getattr(u, "depth", 0) + u.name) for u in units]
        org_unit = cast(forms.ModelChoiceField, self.fields["org_unit"])
        audience = cast(forms.ModelMultipleChoiceField, self.fields["audience_units"])
        org_unit.queryset = audience.queryset = qs
        org_unit.choices = [("", "---------"), *labels]
        audience.choices = labels

    def clean_tie_rules(self):
        return ["total", *[r for r in rules.TIE_RULES if r in self.cleaned_data["tie_rules"]]]


class ItemForm(forms.Form):
    name = forms.CharField(label=_("评分项"), max_length=100, error_messages=_MSG)
    weight = forms.DecimalField(
        label=_("权重（%）"), min_value=0, max_value=100, decimal_places=2, error_messages=_MSG
    )
    max_points = forms.DecimalField(
        label=_("满分"),
        min_value=0,
        max_value=1000,
        decimal_places=2,
        initial=100,
        error_messages=_MSG,
    )


class StageForm(forms.Form):
    name = forms.CharField(label=_("阶段名称"), max_length=50, error_messages=_MSG)
    advance_count = forms.IntegerField(
        label=_("前 N 名晋级下一阶段"),
        min_value=1,
        max_value=10000,
        required=False,
        error_messages=_INT,
        help_text=_("选填；名次并列于分界处的均晋级"),
    )
    advance_min_total = forms.DecimalField(
        label=_("或：加权总分不低于"),
        min_value=0,
        max_value=1000,
        decimal_places=2,
        required=False,
        error_messages=_MSG,
    )


class JudgeForm(forms.Form):
    employee_no = forms.CharField(label=_("评委工号"), max_length=32, error_messages=_MSG)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=200, error_messages={"required": _("请填写理由")}
    )


class EntryForm(forms.Form):
    """A member's registration: themselves, or a team they lead."""

    kind = forms.ChoiceField(
        label=_("参赛方式"),
        choices=CompetitionEntry.Kind.choices,
        widget=forms.RadioSelect,
        initial=CompetitionEntry.Kind.PERSON,
    )
    team_name = forms.CharField(label=_("团队名称"), max_length=100, required=False)
    members = forms.CharField(
        label=_("队员工号"),
        max_length=1000,
        required=False,
        help_text=_("团队参赛时填写，多个工号用空格或逗号分隔（不含您本人）"),
    )

    def clean_members(self) -> list[str]:
        raw = self.cleaned_data.get("members") or ""
        return [n for n in raw.replace("，", ",").replace(",", " ").split() if n]


class TeamForm(forms.Form):
    """A cadre's team of one of their units."""

    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("参赛单位"), queryset=None, error_messages={"required": _("请选择参赛单位")}
    )
    team_name = forms.CharField(label=_("团队名称"), max_length=100, error_messages=_MSG)
    leader = forms.CharField(label=_("队长工号"), max_length=32, error_messages=_MSG)
    members = forms.CharField(
        label=_("队员工号"),
        max_length=1000,
        error_messages=_MSG,
        help_text=_("多个工号用空格或逗号分隔（不含队长）"),
    )

    def __init__(self, *args, units=(), **kwargs):
        # its own element ids: the member's EntryForm is on the same page
        kwargs.setdefault("auto_id", "team_%s")
        super().__init__(*args, **kwargs)
        from zhijia.org.models import OrgUnit

        units = list(units)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
        field.choices = [("", "---------"), *[(u.pk, u.name) for u in units]]

    def clean_members(self) -> list[str]:
        raw = self.cleaned_data.get("members") or ""
        return [n for n in raw.replace("，", ",").replace(",", " ").split() if n]


class ScoreForm(forms.Form):
    """A judge's points for one entry: one field per item (item_<id>), and the finish time."""

    finished_at = forms.DateTimeField(
        label=_("完成时间"), widget=_DT, required=False, error_messages=_MSG
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=_("%(name)s（满分 %(max)s）")
                % {"name": item.name, "max": item.max_points.normalize()},
                min_value=0,
                max_value=item.max_points,
                decimal_places=2,
                error_messages=_MSG,
            )

    def points(self) -> dict[int, object]:
        return {
            int(name[5:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("回避原因"),
        max_length=200,
        error_messages={"required": _("请填写回避原因")},
        help_text=_("如：同一班组、亲属关系"),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("请填写异议理由")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请填写答复")},
    )
