"""Forms of the 建家 rounds: open a round, its title tiers, close it with the titles."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("组织单位"), queryset=None, empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), min_value=1950, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=100)
    criteria_set: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("建家标准"), queryset=None, empty_label=None
    )
    due_on = forms.DateField(label=_("自评截止日期"), widget=_DATE)
    branches: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("参评的下级工会"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    tiers = forms.CharField(
        label=_("称号及分数线（每行“称号=分数”）"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, sets, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["criteria_set"].queryset = sets  # type: ignore[attr-defined]
        self.fields["branches"].queryset = branches  # type: ignore[attr-defined]


class TiersForm(forms.Form):
    tiers = forms.CharField(
        label=_("称号及分数线（每行“称号=分数”）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    awarding_body = forms.CharField(label=_("授予单位"), max_length=200, required=False)

    def __init__(self, *args, standings, tier_names, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("不授予"))] + [(n, n) for n in tier_names]
        self.assessment_ids = []
        for row in standings:
            a = row.assessment
            self.assessment_ids.append(a.pk)
            self.fields[f"title_{a.pk}"] = forms.ChoiceField(
                label=a.org_unit.name, choices=choices, required=False, initial=row.suggested
            )

    def titles(self) -> dict[int, str]:
        return {i: self.cleaned_data.get(f"title_{i}", "") for i in self.assessment_ids}
