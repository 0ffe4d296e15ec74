"""The province table's form."""

from __future__ import annotations

from django import forms

from zhijia.women.models import Province


class ProvinceForm(forms.ModelForm):
    class Meta:
        model = Province
        fields = [
            "code",
            "name",
            "extra_days",
            "difficult_extra_days",
            "multiple_extra_days",
            "holidays_extend",
            "paternity_days",
            "regulation",
            "year",
            "confirmed",
            "note",
        ]

    def validate_unique(self) -> None:
        """The action says it (409 with the field), not the form."""
