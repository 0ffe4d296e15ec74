"""Forms of survey pages: input parsing only; the rules live in actions.surveys and
survey_rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core.satisfaction import Satisfaction
from zhijia.services import survey_rules as rules
from zhijia.services.models import Survey, SurveyQuestion

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.path_label()


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.path_label()


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, error_messages=_MSG)
    intro = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("填写前给职工看的说明：目的、用时、如何使用结果"),
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=Survey.Kind.choices,
        initial=Survey.Kind.GENERAL,
        widget=forms.RadioSelect,
        help_text=_("会前征求意见：职工建议的议题汇总到职代会议程（请添加“建议议题”题）"),
    )
    anonymous = forms.BooleanField(
        label=_("匿名填写（不记录填写人，结果不能对应到个人）"), required=False, initial=True
    )
    org_unit = UnitChoice(
        label=_("发起组织"),
        queryset=None,
        error_messages={"required": _("请选择发起组织"), "invalid_choice": _("请选择发起组织")},
    )
    audience = UnitsChoice(
        label=_("调查对象（含下级组织）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选：发起组织及其下级组织的全体会员"),
    )
    opens_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=_DT,
        required=False,
        error_messages=_MSG,
        help_text=_("不填：发布后立即开始"),
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"),
        widget=_DT,
        required=False,
        error_messages=_MSG,
        help_text=_("不填：直到手动结束"),
    )

    def __init__(self, *args, units=None, lock_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = units
        cast(forms.ModelMultipleChoiceField, self.fields["audience"]).queryset = units
        if lock_unit:
            del self.fields["org_unit"]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("题型"), choices=[("", "—")] + list(SurveyQuestion.Kind.choices), required=False
    )
    text = forms.CharField(label=_("题目"), max_length=300, required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    options = forms.CharField(
        label=_("选项（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("单选、多选、矩阵题"),
    )
    rows = forms.CharField(
        label=_("矩阵的行（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    min_picks = forms.IntegerField(label=_("最少选"), required=False, min_value=0, max_value=50)
    max_picks = forms.IntegerField(
        label=_("最多选"), required=False, min_value=0, max_value=50, help_text=_("0 或不填：不限")
    )
    scale = forms.ChoiceField(
        label=_("评分方式"), choices=SurveyQuestion.Scale.choices, required=False
    )

    def as_question(self) -> dict | None:
        """The question as the action takes it; None for an empty row."""
        data = self.cleaned_data
        if not data.get("text") and not data.get("kind"):
            return None
        return {
            "kind": data.get("kind") or "",
            "text": data.get("text") or "",
            "required": bool(data.get("required")),
            "options": data.get("options") or "",
            "rows": data.get("rows") or "",
            "min_picks": data.get("min_picks") or 0,
            "max_picks": data.get("max_picks") or 0,
            "scale": data.get("scale") or rules.STARS,
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, max_num=100, absolute_max=100)


def question_initial(question: SurveyQuestion) -> dict:
    return {
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "options": "\n".join(question.options or []),
        "rows": "\n".join(question.rows or []),
        "min_picks": question.min_picks or None,
        "max_picks": question.max_picks or None,
        "scale": question.scale,
    }


class AnswerForm(forms.Form):
    """One field per question, named answers.<question id> (as in the API body); cleaned
    further by the rules."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.matrix_fields: dict[str, list[str]] = {}
        for q in questions:
            name = f"answers.{q.pk}"
            label = q.text
            choices = [(str(i), o) for i, o in enumerate(q.options or [])]
            if q.kind == rules.SINGLE:
                field: forms.Field = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect, required=False
                )
            elif q.kind == rules.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            elif q.kind == rules.RATING and q.scale == rules.SATISFACTION:
                field = forms.ChoiceField(
                    label=label,
                    choices=Satisfaction.choices,
                    widget=forms.RadioSelect,
                    required=False,
                )
            elif q.kind == rules.RATING:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(str(i), f"{i} ★") for i in range(1, rules.MAX_STARS + 1)],
                    widget=forms.RadioSelect(attrs={"class": "stars"}),
                    required=False,
                )
            elif q.kind == rules.MATRIX:
                names = []
                for r, row in enumerate(q.rows or []):
                    sub = f"{name}_{r}"
                    self.fields[sub] = forms.ChoiceField(
                        label=row, choices=choices, widget=forms.RadioSelect, required=False
                    )
                    names.append(sub)
                self.matrix_fields[name] = names
                continue
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=rules.MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("每行写一个议题") if q.kind == rules.TOPIC else "",
                )
            field.required_mark = q.required  # type: ignore[attr-defined]
            self.fields[name] = field

    def answers(self) -> dict:
        """question key -> raw value, for survey_rules.clean_answers."""
        data = self.cleaned_data
        out: dict = {}
        for q in self.questions:
            name = f"answers.{q.pk}"
            if q.kind == rules.MATRIX:
                out[q.key] = {
                    str(r): data.get(sub) or ""
                    for r, sub in enumerate(self.matrix_fields.get(name, []))
                }
            else:
                out[q.key] = data.get(name)
        return out

    def rows(self):
        """(question, fields) in order, for the template: a matrix question has one field per
        row."""
        for q in self.questions:
            name = f"answers.{q.pk}"
            if q.kind == rules.MATRIX:
                yield q, [self[sub] for sub in self.matrix_fields.get(name, [])], name
            else:
                yield q, [self[name]], name
