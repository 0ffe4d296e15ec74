"""REST API of module cases, mounted at /api/v1/cases. Thin: the same queries and actions,
and so the same permission layer, as the pages. Errors are JSON {"detail"}: 400 bad input,
403 the role lacks the code, 404 out of scope, 409 wrong state, 429 too many wrong receipt
codes, 503 the database too busy to take the write (nothing half-written; send it again).

The anonymous box (`/box...`) takes no authentication and reads none: a bearer token sent
along is ignored, and nothing about the caller is stored.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from zhijia.cases import queries, receipt_limits
from zhijia.cases.actions import box as actions_box
from zhijia.cases.actions import grievances as actions
from zhijia.cases.actions import knowledge as actions_knowledge
from zhijia.cases.actions import mediation as actions_mediation
from zhijia.cases.models import Grievance, KnowledgeEntry, MediationCase
from zhijia.core.forms import busy_message
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.org.models import Department, OrgUnit
from zhijia.org.queries import members as org_queries

router = Router(tags=["cases"])


def busy_safe(fn):
    """A busy database answers 503 with the Chinese message, never a 500."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OperationalError:
            raise HttpError(503, busy_message()) from None

    return wrapper


# --- schemas --------------------------------------------------------------------------------


class GrievanceIn(Schema):
    kind: str = "grievance"
    category: str
    text: str


class GrievanceOut(Schema):
    id: int
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


class AssignIn(Schema):
    department: int
    note: str = ""


class TransferIn(Schema):
    unit: int
    note: str


class RateIn(Schema):
    rating: str
    comment: str = ""


class NoteIn(Schema):
    note: str = ""


class MessageOut(Schema):
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
    q: str = "",
):
    """The cadres' queue (overdue first), or the handlers' department list."""
    filters = queries.QueueFilters(state=state, category=category, overdue=overdue, mine=mine, q=q)
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
@busy_safe
def submit_grievance(request, payload: GrievanceIn):
    g = actions.do_submit_grievance(
        actor=request.user, kind=payload.kind, category=payload.category, text=payload.text
    )
    return Status(201, _grievance_out(g))


@router.get("/grievances/{grievance_id}", response=GrievanceOut)
def get_grievance(request, grievance_id: int):
    return _grievance_out(queries.access_grievance(request.user, grievance_id))


@router.get(
    "/grievances/{grievance_id}/timeline",
    response=page_schema(TimelineOut, name="GrievanceTimelinePage"),
)
def grievance_timeline(request, grievance_id: int, paging: Query[PageParams]):
    g = queries.access_grievance(request.user, grievance_id)
    return api_page(
        queries.timeline(g), paging.page, paging.per_page, transform=lambda e: e.__dict__
    )


@router.post("/grievances/{grievance_id}/assign", response=GrievanceOut)
@busy_safe
def assign_grievance(request, grievance_id: int, payload: AssignIn):
    g = queries.access_grievance(request.user, grievance_id)
    department = get_object_or_404(Department, pk=payload.department)
    return _grievance_out(
        actions.do_assign_grievance(
            actor=request.user, grievance=g, department=department, note=payload.note
        )
    )


@router.post("/grievances/{grievance_id}/transfer", response=GrievanceOut)
@busy_safe
def transfer_grievance(request, grievance_id: int, payload: TransferIn):
    g = queries.access_grievance(request.user, grievance_id)
    unit = get_object_or_404(OrgUnit, pk=payload.unit)
    return _grievance_out(
        actions.do_transfer_grievance(actor=request.user, grievance=g, unit=unit, note=payload.note)
    )


@router.post("/grievances/{grievance_id}/ask", response={201: MessageOut})
@busy_safe
def ask_worker(request, grievance_id: int, payload: TextIn):
    g = queries.access_grievance(request.user, grievance_id)
    m = actions.do_ask_worker(actor=request.user, grievance=g, text=payload.text)
    return Status(201, {"id": m.pk, "kind": m.kind, "text": m.text})


@router.post("/grievances/{grievance_id}/answer", response=GrievanceOut)
@busy_safe
def answer_grievance(request, grievance_id: int, payload: TextIn):
    g = queries.access_grievance(request.user, grievance_id)
    return _grievance_out(
        actions.do_answer_grievance(actor=request.user, grievance=g, text=payload.text)
    )


@router.post("/grievances/{grievance_id}/info", response={201: MessageOut})
@busy_safe
def add_info(request, grievance_id: int, payload: TextIn):
    g = queries.access_grievance(request.user, grievance_id)
    m = actions.do_add_info(actor=request.user, grievance=g, text=payload.text)
    return Status(201, {"id": m.pk, "kind": m.kind, "text": m.text})


@router.post("/grievances/{grievance_id}/rate", response=GrievanceOut)
@busy_safe
def rate_grievance(request, grievance_id: int, payload: RateIn):
    g = queries.access_grievance(request.user, grievance_id)
    return _grievance_out(
        actions.do_rate_grievance(
            actor=request.user, grievance=g, rating=payload.rating, comment=payload.comment
        )
    )


@router.post("/grievances/{grievance_id}/withdraw", response=GrievanceOut)
@busy_safe
def withdraw_grievance(request, grievance_id: int, payload: NoteIn):
    g = queries.access_grievance(request.user, grievance_id)
    return _grievance_out(
        actions.do_withdraw_grievance(actor=request.user, grievance=g, note=payload.note)
    )


# --- the anonymous box ------------------------------------------------------------------------


class BoxIn(Schema):
    kind: str = "grievance"
    category: str
    org_unit: int
    text: str


class BoxReceiptOut(Schema):
    receipt_code: str
    received_on: dt.date
    note: str


class CodeIn(Schema):
    code: str


class BoxMessageIn(CodeIn):
    text: str


class BoxRateIn(CodeIn):
    rating: str
    comment: str = ""


class BoxStatusOut(Schema):
    sealed: bool
    received_on: dt.date
    category: str
    text: str
    state: str
    state_label: str
    handling_unit: str | None
    answer: str
    deadline_at: dt.datetime | None
    timeline: list[TimelineOut]
    pending_items: int


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


@router.post("/box", auth=None, response={201: BoxReceiptOut})
@busy_safe
def box_submit(request, payload: BoxIn, response: HttpResponse):
    """Put an anonymous grievance in the box. The receipt code is in this answer only."""
    _no_store(response)
    unit = org_queries.unit_by_id(payload.org_unit)
    item, code = actions_box.do_put_in_box(
        kind=payload.kind, category=payload.category, org_unit=unit, text=payload.text
    )
    return Status(
        201,
        {
            "receipt_code": code,
            "received_on": item.received_on,
            "note": "收据码只显示这一次，请妥善保存。信箱每天开启一次，明天由工会受理。",
        },
    )


def _find(request, code: str):
    try:
        receipt_limits.check_allowed(request)
    except receipt_limits.RateLimited as exc:
        raise HttpError(429, exc.message) from None
    found = queries.find_by_receipt(code)
    if found is None:
        receipt_limits.register_wrong(request)
        raise HttpError(404, "收据码不正确，请核对后重新输入")
    return found


def _box_status(found) -> dict:
    if found.sealed is not None:
        item = found.sealed
        return {
            "sealed": True,
            "received_on": item.received_on,
            "category": item.category,
            "text": item.text,
            "state": "",
            "state_label": "待开箱",
            "handling_unit": None,
            "answer": "",
            "deadline_at": None,
            "timeline": [],
            "pending_items": 0,
        }
    g = found.grievance
    return {
        "sealed": False,
        "received_on": g.received_on,
        "category": g.category,
        "text": g.text,
        "state": g.state,
        "state_label": g.state_label,
        "handling_unit": g.handling_unit.name,
        "answer": g.answer,
        "deadline_at": g.deadline_at,
        "timeline": [e.__dict__ for e in queries.timeline(g, for_worker=True)],
        "pending_items": queries.pending_box_items(g).count(),
    }


@router.post("/box/lookup", auth=None, response=BoxStatusOut)
def box_lookup(request, payload: CodeIn, response: HttpResponse):
    _no_store(response)
    return _box_status(_find(request, payload.code))


def _opened(found):
    if found.grievance is None:
        raise HttpError(409, "信箱开启后才能补充信息或评价")
    return found.grievance


@router.post("/box/message", auth=None, response={201: BoxStatusOut})
@busy_safe
def box_message(request, payload: BoxMessageIn, response: HttpResponse):
    _no_store(response)
    found = _find(request, payload.code)
    actions_box.do_box_message(grievance=_opened(found), text=payload.text)
    return Status(201, _box_status(queries.find_by_receipt(payload.code)))


@router.post("/box/rate", auth=None, response={201: BoxStatusOut})
@busy_safe
def box_rate(request, payload: BoxRateIn, response: HttpResponse):
    _no_store(response)
    found = _find(request, payload.code)
    actions_box.do_box_rating(
        grievance=_opened(found), rating=payload.rating, comment=payload.comment
    )
    return Status(201, _box_status(queries.find_by_receipt(payload.code)))


# --- mediation --------------------------------------------------------------------------------


class MediationIn(Schema):
    category: str
    respondent: str
    claim: str
    contact: str = ""


class MediationOut(Schema):
    id: int
    category: str
    respondent: str
    claim: str
    state: str
    state_label: str
    requested_on: dt.date
    deadline_at: dt.datetime | None
    mediator: str | None
    agreement_text: str
    closing_reason: str
    arbitration_open: bool
    arbitration_notice: str | None


def _mediation_out(c: MediationCase) -> dict:
    open_ = queries.arbitration_open(c)
    return {
        "id": c.pk,
        "category": c.category,
        "respondent": c.respondent,
        "claim": c.claim,
        "state": c.state,
        "state_label": c.state_label,
        "requested_on": c.requested_on,
        "deadline_at": c.deadline_at,
        "mediator": c.mediator.get_full_name() if c.mediator_id else None,  # type: ignore[union-attr]
        "agreement_text": c.agreement_text,
        "closing_reason": c.closing_reason,
        "arbitration_open": open_,
        "arbitration_notice": actions_mediation.arbitration_notice_text(c) if open_ else None,
    }


class AcceptIn(Schema):
    mediator: int
    note: str = ""


class SessionIn(Schema):
    held_at: dt.datetime
    place: str
    attendees: str
    minutes: str


class AgreementIn(Schema):
    text: str
    performance_deadline: dt.date | None = None


class ReasonIn(Schema):
    reason: str


class PartyIn(Schema):
    side: str
    name: str
    representative: str = ""
    contact: str = ""


@router.get("/mediations", response=page_schema(MediationOut, name="MediationPage"))
def list_mediations(request, paging: Query[PageParams], state: str = "open"):
    return api_page(
        queries.mediation_list(request.user, state=state),
        paging.page,
        paging.per_page,
        transform=_mediation_out,
    )


@router.get("/mediations/mine", response=page_schema(MediationOut, name="MediationPage"))
def my_mediations(request, paging: Query[PageParams]):
    return api_page(
        queries.my_mediations(request.user), paging.page, paging.per_page, transform=_mediation_out
    )


@router.post("/mediations", response={201: MediationOut})
@busy_safe
def request_mediation(request, payload: MediationIn):
    case = actions_mediation.do_request_mediation(actor=request.user, **payload.dict())
    return Status(201, _mediation_out(case))


@router.get("/mediations/{case_id}", response=MediationOut)
def get_mediation(request, case_id: int):
    return _mediation_out(queries.access_mediation(request.user, case_id))


def _managed(request, case_id: int) -> MediationCase:
    case = queries.access_mediation(request.user, case_id)
    if not queries.may_manage_mediation(request.user, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("cases.manage_mediation")
    return case


@router.post("/mediations/{case_id}/accept", response=MediationOut)
@busy_safe
def accept_mediation(request, case_id: int, payload: AcceptIn):
    case = _managed(request, case_id)
    mediator = next((u for u in queries.mediators_for(case) if u.pk == payload.mediator), None)
    return _mediation_out(
        actions_mediation.do_accept_mediation(
            actor=request.user, case=case, mediator=mediator, note=payload.note
        )
    )


@router.post("/mediations/{case_id}/parties", response={201: MediationOut})
@busy_safe
def add_party(request, case_id: int, payload: PartyIn):
    case = _managed(request, case_id)
    actions_mediation.do_add_party(actor=request.user, case=case, **payload.dict())
    return Status(201, _mediation_out(queries.access_mediation(request.user, case_id)))


@router.post("/mediations/{case_id}/sessions", response={201: MediationOut})
@busy_safe
def record_session(request, case_id: int, payload: SessionIn):
    case = _managed(request, case_id)
    actions_mediation.do_record_session(actor=request.user, case=case, **payload.dict())
    return Status(201, _mediation_out(queries.access_mediation(request.user, case_id)))


@router.post("/mediations/{case_id}/agreement", response=MediationOut)
@busy_safe
def record_agreement(request, case_id: int, payload: AgreementIn):
    case = _managed(request, case_id)
    return _mediation_out(
        actions_mediation.do_record_agreement(
            actor=request.user,
            case=case,
            text=payload.text,
            performance_deadline=payload.performance_deadline,
        )
    )


@router.post("/mediations/{case_id}/failure", response=MediationOut)
@busy_safe
def record_failure(request, case_id: int, payload: ReasonIn):
    case = _managed(request, case_id)
    return _mediation_out(
        actions_mediation.do_record_failure(actor=request.user, case=case, reason=payload.reason)
    )


@router.post("/mediations/{case_id}/decline", response=MediationOut)
@busy_safe
def decline_mediation(request, case_id: int, payload: ReasonIn):
    case = _managed(request, case_id)
    return _mediation_out(
        actions_mediation.do_decline_mediation(actor=request.user, case=case, reason=payload.reason)
    )


@router.post("/mediations/{case_id}/withdraw", response=MediationOut)
@busy_safe
def withdraw_mediation(request, case_id: int, payload: NoteIn):
    case = queries.access_mediation(request.user, case_id)
    return _mediation_out(
        actions_mediation.do_withdraw_mediation(actor=request.user, case=case, note=payload.note)
    )


# --- knowledge --------------------------------------------------------------------------------


class KnowledgeIn(Schema):
    question: str
    answer: str
    category: str
    legal_basis: str = ""
    publish: bool = True


class KnowledgeOut(Schema):
    id: int
    question: str
    answer: str
    category: str
    legal_basis: str
    is_published: bool
    updated_at: dt.datetime


def _knowledge_out(e: KnowledgeEntry) -> dict:
    return {
        "id": e.pk,
        "question": e.question,
        "answer": e.answer,
        "category": e.category,
        "legal_basis": e.legal_basis,
        "is_published": e.is_published,
        "updated_at": e.updated_at,
    }


@router.get("/knowledge", response=page_schema(KnowledgeOut, name="KnowledgePage"))
def list_knowledge(request, paging: Query[PageParams], q: str = ""):
    """Published answers, newest first; with `q`, the best matches (at most
    KNOWLEDGE_SEARCH_LIMIT: a narrower search finds the rest)."""
    entries = (
        queries.search_knowledge(q[:100], limit=queries.KNOWLEDGE_SEARCH_LIMIT)
        if q.strip()
        else queries.published_knowledge()
    )
    return api_page(entries, paging.page, paging.per_page, transform=_knowledge_out)


@router.post("/knowledge/suggest", response=list[KnowledgeOut])
def suggest_knowledge(request, payload: TextIn):
    return [_knowledge_out(e) for e in queries.suggest_knowledge(payload.text)]


@router.get("/knowledge/{entry_id}", response=KnowledgeOut)
def get_knowledge(request, entry_id: int):
    return _knowledge_out(queries.access_knowledge(request.user, entry_id))


@router.post("/knowledge", response={201: KnowledgeOut})
@busy_safe
def create_knowledge(request, payload: KnowledgeIn):
    units = [
        u
        for u in org_queries.all_units()
        if queries.has_perm(request.user, queries.MANAGE_KNOWLEDGE, unit=u)
    ]
    if not units:
        queries.knowledge_managed_by(request.user)  # 403
    data = payload.dict()
    publish = data.pop("publish")
    entry = actions_knowledge.do_create_knowledge(
        actor=request.user, org_unit=units[0], publish=publish, **data
    )
    return Status(201, _knowledge_out(entry))
