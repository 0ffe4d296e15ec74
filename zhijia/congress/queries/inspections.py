"""Reads of inspection tours (代表巡视) and rectification items (整改事项).

Visibility (404 for anything else):
  tours  cadres/leaders holding congress.manage_inspection or congress.view_inspection over the
         tour's unit; the tour's participants.
  items  the same people as the item's tour; handlers holding congress.rectify_inspection over
         the item's owner department.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from zhijia.congress.models import (
    InspectionFinding,
    InspectionParticipant,
    InspectionTour,
    RectificationItem,
)
from zhijia.congress.permissions import (
    MANAGE_INSPECTION,
    RECTIFY_INSPECTION,
    VIEW_INSPECTION,
)
from zhijia.core import permissions
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import OrgUnit


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scope(user, code: str, path_field: str) -> Q:
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


def _cadre_q(user, path_field: str) -> Q:
    return _scope(user, MANAGE_INSPECTION, path_field) | _scope(user, VIEW_INSPECTION, path_field)


def tours_visible_to(user) -> QuerySet[InspectionTour]:
    if not _authenticated(user):
        return InspectionTour.objects.none()
    taking_part = InspectionParticipant.objects.filter(tour=OuterRef("pk"), user=user)
    return InspectionTour.objects.filter(
        _cadre_q(user, "org_unit__path") | Q(Exists(taking_part))
    ).select_related("org_unit", "session")


def access_tour(user, tour_id) -> InspectionTour:
    try:
        pk = int(tour_id)
    except (TypeError, ValueError):
        raise Http404 from None
    tour = tours_visible_to(user).filter(pk=pk).first()
    if tour is None:
        raise Http404
    return tour


def can_manage_tour(user, tour: InspectionTour) -> bool:
    return has_perm(user, MANAGE_INSPECTION, unit=tour.org_unit)


def is_participant(user, tour: InspectionTour) -> bool:
    if not _authenticated(user):
        return False
    return InspectionParticipant.objects.filter(tour=tour, user=user).exists()


def can_report_finding(user, tour: InspectionTour) -> bool:
    return can_manage_tour(user, tour) or is_participant(user, tour)


def may_see_tours(user) -> bool:
    """Cadres and leaders with an inspection permission, representatives, participants."""
    from zhijia.congress.queries.proposals import is_representative

    if not _authenticated(user):
        return False
    return (
        has_perm(user, MANAGE_INSPECTION)
        or has_perm(user, VIEW_INSPECTION)
        or is_representative(user)
        or InspectionParticipant.objects.filter(user=user).exists()
    )


def is_rectification_handler(user) -> bool:
    return _authenticated(user) and has_perm(user, RECTIFY_INSPECTION)


def units_for_tours(user) -> QuerySet[OrgUnit]:
    """Units in which the user may organise tours (for the creation form)."""
    return OrgUnit.objects.filter(scope_q(user, MANAGE_INSPECTION, path_field="path")).order_by(
        "path"
    )


def participants_of(tour: InspectionTour) -> list[InspectionParticipant]:
    return list(tour.participants.all())


def findings_of(tour: InspectionTour) -> list[InspectionFinding]:
    return list(
        tour.findings.select_related("rectification", "rectification__department").order_by("id")
    )


def finding_of_tour(tour: InspectionTour, finding_id) -> InspectionFinding:
    try:
        pk = int(finding_id)
    except (TypeError, ValueError):
        raise Http404 from None
    finding = tour.findings.filter(pk=pk).first()
    if finding is None:
        raise Http404
    return finding


def access_finding(user, finding_id) -> InspectionFinding:
    try:
        pk = int(finding_id)
    except (TypeError, ValueError):
        raise Http404 from None
    finding = (
        InspectionFinding.objects.filter(pk=pk, tour__in=tours_visible_to(user))
        .select_related("tour", "tour__org_unit")
        .first()
    )
    if finding is None:
        raise Http404
    return finding


# --- rectification items -------------------------------------------------------------------------


def _handler_q(user) -> Q:
    if not permissions.department_prefixes(user, RECTIFY_INSPECTION):
        return Q(pk__in=[])
    return _scope(user, RECTIFY_INSPECTION, "department__path")


def items_visible_to(user) -> QuerySet[RectificationItem]:
    if not _authenticated(user):
        return RectificationItem.objects.none()
    taking_part = InspectionParticipant.objects.filter(tour=OuterRef("finding__tour"), user=user)
    return RectificationItem.objects.filter(
        _cadre_q(user, "org_unit__path") | Q(Exists(taking_part)) | _handler_q(user)
    ).select_related("finding", "finding__tour", "department", "org_unit")


def access_item(user, item_id) -> RectificationItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    item = items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def late_first(qs: QuerySet[RectificationItem]) -> QuerySet[RectificationItem]:
    now = timezone.now()
    return qs.annotate(
        late=Case(
            When(Q(deadline_at__lt=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by(F("late").desc(), F("deadline_at").asc(nulls_last=True), "-id")


def items_for(user, *, state: str = "", mine_only: bool = False) -> QuerySet[RectificationItem]:
    """The items list: late first. `mine_only`: only those of the user's departments."""
    qs = items_visible_to(user)
    if mine_only:
        qs = qs.filter(_handler_q(user))
    if state:
        qs = qs.filter(state=state)
    return late_first(qs)


def items_of_tour(tour: InspectionTour) -> QuerySet[RectificationItem]:
    return late_first(
        RectificationItem.objects.filter(finding__tour=tour).select_related("department", "finding")
    )
