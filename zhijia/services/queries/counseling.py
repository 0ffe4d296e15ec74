"""Reads of counseling. Who sees what (404 for anything else, 403 for a role that holds none):

open slots           every member and counselor (time, place, counselor, seats left)
a booking            the worker who made it; the counselor of its slot (desk)
a slot's bookings    the slot's counselor only
a note               its author only (not other counselors, not the admin, not the chair)
anonymous questions  counselors (the shared inbox), and whoever holds the receipt code
counts               anyone holding services.view_counseling_counts: numbers only
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import Role
from zhijia.core import receipts
from zhijia.core.permissions import has_perm
from zhijia.services.models import (
    CounselingBooking,
    CounselingMessage,
    CounselingNote,
    CounselingQuestion,
    CounselingSlot,
)
from zhijia.services.permissions import COUNSEL

RECEIPT_SCOPE = "services.counseling_question"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def is_member(user) -> bool:
    """A signed-in user with a member record on the roll (在册)."""
    if not _authenticated(user) or Role.MEMBER not in user.role_codes:
        return False
    member = getattr(user, "member_record", None)
    return member is not None and member.status == "active"


def is_counselor(user) -> bool:
    return _authenticated(user) and has_perm(user, COUNSEL)


def may_use_counseling(user) -> bool:
    """May open the worker pages (members) or look at them (counselors)."""
    return is_member(user) or is_counselor(user)


# --- settings -------------------------------------------------------------------------------------


def cancel_cutoff() -> dt.timedelta:
    return dt.timedelta(hours=settings.ZHIJIA_COUNSELING_CANCEL_HOURS)


def remind_ahead() -> dt.timedelta:
    return dt.timedelta(hours=settings.ZHIJIA_COUNSELING_REMIND_HOURS)


def max_upcoming() -> int:
    return settings.ZHIJIA_COUNSELING_MAX_UPCOMING


# --- slots ----------------------------------------------------------------------------------------


def _with_counts(qs: QuerySet[CounselingSlot]) -> QuerySet[CounselingSlot]:
    return qs.annotate(
        booked_count=Count("bookings", filter=Q(bookings__status="booked"), distinct=True),
        waitlist_count=Count("bookings", filter=Q(bookings__status="waitlisted"), distinct=True),
    )


def open_slots(user, *, kind: str = "") -> QuerySet[CounselingSlot]:
    """Upcoming open slots a member may book: individual ones still free, every group
    session (full ones take a waiting list). Empty for anyone who may not use counseling."""
    if not may_use_counseling(user):
        return CounselingSlot.objects.none()
    qs = _with_counts(
        CounselingSlot.objects.filter(
            status=CounselingSlot.Status.OPEN, starts_at__gt=timezone.now()
        ).select_related("counselor")
    )
    qs = qs.exclude(Q(kind=CounselingSlot.Kind.INDIVIDUAL) & Q(booked_count__gte=1))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("starts_at", "id")


def access_open_slot(user, slot_id) -> CounselingSlot:
    """A slot as a member sees it (open and upcoming, or one they hold a booking in)."""
    if not may_use_counseling(user):
        raise Http404
    pk = _pk(slot_id)
    slot = _with_counts(CounselingSlot.objects.filter(pk=pk).select_related("counselor")).first()
    if slot is None:
        raise Http404
    upcoming_open = slot.status == CounselingSlot.Status.OPEN and slot.starts_at > timezone.now()
    if not upcoming_open and not CounselingBooking.objects.filter(slot=slot, worker=user).exists():
        raise Http404
    return slot


def seats_left(slot: CounselingSlot) -> int:
    booked = getattr(slot, "booked_count", None)
    if booked is None:
        booked = slot.bookings.filter(status=CounselingBooking.Status.BOOKED).count()
    return max(0, slot.capacity - booked)


def counselor_slots(user, *, upcoming: bool = True) -> QuerySet[CounselingSlot]:
    """The counselor's own slots (desk), upcoming first or past newest first."""
    if not is_counselor(user):
        return CounselingSlot.objects.none()
    now = timezone.now()
    qs = _with_counts(CounselingSlot.objects.filter(counselor=user))
    if upcoming:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")


def upcoming_bookings_for_counselor(user) -> QuerySet[CounselingBooking]:
    """Bookings (not waitlisted) of the counselor's own slots still to come: the desk's work."""
    if not is_counselor(user):
        return CounselingBooking.objects.none()
    return CounselingBooking.objects.filter(
        slot__counselor=user,
        slot__ends_at__gte=timezone.now(),
        status=CounselingBooking.Status.BOOKED,
    ).order_by("slot__starts_at", "id")


def access_own_slot(user, slot_id) -> CounselingSlot:
    """One of the counselor's own slots; another counselor's is 404."""
    pk = _pk(slot_id)
    slot = _with_counts(CounselingSlot.objects.filter(pk=pk, counselor=user)).first()
    if slot is None or not is_counselor(user):
        raise Http404
    return slot


def bookings_of_slot(slot: CounselingSlot) -> list[CounselingBooking]:
    """Who is booked and waiting, in order (for the slot's counselor only)."""
    return list(
        slot.bookings.select_related("worker", "worker__member_record").order_by("booked_at", "id")
    )


def waitlist_position(booking: CounselingBooking) -> int | None:
    if booking.status != CounselingBooking.Status.WAITLISTED:
        return None
    ahead = CounselingBooking.objects.filter(
        slot_id=booking.slot_id, status=CounselingBooking.Status.WAITLISTED
    ).filter(Q(booked_at__lt=booking.booked_at) | Q(booked_at=booking.booked_at, pk__lt=booking.pk))
    return ahead.count() + 1


# --- bookings -------------------------------------------------------------------------------------


def my_bookings(user) -> QuerySet[CounselingBooking]:
    """The worker's own bookings, upcoming first then past."""
    if not _authenticated(user):
        return CounselingBooking.objects.none()
    return (
        CounselingBooking.objects.filter(worker=user)
        .select_related("slot", "slot__counselor")
        .order_by("-slot__starts_at", "-id")
    )


def upcoming_individual_count(user) -> int:
    return CounselingBooking.objects.filter(
        worker=user,
        status=CounselingBooking.Status.BOOKED,
        slot__kind=CounselingSlot.Kind.INDIVIDUAL,
        slot__starts_at__gt=timezone.now(),
    ).count()


def active_booking(user, slot: CounselingSlot) -> CounselingBooking | None:
    if not _authenticated(user):
        return None
    return CounselingBooking.objects.filter(
        worker=user, slot=slot, status__in=CounselingBooking.ACTIVE
    ).first()


def access_booking(user, booking_id) -> CounselingBooking:
    """The worker's own booking; anyone else's is 404."""
    pk = _pk(booking_id)
    if not _authenticated(user):
        raise Http404
    booking = (
        CounselingBooking.objects.filter(pk=pk, worker=user)
        .select_related("slot", "slot__counselor")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def access_booking_as_counselor(user, booking_id) -> CounselingBooking:
    """A booking in one of the counselor's own slots; any other is 404."""
    pk = _pk(booking_id)
    if not is_counselor(user):
        raise Http404
    booking = (
        CounselingBooking.objects.filter(pk=pk, slot__counselor=user)
        .select_related("slot", "worker")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def can_cancel(booking: CounselingBooking, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if booking.status == CounselingBooking.Status.WAITLISTED:
        return booking.slot.starts_at > now
    if booking.status != CounselingBooking.Status.BOOKED:
        return False
    return now <= booking.slot.starts_at - cancel_cutoff()


# --- notes ----------------------------------------------------------------------------------------


def my_notes(user) -> QuerySet[CounselingNote]:
    """The author's own notes (newest first); nobody else's, ever."""
    if not is_counselor(user):
        return CounselingNote.objects.none()
    return CounselingNote.objects.filter(author=user).select_related(
        "booking", "booking__slot", "booking__worker", "slot"
    )


def access_note(user, note_id) -> CounselingNote:
    """A note, for its author alone; 404 for another counselor; 403 (PermissionDenied raised
    by the caller) is for roles without services.counsel."""
    pk = _pk(note_id)
    note = my_notes(user).filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


def notes_for_booking(user, booking: CounselingBooking) -> list[CounselingNote]:
    return list(my_notes(user).filter(booking=booking))


def notes_for_slot(user, slot: CounselingSlot) -> list[CounselingNote]:
    return list(my_notes(user).filter(slot=slot))


# --- anonymous questions --------------------------------------------------------------------------


def question_by_receipt(code: str) -> CounselingQuestion | None:
    """The question a receipt code opens, or None (malformed and unknown alike)."""
    digest = receipts.receipt_digest(code)
    if not digest:
        return None
    return CounselingQuestion.objects.filter(receipt_digest=digest).first()


def messages_of(question: CounselingQuestion) -> list[CounselingMessage]:
    return list(question.messages.select_related("counselor").order_by("seq"))


def questions_for_counselors(user, *, status: str = "") -> QuerySet[CounselingQuestion]:
    """The counselors' shared inbox: open questions first, then by last activity."""
    if not is_counselor(user):
        return CounselingQuestion.objects.none()
    qs = CounselingQuestion.objects.annotate(
        answered=Exists(
            CounselingMessage.objects.filter(question=OuterRef("pk"), from_counselor=True)
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-updated_on")


def access_question(user, question_id) -> CounselingQuestion:
    if not is_counselor(user):
        raise Http404
    try:
        pk = uuid.UUID(str(question_id))
    except (ValueError, TypeError, AttributeError):
        raise Http404 from None
    question = CounselingQuestion.objects.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


# --- numbers for the dashboard --------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive


def _period(period) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, int):
        return Period(dt.date(period, 1, 1), dt.date(period, 12, 31))
    start, end = period
    return Period(start, end)


def _bounds(p: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(p.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def counseling_counts(period) -> dict[str, int]:
    """The counseling figures of a period (a year as int, or (start, end) dates, inclusive):
    numbers only, over the whole union, never broken down by unit (a small unit's count could
    point at a person). Keys:

      slots_published, individual_booked, individual_attended, no_shows, cancellations,
      group_sessions, group_participants, questions_asked, questions_answered
    """
    p = _period(period)
    start, end = _bounds(p)
    slots = CounselingSlot.objects.filter(starts_at__gte=start, starts_at__lt=end)
    live = slots.exclude(status=CounselingSlot.Status.CANCELLED)
    bookings = CounselingBooking.objects.filter(slot__in=live)
    individual = bookings.filter(slot__kind=CounselingSlot.Kind.INDIVIDUAL)
    held = [
        CounselingBooking.Status.BOOKED,
        CounselingBooking.Status.ATTENDED,
        CounselingBooking.Status.NO_SHOW,
    ]
    questions = CounselingQuestion.objects.filter(asked_on__gte=p.start, asked_on__lte=p.end)
    answered = questions.filter(
        Exists(CounselingMessage.objects.filter(question=OuterRef("pk"), from_counselor=True))
    )
    return {
        "slots_published": live.count(),
        "individual_booked": individual.filter(status__in=held).count(),
        "individual_attended": individual.filter(status=CounselingBooking.Status.ATTENDED).count(),
        "no_shows": bookings.filter(status=CounselingBooking.Status.NO_SHOW).count(),
        "cancellations": CounselingBooking.objects.filter(
            slot__in=slots, status=CounselingBooking.Status.CANCELLED
        ).count(),
        "group_sessions": live.filter(kind=CounselingSlot.Kind.GROUP).count(),
        "group_participants": bookings.filter(
            slot__kind=CounselingSlot.Kind.GROUP,
            status__in=[CounselingBooking.Status.BOOKED, CounselingBooking.Status.ATTENDED],
        ).count(),
        "questions_asked": questions.count(),
        "questions_answered": answered.count(),
    }


def counselor_users() -> QuerySet:
    """Every active counselor (the role is global), for notifications."""
    from zhijia.accounts.models import User

    return User.objects.filter(is_active=True, role_assignments__role=Role.COUNSELOR).distinct()


# --- for the sweep --------------------------------------------------------------------------------


def bookings_to_remind(now: dt.datetime) -> QuerySet[CounselingBooking]:
    return CounselingBooking.objects.filter(
        status=CounselingBooking.Status.BOOKED,
        reminded_at__isnull=True,
        slot__status=CounselingSlot.Status.OPEN,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + remind_ahead(),
    )


def questions_to_announce(today: dt.date) -> QuerySet[CounselingQuestion]:
    """Questions with a worker message from an earlier day that counselors were not told of.
    Only earlier days: a notification made right after a question would date it to the
    minute, which the question itself does not record."""
    return CounselingQuestion.objects.filter(
        status=CounselingQuestion.Status.OPEN,
        counselors_notified_on__isnull=True,
        updated_on__lt=today,
    )
