"""Reads of account activation: who has activated, per unit, for the cadres' list."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from zhijia.accounts.queries.signin import MANAGE_ACTIVATION
from zhijia.core.hooks import directory


def _activated_expression():
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db.models import BooleanField, Case, Q, Value, When

    return Case(
        When(
            Q(user__isnull=False) & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


MAX_ID = 2**63 - 1


def parse_ids(values: Any) -> list[int]:
    """Database ids from user input (ticked rows); anything else, or too large, is dropped."""
    ids = []
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if 0 < number <= MAX_ID:
            ids.append(number)
    return ids


def activation_units(user) -> list:
    """Open units where the user may manage activation, in tree order (with `depth`)."""
    return directory().units_visible_to(user, MANAGE_ACTIVATION)


def activation_unit(user, unit_id) -> Any:
    """A unit where the user may manage activation: 403 if nowhere, 404 outside the scope."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from zhijia.core.permissions import has_perm

    if not has_perm(user, MANAGE_ACTIVATION):
        raise PermissionDenied(MANAGE_ACTIVATION)
    unit = directory().unit(unit_id)
    if unit is None or not has_perm(user, MANAGE_ACTIVATION, unit=unit):
        raise Http404
    return unit


def activation_members(user, *, unit: Any = None, state: str = "") -> QuerySet:
    """在册 members in the user's scope for accounts.manage_activation (within `unit`'s subtree
    when given), each annotated with `activated`, `last_login` and the open code's
    `code_channel` and `code_expires`. `state` "yes" / "no" keeps the activated / the others."""
    from django.db.models import OuterRef, Subquery

    from zhijia.accounts.models import ActivationCode

    now = timezone.now()
    open_codes = ActivationCode.objects.filter(
        user_id=OuterRef("user_id"),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).order_by("-expires_at")
    qs = directory().enrolled_members(user, MANAGE_ACTIVATION)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    qs = qs.annotate(
        activated=_activated_expression(),
        last_login=F("user__last_login"),
        code_channel=Subquery(open_codes.values("channel")[:1]),
        code_expires=Subquery(open_codes.values("expires_at")[:1]),
    )
    if state == "yes":
        qs = qs.filter(activated=True)
    elif state == "no":
        qs = qs.filter(activated=False)
    return qs.order_by("org_unit__path", "employee_no")


def members_for_activation(user, ids, *, unit: Any = None) -> list:
    """The selected members (ids) in scope, or every 在册 member of `unit` when no ids."""
    qs = activation_members(user, unit=unit)
    if ids:
        qs = qs.filter(pk__in=list(ids))
    return list(qs)


def activation_counts(user, units: list) -> list[dict]:
    """Per unit (its subtree): 在册 members and how many have activated, for `units`."""
    from django.db.models import Count, Q

    rows = (
        activation_members(user)
        .order_by()
        .values("org_unit__path")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(activated=True)))
    )
    by_path = [(r["org_unit__path"], r["total"], r["done"]) for r in rows]
    result = []
    for unit in units:
        total = sum(t for p, t, _d in by_path if p.startswith(unit.path))
        done = sum(d for p, _t, d in by_path if p.startswith(unit.path))
        result.append({"unit": unit, "total": total, "done": done})
    return result
