"""Reads of visits (走访慰问): cadres holding assistance.view_hardship over the member's unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.assistance import permissions as perms
from zhijia.assistance.models import Visit
from zhijia.assistance.queries.common import parse_id, scope_path_q
from zhijia.core import attachments
from zhijia.core.permissions import has_perm
from zhijia.org.models import Member
from zhijia.org.queries.members import members_in_scope


def visits_visible_to(user) -> QuerySet[Visit]:
    return Visit.objects.filter(
        scope_path_q(user, perms.VIEW_HARDSHIP, "org_unit__path")
    ).select_related("member", "org_unit", "campaign", "application", "hardship_file")


def access_visit(user, visit_id: Any) -> Visit:
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied(perms.VIEW_HARDSHIP)
    pk = parse_id(visit_id)
    found = visits_visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def can_manage_visit(user, visit: Visit) -> bool:
    return has_perm(user, perms.MANAGE_VISIT, unit=visit.org_unit)


@dataclass(frozen=True)
class VisitFilters:
    status: str = ""
    kind: str = ""


def list_visits_for_user(user, f: VisitFilters) -> QuerySet[Visit]:
    qs = visits_visible_to(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs.order_by("status", "-visited_on", "-planned_on", "-id")


def photos_of(visit: Visit):
    return attachments.attachments_for(visit)


def members_for_visits(user) -> QuerySet[Member]:
    return members_in_scope(user, perms.MANAGE_VISIT).filter(status=Member.Status.ACTIVE)
