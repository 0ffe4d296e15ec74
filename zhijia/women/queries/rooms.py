"""Reads of nursing rooms and their bookings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.women.models import NursingRoom, RoomBooking
from zhijia.women.models.rooms import SLOT_MINUTES
from zhijia.women.permissions import MANAGE
from zhijia.women.queries.common import is_woman_member, own_member, pk_or_404


def rooms_for_member(user) -> QuerySet[NursingRoom]:
    """The open rooms of the member's unit and the units above it (the committee's room serves
    every branch below it)."""
    member = own_member(user)
    if member is None or not is_woman_member(user):
        return NursingRoom.objects.none()
    return (
        NursingRoom.objects.filter(active=True, org_unit__path__in=member.org_unit.path_prefixes())
        .select_related("org_unit")
        .order_by("org_unit__path", "name", "id")
    )


def managed_rooms(user) -> QuerySet[NursingRoom]:
    return (
        NursingRoom.objects.filter(scope_q(user, MANAGE))
        .select_related("org_unit")
        .order_by("org_unit__path", "name", "id")
    )


def may_manage(user, unit=None) -> bool:
    return has_perm(user, MANAGE, unit=unit)


def access_room(user, room_id) -> NursingRoom:
    """A room the member may book, or one the manager manages (else 404; 403 for someone who
    is neither a member nor a manager)."""
    pk = pk_or_404(room_id)
    room = rooms_for_member(user).filter(pk=pk).first() or managed_rooms(user).filter(pk=pk).first()
    if room is not None:
        return room
    if not is_woman_member(user) and not may_manage(user):
        raise PermissionDenied
    raise Http404


def access_managed_room(user, room_id) -> NursingRoom:
    pk = pk_or_404(room_id)
    if not may_manage(user):
        raise PermissionDenied(MANAGE)
    room = managed_rooms(user).filter(pk=pk).first()
    if room is None:
        raise Http404
    return room


def my_bookings(user) -> QuerySet[RoomBooking]:
    if not getattr(user, "is_authenticated", False):
        return RoomBooking.objects.none()
    return RoomBooking.objects.filter(user=user).select_related("room").order_by("-day", "-starts")


def access_my_booking(user, booking_id) -> RoomBooking:
    booking = my_bookings(user).filter(pk=pk_or_404(booking_id)).first()
    if booking is None:
        if not is_woman_member(user):
            raise PermissionDenied
        raise Http404
    return booking


def room_bookings(room: NursingRoom) -> QuerySet[RoomBooking]:
    return room.bookings.select_related("member", "member__org_unit").order_by(
        "-day", "starts", "seat"
    )


def slots(room: NursingRoom) -> list[dt.time]:
    """The slot start times of the room's opening hours."""
    result = []
    moment = dt.datetime.combine(dt.date(2000, 1, 1), room.opens_at)
    end = dt.datetime.combine(dt.date(2000, 1, 1), room.closes_at)
    step = dt.timedelta(minutes=SLOT_MINUTES)
    while moment + step <= end:
        result.append(moment.time())
        moment += step
    return result


def taken(room: NursingRoom, day: dt.date) -> dict[dt.time, int]:
    """Booked seats per slot start on `day`."""
    counts: dict[dt.time, int] = {}
    for starts in room.bookings.filter(day=day, status=RoomBooking.Status.BOOKED).values_list(
        "starts", flat=True
    ):
        counts[starts] = counts.get(starts, 0) + 1
    return counts
