"""API of counseling, mounted at /api/v1/services/counseling. Same queries and actions, so the
same rules, as the pages.

Members:     GET /slots, GET /slots/{id}, POST /slots/{id}/book, GET /bookings,
             POST /bookings/{id}/cancel, POST /bookings/{id}/rate
Anonymous:   POST /questions (→ receipt code, once), POST /questions/lookup {code},
             POST /questions/reply {code, body}: the code only ever in a POST body
Counselors:  /desk/slots (GET, POST), /desk/slots/{id} (GET), /desk/slots/{id}/cancel,
             /desk/bookings/{id}/outcome, /desk/notes (GET, POST), /desk/notes/{id} (GET, PUT),
             /desk/questions (GET), /desk/questions/{id} (GET), /{id}/answer, /{id}/close
Figures:     GET /counts?year= (services.view_counseling_counts): numbers only
Errors {"detail"}: 400 bad input, 403 the role may not, 404 not yours or unknown (a wrong
receipt code too), 409 state conflict, 422 malformed body, 429 too many wrong codes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.core import receipts
from zhijia.core.api_errors import THROTTLED
from zhijia.core.api_types import Code, Id, Seats, Year
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction import Satisfaction
from zhijia.services import privacy
from zhijia.services.actions import counseling as actions
from zhijia.services.models import (
    CounselingBooking,
    CounselingNote,
    CounselingQuestion,
    CounselingSlot,
)
from zhijia.services.permissions import VIEW_COUNSELING_COUNTS
from zhijia.services.queries import counseling as queries

router = Router(tags=["services-counseling"])


def _require_user(request):
    if not queries.may_use_counseling(request.user):
        raise PermissionDenied


def _require_member(request):
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_counselor(request):
    if not queries.is_counselor(request.user):
        raise PermissionDenied


# --- schemas --------------------------------------------------------------------------------------


class SlotOut(Schema):
    id: int
    kind: str
    kind_label: str
    mode: str
    mode_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    title: str
    description: str
    counselor_name: str
    capacity: int
    seats_left: int
    status: str


class BookingOut(Schema):
    id: int
    slot: SlotOut
    status: str
    status_label: str
    waitlist_position: int | None
    can_cancel: bool
    can_rate: bool  # attended and not yet rated
    online_info: str  # only once booked


class DeskBookingOut(Schema):
    id: int
    worker_name: str
    status: str
    status_label: str
    topic: str


class DeskSlotOut(SlotOut):
    online_info: str
    waitlist_count: int
    bookings: list[DeskBookingOut] = []


class SlotIn(Schema):
    kind: Literal["individual", "group"]
    mode: Literal["in_person", "online"]
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    online_info: str = ""
    title: str = ""
    description: str = ""
    capacity: Seats | None = None


class BookIn(Schema):
    topic: str = ""


class CounselingReasonIn(Schema):
    reason: str = ""


class CounselingRatingIn(Schema):
    rating: Satisfaction = Field(..., description="satisfied / basically / dissatisfied")


class OutcomeIn(Schema):
    outcome: Literal["attended", "no_show"]


class CounselingNoteIn(Schema):
    booking_id: Id | None = None
    slot_id: Id | None = None
    body: str


class NoteEditIn(Schema):
    body: str


class NoteOut(Schema):
    id: int
    booking_id: Id | None
    slot_id: Id | None
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime


class NoteSummary(Schema):
    id: int
    booking_id: Id | None
    slot_id: Id | None
    created_at: dt.datetime


class AskIn(Schema):
    topic: str
    body: str


class CounselingCodeIn(Schema):
    code: Code


class ReplyIn(Schema):
    code: Code
    body: str


class BodyIn(Schema):
    body: str


class CounselingMessageOut(Schema):
    seq: int
    from_counselor: bool
    counselor_name: str
    body: str
    written_on: dt.date


class ThreadOut(Schema):
    topic: str
    topic_label: str
    status: str
    status_label: str
    asked_on: dt.date
    messages: list[CounselingMessageOut]


class CounselingReceiptOut(Schema):
    receipt_code: str
    thread: ThreadOut


class QuestionSummary(Schema):
    id: uuid.UUID
    topic: str
    topic_label: str
    status: str
    asked_on: dt.date
    updated_on: dt.date


class DeskThreadOut(ThreadOut):
    id: uuid.UUID


class CountsOut(Schema):
    year: int
    slots_published: int
    individual_booked: int
    individual_attended: int
    no_shows: int
    cancellations: int
    group_sessions: int
    group_participants: int
    questions_asked: int
    questions_answered: int


# --- shaping --------------------------------------------------------------------------------------


def _slot(slot: CounselingSlot) -> dict:
    return {
        "id": slot.pk,
        "kind": slot.kind,
        "kind_label": slot.get_kind_display(),
        "mode": slot.mode,
        "mode_label": slot.get_mode_display(),
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "place": slot.place,
        "title": slot.title,
        "description": slot.description,
        "counselor_name": str(slot.counselor),
        "capacity": slot.capacity,
        "seats_left": queries.seats_left(slot),
        "status": slot.status,
    }


def _booking(b: CounselingBooking) -> dict:
    return {
        "id": b.pk,
        "slot": _slot(b.slot),
        "status": b.status,
        "status_label": b.get_status_display(),
        "waitlist_position": queries.waitlist_position(b),
        "can_cancel": queries.can_cancel(b),
        "can_rate": b.status == CounselingBooking.Status.ATTENDED and b.rated_at is None,
        "online_info": b.slot.online_info if b.status == CounselingBooking.Status.BOOKED else "",
    }


def _desk_slot(slot: CounselingSlot, *, with_bookings: bool = False) -> dict:
    data = _slot(slot)
    data["online_info"] = slot.online_info
    data["waitlist_count"] = getattr(slot, "waitlist_count", 0)
    if with_bookings:
        data["bookings"] = [
            {
                "id": b.pk,
                "worker_name": str(b.worker),
                "status": b.status,
                "status_label": b.get_status_display(),
                "topic": b.get_topic(),
            }
            for b in queries.bookings_of_slot(slot)
        ]
    return data


def _note(note: CounselingNote) -> dict:
    return {
        "id": note.pk,
        "booking_id": note.booking_id,
        "slot_id": note.slot_id,
        "body": note.get_body(),
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def _thread(q: CounselingQuestion) -> dict:
    return {
        "topic": q.topic,
        "topic_label": q.get_topic_display(),
        "status": q.status,
        "status_label": q.get_status_display(),
        "asked_on": q.asked_on,
        "messages": [
            {
                "seq": m.seq,
                "from_counselor": m.from_counselor,
                "counselor_name": str(m.counselor) if m.counselor_id else "",
                "body": m.get_body(),
                "written_on": m.written_on,
            }
            for m in queries.messages_of(q)
        ],
    }


def _by_receipt(request, code: str) -> CounselingQuestion:
    # RateLimited propagates: zhijia/api.py answers 429 with Retry-After.
    receipts.check_rate_limit(request, queries.RECEIPT_SCOPE, code)
    question = queries.question_by_receipt(code)
    if question is None:
        receipts.register_failure(request, queries.RECEIPT_SCOPE, code)
        raise ActionRefused(_("收据码不正确"), field="code", status=404)
    return question


# --- members --------------------------------------------------------------------------------------


@router.get("/slots", response=page_schema(SlotOut, name="CounselingSlotPage"))
def list_slots(request, paging: Query[PageParams], kind: str = ""):
    """Upcoming slots open for booking (individual ones still free, every group session)."""
    _require_user(request)
    return api_page(
        queries.open_slots(request.user, kind=kind), paging.page, paging.per_page, transform=_slot
    )


@router.get("/slots/{int:slot_id}", response=SlotOut)
def get_slot(request, slot_id: Id):
    _require_user(request)
    return _slot(queries.access_open_slot(request.user, slot_id))


@router.post("/slots/{int:slot_id}/book", response={201: BookingOut})
def book(request, slot_id: Id, payload: BookIn):
    """Book a slot; a full group session puts the caller on its waiting list."""
    _require_member(request)
    slot = queries.access_open_slot(request.user, slot_id)
    booking = actions.do_book_counseling(actor=request.user, slot=slot, topic=payload.topic)
    booking = queries.access_booking(request.user, booking.pk)
    return Status(201, _booking(booking))


@router.get("/bookings", response=page_schema(BookingOut, name="CounselingBookingPage"))
def my_bookings(request, paging: Query[PageParams]):
    _require_user(request)
    return api_page(
        queries.my_bookings(request.user), paging.page, paging.per_page, transform=_booking
    )


@router.post("/bookings/{int:booking_id}/cancel", response=BookingOut)
def cancel_booking(request, booking_id: Id, payload: CounselingReasonIn):
    booking = queries.access_booking(request.user, booking_id)
    actions.do_cancel_counseling_booking(actor=request.user, booking=booking, reason=payload.reason)
    return _booking(queries.access_booking(request.user, booking_id))


@router.post("/bookings/{int:booking_id}/rate", response=BookingOut)
def rate_booking(request, booking_id: Id, payload: CounselingRatingIn):
    """Rate an attended appointment, once (counted in the union's satisfaction index only)."""
    booking = queries.access_booking(request.user, booking_id)
    actions.do_rate_counseling(actor=request.user, booking=booking, rating=payload.rating)
    return _booking(queries.access_booking(request.user, booking_id))


# --- anonymous questions --------------------------------------------------------------------------


@router.post("/questions", response={201: CounselingReceiptOut})
def ask(request, payload: AskIn):
    """Ask anonymously. The answer holds the receipt code, which is shown this once."""
    _require_member(request)
    question, code = actions.do_ask_counseling_question(
        actor=request.user, topic=payload.topic, body=payload.body
    )
    return Status(201, {"receipt_code": code, "thread": _thread(question)})


@router.post("/questions/lookup", response={200: ThreadOut, **THROTTLED})
def lookup(request, payload: CounselingCodeIn):
    """The thread a receipt code opens (wrong codes are counted and rate-limited)."""
    return _thread(_by_receipt(request, payload.code))


@router.post("/questions/reply", response={200: ThreadOut, **THROTTLED})
def reply(request, payload: ReplyIn):
    question = _by_receipt(request, payload.code)
    actions.do_follow_up_counseling_question(question=question, body=payload.body)
    question.refresh_from_db()
    return _thread(question)


@router.get("/counts", response=CountsOut)
def counts(request, year: Year | None = None):
    """The year's counseling figures: numbers only."""
    if not has_perm(request.user, VIEW_COUNSELING_COUNTS):
        raise PermissionDenied
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ActionRefused(_("年份不正确"), field="year")
    return {"year": year, **queries.counseling_counts(year)}


# --- counselors' desk -----------------------------------------------------------------------------


@router.get("/desk/slots", response=page_schema(DeskSlotOut, name="CounselingDeskSlotPage"))
def desk_slots(request, paging: Query[PageParams], past: bool = False):
    _require_counselor(request)
    return api_page(
        queries.counselor_slots(request.user, upcoming=not past),
        paging.page,
        paging.per_page,
        transform=_desk_slot,
    )


@router.post("/desk/slots", response={201: DeskSlotOut})
def publish_slot(request, payload: SlotIn):
    _require_counselor(request)
    slot = actions.do_publish_counseling_slot(actor=request.user, **payload.dict())
    return Status(201, _desk_slot(queries.access_own_slot(request.user, slot.pk)))


@router.get("/desk/slots/{int:slot_id}", response=DeskSlotOut)
def desk_slot(request, slot_id: Id):
    _require_counselor(request)
    slot = queries.access_own_slot(request.user, slot_id)
    return _desk_slot(slot, with_bookings=True)


@router.post("/desk/slots/{int:slot_id}/cancel", response=DeskSlotOut)
def cancel_slot(request, slot_id: Id, payload: CounselingReasonIn):
    _require_counselor(request)
    slot = queries.access_own_slot(request.user, slot_id)
    actions.do_cancel_counseling_slot(actor=request.user, slot=slot, reason=payload.reason)
    return _desk_slot(queries.access_own_slot(request.user, slot_id), with_bookings=True)


@router.post("/desk/bookings/{int:booking_id}/outcome", response=DeskBookingOut)
def outcome(request, booking_id: Id, payload: OutcomeIn):
    _require_counselor(request)
    booking = queries.access_booking_as_counselor(request.user, booking_id)
    b = actions.do_record_counseling_outcome(
        actor=request.user, booking=booking, outcome=payload.outcome
    )
    return {
        "id": b.pk,
        "worker_name": str(b.worker),
        "status": b.status,
        "status_label": b.get_status_display(),
        "topic": b.get_topic(),
    }


@router.get("/desk/notes", response=page_schema(NoteSummary, name="CounselingNotePage"))
def desk_notes(request, paging: Query[PageParams]):
    """The caller's own notes (without their text; open one to read it)."""
    _require_counselor(request)
    return api_page(
        queries.my_notes(request.user),
        paging.page,
        paging.per_page,
        transform=lambda n: {
            "id": n.pk,
            "booking_id": n.booking_id,
            "slot_id": n.slot_id,
            "created_at": n.created_at,
        },
    )


@router.post("/desk/notes", response={201: NoteOut})
def write_note(request, payload: CounselingNoteIn):
    _require_counselor(request)
    if (payload.booking_id is None) == (payload.slot_id is None):
        raise ActionRefused(_("请指定 booking_id 或 slot_id 之一"), field="booking_id")
    booking = slot = None
    if payload.booking_id is not None:
        booking = queries.access_booking_as_counselor(request.user, payload.booking_id)
    else:
        slot = queries.access_own_slot(request.user, payload.slot_id)
    note = actions.do_write_counseling_note(
        actor=request.user, body=payload.body, booking=booking, slot=slot
    )
    return Status(201, _note(queries.access_note(request.user, note.pk)))


@router.get("/desk/notes/{int:note_id}", response=NoteOut)
def read_note(request, note_id: Id):
    """A note, for its author alone (another counselor gets 404, other roles 403)."""
    _require_counselor(request)
    note = queries.access_note(request.user, note_id)
    privacy.record_note_read(request.user, note)
    return _note(note)


@router.put("/desk/notes/{int:note_id}", response=NoteOut)
def edit_note(request, note_id: Id, payload: NoteEditIn):
    _require_counselor(request)
    note = queries.access_note(request.user, note_id)
    actions.do_edit_counseling_note(actor=request.user, note=note, body=payload.body)
    return _note(queries.access_note(request.user, note_id))


@router.get("/desk/questions", response=page_schema(QuestionSummary, name="CounselingQuestionPage"))
def desk_questions(request, paging: Query[PageParams], status: str = ""):
    _require_counselor(request)
    return api_page(
        queries.questions_for_counselors(request.user, status=status),
        paging.page,
        paging.per_page,
        transform=lambda q: {
            "id": q.pk,
            "topic": q.topic,
            "topic_label": q.get_topic_display(),
            "status": q.status,
            "asked_on": q.asked_on,
            "updated_on": q.updated_on,
        },
    )


@router.get("/desk/questions/{uuid:question_id}", response=DeskThreadOut)
def desk_question(request, question_id: uuid.UUID):
    _require_counselor(request)
    q = queries.access_question(request.user, question_id)
    return {"id": q.pk, **_thread(q)}


@router.post("/desk/questions/{uuid:question_id}/answer", response=DeskThreadOut)
def answer(request, question_id: uuid.UUID, payload: BodyIn):
    _require_counselor(request)
    q = queries.access_question(request.user, question_id)
    actions.do_answer_counseling_question(actor=request.user, question=q, body=payload.body)
    q.refresh_from_db()
    return {"id": q.pk, **_thread(q)}


@router.post("/desk/questions/{uuid:question_id}/close", response=DeskThreadOut)
def close(request, question_id: uuid.UUID):
    _require_counselor(request)
    q = queries.access_question(request.user, question_id)
    actions.do_close_counseling_question(actor=request.user, question=q)
    q.refresh_from_db()
    return {"id": q.pk, **_thread(q)}
