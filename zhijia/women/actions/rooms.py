"""Writes of nursing rooms (妈咪小屋) and their bookings.

No double booking: `do_book_room` locks the room's row (select_for_update; SQLite's IMMEDIATE
write transactions serialise writers) before it counts the slot's bookings and takes the lowest
free seat, so two members pressing 预约 at once for the last seat are served one after the
other and the second is refused; the partial unique constraints (models.rooms) hold even
against a write that skipped this action."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused, text_field
from zhijia.core.permissions import require
from zhijia.women.models import NursingRoom, RoomBooking
from zhijia.women.permissions import MANAGE
from zhijia.women.queries import rooms as queries
from zhijia.women.queries.common import own_member

__all__ = [
    "RoomError",
    "do_book_room",
    "do_cancel_room_booking",
    "do_create_nursing_room",
]

BOOK_AHEAD_DAYS = 14
MAX_SEATS = 20


class RoomError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def _text(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=RoomError)


@transaction.atomic
def do_create_nursing_room(
    *,
    actor,
    org_unit,
    name: str,
    place: str,
    seats=1,
    opens_at: dt.time | None = None,
    closes_at: dt.time | None = None,
    facilities: str = "",
) -> NursingRoom:
    require(actor, MANAGE, unit=org_unit)
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = 0
    if not 1 <= seats <= MAX_SEATS:
        raise RoomError(_("位置数应在 1 到 %(n)d 之间") % {"n": MAX_SEATS}, field="seats")
    opens_at = opens_at or dt.time(8, 0)
    closes_at = closes_at or dt.time(18, 0)
    if closes_at <= opens_at:
        raise RoomError(_("关闭时间应晚于开放时间"), field="closes_at")
    room = NursingRoom.objects.create(
        org_unit=org_unit,
        name=_text(name, "name", _("名称"), 60),
        place=_text(place, "place", _("位置"), 120),
        seats=seats,
        opens_at=opens_at,
        closes_at=closes_at,
        facilities=_text(facilities, "facilities", _("设施"), 300, required=False),
    )
    record(actor=actor, action="women.create_room", target=room, unit=org_unit)
    return room


@transaction.atomic
def do_book_room(*, actor, room: NursingRoom, day: dt.date, starts: dt.time) -> RoomBooking:
    """A member books a seat of the room for one slot (today or within BOOK_AHEAD_DAYS)."""
    member = own_member(actor)
    if member is None or member.gender != member.Gender.FEMALE:
        raise PermissionDenied
    # The lock serialises the bookings of this room: the count below cannot be overtaken.
    locked = NursingRoom.objects.select_for_update().filter(pk=room.pk).first()
    if locked is None or not queries.rooms_for_member(actor).filter(pk=room.pk).exists():
        raise RoomError(_("您不能预约这个妈咪小屋"), status=404)
    room = locked
    today = timezone.localdate()
    if not isinstance(day, dt.date) or not today <= day <= today + dt.timedelta(
        days=BOOK_AHEAD_DAYS
    ):
        raise RoomError(_("只能预约今天起 %(n)d 天内的时段") % {"n": BOOK_AHEAD_DAYS}, field="day")
    if starts not in queries.slots(room):
        raise RoomError(_("请选择开放时间内的时段"), field="starts")
    if day == today and starts <= timezone.localtime().time():
        raise RoomError(_("该时段已开始，请选择之后的时段"), field="starts")
    if RoomBooking.objects.filter(
        user=actor, day=day, starts=starts, status=RoomBooking.Status.BOOKED
    ).exists():
        raise RoomError(_("您已预约了这个时段"), status=409)
    used = set(
        room.bookings.filter(day=day, starts=starts, status=RoomBooking.Status.BOOKED).values_list(
            "seat", flat=True
        )
    )
    free = [seat for seat in range(1, room.seats + 1) if seat not in used]
    if not free:
        raise RoomError(_("该时段已约满，请选择其他时段"), status=409)
    try:
        with transaction.atomic():
            booking = RoomBooking.objects.create(
                room=room, user=actor, member=member, day=day, starts=starts, seat=free[0]
            )
    except IntegrityError:
        raise RoomError(_("该时段已约满，请选择其他时段"), status=409) from None
    record(
        actor=actor,
        action="women.book_room",
        target=booking,
        unit=room.org_unit,
        data={"room": room.pk, "day": day.isoformat(), "starts": starts.strftime("%H:%M")},
    )
    return booking


@transaction.atomic
def do_cancel_room_booking(*, actor, booking: RoomBooking) -> RoomBooking:
    """She cancels her booking before its slot starts; the seat is free again."""
    if booking.user_id != actor.pk:
        raise PermissionDenied
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != RoomBooking.Status.BOOKED:
        raise RoomError(_("该预约已取消"), status=409)
    start = timezone.make_aware(dt.datetime.combine(booking.day, booking.starts))
    if start <= timezone.now():
        raise RoomError(_("该时段已开始，不能再取消"), status=409)
    booking.status = RoomBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    record(actor=actor, action="women.cancel_room_booking", target=booking)
    return booking
