"""What the women subjects' queries share: who is a member, an id from a URL."""

from __future__ import annotations

from django.http import Http404

from zhijia.accounts.models import Role
from zhijia.org.models import Member


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def own_member(user) -> Member | None:
    """The user's member record when it is on the roll (active), else None."""
    if not _authenticated(user) or Role.MEMBER not in user.role_codes:
        return None
    member = getattr(user, "member_record", None)
    if member is None or member.status != Member.Status.ACTIVE:
        return None
    return member


def is_member(user) -> bool:
    return own_member(user) is not None


def is_woman_member(user) -> bool:
    member = own_member(user)
    return member is not None and member.gender == Member.Gender.FEMALE


def pk_or_404(value) -> int:
    """A positive database id, else 404 (a path or a form may carry anything)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def managed_units(user):
    """The units in which the user holds women.manage (a new room's or campaign's unit)."""
    from zhijia.core.permissions import scope_q
    from zhijia.org.models import OrgUnit
    from zhijia.women.permissions import MANAGE

    return OrgUnit.objects.filter(scope_q(user, MANAGE, path_field="path")).order_by("path")
