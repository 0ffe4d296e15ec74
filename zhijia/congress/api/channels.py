"""API of the participation channels, mounted at /api/v1/congress/channels.

Reception days (领导接待日): GET/POST /reception (a leader publishes), GET /reception/{day_id}
(with its slots), PATCH /reception/{day_id} and POST /reception/{day_id}/cancel (before the
day), POST /reception/{day_id}/slots, DELETE /reception/slots/{slot_id} (a slot nobody
booked), POST /reception/slots/{slot_id}/book (a member of the unit), GET /reception/mine
(我的预约), POST /reception/bookings/{booking_id}/cancel|outcome, GET /reception/items (the
cadres' tracked items), POST /reception/items/{item_id}/complete|close|send-back. Hearings
(职工代表听证): GET/POST /hearings, GET /hearings/{hearing_id}, PATCH /hearings/{hearing_id}
(the draft, before the first comment), POST /hearings/{hearing_id}/comments,
POST /hearings/comments/{comment_id}/answer, POST /hearings/{hearing_id}/close. Out-of-scope
records are 404; errors are {"detail": ...}.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from zhijia.congress.actions import channels as actions
from zhijia.congress.queries import channels as queries
from zhijia.congress.workflows import HEARING, RECEPTION_ITEM
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Clock, Date, Id, clock, parse_clock
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["congress-channels"])


class CongressReceptionDayOut(Schema):
    id: int
    unit_id: Id
    unit_name: str
    leader: str
    leader_title: str
    date: dt.date
    place: str
    note: str
    cancelled: bool
    cancel_reason: str


class CongressReceptionSlotOut(Schema):
    id: int
    starts_at: Clock
    ends_at: Clock
    place: str
    taken: bool
    mine: bool
    booking_id: Id | None  # for the leaders and the member who booked it
    member_name: str
    topic: str
    outcome: str


class CongressReceptionDayDetail(CongressReceptionDayOut):
    slots: list[CongressReceptionSlotOut]
    can_publish: bool
    can_manage: bool


class CongressReceptionDayIn(Schema):
    unit_id: Id
    leader: str
    leader_title: str
    date: Date
    place: str
    note: str = ""


class CongressReceptionDayEditIn(Schema):
    leader: str
    leader_title: str
    date: Date
    place: str
    note: str = ""


class CongressReceptionCancelIn(Schema):
    reason: str


class CongressReceptionSlotIn(Schema):
    starts_at: Clock
    ends_at: Clock
    place: str = ""


class CongressBookingIn(Schema):
    topic: str


class CongressReceptionItemOut(Schema):
    id: int
    title: str
    department_name: str
    state: str
    state_label: str
    deadline_at: datetime | None
    escalation_level: int
    result: str


class CongressBookingOut(Schema):
    id: int
    day_id: Id
    date: dt.date
    starts_at: Clock
    ends_at: Clock
    leader: str
    member_name: str
    topic: str
    cancelled: bool
    outcome: str
    item: CongressReceptionItemOut | None


class CongressOutcomeIn(Schema):
    outcome: str
    action_needed: str = ""
    department_id: Id | None = None


class CongressItemResultIn(Schema):
    result: str


class CongressItemNoteIn(Schema):
    note: str = ""


class CongressItemReasonIn(Schema):
    reason: str


class CongressHearingOut(Schema):
    id: int
    unit_id: Id
    unit_name: str
    title: str
    opens_on: dt.date
    closes_on: dt.date
    state: str
    state_label: str


class CongressHearingCommentOut(Schema):
    id: int
    author_name: str
    is_representative: bool
    text: str
    answer: str
    answered_by: str
    answered_at: datetime | None
    created_at: datetime


class CongressHearingDetail(CongressHearingOut):
    draft: str
    comments: list[CongressHearingCommentOut]
    may_comment: bool
    can_manage: bool


class CongressHearingIn(Schema):
    unit_id: Id
    title: str
    draft: str
    opens_on: Date
    closes_on: Date


class CongressHearingEditIn(Schema):
    title: str
    draft: str
    opens_on: Date
    closes_on: Date


class CongressCommentIn(Schema):
    text: str


class CongressAnswerIn(Schema):
    answer: str


# --- serialisation -------------------------------------------------------------------------


def _day(day) -> dict:
    return {
        "id": day.pk,
        "unit_id": day.org_unit_id,
        "unit_name": day.org_unit.name,
        "leader": day.leader,
        "leader_title": day.leader_title,
        "date": day.date,
        "place": day.place,
        "note": day.note,
        "cancelled": day.cancelled_at is not None,
        "cancel_reason": day.cancel_reason,
    }


def _day_detail(user, day) -> dict:
    can_publish = queries.can_publish(user, day.org_unit)
    slots = []
    for slot in queries.slots_of(day):
        booking = queries.live_booking(slot)
        mine = booking is not None and booking.member.user_id == user.pk
        shown = booking if (can_publish or mine) else None
        slots.append(
            {
                "id": slot.pk,
                "starts_at": clock(slot.starts_at),
                "ends_at": clock(slot.ends_at),
                "place": slot.place or day.place,
                "taken": booking is not None,
                "mine": mine,
                "booking_id": shown.pk if shown else None,
                "member_name": shown.member.name if shown else "",
                "topic": shown.topic if shown else "",
                "outcome": shown.outcome if shown else "",
            }
        )
    return {
        **_day(day),
        "slots": slots,
        "can_publish": can_publish,
        "can_manage": queries.can_manage(user, day.org_unit),
    }


def _item(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "department_name": item.department.name,
        "state": item.state,
        "state_label": item.state_label,
        "deadline_at": item.deadline_at,
        "escalation_level": item.escalation_level,
        "result": item.result,
    }


def _booking(booking) -> dict:
    item = getattr(booking, "item", None)  # the reverse one-to-one: None without an item
    return {
        "id": booking.pk,
        "day_id": booking.slot.day_id,
        "date": booking.slot.day.date,
        "starts_at": clock(booking.slot.starts_at),
        "ends_at": clock(booking.slot.ends_at),
        "leader": booking.slot.day.leader,
        "member_name": booking.member.name,
        "topic": booking.topic,
        "cancelled": booking.cancelled_at is not None,
        "outcome": booking.outcome,
        "item": _item(item) if item is not None else None,
    }


def _hearing(hearing) -> dict:
    return {
        "id": hearing.pk,
        "unit_id": hearing.org_unit_id,
        "unit_name": hearing.org_unit.name,
        "title": hearing.title,
        "opens_on": hearing.opens_on,
        "closes_on": hearing.closes_on,
        "state": hearing.state,
        "state_label": hearing.state_label,
    }


def _hearing_detail(user, hearing) -> dict:
    hearing = queries.access_hearing(user, hearing.pk)
    return {
        **_hearing(hearing),
        "draft": hearing.draft,
        "comments": [
            {
                "id": c.pk,
                "author_name": c.author_name,
                "is_representative": c.is_representative,
                "text": c.text,
                "answer": c.answer,
                "answered_by": c.answered_by,
                "answered_at": c.answered_at,
                "created_at": c.created_at,
            }
            for c in queries.visible_comments(user, hearing)
        ],
        "may_comment": queries.may_comment(user, hearing),
        "can_manage": queries.can_manage(user, hearing.org_unit),
    }


# --- reception days ------------------------------------------------------------------------


@router.get(
    "/reception", response=page_schema(CongressReceptionDayOut, name="CongressReceptionDayPage")
)
def list_reception_days(request, paging: Query[PageParams]):
    return api_page(
        queries.days_visible_to(request.user), paging.page, paging.per_page, transform=_day
    )


@router.post("/reception", response={201: CongressReceptionDayDetail})
def publish_reception_day(request, payload: CongressReceptionDayIn):
    user = request.user
    if not queries.may_publish(user):
        raise PermissionDenied
    unit = record_in_body(queries.publish_units(user), payload.unit_id, "unit_id")
    data = payload.dict()
    data.pop("unit_id")
    day = actions.do_publish_day(actor=user, unit=unit, **data)
    return Status(201, _day_detail(user, day))


@router.get("/reception/mine", response=page_schema(CongressBookingOut, name="CongressBookingPage"))
def list_my_bookings(request, paging: Query[PageParams]):
    return api_page(
        queries.my_bookings(request.user), paging.page, paging.per_page, transform=_booking
    )


@router.get(
    "/reception/items",
    response=page_schema(CongressReceptionItemOut, name="CongressReceptionItemPage"),
)
def list_reception_items(request, paging: Query[PageParams]):
    if not queries.may_manage(request.user):
        raise PermissionDenied
    return api_page(
        queries.managed_items(request.user), paging.page, paging.per_page, transform=_item
    )


@router.get("/reception/{int:day_id}", response=CongressReceptionDayDetail)
def get_reception_day(request, day_id: Id):
    return _day_detail(request.user, queries.access_day(request.user, day_id))


@router.post("/reception/{int:day_id}/slots", response={201: CongressReceptionDayDetail})
def add_reception_slot(request, day_id: Id, payload: CongressReceptionSlotIn):
    day = queries.access_day(request.user, day_id)
    actions.do_add_slot(
        actor=request.user,
        day=day,
        starts_at=parse_clock(payload.starts_at),
        ends_at=parse_clock(payload.ends_at),
        place=payload.place,
    )
    return Status(201, _day_detail(request.user, day))


@router.patch("/reception/{int:day_id}", response=CongressReceptionDayDetail)
def edit_reception_day(request, day_id: Id, payload: CongressReceptionDayEditIn):
    day = queries.access_day(request.user, day_id)
    actions.do_edit_day(actor=request.user, day=day, **payload.dict())
    return _day_detail(request.user, queries.access_day(request.user, day_id))


@router.post("/reception/{int:day_id}/cancel", response=CongressReceptionDayDetail)
def cancel_reception_day(request, day_id: Id, payload: CongressReceptionCancelIn):
    day = queries.access_day(request.user, day_id)
    actions.do_cancel_day(actor=request.user, day=day, reason=payload.reason)
    return _day_detail(request.user, queries.access_day(request.user, day_id))


@router.delete("/reception/slots/{int:slot_id}", response={204: None})
def remove_reception_slot(request, slot_id: Id):
    slot = queries.access_slot(request.user, slot_id)
    actions.do_remove_slot(actor=request.user, slot=slot)
    return Status(204, None)


@router.post("/reception/slots/{int:slot_id}/book", response={201: CongressBookingOut})
def book_reception_slot(request, slot_id: Id, payload: CongressBookingIn):
    slot = queries.access_slot(request.user, slot_id)
    booking = actions.do_book_slot(actor=request.user, slot=slot, topic=payload.topic)
    return Status(201, _booking(queries.access_booking(request.user, booking.pk)))


@router.post("/reception/bookings/{int:booking_id}/cancel", response=CongressBookingOut)
def cancel_reception_booking(request, booking_id: Id):
    booking = queries.access_booking(request.user, booking_id)
    actions.do_cancel_booking(actor=request.user, booking=booking)
    return _booking(queries.access_booking(request.user, booking_id))


@router.post("/reception/bookings/{int:booking_id}/outcome", response=CongressBookingOut)
def record_reception_outcome(request, booking_id: Id, payload: CongressOutcomeIn):
    booking = queries.access_booking(request.user, booking_id)
    department = None
    if payload.department_id is not None:
        department = record_in_body(queries.departments(), payload.department_id, "department_id")
    actions.do_record_outcome(
        actor=request.user,
        booking=booking,
        outcome=payload.outcome,
        department=department,
        action_needed=payload.action_needed,
    )
    return _booking(queries.access_booking(request.user, booking_id))


def _item_result(user, item) -> dict:
    return _item(queries.access_item(user, item.pk))


# The tracked item's workflow steps (core.api_workflow): complete, close, send-back.
add_step_routes(
    router,
    RECEPTION_ITEM,
    path="/reception/items/{int:item_id}",
    access=queries.access_item,
    record_arg="item",
    response=CongressReceptionItemOut,
    result=_item_result,
    names=["complete", "close", "send_back"],
    schemas={
        "complete": CongressItemResultIn,
        "close": CongressItemNoteIn,
        "send_back": CongressItemReasonIn,
    },
    url_names={"send_back": "send-back"},
    function_names={
        "complete": "complete_reception_item",
        "close": "close_reception_item",
        "send_back": "send_back_reception_item",
    },
)


# --- hearings ------------------------------------------------------------------------------


@router.get("/hearings", response=page_schema(CongressHearingOut, name="CongressHearingPage"))
def list_hearings(request, paging: Query[PageParams]):
    return api_page(
        queries.hearings_visible_to(request.user),
        paging.page,
        paging.per_page,
        transform=_hearing,
    )


@router.post("/hearings", response={201: CongressHearingDetail})
def open_hearing(request, payload: CongressHearingIn):
    user = request.user
    if not queries.may_manage(user):
        raise PermissionDenied
    unit = record_in_body(queries.manage_units(user), payload.unit_id, "unit_id")
    data = payload.dict()
    data.pop("unit_id")
    hearing = actions.do_open_hearing(actor=user, unit=unit, **data)
    return Status(201, _hearing_detail(user, hearing))


@router.get("/hearings/{int:hearing_id}", response=CongressHearingDetail)
def get_hearing(request, hearing_id: Id):
    return _hearing_detail(request.user, queries.access_hearing(request.user, hearing_id))


@router.patch("/hearings/{int:hearing_id}", response=CongressHearingDetail)
def edit_hearing(request, hearing_id: Id, payload: CongressHearingEditIn):
    hearing = queries.access_hearing(request.user, hearing_id)
    actions.do_edit_hearing(actor=request.user, hearing=hearing, **payload.dict())
    return _hearing_detail(request.user, hearing)


@router.post("/hearings/{int:hearing_id}/comments", response={201: CongressHearingDetail})
def comment_hearing(request, hearing_id: Id, payload: CongressCommentIn):
    hearing = queries.access_hearing(request.user, hearing_id)
    actions.do_add_comment(actor=request.user, hearing=hearing, text=payload.text)
    return Status(201, _hearing_detail(request.user, hearing))


@router.post("/hearings/comments/{int:comment_id}/answer", response=CongressHearingDetail)
def answer_hearing_comment(request, comment_id: Id, payload: CongressAnswerIn):
    comment = queries.access_comment(request.user, comment_id)
    actions.do_answer_comment(actor=request.user, comment=comment, answer=payload.answer)
    return _hearing_detail(request.user, comment.hearing)


add_step_routes(
    router,
    HEARING,
    path="/hearings/{int:hearing_id}",
    access=queries.access_hearing,
    record_arg="hearing",
    response=CongressHearingDetail,
    result=_hearing_detail,
    names=["close"],
    schemas={"close": CongressItemNoteIn},
    function_names={"close": "close_hearing"},
)
