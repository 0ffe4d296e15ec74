"""Reads of mediation cases (劳动争议调解): who sees which case, the lists, the mediators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.cases.models import (
    MediationCase,
)
from zhijia.cases.permissions import (
    MANAGE_MEDIATION,
    VIEW_MEDIATION,
)
from zhijia.core.permissions import has_perm, holders, scope_q
from zhijia.org.queries.members import parse_id


def mediations_visible_to(user) -> QuerySet[MediationCase]:
    if not getattr(user, "is_authenticated", False):
        return MediationCase.objects.none()
    q = Q(applicant=user)
    if has_perm(user, VIEW_MEDIATION):
        q |= scope_q(user, VIEW_MEDIATION, path_field="org_unit__path")
    return MediationCase.objects.filter(q).exclude(state="")


def access_mediation(user, case_id: Any) -> MediationCase:
    pk = parse_id(case_id)
    found = (
        mediations_visible_to(user)
        .select_related("applicant", "org_unit", "mediator")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if found is None:
        raise Http404
    return found


def mediation_list(user, *, state: str = "") -> QuerySet[MediationCase]:
    if not has_perm(user, VIEW_MEDIATION):
        raise PermissionDenied(VIEW_MEDIATION)
    qs = MediationCase.objects.filter(
        scope_q(user, VIEW_MEDIATION, path_field="org_unit__path")
    ).exclude(state="")
    if state == "open":
        qs = qs.filter(state__in=["requested", "mediating"])
    elif state:
        qs = qs.filter(state=state)
    return qs.select_related("applicant", "org_unit", "mediator").order_by(
        F("deadline_at").asc(nulls_last=True), "-requested_on", "-pk"
    )


def my_mediations(user) -> QuerySet[MediationCase]:
    if not getattr(user, "is_authenticated", False):
        return MediationCase.objects.none()
    return MediationCase.objects.filter(applicant=user).exclude(state="").order_by("-requested_on")


def mediators_for(case: MediationCase) -> list[User]:
    """Mediators who hold cases.manage_mediation over the case's unit."""
    return holders(MANAGE_MEDIATION, case.org_unit)


def mediator_choices(case: MediationCase) -> QuerySet[User]:
    """The mediators of `mediators_for(case)` as a queryset: a mediator named by id in a
    request is one of them (else 404)."""
    return User.objects.filter(pk__in=[u.pk for u in mediators_for(case)])


def may_manage_mediation(user, case: MediationCase) -> bool:
    return has_perm(user, MANAGE_MEDIATION, unit=case.org_unit)


def arbitration_open(case: MediationCase) -> bool:
    """Whether the applicant may now apply for arbitration (Art. 14): the 15-day period has
    passed without an agreement, or mediation was refused or ended without one."""
    if case.in_state("failed", "declined"):
        return True
    return case.in_state("requested", "mediating") and (
        case.escalation_level >= 1
        or (case.deadline_at is not None and case.deadline_at < timezone.now())
    )
