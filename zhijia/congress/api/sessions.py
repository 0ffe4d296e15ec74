"""API of the congress sessions, mounted at /api/v1/congress.

Same permissions as the pages (queries_sessions.access_* answer 404 outside the caller's
scope; the actions check the permission again):

  terms        GET/POST /terms, GET /terms/{id}, GET /terms/{id}/composition,
               GET/POST /terms/{id}/representatives, POST /representatives/{id}/end,
               GET/POST /terms/{id}/sessions
  sessions     GET /sessions/{id}, POST /sessions/{id}/start-checkin|open|close,
               GET /sessions/{id}/quorum, POST /sessions/{id}/checkin (desk: a scanned code),
               POST /sessions/{id}/checkin/self (the hall code; only ever the caller),
               POST /sessions/{id}/roll-call, GET/POST /sessions/{id}/items,
               GET/POST /sessions/{id}/scrutineers (总监票人 and 监票人: the trustees of
               the session's encrypted votes)
  items        GET /items/{id} (with its poll and, once closed, the result),
               POST /items/{id}/prepare (an encrypted vote: its trustees make the key),
               POST /items/{id}/open|close
  mine         GET /my/representations (with the personal check-in code), GET /my/sessions
  elections    GET/POST /elections, GET /elections/{id}, POST /elections/{id}/candidates,
               POST /elections/{id}/self-nominate, POST /elections/{id}/prepare (an
               encrypted ballot: its trustees make the key), POST /elections/{id}/open|close|seat

Votes themselves are cast through /api/v1/voting/polls/{poll_id}/cast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhijia.congress import rules
from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import AgendaItem, Representative, Session, Term
from zhijia.congress.queries import sessions as q
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Code, Count, Date, Id, Ordinal, Seats
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.voting.api import results_payload

router = Router(tags=["congress"])


# --- schemas ------------------------------------------------------------------------------------


class TermOut(Schema):
    id: int
    unit_id: Id
    unit_name: str
    number: int
    name: str
    start_date: dt.date
    end_date: dt.date
    workforce_total: int | None
    workforce_women: int | None
    workforce_dispatched: int | None
    warnings: list[str] = []  # e.g. the term overlaps another term of the same union


class TermYearOut(Schema):
    index: int
    start: dt.date
    end: dt.date
    sessions: int
    status: str
    past: bool


class TermDetailOut(TermOut):
    representatives: int
    attending: int
    composition: str
    years: list[TermYearOut]


class TermIn(Schema):
    unit_id: Id
    start_date: Date
    end_date: Date
    number: Ordinal | None = None
    workforce_total: Count | None = None
    workforce_women: Count | None = None
    workforce_dispatched: Count | None = None


class CheckOut(Schema):
    code: str
    status: Literal["ok", "warn", "fail"]
    title: str
    message: str
    basis: str
    figures: dict


class CompositionOut(Schema):
    term_id: Id
    overall: str
    workforce: dict
    slate: dict
    checks: list[CheckOut]


class RepresentativeOut(Schema):
    id: int
    term_id: Id
    member_id: Id
    employee_no: str
    name: str
    gender: str
    employment_type: str
    unit_id: Id
    unit_name: str
    kind: str
    is_manager: bool
    is_frontline: bool
    source: str
    active: bool


class RepresentativeIn(Schema):
    member_id: Id | None = None
    employee_no: str | None = None
    unit_id: Id | None = None
    kind: Literal["voting", "attending"] = "voting"
    is_manager: bool = False
    is_frontline: bool = False


class EndIn(Schema):
    reason: str


class SessionOut(Schema):
    id: int
    term_id: Id
    number: int
    name: str
    date: dt.date
    place: str
    state: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class SessionIn(Schema):
    date: Date
    place: str = ""
    title: str = ""
    number: Ordinal | None = None
    notify_representatives: bool = True


class QuorumOut(Schema):
    session_id: Id
    state: str
    present: int
    total: int
    required: int
    reached: bool
    missing: int
    attending_present: int


class CheckinIn(Schema):
    code: Code


class SelfCheckinIn(Schema):
    hall_token: Code


class CheckinOut(Schema):
    representative_id: Id
    name: str
    method: str
    checked_in_at: dt.datetime
    created: bool
    quorum: QuorumOut


class RollCallIn(Schema):
    representative_id: Id
    present: bool


class SessionItemIn(Schema):
    title: str
    kind: Literal["report", "motion", "election"] = "motion"
    description: str = ""
    candidates: list[str] = []
    seats: Seats = 1
    paper: bool = False


class ItemOut(Schema):
    id: int
    session_id: Id
    position: int
    title: str
    kind: str
    candidates: list[str]
    seats: int
    is_paper: bool
    poll_id: Id | None
    poll_state: str | None
    encrypted: bool  # prepared with the session's scrutineers as its trustees


class ScrutineerOut(Schema):
    representative_id: Id
    name: str
    title: str  # 总监票人 (position 1) or 监票人
    position: int
    user_id: Id  # the account that acts as trustee (voting's /polls/{id}/trustee)


class ScrutineersOut(Schema):
    scrutineers: list[ScrutineerOut]
    decrypt_quorum: int | None  # empty: a strict majority


class ScrutineersIn(Schema):
    chief_id: Id
    other_ids: list[Id]
    decrypt_quorum: Count | None = None


class ItemDetailOut(ItemOut):
    all_representatives: int
    threshold: int
    passed: bool | None
    result: dict | None
    refused: str


class MyRepresentationOut(Schema):
    id: int
    term_id: Id
    term_name: str
    kind: str
    unit_name: str
    checkin_code: str


class MySessionOut(SessionOut):
    checked_in: bool


# --- serialisers ---------------------------------------------------------------------------------


def _term(t: Term) -> dict:
    return {
        "id": t.pk,
        "unit_id": t.unit_id,
        "unit_name": t.unit.name,
        "number": t.number,
        "name": str(t),
        "start_date": t.start_date,
        "end_date": t.end_date,
        "workforce_total": t.workforce_total,
        "workforce_women": t.workforce_women,
        "workforce_dispatched": t.workforce_dispatched,
        "warnings": q.term_warnings(t),
    }


def _rep(r: Representative) -> dict:
    return {
        "id": r.pk,
        "term_id": r.term_id,
        "member_id": r.member_id,
        "employee_no": r.member.employee_no,
        "name": r.member.name,
        "gender": r.member.gender,
        "employment_type": r.member.employment_type,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "kind": r.kind,
        "is_manager": r.is_manager,
        "is_frontline": r.is_frontline,
        "source": r.source,
        "active": r.active,
    }


def _session(s: Session) -> dict:
    return {
        "id": s.pk,
        "term_id": s.term_id,
        "number": s.number,
        "name": str(s),
        "date": s.date,
        "place": s.place,
        "state": s.state,
        "opened_at": s.opened_at,
        "closed_at": s.closed_at,
    }


def _quorum(s: Session) -> dict:
    qs = q.quorum_status(s)
    return {
        "session_id": s.pk,
        "state": s.state,
        "present": qs.present,
        "total": qs.total,
        "required": qs.required,
        "reached": qs.reached,
        "missing": qs.missing,
        "attending_present": q.attending_present(s),
    }


def _item(i: AgendaItem) -> dict:
    return {
        "id": i.pk,
        "session_id": i.session_id,
        "position": i.position,
        "title": i.title,
        "kind": i.kind,
        "candidates": list(i.candidates or []),
        "seats": i.seats,
        "is_paper": i.is_paper,
        "poll_id": i.poll_id,
        "poll_state": i.poll.state if i.poll is not None else None,
        "encrypted": bool(i.poll is not None and i.poll.encrypted),
    }


def _scrutineers(session: Session) -> dict:
    return {
        "scrutineers": [
            {
                "representative_id": s.representative_id,
                "name": s.representative.member.name,
                "title": s.title,
                "position": s.position,
                "user_id": s.representative.member.user_id,
            }
            for s in q.scrutineers_of(session)
        ],
        "decrypt_quorum": session.decrypt_quorum,
    }


def member_in_body(members, payload, message: str):
    """The member a body names by `member_id` (unknown or outside `members`: 404 naming the
    field) or else by `employee_no` (not found: 400 on that field)."""
    if payload.member_id is not None:
        return record_in_body(members, payload.member_id, "member_id", message)
    member = members.filter(employee_no=(payload.employee_no or "").strip()).first()
    if member is None:
        raise ActionRefused(message, field="employee_no")
    return member


# --- terms ----------------------------------------------------------------------------------------


@router.get("/terms", response=page_schema(TermOut, name="CongressTermPage"))
def list_terms(request, paging: Query[PageParams]):
    return api_page(
        q.list_terms_for_user(request.user), paging.page, paging.per_page, transform=_term
    )


@router.post("/terms", response={201: TermOut})
def create_term(request, payload: TermIn):
    unit = record_in_body(q.units_for_terms(request.user), payload.unit_id, "unit_id")
    term = actions.do_create_term(
        actor=request.user,
        unit=unit,
        number=payload.number,
        start_date=payload.start_date,
        end_date=payload.end_date,
        workforce_total=payload.workforce_total,
        workforce_women=payload.workforce_women,
        workforce_dispatched=payload.workforce_dispatched,
    )
    return Status(201, _term(term))


@router.get("/terms/{term_id}", response=TermDetailOut)
def term_detail(request, term_id: Id):
    term = q.access_term(request.user, term_id)
    slate = q.slate(term)
    checks = q.composition(term)
    return {
        **_term(term),
        "representatives": slate.voting,
        "attending": slate.attending,
        "composition": rules.overall(c.check for c in checks),
        "years": [asdict(y) for y in q.term_years(term)],
    }


@router.get("/terms/{term_id}/composition", response=CompositionOut)
def term_composition(request, term_id: Id):
    term = q.access_term(request.user, term_id)
    checks = q.composition(term)
    return {
        "term_id": term.pk,
        "overall": rules.overall(c.check for c in checks),
        "workforce": asdict(q.workforce(term)),
        "slate": asdict(q.slate(term)),
        "checks": [
            {
                "code": c.check.code,
                "status": c.status,
                "title": c.title,
                "message": c.message,
                "basis": c.basis,
                "figures": {
                    k: str(v) if isinstance(v, dt.date) else v for k, v in c.check.figures.items()
                },
            }
            for c in checks
        ],
    }


@router.get(
    "/terms/{term_id}/representatives",
    response=page_schema(RepresentativeOut, name="CongressRepresentativePage"),
)
def list_representatives(
    request, term_id: Id, paging: Query[PageParams], include_ended: bool = False
):
    term = q.access_term(request.user, term_id)
    return api_page(
        q.representatives_of(term, include_ended=include_ended),
        paging.page,
        paging.per_page,
        transform=_rep,
    )


@router.post("/terms/{term_id}/representatives", response={201: RepresentativeOut})
def add_representative(request, term_id: Id, payload: RepresentativeIn):
    term = q.access_term(request.user, term_id, q.MANAGE)
    member = member_in_body(
        q.members_in_unit(term.unit), payload, _("本组织范围内没有这名在册会员")
    )
    unit = None
    if payload.unit_id is not None:
        unit = record_in_body(
            q.electoral_units(term),
            payload.unit_id,
            "unit_id",
            _("选举单位不属于本届职代会的组织范围"),
        )
    rep = actions.do_add_representative(
        actor=request.user,
        term=term,
        member=member,
        unit=unit,
        kind=payload.kind,
        is_manager=payload.is_manager,
        is_frontline=payload.is_frontline,
    )
    return Status(201, _rep(rep))


@router.post("/representatives/{rep_id}/end", response=RepresentativeOut)
def end_representative(request, rep_id: Id, payload: EndIn):
    rep = q.access_representative(request.user, rep_id, q.MANAGE)
    return _rep(actions.do_end_representative(actor=request.user, rep=rep, reason=payload.reason))


@router.get(
    "/terms/{term_id}/sessions", response=page_schema(SessionOut, name="CongressSessionPage")
)
def list_sessions(request, term_id: Id, paging: Query[PageParams]):
    term = q.access_term(request.user, term_id)
    return api_page(q.sessions_of(term), paging.page, paging.per_page, transform=_session)


@router.post("/terms/{term_id}/sessions", response={201: SessionOut})
def schedule_session(request, term_id: Id, payload: SessionIn):
    term = q.access_term(request.user, term_id, q.MANAGE)
    session = actions.do_schedule_session(
        actor=request.user,
        term=term,
        date=payload.date,
        place=payload.place,
        title=payload.title,
        number=payload.number,
        notify_representatives=payload.notify_representatives,
    )
    return Status(201, _session(session))


# --- sessions ------------------------------------------------------------------------------------


@router.get("/sessions/{session_id}", response=SessionOut)
def session_detail(request, session_id: Id):
    return _session(q.access_session(request.user, session_id))


def _transition(request, session_id: Id, action):
    session = q.access_session(request.user, session_id, q.RUN)
    return _session(action(actor=request.user, session=session))


@router.post("/sessions/{session_id}/start-checkin", response=SessionOut)
def start_checkin(request, session_id: Id):
    return _transition(request, session_id, actions.do_start_checkin)


@router.post("/sessions/{session_id}/open", response=SessionOut)
def open_session(request, session_id: Id):
    """Declare the session open: refused (409) without 2/3 of all representatives present."""
    return _transition(request, session_id, actions.do_open_session)


@router.post("/sessions/{session_id}/close", response=SessionOut)
def close_session(request, session_id: Id):
    return _transition(request, session_id, actions.do_close_session)


@router.get("/sessions/{session_id}/quorum", response=QuorumOut)
def quorum(request, session_id: Id):
    return _quorum(q.access_session(request.user, session_id))


def _checkin_out(session, attendance, created) -> dict:
    rep = attendance.representative
    return {
        "representative_id": rep.pk,
        "name": rep.member.name,
        "method": attendance.method,
        "checked_in_at": attendance.checked_in_at,
        "created": created,
        "quorum": _quorum(session),
    }


@router.post("/sessions/{session_id}/checkin", response=CheckinOut)
def checkin_by_code(request, session_id: Id, payload: CheckinIn):
    """The door: a cadre of the session's union posts a scanned personal code."""
    session = q.access_session(request.user, session_id, q.RUN)
    attendance, created = actions.do_checkin_by_code(
        actor=request.user, session=session, code=payload.code
    )
    return _checkin_out(session, attendance, created)


@router.post("/sessions/{session_id}/checkin/self", response=CheckinOut)
def self_checkin(request, session_id: Id, payload: SelfCheckinIn):
    """A representative checks in themself with the hall's code (never anyone else)."""
    session = q.session_by_hall_token(session_id, payload.hall_token)
    if session is None:
        raise Http404
    attendance, created = actions.do_self_checkin(
        actor=request.user, session=session, hall_token=payload.hall_token
    )
    return _checkin_out(session, attendance, created)


@router.post("/sessions/{session_id}/roll-call", response=QuorumOut)
def roll_call(request, session_id: Id, payload: RollCallIn):
    session = q.access_session(request.user, session_id, q.RUN)
    rep = q.access_representative(request.user, payload.representative_id, q.RUN)
    actions.do_roll_call(actor=request.user, session=session, rep=rep, present=payload.present)
    return _quorum(session)


@router.get(
    "/sessions/{session_id}/items", response=page_schema(ItemOut, name="CongressAgendaItemPage")
)
def list_items(request, session_id: Id, paging: Query[PageParams]):
    session = q.access_session(request.user, session_id)
    return api_page(q.items_of(session), paging.page, paging.per_page, transform=_item)


@router.post("/sessions/{session_id}/items", response={201: ItemOut})
def add_item(request, session_id: Id, payload: SessionItemIn):
    session = q.access_session(request.user, session_id, q.RUN)
    item = actions_agenda.do_add_item(
        actor=request.user,
        session=session,
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
        candidates=payload.candidates,
        seats=payload.seats,
        paper=payload.paper,
    )
    return Status(201, _item(item))


# --- items ---------------------------------------------------------------------------------------


def _item_detail(item: AgendaItem) -> dict:
    r = q.item_result(item)
    return {
        **_item(item),
        "all_representatives": r.all_representatives,
        "threshold": r.threshold,
        "passed": r.passed,
        "result": results_payload(r.result) if r.result is not None else None,
        "refused": r.refused,
    }


@router.get("/items/{item_id}", response=ItemDetailOut)
def item_detail(request, item_id: Id):
    """An item with its poll; the result only once the poll is closed (never while open)."""
    return _item_detail(q.access_item(request.user, item_id))


@router.get("/sessions/{session_id}/scrutineers", response=ScrutineersOut)
def session_scrutineers(request, session_id: Id):
    return _scrutineers(q.access_session(request.user, session_id))


@router.post("/sessions/{session_id}/scrutineers", response=ScrutineersOut)
def set_scrutineers(request, session_id: Id, payload: ScrutineersIn):
    """Record the chief scrutineer and the scrutineers the session passed (3 to 5 in all,
    representatives of the term with an account); 409 once a vote was prepared with them."""
    session = q.access_session(request.user, session_id, q.RUN)
    reps = q.representatives_of_term(session.term)
    message = _("本届没有这名代表")
    chief = record_in_body(reps, payload.chief_id, "chief_id", message)
    others = [record_in_body(reps, pk, "other_ids", message) for pk in payload.other_ids]
    actions_agenda.do_set_scrutineers(
        actor=request.user,
        session=session,
        chief=chief,
        others=others,
        quorum=payload.decrypt_quorum,
    )
    return _scrutineers(session)


@router.post("/items/{item_id}/prepare", response=ItemDetailOut)
def prepare_item_vote(request, item_id: Id):
    """Prepare the item's encrypted online vote: its poll is created with the session's
    scrutineers as trustees, who make its key (voting's /polls/{id}/trustee); then
    /items/{id}/open opens it. 409 without scrutineers, for a paper item or a prepared one."""
    item = q.access_item(request.user, item_id, q.RUN)
    actions_agenda.do_prepare_item_vote(actor=request.user, item=item)
    return _item_detail(q.access_item(request.user, item_id))


@router.post("/items/{item_id}/open", response=ItemDetailOut)
def open_item_vote(request, item_id: Id):
    """Open the item's secret ballot: 409 without quorum or when the session is not open."""
    item = q.access_item(request.user, item_id, q.RUN)
    actions_agenda.do_open_item_vote(actor=request.user, item=item)
    return _item_detail(q.access_item(request.user, item_id))


@router.post("/items/{item_id}/close", response=ItemDetailOut)
def close_item_vote(request, item_id: Id):
    item = q.access_item(request.user, item_id, q.RUN)
    actions_agenda.do_close_item_vote(actor=request.user, item=item)
    return _item_detail(q.access_item(request.user, item_id))


# --- mine ----------------------------------------------------------------------------------------


@router.get(
    "/my/representations",
    response=page_schema(MyRepresentationOut, name="CongressMyRepresentationPage"),
)
def my_representations(request, paging: Query[PageParams]):
    return api_page(
        q.my_representations(request.user),
        paging.page,
        paging.per_page,
        transform=lambda r: {
            "id": r.pk,
            "term_id": r.term_id,
            "term_name": str(r.term),
            "kind": r.kind,
            "unit_name": r.unit.name,
            "checkin_code": q.checkin_code(r),
        },
    )


@router.get("/my/sessions", response=page_schema(MySessionOut, name="CongressMySessionPage"))
def my_sessions(request, paging: Query[PageParams]):
    reps = {r.term_id: r for r in q.my_representations(request.user)}
    return api_page(
        q.my_sessions(request.user),
        paging.page,
        paging.per_page,
        transform=lambda s: {
            **_session(s),
            "checked_in": q.is_checked_in(s, reps[s.term_id]) is not None,
        },
    )


# --- elections -----------------------------------------------------------------------------------
