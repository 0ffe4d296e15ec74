"""Forms of the interest-group pages: input parsing only; the rules live in actions/clubs.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.org.models import OrgUnit
from zhijia.services.queries import activities as queries

_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


def _units_for(user):
    return queries.manageable_units(user)


class ClubForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, error_messages=_MSG)
    org_unit = forms.ModelChoiceField(
        label=_("所属工会"),
        queryset=OrgUnit.objects.none(),
        error_messages={"required": _("请选择所属工会"), "invalid_choice": _("请选择所属工会")},
    )
    description = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units_for(user)  # type: ignore[attr-defined]


class JoinClubForm(forms.Form):
    note = forms.CharField(label=_("申请说明（选填）"), max_length=200, required=False)
