"""Reads of module org for pages and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from zhijia.core.permissions import scope_q
from zhijia.org.models import Member


def members_visible_to(user) -> QuerySet[Member]:
    """Members in the user's scope for org.view_member, plus the user's own record."""
    if not user.is_authenticated:
        return Member.objects.none()
    return Member.objects.filter(scope_q(user, "org.view_member") | Q(user=user)).select_related(
        "org_unit", "department"
    )


def access_member(user, member_id: int) -> Member:
    """The member if the user may see it; 404 otherwise (also for out-of-scope records)."""
    member = members_visible_to(user).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member
