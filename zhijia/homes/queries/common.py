"""What the homes subjects' queries share: an id from a URL, the units a cadre manages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.homes.permissions import MANAGE


def pk_or_404(value) -> int:
    """A positive database id, else 404 (a path or a form may carry anything)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def require_manager(user) -> None:
    """403 for one who holds homes.manage nowhere."""
    if not has_perm(user, MANAGE):
        raise PermissionDenied(MANAGE)


def managed_units(user):
    """The units in which the user holds homes.manage."""
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(scope_q(user, MANAGE, path_field="path")).order_by("path")


def committee_units(user):
    """The managed units that have child units (a committee opens rounds for its children)."""
    from zhijia.org.models import OrgUnit

    children = OrgUnit.objects.filter(parent__isnull=False).values("parent_id")
    return managed_units(user).filter(pk__in=children)
