"""What the services subjects' queries share: an id from a URL or a form, and a member's unit."""

from __future__ import annotations

from django.http import Http404

from zhijia.services.queries.counseling import is_member


def pk_or_404(value) -> int:
    """A positive database id, else 404 (a path or a form may carry anything)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def member_prefixes(user) -> list[str]:
    """The path prefixes of the member's own unit (their unit and those above it); none for
    someone who is not a member on the roll."""
    if not is_member(user):
        return []
    return user.member_record.org_unit.path_prefixes()
