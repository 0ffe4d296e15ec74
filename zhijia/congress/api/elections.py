"""API of representative elections (职工代表选举): elections, candidates, nominations, the
count and seating the elected."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhijia.congress.actions import elections
from zhijia.congress.api.sessions import RepresentativeOut, _rep, member_in_body
from zhijia.congress.models import RepElection
from zhijia.congress.queries import elections as eq
from zhijia.congress.queries import sessions as q
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Count, Id, Seats
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import require

router = Router(tags=["congress"])


class ElectionOut(Schema):
    id: int
    term_id: Id
    unit_id: Id
    unit_name: str
    seats: int
    competitive: bool
    is_paper: bool
    base: Literal["members", "present"]
    present_count: int | None
    state: str
    poll_id: Id | None


class CandidateOut(Schema):
    id: int
    member_id: Id
    name: str
    nomination: str
    statement: str
    is_manager: bool
    is_frontline: bool
    votes: int | None = None


class ElectionDetailOut(ElectionOut):
    candidates: list[CandidateOut]
    elected: list[int]
    tied: list[int]
    unfilled: int | None
    threshold: int | None
    refused: str


class ElectionIn(Schema):
    term_id: Id
    unit_id: Id
    seats: Seats
    competitive: bool = True
    paper: bool = False
    # The unit's voters: its in-register members, or those present at its meeting.
    base: Literal["members", "present"] = "members"
    present_count: Count | None = None


class CandidateIn(Schema):
    member_id: Id | None = None
    employee_no: str | None = None
    statement: str = ""
    is_manager: bool = False
    is_frontline: bool = False


class SelfNominateIn(Schema):
    statement: str
    is_frontline: bool = False


def _election(e: RepElection) -> dict:
    return {
        "id": e.pk,
        "term_id": e.term_id,
        "unit_id": e.unit_id,
        "unit_name": e.unit.name,
        "seats": e.seats,
        "competitive": e.competitive,
        "is_paper": e.is_paper,
        "base": e.base,
        "present_count": e.present_count,
        "state": e.state,
        "poll_id": e.poll_id,
    }


@router.get("/elections", response=page_schema(ElectionOut, name="CongressElectionPage"))
def list_elections(request, paging: Query[PageParams]):
    return api_page(
        eq.elections_visible_to(request.user), paging.page, paging.per_page, transform=_election
    )


@router.post("/elections", response={201: ElectionOut})
def create_election(request, payload: ElectionIn):
    term = record_in_body(eq.terms_for_elections(request.user), payload.term_id, "term_id")
    unit = record_in_body(eq.election_units_for(request.user, term), payload.unit_id, "unit_id")
    election = elections.do_create_election(
        actor=request.user,
        term=term,
        unit=unit,
        seats=payload.seats,
        competitive=payload.competitive,
        paper=payload.paper,
        base=payload.base,
        present_count=payload.present_count,
    )
    return Status(201, _election(election))


def _election_detail(election: RepElection) -> dict:
    outcome = eq.election_result(election) if election.state == election.State.CLOSED else None
    candidates = []
    for c in eq.candidates_of(election):
        candidates.append(
            {
                "id": c.pk,
                "member_id": c.member_id,
                "name": c.member.name,
                "nomination": c.nomination,
                "statement": c.statement,
                "is_manager": c.is_manager,
                "is_frontline": c.is_frontline,
                "votes": outcome.votes.get(c.pk) if outcome and outcome.result else None,
            }
        )
    if outcome is None or outcome.result is None:
        return {
            **_election(election),
            "candidates": candidates,
            "elected": [],
            "tied": [],
            "unfilled": None,
            "threshold": None,
            "refused": outcome.refused if outcome else _("选举尚未结束"),
        }
    return {
        **_election(election),
        "candidates": candidates,
        "elected": [c.pk for c in outcome.elected],
        "tied": [c.pk for c in outcome.tied],
        "unfilled": outcome.unfilled,
        "threshold": outcome.threshold,
        "refused": "",
    }


@router.get("/elections/{election_id}", response=ElectionDetailOut)
def election_detail(request, election_id: Id):
    return _election_detail(eq.access_election(request.user, election_id))


@router.post("/elections/{election_id}/candidates", response={201: CandidateOut})
def nominate(request, election_id: Id, payload: CandidateIn):
    election = eq.access_managed_election(request.user, election_id)
    member = member_in_body(
        q.members_in_unit(election.unit), payload, _("本选举单位没有这名在册会员")
    )
    c = elections.do_nominate_candidate(
        actor=request.user,
        election=election,
        member=member,
        statement=payload.statement,
        is_manager=payload.is_manager,
        is_frontline=payload.is_frontline,
    )
    return Status(201, _candidate(c))


def _candidate(c) -> dict:
    return {
        "id": c.pk,
        "member_id": c.member_id,
        "name": c.member.name,
        "nomination": c.nomination,
        "statement": c.statement,
        "is_manager": c.is_manager,
        "is_frontline": c.is_frontline,
    }


@router.post("/elections/{election_id}/self-nominate", response={201: CandidateOut})
def self_nominate(request, election_id: Id, payload: SelfNominateIn):
    election = eq.access_election(request.user, election_id)
    c = elections.do_self_nominate(
        actor=request.user,
        election=election,
        statement=payload.statement,
        is_frontline=payload.is_frontline,
    )
    return Status(201, _candidate(c))


@router.post("/elections/{election_id}/prepare", response=ElectionDetailOut)
def prepare_election(request, election_id: Id):
    """Close nominations and create the election's encrypted poll (draft): name its trustees
    with the voting API (`POST /voting/polls/{poll_id}/trustees`); once they have made the
    key, /open opens it. 409 for a paper election or one prepared already."""
    election = eq.access_managed_election(request.user, election_id)
    elections.do_prepare_election(actor=request.user, election=election)
    return _election_detail(eq.access_managed_election(request.user, election_id))


@router.post("/elections/{election_id}/open", response=ElectionDetailOut)
def open_election(request, election_id: Id, present_count: Count | None = None):
    """?present_count=N: the members present at the unit's meeting (a "present" base)."""
    election = eq.access_managed_election(request.user, election_id)
    elections.do_open_election(actor=request.user, election=election, present_count=present_count)
    return _election_detail(eq.access_managed_election(request.user, election_id))


@router.post("/elections/{election_id}/close", response=ElectionDetailOut)
def close_election(request, election_id: Id):
    election = eq.access_managed_election(request.user, election_id)
    elections.do_close_election(actor=request.user, election=election)
    return _election_detail(eq.access_managed_election(request.user, election_id))


@router.post("/elections/{election_id}/seat", response=list[RepresentativeOut])
def seat_elected(request, election_id: Id):
    """Seat the elected candidates (never the tied ones) as representatives of the term."""
    election = eq.access_election(request.user, election_id)
    require(request.user, q.MANAGE, unit=election.term.unit)
    added = elections.do_add_elected_representatives(actor=request.user, election=election)
    return [_rep(r) for r in added]
