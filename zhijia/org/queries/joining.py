"""Reads of online joining: where one may apply, the review queue, the applicant's lookup."""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.core import crypto, receipts
from zhijia.core.pagination import Page, page_of
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org import rules
from zhijia.org.models import Department, JoinApplication, Member, OrgUnit
from zhijia.org.queries.members import parse_id, tree_order
from zhijia.org.workflows import REVIEW_JOIN

# The receipt-code rate limit's scope (zhijia.core.receipts) of the status page.
RECEIPT_SCOPE = "org.join"
PENDING = "submitted"
STATE_FILTERS = ("submitted", "overdue", "approved", "refused", "all")


def _open_units() -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.all()
    # Units closed by the org-structure management (OrgUnit.closed_at, where present) take no
    # new members.
    if any(f.name == "closed_at" for f in OrgUnit._meta.get_fields()):
        qs = qs.filter(**{"closed_at__isnull": True})
    return qs


def join_units() -> list[OrgUnit]:
    """Branch unions and union groups open to applications, in tree order, each with `depth`
    (the committee itself is not a unit one joins: one joins through a branch)."""
    units = tree_order(list(_open_units()))
    return [u for u in units if u.kind != OrgUnit.Kind.COMMITTEE]


def join_unit(unit_id: Any) -> OrgUnit | None:
    """The unit an applicant chose, if it is one that takes applications."""
    pk = parse_id(unit_id)
    if pk is None:
        return None
    return _open_units().exclude(kind=OrgUnit.Kind.COMMITTEE).filter(pk=pk).first()


def join_departments() -> list[Department]:
    return list(Department.objects.order_by("path"))


def join_department(department_id: Any) -> Department | None:
    pk = parse_id(department_id)
    return Department.objects.filter(pk=pk).first() if pk is not None else None


# --- duplicates (for the action) ----------------------------------------------------------------


def member_with_id_number(id_number: str) -> Member | None:
    return Member.objects.filter(id_number_digest=crypto.digest(id_number)).first()


def pending_with_id_number(id_number: str) -> JoinApplication | None:
    return JoinApplication.objects.filter(
        id_number_digest=crypto.digest(id_number), state=PENDING
    ).first()


def employee_no_taken(employee_no: str) -> bool:
    return Member.objects.filter(employee_no=employee_no).exists()


# --- the applicant's lookup ---------------------------------------------------------------------


def find_by_receipt(code: str, phone_last4: str) -> JoinApplication | None:
    """The application of a receipt code whose phone ends with `phone_last4`; None for a
    malformed or unknown code or the wrong digits (one answer: nothing is given away)."""
    digest = receipts.receipt_digest(code)
    tail = rules.normalize_phone(phone_last4)
    if not digest or len(tail) != 4 or not tail.isdigit():
        return None
    found = (
        JoinApplication.objects.select_related("org_unit", "member")
        .filter(receipt_digest=digest)
        .first()
    )
    if found is None or not hmac.compare_digest(found.phone[-4:], tail):
        return None
    return found


# --- the review queue ---------------------------------------------------------------------------


def applications_visible_to(user) -> QuerySet[JoinApplication]:
    """Applications to units within the user's org.review_join scope."""
    return JoinApplication.objects.filter(scope_q(user, REVIEW_JOIN)).select_related(
        "org_unit", "department", "member", "reviewed_by"
    )


def may_review(user) -> bool:
    return has_perm(user, REVIEW_JOIN)


def list_applications_for_user(user, state: str = PENDING) -> QuerySet[JoinApplication]:
    """The queue: pending ones first due first; decided ones newest first."""
    qs = applications_visible_to(user)
    if state == "overdue":
        return qs.filter(state=PENDING, deadline_at__lt=timezone.now()).order_by(
            "deadline_at", "pk"
        )
    if state == PENDING:
        return qs.filter(state=PENDING).order_by("deadline_at", "pk")
    if state in ("approved", "refused"):
        return qs.filter(state=state).order_by("-reviewed_at", "-pk")
    return qs.order_by("-submitted_at", "-pk")


def page_applications(
    user, state: str = PENDING, page: Any = 1, per_page: int = 50, *, clamp: bool = True
) -> Page:
    return page_of(list_applications_for_user(user, state), page, per_page, clamp=clamp)


def count_pending(user) -> tuple[int, int]:
    """(pending, overdue) in the user's scope."""
    qs = applications_visible_to(user).filter(state=PENDING)
    return qs.count(), qs.filter(deadline_at__lt=timezone.now()).count()


def access_join_application(user, application_id: Any) -> JoinApplication:
    """The application, or 404 when it does not exist or lies outside the user's scope."""
    pk = parse_id(application_id)
    found = applications_visible_to(user).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise Http404
    return found
