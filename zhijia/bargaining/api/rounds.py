"""API of bargaining rounds, mounted at /api/v1/bargaining. Same queries and actions, so the
same rules, as the pages.

Members:  GET /rounds (collecting demands over their unit), POST /rounds/{id}/demands
Cadres:   GET /desk/rounds, POST /desk/rounds, GET /desk/rounds/{id} (demands by topic,
          delegations, sessions), GET /desk/rounds/{id}/demands, POST /desk/rounds/{id}/
          delegations, POST /desk/rounds/{id}/sessions, POST /desk/sessions/{id}/sign, the steps
          POST /desk/rounds/{id}/send_request | record_answer | conclude | abandon
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from zhijia.bargaining.actions import rounds as actions
from zhijia.bargaining.models import BargainingSession, Delegate, Round
from zhijia.bargaining.queries import rounds as queries
from zhijia.bargaining.queries.common import is_member, managed_units, may_manage
from zhijia.bargaining.workflows import ROUND
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["bargaining-rounds"])


def _require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied


def _desk_round(user, round_id) -> Round:
    _require_manager(user)
    return queries.access_managed_round(user, round_id)


class BargainingRoundOut(Schema):
    id: int
    title: str
    kind: str
    org_unit_id: int
    org_unit_name: str
    employer_name: str
    demands_until: dt.date | None
    state: str
    state_label: str


class BargainingTopicOut(Schema):
    topic: str
    label: str
    count: int


class BargainingDelegateOut(Schema):
    side: str
    name: str
    position: str
    is_chief: bool


class BargainingSessionOut(Schema):
    id: int
    held_on: dt.date
    place: str
    minutes: str
    union_signed_by: str
    union_signed_at: dt.datetime | None
    employer_signed_by: str
    employer_signed_at: dt.datetime | None


class BargainingRoundDetail(BargainingRoundOut):
    request_received_on: dt.date | None
    answer_due_on: dt.date | None
    answered_on: dt.date | None
    answer_text: str
    union_basis: str
    max_delegates: int
    demand_topics: list[BargainingTopicOut]
    delegates: list[BargainingDelegateOut]
    sessions: list[BargainingSessionOut]


class BargainingRoundIn(Schema):
    org_unit_id: Id
    kind: str
    title: str
    employer_name: str
    demands_until: Date | None = None
    union_basis: str = Round.UnionBasis.ELECTED
    max_delegates: int = 10


class BargainingDemandIn(Schema):
    topic: str
    text: str


class BargainingDemandOut(Schema):
    id: int
    round_id: int
    topic: str
    text: str
    submitted_at: dt.datetime


class BargainingDelegateIn(Schema):
    name: str
    position: str = ""
    is_chief: bool = False


class BargainingDelegationsIn(Schema):
    union_basis: str | None = None
    union: list[BargainingDelegateIn]
    employer: list[BargainingDelegateIn]


class BargainingSessionIn(Schema):
    held_on: Date
    place: str = ""
    minutes: str


class BargainingSignMinutesIn(Schema):
    side: str


class BargainingRequestIn(Schema):
    request_text: str
    received_on: Date


class BargainingAnswerIn(Schema):
    answered_on: Date
    answer_text: str


class BargainingReasonIn(Schema):
    reason: str


def _round(r: Round) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "kind": r.kind,
        "org_unit_id": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
        "employer_name": r.employer_name,
        "demands_until": r.demands_until,
        "state": r.state,
        "state_label": r.state_label,
    }


def _session(s: BargainingSession) -> dict:
    return {
        f: getattr(s, f)
        for f in (
            "held_on",
            "place",
            "minutes",
            "union_signed_by",
            "union_signed_at",
            "employer_signed_by",
            "employer_signed_at",
        )
    } | {"id": s.pk}


def _round_detail(user, r: Round) -> dict:
    return _round(r) | {
        "request_received_on": r.request_received_on,
        "answer_due_on": r.answer_due_on,
        "answered_on": r.answered_on,
        "answer_text": r.answer_text,
        "union_basis": r.union_basis,
        "max_delegates": r.max_delegates,
        "demand_topics": [
            {"topic": t, "label": label, "count": n} for t, label, n in queries.demand_summary(r)
        ],
        "delegates": [
            {"side": d.side, "name": d.name, "position": d.position, "is_chief": d.is_chief}
            for side in (Delegate.Side.UNION, Delegate.Side.EMPLOYER)
            for d in queries.delegates_of(r, side)
        ],
        "sessions": [_session(s) for s in queries.sessions_of(r)],
    }


@router.get("/rounds", response=page_schema(BargainingRoundOut, name="BargainingRoundPage"))
def list_collecting_rounds(request, paging: Query[PageParams]):
    """Rounds collecting demands over the member's unit."""
    if not is_member(request.user):
        raise PermissionDenied
    return api_page(
        queries.collecting_for(request.user).select_related("org_unit"),
        paging.page,
        paging.per_page,
        transform=_round,
    )


@router.post("/rounds/{int:round_id}/demands", response={201: BargainingDemandOut})
def submit_demand(request, round_id: Id, payload: BargainingDemandIn):
    if not is_member(request.user):
        raise PermissionDenied
    round_ = queries.access_round_for_demand(request.user, round_id)
    demand = actions.do_submit_demand(
        actor=request.user, round=round_, topic=payload.topic, text=payload.text
    )
    return Status(
        201,
        {
            "id": demand.pk,
            "round_id": round_.pk,
            "topic": demand.topic,
            "text": demand.text,
            "submitted_at": demand.submitted_at,
        },
    )


@router.get(
    "/desk/rounds", response=page_schema(BargainingRoundOut, name="BargainingDeskRoundPage")
)
def desk_rounds(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_rounds(request.user), paging.page, paging.per_page, transform=_round
    )


@router.post("/desk/rounds", response={201: BargainingRoundDetail})
def create_round(request, payload: BargainingRoundIn):
    _require_manager(request.user)
    unit = record_in_body(managed_units(request.user), payload.org_unit_id, "org_unit_id")
    round_ = actions.do_create_round(
        actor=request.user,
        org_unit=unit,
        kind=payload.kind,
        title=payload.title,
        employer_name=payload.employer_name,
        demands_until=payload.demands_until,
        union_basis=payload.union_basis,
        max_delegates=payload.max_delegates,
    )
    return Status(201, _round_detail(request.user, _desk_round(request.user, round_.pk)))


@router.get("/desk/rounds/{int:round_id}", response=BargainingRoundDetail)
def get_round(request, round_id: Id):
    return _round_detail(request.user, _desk_round(request.user, round_id))


@router.post("/desk/rounds/{int:round_id}/delegations", response=BargainingRoundDetail)
def set_delegations(request, round_id: Id, payload: BargainingDelegationsIn):
    """Both delegations at once; refused unless equal, 3 to the maximum a side, one chief each
    (集体合同规定 Art. 19, cited in the refusal)."""
    round_ = _desk_round(request.user, round_id)
    actions.do_set_delegations(
        actor=request.user,
        round=round_,
        union=[(d.name, d.position, d.is_chief) for d in payload.union],
        employer=[(d.name, d.position, d.is_chief) for d in payload.employer],
        union_basis=payload.union_basis,
    )
    return _round_detail(request.user, _desk_round(request.user, round_id))


@router.get(
    "/desk/rounds/{int:round_id}/demands",
    response=page_schema(BargainingDemandOut, name="BargainingDemandPage"),
)
def list_demands(request, round_id: Id, paging: Query[PageParams]):
    """The workers' demands of a round, by topic (the counts are in the round's detail)."""
    round_ = _desk_round(request.user, round_id)
    return api_page(
        queries.demands_of(round_),
        paging.page,
        paging.per_page,
        transform=lambda d: {
            "id": d.pk,
            "round_id": d.round_id,
            "topic": d.topic,
            "text": d.text,
            "submitted_at": d.submitted_at,
        },
    )


@router.post("/desk/rounds/{int:round_id}/sessions", response={201: BargainingSessionOut})
def add_session(request, round_id: Id, payload: BargainingSessionIn):
    round_ = _desk_round(request.user, round_id)
    session = actions.do_add_session(
        actor=request.user,
        round=round_,
        held_on=payload.held_on,
        place=payload.place,
        minutes=payload.minutes,
    )
    return Status(201, _session(session))


@router.post("/desk/sessions/{int:session_id}/sign", response=BargainingSessionOut)
def sign_minutes(request, session_id: Id, payload: BargainingSignMinutesIn):
    """A side's chief representative signed the minutes (recorded with the time)."""
    _require_manager(request.user)
    session = queries.access_managed_session(request.user, session_id)
    return _session(actions.do_sign_minutes(actor=request.user, session=session, side=payload.side))


add_step_routes(
    router,
    ROUND,
    path="/desk/rounds/{int:round_id}",
    access=_desk_round,
    record_arg="round",
    response=BargainingRoundDetail,
    result=_round_detail,
    names=["send_request", "record_answer", "conclude", "abandon"],
    schemas={"conclude": None},
    function_names={
        "send_request": "send_bargaining_request",
        "record_answer": "record_bargaining_answer",
        "conclude": "conclude_round",
        "abandon": "abandon_round",
    },
)
