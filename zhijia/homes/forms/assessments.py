"""Forms of a branch's 建家 assessment: the self-assessment (a score and evidence per
criterion), evidence files, the committee's review (a score and a comment per criterion) and
its return. Scores are read as text and checked by the action (rules.check_score), whose
Chinese message lands next to the criterion's field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core.forms import MultipleFileField
from zhijia.homes.actions.assessments import score_field


def plain(value) -> str:
    """A score as typed: 10, 9.5 (never 1E+1 nor 10.00)."""
    return "" if value is None else f"{value.normalize():f}"


_SCORE = {"inputmode": "decimal", "autocomplete": "off", "class": "score-input"}


class SelfAssessmentForm(forms.Form):
    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        for s in scores:
            c = s.criterion
            self.fields[score_field(c.pk)] = forms.CharField(
                label=_("自评分（满分 %(max)s）") % {"max": plain(c.max_score)},
                max_length=12,
                required=False,
                initial=plain(s.self_score),
                widget=forms.TextInput(attrs=_SCORE),
            )
            self.fields[f"evidence_{c.pk}"] = forms.CharField(
                label=_("佐证说明"),
                max_length=2000,
                required=False,
                initial=s.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.criterion_ids = [s.criterion_id for s in scores]

    def scores(self) -> dict[int, tuple[object, str]]:
        d = self.cleaned_data
        return {
            cid: (d.get(score_field(cid), ""), d.get(f"evidence_{cid}", ""))
            for cid in self.criterion_ids
        }


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("总体评审意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        for s in scores:
            c = s.criterion
            self.fields[score_field(c.pk, "review")] = forms.CharField(
                label=_("评审分（满分 %(max)s）") % {"max": plain(c.max_score)},
                max_length=12,
                required=False,
                initial=plain(s.review_score),
                widget=forms.TextInput(attrs=_SCORE),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("评审意见"), max_length=300, required=False, initial=s.review_comment
            )
        self.criterion_ids = [s.criterion_id for s in scores]

    def reviews(self) -> dict[int, tuple[object, str]]:
        d = self.cleaned_data
        return {
            cid: (d.get(score_field(cid, "review"), ""), d.get(f"comment_{cid}", ""))
            for cid in self.criterion_ids
        }


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("退回原因"), max_length=500)


class EvidenceForm(forms.Form):
    documents = MultipleFileField(
        label=_("佐证材料（图片、PDF、Word、Excel）"), accept="image/*,.pdf,.docx,.xlsx"
    )
