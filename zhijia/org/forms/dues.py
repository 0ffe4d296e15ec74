"""Forms of the dues pages (会费): a unit and month, the arrears filter."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.org import rules
from zhijia.org.forms.members import UnitChoiceMixin, _set_choices, _unit_choices
from zhijia.org.models import OrgUnit


class DuesMonthForm(UnitChoiceMixin, forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("工会"))
    month = forms.CharField(
        label=gettext_lazy("月份"),
        max_length=10,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, data=None, *, units: list[OrgUnit]):
        today = timezone.localdate()
        initial = {"month": today.strftime("%Y-%m"), "unit": str(units[0].pk) if units else ""}
        super().__init__(data, initial=initial)
        self.units = units
        _set_choices(self.fields["unit"], _unit_choices(units, None))

    def clean_month(self) -> dt.date:
        value = rules.parse_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(_("月份格式应为 2024-03"))
        return value

    def unit_obj(self) -> OrgUnit:
        unit = self._pick(self.units, self.cleaned_data.get("unit"))
        assert unit is not None, "a required choice among self.units"
        return unit


class ArrearsFilterForm(UnitChoiceMixin, forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("工会"), required=False)

    def __init__(self, data=None, *, units: list[OrgUnit]):
        super().__init__(data)
        self.units = units
        _set_choices(self.fields["unit"], _unit_choices(units, _("全部工会")))

    def unit_obj(self) -> OrgUnit | None:
        self.is_valid()
        return self._pick(self.units, getattr(self, "cleaned_data", {}).get("unit"))
