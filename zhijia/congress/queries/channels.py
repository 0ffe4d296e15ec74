"""Reads of the participation channels: reception days, bookings, tracked items, hearings.

Visibility (404 for anything else):
  leaders and cadres     congress.publish_reception or congress.manage_channels over the unit
                         (its subtree): the unit's reception days, bookings, items, hearings
  members                the reception days and hearings of the units above (and at) their own
                         union unit; their own bookings and the state of their tracked items
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.congress.models import (
    Deliberation,
    Hearing,
    HearingComment,
    ReceptionBooking,
    ReceptionDay,
    ReceptionItem,
    ReceptionSlot,
    SitIn,
    SitInSeat,
)
from zhijia.congress.permissions import MANAGE_CHANNELS, PUBLISH_RECEPTION
from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unitpaths import path_prefixes
from zhijia.org.models import Department, Member, OrgUnit


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scope(user, code: str, path_field: str) -> Q:
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


def own_member(user) -> Member | None:
    if not _authenticated(user):
        return None
    return Member.objects.select_related("org_unit").filter(user=user).first()


def _member_q(user, unit_field: str) -> Q:
    member = own_member(user)
    if member is None or not member.org_unit.path:
        return Q(pk__in=[])
    return Q(**{f"{unit_field}__path__in": path_prefixes(member.org_unit.path)})


def _visible_q(user, unit_field: str, *codes: str) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        if has_perm(user, code):
            q |= _scope(user, code, f"{unit_field}__path")
    return q | _member_q(user, unit_field)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def can_publish(user, unit: OrgUnit) -> bool:
    return _authenticated(user) and has_perm(user, PUBLISH_RECEPTION, unit=unit)


def can_manage(user, unit: OrgUnit) -> bool:
    return _authenticated(user) and has_perm(user, MANAGE_CHANNELS, unit=unit)


def may_publish(user) -> bool:
    return _authenticated(user) and has_perm(user, PUBLISH_RECEPTION)


def may_manage(user) -> bool:
    return _authenticated(user) and has_perm(user, MANAGE_CHANNELS)


def publish_units(user) -> QuerySet[OrgUnit]:
    """The units where `user` may publish a reception day (or open a hearing: `code`)."""
    return OrgUnit.objects.filter(_scope(user, PUBLISH_RECEPTION, "path")).order_by("path")


def manage_units(user) -> QuerySet[OrgUnit]:
    if not may_manage(user):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(_scope(user, MANAGE_CHANNELS, "path")).order_by("path")


# --- reception days -----------------------------------------------------------------------


def days_visible_to(user) -> QuerySet[ReceptionDay]:
    if not _authenticated(user):
        return ReceptionDay.objects.none()
    q = _visible_q(user, "org_unit", PUBLISH_RECEPTION, MANAGE_CHANNELS)
    return ReceptionDay.objects.filter(q).select_related("org_unit")


def access_day(user, day_id) -> ReceptionDay:
    day = days_visible_to(user).filter(pk=_pk(day_id)).first()
    if day is None:
        raise Http404
    return day


def access_slot(user, slot_id) -> ReceptionSlot:
    slot = (
        ReceptionSlot.objects.filter(pk=_pk(slot_id), day__in=days_visible_to(user))
        .select_related("day__org_unit")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def slots_of(day: ReceptionDay) -> list[ReceptionSlot]:
    return list(day.slots.prefetch_related("bookings__member", "bookings__item"))


def live_booking(slot: ReceptionSlot) -> ReceptionBooking | None:
    for booking in slot.bookings.all():
        if booking.cancelled_at is None:
            return booking
    return None


def is_past(day: ReceptionDay) -> bool:
    return day.date < timezone.localdate()


def bookings_visible_to(user) -> QuerySet[ReceptionBooking]:
    """The bookings a cadre manages (her scope) and the user's own."""
    if not _authenticated(user):
        return ReceptionBooking.objects.none()
    q = Q(member__user=user)
    for code in (PUBLISH_RECEPTION, MANAGE_CHANNELS):
        if has_perm(user, code):
            q |= _scope(user, code, "slot__day__org_unit__path")
    return ReceptionBooking.objects.filter(q).select_related(
        "slot__day__org_unit", "member", "item"
    )


def access_booking(user, booking_id) -> ReceptionBooking:
    booking = bookings_visible_to(user).filter(pk=_pk(booking_id)).first()
    if booking is None:
        raise Http404
    return booking


def my_bookings(user) -> QuerySet[ReceptionBooking]:
    if not _authenticated(user):
        return ReceptionBooking.objects.none()
    return (
        ReceptionBooking.objects.filter(member__user=user)
        .select_related("slot__day__org_unit", "item")
        .order_by("-slot__day__date", "-slot__starts_at", "-id")
    )


def items_visible_to(user) -> QuerySet[ReceptionItem]:
    if not _authenticated(user):
        return ReceptionItem.objects.none()
    q = Q(booking__member__user=user)
    if has_perm(user, MANAGE_CHANNELS):
        q |= _scope(user, MANAGE_CHANNELS, "org_unit__path")
    return ReceptionItem.objects.filter(q).select_related(
        "org_unit", "department", "booking__member", "booking__slot__day", "deliberation"
    )


def managed_items(user) -> QuerySet[ReceptionItem]:
    if not may_manage(user):
        return ReceptionItem.objects.none()
    return (
        ReceptionItem.objects.filter(_scope(user, MANAGE_CHANNELS, "org_unit__path"))
        .select_related(
            "org_unit", "department", "booking__member", "booking__slot__day", "deliberation"
        )
        .order_by("-id")
    )


def access_item(user, item_id) -> ReceptionItem:
    item = items_visible_to(user).filter(pk=_pk(item_id)).first()
    if item is None:
        raise Http404
    return item


# --- hearings -----------------------------------------------------------------------------


def hearings_visible_to(user) -> QuerySet[Hearing]:
    if not _authenticated(user):
        return Hearing.objects.none()
    q = _visible_q(user, "org_unit", MANAGE_CHANNELS)
    return Hearing.objects.filter(q).select_related("org_unit")


def access_hearing(user, hearing_id) -> Hearing:
    hearing = hearings_visible_to(user).filter(pk=_pk(hearing_id)).first()
    if hearing is None:
        raise Http404
    return hearing


def may_comment(user, hearing: Hearing) -> bool:
    """A member of the unit's subtree, while the hearing is open and within its period."""
    from zhijia.congress.workflows import HEARING

    member = own_member(user)
    if member is None or not hearing.in_state(HEARING.states.open):
        return False
    today = timezone.localdate()
    if not hearing.opens_on <= today <= hearing.closes_on:
        return False
    return member.org_unit.path.startswith(hearing.org_unit.path)


def comments_of(hearing: Hearing) -> QuerySet[HearingComment]:
    return hearing.comments.all()


def access_comment(user, comment_id) -> HearingComment:
    comment = (
        HearingComment.objects.filter(pk=_pk(comment_id), hearing__in=hearings_visible_to(user))
        .select_related("hearing__org_unit")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def visible_comments(user, hearing: Hearing) -> QuerySet[HearingComment]:
    """The cadres see every comment; while the hearing is open a member sees her own, once it
    is closed every comment with its answer."""
    from zhijia.congress.workflows import HEARING

    comments = hearing.comments.all()
    if can_manage(user, hearing.org_unit) or hearing.in_state(HEARING.states.closed):
        return comments
    return comments.filter(author=user) if _authenticated(user) else comments.none()


def departments() -> QuerySet[Department]:
    """The departments an outcome's tracked item may be given to (the open ones)."""
    return Department.objects.filter(closed_at__isnull=True).order_by("path")


# --- work queues (congress/home.py) -------------------------------------------------------


def items_waiting(user) -> QuerySet[ReceptionItem]:
    """The tracked items of the cadre's scope still to finish: open (the department works on
    it, late past its deadline) or done (waiting for the cadre to confirm)."""
    return managed_items(user).filter(state__in=["open", "done"])


def unanswered_comments(user) -> QuerySet[HearingComment]:
    """The comments on the open hearings of the cadre's scope that wait for an answer."""
    if not may_manage(user):
        return HearingComment.objects.none()
    return HearingComment.objects.filter(
        _scope(user, MANAGE_CHANNELS, "hearing__org_unit__path"),
        hearing__state="open",
        answered_at__isnull=True,
    )


# --- deliberation meetings, sitting in on management meetings -----------------------------


def deliberations_managed(user) -> QuerySet[Deliberation]:
    if not may_manage(user):
        return Deliberation.objects.none()
    return Deliberation.objects.filter(
        _scope(user, MANAGE_CHANNELS, "org_unit__path")
    ).select_related("org_unit")


def sitins_managed(user) -> QuerySet[SitIn]:
    if not may_manage(user):
        return SitIn.objects.none()
    return SitIn.objects.filter(_scope(user, MANAGE_CHANNELS, "org_unit__path")).select_related(
        "org_unit"
    )


def missing_reports(user) -> QuerySet[SitInSeat]:
    """The congress office's view: representatives who sat in on a meeting already held and
    have not reported (channels_rules.report_missing, in SQL)."""
    if not may_manage(user):
        return SitInSeat.objects.none()
    return SitInSeat.objects.filter(
        _scope(user, MANAGE_CHANNELS, "sitin__org_unit__path"),
        reported_at__isnull=True,
        sitin__held_on__lt=timezone.localdate(),
    ).select_related("sitin", "member")


def my_seats(user) -> QuerySet[SitInSeat]:
    if not _authenticated(user):
        return SitInSeat.objects.none()
    return SitInSeat.objects.filter(member__user=user).select_related("sitin")


def access_meeting(user, meeting_id) -> Deliberation:
    meeting = deliberations_managed(user).filter(pk=_pk(meeting_id)).first()
    if meeting is None:
        raise Http404
    return meeting


def sitins_visible_to(user) -> QuerySet[SitIn]:
    """The congress office's sit-ins (its scope) and those the user sat in on."""
    if not _authenticated(user):
        return SitIn.objects.none()
    q = Q(seats__member__user=user)
    if may_manage(user):
        q |= _scope(user, MANAGE_CHANNELS, "org_unit__path")
    return SitIn.objects.filter(q).distinct().select_related("org_unit")


def access_sitin(user, sitin_id) -> SitIn:
    sitin = sitins_visible_to(user).filter(pk=_pk(sitin_id)).first()
    if sitin is None:
        raise Http404
    return sitin


def access_seat(user, seat_id) -> SitInSeat:
    seat = (
        SitInSeat.objects.filter(pk=_pk(seat_id), sitin__in=sitins_visible_to(user))
        .select_related("sitin__org_unit", "member")
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def unit_members(user) -> QuerySet[Member]:
    """The members a cadre may name as participants or representatives (her scope)."""
    if not may_manage(user):
        return Member.objects.none()
    return Member.objects.filter(_scope(user, MANAGE_CHANNELS, "org_unit__path")).order_by("pk")
