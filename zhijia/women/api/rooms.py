"""API of nursing rooms (妈咪小屋), mounted at /api/v1/women.

Members:  GET /rooms, GET /rooms/{id}/slots?day=, POST /rooms/{id}/bookings,
          GET /bookings, POST /bookings/{id}/cancel
Managers: GET /desk/rooms, POST /desk/rooms, GET /desk/rooms/{id}/bookings
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Clock, Date, Id, clock, parse_clock
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.women.actions import rooms as actions
from zhijia.women.models import NursingRoom, RoomBooking
from zhijia.women.permissions import MANAGE
from zhijia.women.queries import rooms as queries
from zhijia.women.queries.common import is_woman_member, managed_units

router = Router(tags=["women-rooms"])


class WomenRoomOut(Schema):
    id: int
    name: str
    place: str
    seats: int
    opens_at: Clock
    closes_at: Clock
    facilities: str
    active: bool
    org_unit_id: int
    org_unit_name: str


class WomenSlotOut(Schema):
    starts: Clock
    free_seats: int


class WomenSlotsOut(Schema):
    room_id: int
    day: dt.date
    slots: list[WomenSlotOut]


class WomenBookingOut(Schema):
    id: int
    room_id: int
    room_name: str
    day: dt.date
    starts: Clock
    seat: int
    status: str
    status_label: str


class WomenDeskBookingOut(WomenBookingOut):
    member_name: str
    employee_no: str


class WomenBookingIn(Schema):
    day: Date
    starts: Clock


class WomenRoomIn(Schema):
    org_unit_id: Id
    name: str = Field(..., max_length=60)
    place: str = Field(..., max_length=120)
    seats: int = Field(1, ge=1, le=20)
    opens_at: Clock = "08:00"
    closes_at: Clock = "18:00"
    facilities: str = Field("", max_length=300)


def _room(r: NursingRoom) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "place": r.place,
        "seats": r.seats,
        "opens_at": clock(r.opens_at),
        "closes_at": clock(r.closes_at),
        "facilities": r.facilities,
        "active": r.active,
        "org_unit_id": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
    }


def _booking(b: RoomBooking) -> dict:
    return {
        "id": b.pk,
        "room_id": b.room_id,
        "room_name": b.room.name,
        "day": b.day,
        "starts": clock(b.starts),
        "seat": b.seat,
        "status": b.status,
        "status_label": b.get_status_display(),
    }


def _desk_booking(b: RoomBooking) -> dict:
    return {**_booking(b), "member_name": b.member.name, "employee_no": b.member.employee_no}


def _require_woman(request) -> None:
    if not is_woman_member(request.user):
        raise PermissionDenied


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied(MANAGE)


@router.get("/rooms", response=page_schema(WomenRoomOut, name="WomenRoomPage"))
def list_rooms(request, paging: Query[PageParams]):
    """The open rooms of the caller's unit and the units above it."""
    _require_woman(request)
    return api_page(
        queries.rooms_for_member(request.user), paging.page, paging.per_page, transform=_room
    )


@router.get("/rooms/{int:room_id}/slots", response=WomenSlotsOut)
def room_slots(request, room_id: Id, day: Date | None = None):
    room = queries.access_room(request.user, room_id)
    day = day or timezone.localdate()
    taken = queries.taken(room, day)
    slots = [
        {"starts": clock(s), "free_seats": room.seats - taken.get(s, 0)}
        for s in queries.slots(room)
    ]
    return {"room_id": room.pk, "day": day, "slots": slots}


@router.post("/rooms/{int:room_id}/bookings", response={201: WomenBookingOut})
def book(request, room_id: Id, payload: WomenBookingIn):
    _require_woman(request)
    room = queries.access_room(request.user, room_id)
    booking = actions.do_book_room(
        actor=request.user, room=room, day=payload.day, starts=parse_clock(payload.starts)
    )
    return Status(201, _booking(booking))


@router.get("/bookings", response=page_schema(WomenBookingOut, name="WomenBookingPage"))
def my_bookings(request, paging: Query[PageParams]):
    _require_woman(request)
    return api_page(
        queries.my_bookings(request.user), paging.page, paging.per_page, transform=_booking
    )


@router.post("/bookings/{int:booking_id}/cancel", response=WomenBookingOut)
def cancel(request, booking_id: Id):
    booking = queries.access_my_booking(request.user, booking_id)
    booking = actions.do_cancel_room_booking(actor=request.user, booking=booking)
    return _booking(queries.access_my_booking(request.user, booking.pk))


@router.get("/desk/rooms", response=page_schema(WomenRoomOut, name="WomenDeskRoomPage"))
def desk_rooms(request, paging: Query[PageParams]):
    _require_manager(request)
    return api_page(
        queries.managed_rooms(request.user), paging.page, paging.per_page, transform=_room
    )


@router.post("/desk/rooms", response={201: WomenRoomOut})
def create_room(request, payload: WomenRoomIn):
    _require_manager(request)
    units = managed_units(request.user)
    unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    room = actions.do_create_nursing_room(
        actor=request.user,
        org_unit=unit,
        name=payload.name,
        place=payload.place,
        seats=payload.seats,
        opens_at=parse_clock(payload.opens_at),
        closes_at=parse_clock(payload.closes_at),
        facilities=payload.facilities,
    )
    return Status(201, _room(room))


@router.get(
    "/desk/rooms/{int:room_id}/bookings",
    response=page_schema(WomenDeskBookingOut, name="WomenDeskBookingPage"),
)
def desk_bookings(request, room_id: Id, paging: Query[PageParams]):
    room = queries.access_managed_room(request.user, room_id)
    return api_page(
        queries.room_bookings(room), paging.page, paging.per_page, transform=_desk_booking
    )
