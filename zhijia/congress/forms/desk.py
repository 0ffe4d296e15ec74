"""Forms of the congress desk: the roll call's "all present except"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AllPresentExceptForm(forms.Form):
    """The representatives NOT to mark present (ticked as absent); every other one not yet
    checked in is marked present."""

    absent = forms.TypedMultipleChoiceField(
        label=_("缺席的代表"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选没有到会的代表；其余尚未签到的代表都将记为到会。"),
    )

    def __init__(self, *args, reps=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["absent"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (rep.pk, f"{rep.member.employee_no} {rep.member.name}（{rep.unit}）") for rep in reps
        ]
