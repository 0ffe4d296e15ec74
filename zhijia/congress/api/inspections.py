"""API of inspection tours and rectification items, mounted at /api/v1/congress/inspections.

Tours: GET "" (visible), POST "" (cadres), GET /{id}, POST /{id}/participants,
POST /{id}/findings (cadres and participants), POST /{id}/finish,
POST /{id}/findings/{finding_id}/rectification (cadres).
Items: GET /rectifications (?mine=true: my departments'), GET /rectifications/{id},
POST /rectifications/{id}/begin|complete|verify|send-back.
Out-of-scope records are 404; errors are {"detail": ...}.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from zhijia.congress.actions import inspections as actions
from zhijia.congress.queries import inspections as queries
from zhijia.congress.queries import proposals as queries_proposals
from zhijia.congress.workflows import RECTIFICATION
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Workdays
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.workflow import available_transitions, history_view

router = Router(tags=["congress-inspections"])


class TourSummary(Schema):
    id: int
    title: str
    org_unit_id: Id
    org_unit: str
    start_date: dt.date
    end_date: dt.date
    status: str


class ParticipantOut(Schema):
    user_id: Id
    name: str
    is_leader: bool


class InspectionItemSummary(Schema):
    id: int
    finding_id: Id
    title: str
    tour_id: Id
    department_id: Id
    department: str
    state: str
    state_label: str
    deadline_at: datetime | None
    late: bool
    escalation_level: int


class FindingOut(Schema):
    id: int
    title: str
    description: str
    location: str
    reporter_name: str
    created_at: datetime
    rectification: InspectionItemSummary | None


class TourDetail(TourSummary):
    scope: str
    summary: str
    participants: list[ParticipantOut]
    findings: list[FindingOut]
    can_manage: bool
    can_report: bool


class InspectionEventOut(Schema):
    at: datetime
    transition: str
    label: str
    actor: str
    to_state: str
    note: str


class InspectionItemDetail(InspectionItemSummary):
    description: str
    requirement: str
    result: str
    deadline_workdays: int
    history: list[InspectionEventOut]
    actions: list[str]


class TourIn(Schema):
    org_unit_id: Id
    title: str
    scope: str
    start_date: Date
    end_date: Date
    session_id: Id | None = None
    participant_ids: list[Id] = []
    leader_id: Id | None = None


class ParticipantsIn(Schema):
    user_ids: list[Id] = []
    leader_id: Id | None = None


class FindingIn(Schema):
    title: str
    description: str
    location: str = ""


class SummaryIn(Schema):
    summary: str


class RectificationIn(Schema):
    department_id: Id
    requirement: str
    workdays: Workdays | None = None


class ResultIn(Schema):
    result: str


class InspectionReasonIn(Schema):
    reason: str


class InspectionNoteIn(Schema):
    note: str = ""


# --- serialisation -------------------------------------------------------------------------------


def _tour(t) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "org_unit_id": t.org_unit_id,
        "org_unit": str(t.org_unit),
        "start_date": t.start_date,
        "end_date": t.end_date,
        "status": t.status,
    }


def _item(i) -> dict:
    return {
        "id": i.pk,
        "finding_id": i.finding_id,
        "title": i.finding.title,
        "tour_id": i.finding.tour_id,
        "department_id": i.department_id,
        "department": i.department.name,
        "state": i.state,
        "state_label": RECTIFICATION.state_label(i.state),
        "deadline_at": i.deadline_at,
        "late": i.is_overdue,
        "escalation_level": i.escalation_level,
    }


def _tour_detail(user, tour) -> dict:
    tour = queries.access_tour(user, tour.pk)
    findings = []
    for f in queries.findings_of(tour):
        item = f.rectification if hasattr(f, "rectification") else None
        findings.append(
            {
                "id": f.pk,
                "title": f.title,
                "description": f.description,
                "location": f.location,
                "reporter_name": f.reporter_name,
                "created_at": f.created_at,
                "rectification": _item(item) if item is not None else None,
            }
        )
    return {
        **_tour(tour),
        "scope": tour.scope,
        "summary": tour.summary,
        "participants": [
            {"user_id": p.user_id, "name": p.name, "is_leader": p.is_leader}
            for p in queries.participants_of(tour)
        ],
        "findings": findings,
        "can_manage": queries.can_manage_tour(user, tour),
        "can_report": queries.can_report_finding(user, tour),
    }


def _item_detail(user, item) -> dict:
    item = queries.access_item(user, item.pk)
    return {
        **_item(item),
        "description": item.finding.description,
        "requirement": item.requirement,
        "result": item.result,
        "deadline_workdays": item.deadline_workdays,
        "history": [
            {
                "at": e.at,
                "transition": e.transition,
                "label": e.label,
                "actor": e.actor,
                "to_state": e.to_state,
                "note": e.note,
            }
            for e in history_view(item, user, workflow=RECTIFICATION)
        ],
        "actions": [t.name for t in available_transitions(RECTIFICATION, item, user)],
    }


def _users(ids, field: str) -> list:
    """The active accounts a body names: an unknown id is a 404 naming its field."""
    users = queries_proposals.active_users()
    return [record_in_body(users, pk, field, _("所选代表不存在")) for pk in dict.fromkeys(ids)]


def _user(pk, field: str):
    return None if pk is None else _users([pk], field)[0]


# --- tours ---------------------------------------------------------------------------------------


@router.get("", response=page_schema(TourSummary, name="InspectionTourPage"))
def list_tours(request, paging: Query[PageParams]):
    if not queries.may_see_tours(request.user):
        raise PermissionDenied
    qs = queries.tours_visible_to(request.user).order_by("-start_date", "-id")
    return api_page(qs, paging.page, paging.per_page, transform=_tour)


@router.post("", response={201: TourDetail})
def create_tour(request, payload: TourIn):
    units = queries.units_for_tours(request.user)
    if not units.exists():
        raise PermissionDenied  # the caller plans no tours anywhere
    # a unit unknown or outside the caller's scope: 404 naming the field (never revealed)
    unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    session = None
    if payload.session_id is not None:
        session = record_in_body(
            queries_proposals.sessions(), payload.session_id, "session_id", _("会议不存在")
        )
    tour = actions.do_create_tour(
        actor=request.user,
        org_unit=unit,
        title=payload.title,
        scope=payload.scope,
        start_date=payload.start_date,
        end_date=payload.end_date,
        session=session,
        participants=_users(payload.participant_ids, "participant_ids"),
        leader=_user(payload.leader_id, "leader_id"),
    )
    return Status(201, _tour_detail(request.user, tour))


@router.get(
    "/rectifications", response=page_schema(InspectionItemSummary, name="RectificationPage")
)
def list_items(request, paging: Query[PageParams], state: str = "", mine: bool = False):
    user = request.user
    if not queries.may_see_tours(user) and not queries.is_rectification_handler(user):
        raise PermissionDenied
    if state and state not in RECTIFICATION.states:
        raise HttpError(400, _("未知的状态"))
    return api_page(
        queries.items_for(user, state=state, mine_only=mine),
        paging.page,
        paging.per_page,
        transform=_item,
    )


@router.get("/rectifications/{int:item_id}", response=InspectionItemDetail)
def get_item(request, item_id: Id):
    return _item_detail(request.user, queries.access_item(request.user, item_id))


# The rectification item's workflow steps (core.api_workflow): begin, complete, verify, send-back.
add_step_routes(
    router,
    RECTIFICATION,
    path="/rectifications/{int:item_id}",
    access=queries.access_item,
    record_arg="item",
    response=InspectionItemDetail,
    result=_item_detail,
    names=["begin", "complete", "verify", "send_back"],
    schemas={
        "begin": None,
        "complete": ResultIn,
        "verify": InspectionNoteIn,
        "send_back": InspectionReasonIn,
    },
    url_names={"send_back": "send-back"},
    function_names={
        "begin": "begin_item",
        "complete": "complete_item",
        "verify": "verify_item",
        "send_back": "send_back_item",
    },
)


@router.get("/{int:tour_id}", response=TourDetail)
def get_tour(request, tour_id: Id):
    return _tour_detail(request.user, queries.access_tour(request.user, tour_id))


@router.post("/{int:tour_id}/participants", response=TourDetail)
def add_participants(request, tour_id: Id, payload: ParticipantsIn):
    tour = queries.access_tour(request.user, tour_id)
    actions.do_add_participants(
        actor=request.user,
        tour=tour,
        users=_users(payload.user_ids, "user_ids"),
        leader=_user(payload.leader_id, "leader_id"),
    )
    return _tour_detail(request.user, tour)


@router.post("/{int:tour_id}/findings", response={201: FindingOut})
def add_finding(request, tour_id: Id, payload: FindingIn):
    tour = queries.access_tour(request.user, tour_id)
    finding = actions.do_add_finding(
        actor=request.user,
        tour=tour,
        title=payload.title,
        description=payload.description,
        location=payload.location,
    )
    return Status(
        201,
        {
            "id": finding.pk,
            "title": finding.title,
            "description": finding.description,
            "location": finding.location,
            "reporter_name": finding.reporter_name,
            "created_at": finding.created_at,
            "rectification": None,
        },
    )


@router.post("/{int:tour_id}/finish", response=TourDetail)
def finish_tour(request, tour_id: Id, payload: SummaryIn):
    tour = queries.access_tour(request.user, tour_id)
    actions.do_finish_tour(actor=request.user, tour=tour, summary=payload.summary)
    return _tour_detail(request.user, tour)


@router.post(
    "/{int:tour_id}/findings/{int:finding_id}/rectification", response={201: InspectionItemDetail}
)
def create_item(request, tour_id: Id, finding_id: Id, payload: RectificationIn):
    tour = queries.access_tour(request.user, tour_id)
    finding = queries.finding_of_tour(tour, finding_id)
    department = record_in_body(
        queries_proposals.departments(), payload.department_id, "department_id", _("责任部门不存在")
    )
    item = actions.do_create_rectification(
        actor=request.user,
        finding=finding,
        department=department,
        requirement=payload.requirement,
        workdays=payload.workdays,
    )
    return Status(201, _item_detail(request.user, item))
