"""API of interest groups, mounted at /api/v1/services/activities/clubs. Same queries and
actions as the pages.

Members:  GET "" (the groups of my unit and above), GET /{id}, POST /{id}/join | /{id}/leave
Leaders and cadres over the group's unit: GET /{id}/memberships,
          POST /memberships/{id}/decide
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import clubs as club_actions
from zhijia.services.models import Club, ClubMembership
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries

router = Router(tags=["services-activities"])


def _require_member(request) -> None:
    if queries.member_of(request.user) is None:
        raise PermissionDenied


# --- schemas --------------------------------------------------------------------------------------


class ClubOut(Schema):
    id: int
    name: str
    description: str
    org_unit_id: int
    org_unit_name: str
    my_status: str


class ClubJoinIn(Schema):
    note: str = Field("", max_length=200)


class ClubMembershipOut(Schema):
    id: int
    club_id: int
    member_name: str
    status: str
    status_label: str
    is_leader: bool
    note: str
    requested_at: dt.datetime


class ClubDecideIn(Schema):
    approve: bool


# --- shaping --------------------------------------------------------------------------------------


def _club(request, c: Club) -> dict:
    row = club_queries.membership_of(request.user, c)
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "my_status": row.status if row else "",
    }


def _membership(m: ClubMembership) -> dict:
    return {
        "id": m.pk,
        "club_id": m.club_id,
        "member_name": m.member.name,
        "status": m.status,
        "status_label": m.get_status_display(),
        "is_leader": m.is_leader,
        "note": m.note,
        "requested_at": m.requested_at,
    }


# --- routes ---------------------------------------------------------------------------------------


@router.get("", response=page_schema(ClubOut))
def list_clubs(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        club_queries.clubs_for_member(request.user),
        paging.page,
        paging.per_page,
        transform=lambda c: _club(request, c),
    )


@router.get("/{int:club_id}", response=ClubOut)
def get_club(request, club_id: Id):
    return _club(request, club_queries.access_club(request.user, club_id))


@router.post("/{int:club_id}/join", response={201: ClubMembershipOut})
def join_club(request, club_id: Id, payload: ClubJoinIn):
    _require_member(request)
    club = club_queries.access_club(request.user, club_id)
    row = club_actions.do_request_club_join(actor=request.user, club=club, note=payload.note)
    return Status(201, _membership(row))


@router.post("/{int:club_id}/leave", response=ClubMembershipOut)
def leave_club(request, club_id: Id):
    _require_member(request)
    club = club_queries.access_club(request.user, club_id)
    return _membership(club_actions.do_leave_club(actor=request.user, club=club))


@router.get("/{int:club_id}/memberships", response=page_schema(ClubMembershipOut))
def club_memberships(request, club_id: Id, paging: Query[PageParams]):
    """Members and join requests, for the group's leaders and the cadres over its unit."""
    club = club_queries.access_managed_club(request.user, club_id)
    return api_page(
        club_queries.memberships_of(club), paging.page, paging.per_page, transform=_membership
    )


@router.post("/memberships/{int:membership_id}/decide", response=ClubMembershipOut)
def decide_membership(request, membership_id: Id, payload: ClubDecideIn):
    row = club_queries.access_managed_membership(request.user, membership_id)
    return _membership(
        club_actions.do_decide_club_request(
            actor=request.user, membership=row, approve=payload.approve
        )
    )
