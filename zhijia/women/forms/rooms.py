"""Forms of nursing rooms and their bookings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RoomForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属工会"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("名称"), max_length=60)
    place = forms.CharField(label=_("位置"), max_length=120)
    seats = forms.IntegerField(label=_("同时可用位置数"), min_value=1, max_value=20, initial=1)
    opens_at = forms.TimeField(label=_("开放时间"), widget=_TIME, initial="08:00")
    closes_at = forms.TimeField(label=_("关闭时间"), widget=_TIME, initial="18:00")
    facilities = forms.CharField(label=_("设施"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]


class BookingForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=_DATE)
    starts = forms.TimeField(label=_("时段"))
