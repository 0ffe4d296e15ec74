"""Forms of the criteria sets: a copy to change, a criterion added."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CopySetForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("新标准名称"), max_length=100)
    weighted = forms.BooleanField(label=_("按权重计分"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CriterionForm(forms.Form):
    heading = forms.CharField(label=_("类别"), max_length=50)
    title = forms.CharField(label=_("评分项"), max_length=200)
    max_score = forms.CharField(label=_("满分"), max_length=12)
    weight = forms.CharField(label=_("权重"), max_length=12, initial="1")
    evidence_hint = forms.CharField(label=_("佐证材料"), max_length=300, required=False)
    figure_keys = forms.MultipleChoiceField(
        label=_("作为佐证显示的系统数据"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from zhijia.core import figures

        super().__init__(*args, **kwargs)
        self.fields["figure_keys"].choices = [  # type: ignore[attr-defined]
            (f.key, f"{f.label}（{f.unit}）" if f.unit else str(f.label))
            for f in figures.declared()
        ]
