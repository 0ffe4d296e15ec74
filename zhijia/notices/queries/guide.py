"""Reads of the service guide: public within the signed-in union (any signed-in user reads any
unit's guide); a member is shown the guides of their own unit and of the units above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from zhijia.core.permissions import has_perm
from zhijia.notices.models import ServiceGuide
from zhijia.notices.permissions import EDIT_GUIDE
from zhijia.org.models import OrgUnit
from zhijia.org.queries import members as org_queries


@dataclass
class UnitGuide:
    unit: OrgUnit
    guide: ServiceGuide | None


def root_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()


def access_guide_unit(user, unit_id: Any) -> OrgUnit:
    """The unit whose guide is asked for (open units only), else 404."""
    pk = org_queries.parse_id(unit_id)
    unit = OrgUnit.objects.filter(pk=pk, closed_at__isnull=True).first() if pk else None
    if unit is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return unit


def access_guide_to_edit(user, unit_id: Any) -> OrgUnit:
    """The unit whose guide the user edits: 404 unknown, 403 outside the user's scope."""
    from django.core.exceptions import PermissionDenied

    unit = access_guide_unit(user, unit_id)
    if not has_perm(user, EDIT_GUIDE, unit=unit):
        raise PermissionDenied(EDIT_GUIDE)
    return unit


def guide_of(unit: OrgUnit) -> ServiceGuide | None:
    return ServiceGuide.objects.filter(org_unit=unit).first()


def guides_for(user) -> list[UnitGuide]:
    """The guides a user is shown first: the own unit's and those above it (the enterprise's
    at the top), each unit with its guide or None; the enterprise's for a non-member."""
    member = org_queries.own_member(user)
    if member is not None:
        units = member.org_unit.lineage()
    else:
        root = root_unit()
        units = [root] if root is not None else []
    guides = {g.org_unit_id: g for g in ServiceGuide.objects.filter(org_unit__in=units)}
    return [UnitGuide(u, guides.get(u.pk)) for u in units]


def units_with_guides() -> list[OrgUnit]:
    ids = ServiceGuide.objects.values("org_unit")
    return org_queries.tree_order(list(OrgUnit.objects.filter(pk__in=ids)))


def can_edit(user, unit: OrgUnit) -> bool:
    return has_perm(user, EDIT_GUIDE, unit=unit)


def editable_units(user) -> list[OrgUnit]:
    return org_queries.list_units_visible_to(user, EDIT_GUIDE)
