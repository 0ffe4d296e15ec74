"""Reads of interest groups (协会/兴趣小组). Who sees what (404 for anything else, 403 for a
role that holds none):

a group        every member sees the active groups of their unit or a unit above it; its
               leaders and the cadres over its unit too
managing       its leaders (members of the group) and the cadres holding
               services.manage_activities over its unit decide join requests; only cadres
               create groups and name leaders
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unitpaths import path_prefixes
from zhijia.services.models import Activity, Club, ClubMembership
from zhijia.services.permissions import MANAGE_ACTIVITIES
from zhijia.services.queries.activities import may_manage, member_of, pk_of
from zhijia.services.workflows import SHOWN


def clubs_for_member(user) -> QuerySet[Club]:
    """Active clubs of the member's unit or a unit above it, with the member's own status."""
    member = member_of(user)
    if member is None:
        return Club.objects.none()
    mine = ClubMembership.objects.filter(club=OuterRef("pk"), member=member)
    return (
        Club.objects.filter(is_active=True, org_unit__path__in=path_prefixes(member.org_unit.path))
        .annotate(
            members_count=Count(
                "memberships",
                filter=Q(memberships__status=ClubMembership.Status.MEMBER),
                distinct=True,
            ),
            joined=Exists(mine.filter(status=ClubMembership.Status.MEMBER)),
            requested=Exists(mine.filter(status=ClubMembership.Status.REQUESTED)),
        )
        .select_related("org_unit")
        .order_by("name", "id")
    )


def my_clubs(user) -> QuerySet[ClubMembership]:
    member = member_of(user)
    if member is None:
        return ClubMembership.objects.none()
    return (
        ClubMembership.objects.filter(member=member)
        .exclude(status=ClubMembership.Status.LEFT)
        .select_related("club")
        .order_by("club__name", "id")
    )


def is_leader(user, club: Club) -> bool:
    member = member_of(user)
    return (
        member is not None
        and ClubMembership.objects.filter(
            club=club, member=member, status=ClubMembership.Status.MEMBER, is_leader=True
        ).exists()
    )


def access_club(user, club_id) -> Club:
    """A club as a member sees it (of a unit above theirs), or as its manager."""
    pk = pk_of(club_id)
    club = Club.objects.filter(pk=pk).select_related("org_unit").first()
    if club is None:
        raise Http404
    if may_manage_club(user, club):
        return club
    member = member_of(user)
    if member is None:
        if may_manage(user):
            raise Http404
        raise PermissionDenied
    if not member.org_unit.path.startswith(club.org_unit.path):
        raise Http404
    return club


def may_manage_club(user, club: Club) -> bool:
    return has_perm(user, MANAGE_ACTIVITIES, unit=club.org_unit) or is_leader(user, club)


def managed_clubs(user) -> QuerySet[Club]:
    """The clubs a cadre manages (their scope) or a member leads."""
    member = member_of(user)
    led = (
        ClubMembership.objects.filter(
            member=member, status=ClubMembership.Status.MEMBER, is_leader=True
        ).values("club_id")
        if member is not None
        else ClubMembership.objects.none().values("club_id")
    )
    if not may_manage(user) and not led.exists():
        raise PermissionDenied(MANAGE_ACTIVITIES)
    return (
        Club.objects.filter(scope_q(user, MANAGE_ACTIVITIES) | Q(pk__in=led))
        .annotate(
            members_count=Count(
                "memberships",
                filter=Q(memberships__status=ClubMembership.Status.MEMBER),
                distinct=True,
            ),
            pending=Count(
                "memberships",
                filter=Q(memberships__status=ClubMembership.Status.REQUESTED),
                distinct=True,
            ),
        )
        .select_related("org_unit")
        .order_by("name", "id")
    )


def access_managed_club(user, club_id) -> Club:
    club = managed_clubs(user).filter(pk=pk_of(club_id)).first()
    if club is None:
        raise Http404
    return club


def memberships_of(club: Club) -> QuerySet[ClubMembership]:
    return club.memberships.select_related("member", "member__org_unit").order_by(
        "status", "-is_leader", "requested_at", "id"
    )


def membership_of(user, club: Club) -> ClubMembership | None:
    member = member_of(user)
    if member is None:
        return None
    return ClubMembership.objects.filter(club=club, member=member).first()


def is_club_cadre(user, club: Club) -> bool:
    """A cadre over the club's unit (names leaders), not only a leader."""
    return has_perm(user, MANAGE_ACTIVITIES, unit=club.org_unit)


def access_managed_membership(user, membership_id) -> ClubMembership:
    pk = pk_of(membership_id)
    row = (
        ClubMembership.objects.filter(pk=pk, club__in=managed_clubs(user).values("pk"))
        .select_related("club", "member")
        .first()
    )
    if row is None:
        raise Http404
    return row


def manageable_clubs(user) -> QuerySet[Club]:
    """Active clubs of units in the cadre's scope (an activity of a group)."""
    return Club.objects.filter(scope_q(user, MANAGE_ACTIVITIES), is_active=True).order_by("name")


CLUB_ACTIVITIES_SHOWN = 10  # the latest few on a group's page (the member's list has them all)


def club_activities(club: Club) -> list[Activity]:
    return list(
        club.activities.filter(state__in=SHOWN).order_by("-starts_at", "-id")[
            :CLUB_ACTIVITIES_SHOWN
        ]
    )
