"""Pages of nursing rooms (妈咪小屋): the member books on her phone, the committee keeps the
rooms and sees their bookings (Excel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.women import exports
from zhijia.women.actions import rooms as actions
from zhijia.women.forms.rooms import BookingForm, RoomForm
from zhijia.women.models import RoomBooking
from zhijia.women.queries import rooms as queries
from zhijia.women.queries.common import is_woman_member, managed_units


@dataclass
class Slot:
    starts: dt.time
    free: int


def _require_woman(request) -> None:
    if not is_woman_member(request.user):
        raise PermissionDenied


def _day(request) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today
    return day if today <= day <= today + dt.timedelta(days=actions.BOOK_AHEAD_DAYS) else today


@login_required
def rooms(request):
    _require_woman(request)
    today = timezone.localdate()
    return render(
        request,
        "women/rooms.html",
        {
            "title": _("妈咪小屋"),
            "rooms": paginate(request, queries.rooms_for_member(request.user)),
            "bookings": queries.my_bookings(request.user).filter(
                day__gte=today, status=RoomBooking.Status.BOOKED
            ),
        },
    )


def _room_page(request, room, *, form=None, day=None, status=200):
    day = day or _day(request)
    taken = queries.taken(room, day)
    now = timezone.localtime()
    slots = [
        Slot(s, room.seats - taken.get(s, 0))
        for s in queries.slots(room)
        if day > now.date() or s > now.time()
    ]
    today = timezone.localdate()
    return render(
        request,
        "women/room.html",
        {
            "title": room.name,
            "room": room,
            "day": day,
            "days": [today + dt.timedelta(days=i) for i in range(actions.BOOK_AHEAD_DAYS + 1)],
            "slots": slots,
            "form": form,
        },
        status=status,
    )


@login_required
def room(request, room_id: int):
    _require_woman(request)
    return _room_page(request, queries.access_room(request.user, room_id))


@login_required
@require_POST
def room_book(request, room_id: int):
    _require_woman(request)
    room = queries.access_room(request.user, room_id)
    form = BookingForm(request.POST)
    day = form.cleaned_data.get("day") if form.is_valid() else None
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_book_room(
            actor=request.user, room=room, day=d["day"], starts=d["starts"]
        ),
        on_error=lambda f, status: _room_page(request, room, form=f, day=day, status=status),
        success_url=reverse("women:rooms"),
        message=_("预约成功"),
    )


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = queries.access_my_booking(request.user, booking_id)
    return step_view(
        request,
        form=NoInput(request.POST),
        call=lambda d: actions.do_cancel_room_booking(actor=request.user, booking=booking),
        on_error=lambda f, status: _room_page(request, booking.room, form=f, status=status),
        success_url=reverse("women:rooms"),
        message=_("预约已取消"),
    )


# --- the desk ---------------------------------------------------------------------------------


def _units(user):
    return managed_units(user)


@login_required
def desk_rooms(request):
    if not queries.may_manage(request.user):
        raise PermissionDenied
    form = RoomForm(request.POST or None, units=_units(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            created, status = run_action(
                form, lambda: actions.do_create_nursing_room(actor=request.user, **d)
            )
            if status == 200:
                messages.success(request, _("已添加妈咪小屋"))
                return redirect("women:desk-room", created.pk)
    return render(
        request,
        "women/desk_rooms.html",
        {
            "title": _("妈咪小屋管理"),
            "rooms": paginate(request, queries.managed_rooms(request.user)),
            "form": form,
        },
        status=status,
    )


@login_required
def desk_room(request, room_id: int):
    room = queries.access_managed_room(request.user, room_id)
    return render(
        request,
        "women/desk_room.html",
        {
            "title": room.name,
            "room": room,
            "bookings": paginate(request, queries.room_bookings(room)),
        },
    )


@login_required
def desk_room_export(request, room_id: int):
    room = queries.access_managed_room(request.user, room_id)
    sheet = exports.room_bookings_sheet(room)
    return excel.xlsx_response(f"nursing-room-{room.pk}.xlsx", sheet, stream=True)
