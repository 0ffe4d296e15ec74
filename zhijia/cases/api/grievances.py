"""REST API of module cases, mounted at /api/v1/cases. Thin: the same queries and actions,
and so the same permission layer, as the pages. Errors are JSON {"detail"}: 400 bad input,
403 the role lacks the code, 404 out of scope, 409 wrong state, 429 too many wrong receipt
codes, 503 the database too busy to take the write (nothing half-written; send it again).

The anonymous box (`/box...`) takes no authentication and reads none: a bearer token sent
along is ignored, and nothing about the caller is stored.
"""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from zhijia.cases.actions import grievances as actions
from zhijia.cases.models import Grievance
from zhijia.cases.queries import grievances as queries
from zhijia.cases.workflows import GRIEVANCE
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id, renamed_from
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.org.models import Department, OrgUnit

router = Router(tags=["cases"])


# --- schemas --------------------------------------------------------------------------------


class GrievanceIn(Schema):
    kind: str = "grievance"
    category: str
    text: str


class GrievanceOut(Schema):
    id: int
    number: str
    kind: str
    category: str
    text: str
    is_anonymous: bool
    state: str
    state_label: str
    org_unit: str
    handling_unit: str
    department: str | None
    received_on: dt.date
    deadline_at: dt.datetime | None
    escalation_level: int
    answer: str
    rating: str
    reopen_count: int


def _grievance_out(g: Grievance) -> dict:
    return {
        "id": g.pk,
        "number": g.number or "",
        "kind": g.kind,
        "category": g.category,
        "text": g.text,
        "is_anonymous": g.is_anonymous,
        "state": g.state,
        "state_label": g.state_label,
        "org_unit": g.org_unit.name,
        "handling_unit": g.handling_unit.name,
        "department": g.department.name if g.department_id else None,  # type: ignore[union-attr]
        "received_on": g.received_on,
        "deadline_at": g.deadline_at,
        "escalation_level": g.escalation_level,
        "answer": g.answer,
        "rating": g.rating,
        "reopen_count": g.reopen_count,
    }


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    label: str
    who: str
    text: str
    from_worker: bool


class TextIn(Schema):
    text: str


class CasesAssignIn(Schema):
    department_id: Id = renamed_from("department_id", "department")
    note: str = ""


class CasesTransferIn(Schema):
    unit_id: Id = renamed_from("unit_id", "unit")
    note: str


class CasesRateIn(Schema):
    rating: str
    comment: str = ""


class CasesNoteIn(Schema):
    note: str = ""


class CasesMessageOut(Schema):
    id: int
    kind: str
    text: str


# --- grievances -------------------------------------------------------------------------------


GrievancePage = page_schema(GrievanceOut, name="GrievancePage")


@router.get("/grievances", response=GrievancePage)
def list_grievances(
    request,
    paging: Query[PageParams],
    state: str = "open",
    category: str = "",
    overdue: bool = False,
    mine: bool = False,
    anonymous: bool | None = None,
    q: str = "",
):
    """The cadres' queue (overdue first), or the handlers' department list. `anonymous`:
    true for the letters opened from the anonymous box only, false for named ones only."""
    filters = queries.QueueFilters(
        state=state, category=category, overdue=overdue, mine=mine, anonymous=anonymous, q=q
    )
    if queries.has_perm(request.user, queries.VIEW_CASE):
        qs = queries.queue_for_user(request.user, filters)
    else:
        qs = queries.department_queue(request.user, filters)
    return api_page(qs, paging.page, paging.per_page, transform=_grievance_out)


@router.get("/grievances/mine", response=GrievancePage)
def my_grievances(request, paging: Query[PageParams]):
    return api_page(
        queries.my_grievances(request.user), paging.page, paging.per_page, transform=_grievance_out
    )


@router.post("/grievances", response={201: GrievanceOut})
def submit_grievance(request, payload: GrievanceIn):
    g = actions.do_submit_grievance(
        actor=request.user, kind=payload.kind, category=payload.category, text=payload.text
    )
    return Status(201, _grievance_out(g))


@router.get("/grievances/{grievance_id}", response=GrievanceOut)
def get_grievance(request, grievance_id: Id):
    return _grievance_out(queries.access_grievance(request.user, grievance_id))


@router.get(
    "/grievances/{grievance_id}/timeline",
    response=page_schema(TimelineOut, name="GrievanceTimelinePage"),
)
def grievance_timeline(request, grievance_id: Id, paging: Query[PageParams]):
    g = queries.access_grievance(request.user, grievance_id)
    return api_page(
        queries.timeline(g), paging.page, paging.per_page, transform=lambda e: e.__dict__
    )


# Hand-written, not a step route: a transfer may take the grievance out of the caller's scope
# (up to the level above), so it answers with the record the action returned; the route
# factory reads the record again through access_grievance: a 404 after a done transfer.
@router.post("/grievances/{grievance_id}/transfer", response=GrievanceOut)
def transfer_grievance(request, grievance_id: Id, payload: CasesTransferIn):
    g = queries.access_grievance(request.user, grievance_id)
    unit = record_in_body(OrgUnit, payload.unit_id, "unit_id")
    return _grievance_out(
        actions.do_transfer_grievance(actor=request.user, grievance=g, unit=unit, note=payload.note)
    )


@router.post("/grievances/{grievance_id}/ask", response={201: CasesMessageOut})
def ask_worker(request, grievance_id: Id, payload: TextIn):
    g = queries.access_grievance(request.user, grievance_id)
    m = actions.do_ask_worker(actor=request.user, grievance=g, text=payload.text)
    return Status(201, {"id": m.pk, "kind": m.kind, "text": m.text})


@router.post("/grievances/{grievance_id}/info", response={201: CasesMessageOut})
def add_info(request, grievance_id: Id, payload: TextIn):
    g = queries.access_grievance(request.user, grievance_id)
    m = actions.do_add_info(actor=request.user, grievance=g, text=payload.text)
    return Status(201, {"id": m.pk, "kind": m.kind, "text": m.text})


# The workflow steps (GRIEVANCE declares each one's action and schema): assign, answer, rate
# (a first 不满意 reopens the grievance one level up: the same action) and withdraw.
add_step_routes(
    router,
    GRIEVANCE,
    path="/grievances/{grievance_id}",
    access=queries.access_grievance,
    record_arg="grievance",
    response=GrievanceOut,
    result=lambda user, g: _grievance_out(g),
    names=["assign", "answer", "rate", "withdraw"],
    arguments={
        "assign": lambda g, payload: {
            "department": record_in_body(Department, payload.department_id, "department_id"),
            "note": payload.note,
        },
    },
    function_names={
        "assign": "assign_grievance",
        "answer": "answer_grievance",
        "rate": "rate_grievance",
        "withdraw": "withdraw_grievance",
    },
)
