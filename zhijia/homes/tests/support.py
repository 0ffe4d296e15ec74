"""Helpers of the homes module's tests: a round of the union committee for B1 and B2 on the
default criteria set."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.homes.actions import rounds as round_actions
from zhijia.homes.actions.criteria import ensure_default_set
from zhijia.org.models import OrgUnit


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def open_round(chair, *, codes=("B1", "B2"), year=None):
    top = unit("U")
    return round_actions.do_open_round(
        actor=chair,
        unit=top,
        year=year or timezone.localdate().year,
        title="职工之家建设评比",
        criteria_set=ensure_default_set(unit=top, actor=chair),
        due_on=timezone.localdate() + dt.timedelta(days=30),
        branches=[unit(c) for c in codes],
    )
