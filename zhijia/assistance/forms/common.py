"""Forms of module assistance: they parse and check input; the actions decide and write.

Choices that depend on the user (members, units, funds, applications) are given by the view
from the queries, so a form never widens what the user may pick.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

CENT = Decimal("0.01")
MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DATE = forms.DateInput(attrs={"type": "date"})


def _money(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        **MONEY,
        **kwargs,
    )


def _choices(items, blank=None):
    out = [("", blank)] if blank is not None else []
    return out + [(str(pk), label) for pk, label in items]


class PickMixin:
    """Turns a chosen id back into one of the objects the view offered."""

    def _pick(self, items, value):
        for item in items:
            if str(item.pk) == str(value):
                return item
        return None


# --- registry -------------------------------------------------------------------------------------


# --- campaigns and applications -------------------------------------------------------------------


# --- ledger ---------------------------------------------------------------------------------------


# --- visits and configuration ---------------------------------------------------------------------
