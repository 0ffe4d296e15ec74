"""Writes of counseling, each in one transaction with its audit event; notifications after
commit (through zhijia.core.notify, which sends nothing inside the request).

What the audit log and notifications never carry: a note's or a question's text, a booking's
topic. Anonymous questions write no audit event and no notification at the time they are
asked (either would date them to the second and could be matched against other records); the
counselors hear of them in the next day's sweep (`sweep_counseling`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import receipts, satisfaction_index
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.unordered import forget_insertion_order
from zhijia.services.actions.common import text_field, when_label
from zhijia.services.models import (
    CounselingBooking,
    CounselingMessage,
    CounselingNote,
    CounselingQuestion,
    CounselingSlot,
)
from zhijia.services.permissions import COUNSEL
from zhijia.services.queries import counseling as queries

MAX_TOPIC = 500
MAX_NOTE = 20000
MAX_MESSAGE = 5000
MAX_SLOT_HOURS = 8
MAX_GROUP_CAPACITY = 200

__all__ = [
    "CounselingError",
    "do_answer_counseling_question",
    "do_ask_counseling_question",
    "do_book_counseling",
    "do_cancel_counseling_booking",
    "do_cancel_counseling_slot",
    "do_close_counseling_question",
    "do_edit_counseling_note",
    "do_follow_up_counseling_question",
    "do_publish_counseling_slot",
    "do_record_counseling_outcome",
    "do_write_counseling_note",
    "sweep_counseling",
]


class CounselingError(ActionRefused):
    """A refused write (see zhijia.core.errors.ActionRefused): a Chinese `message`, the form
    `field` it belongs to, the `status` for the API and pages."""


_when = when_label


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=CounselingError)


def _require_counselor(actor) -> None:
    if not queries.is_counselor(actor):
        raise PermissionDenied(COUNSEL)


def _lock_slot(slot: CounselingSlot) -> CounselingSlot:
    return CounselingSlot.objects.select_for_update().get(pk=slot.pk)


def _lock_booking(booking: CounselingBooking) -> CounselingBooking:
    return (
        CounselingBooking.objects.select_for_update()
        .select_related("slot", "worker")
        .get(pk=booking.pk)
    )


def _slot_url(slot: CounselingSlot) -> str:
    return reverse("services:counseling-slot", args=[slot.pk])


def _desk_url(slot: CounselingSlot) -> str:
    return reverse("services:counseling-desk-slot", args=[slot.pk])


# --- slots ----------------------------------------------------------------------------------------


@transaction.atomic
def do_publish_counseling_slot(
    *,
    actor,
    kind: str,
    mode: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str = "",
    online_info: str = "",
    title: str = "",
    description: str = "",
    capacity: int | None = None,
) -> CounselingSlot:
    """A counselor offers a time: an individual appointment (one person) or a group session
    with `capacity` seats and a waiting list."""
    _require_counselor(actor)
    if kind not in CounselingSlot.Kind.values:
        raise CounselingError(_("请选择咨询类型"), field="kind")
    if mode not in CounselingSlot.Mode.values:
        raise CounselingError(_("请选择咨询方式"), field="mode")
    if starts_at is None:
        raise CounselingError(_("请填写开始时间"), field="starts_at")
    if ends_at is None:
        raise CounselingError(_("请填写结束时间"), field="ends_at")
    if starts_at <= timezone.now():
        raise CounselingError(_("开始时间必须在现在之后"), field="starts_at")
    if ends_at <= starts_at:
        raise CounselingError(_("结束时间必须晚于开始时间"), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_SLOT_HOURS):
        raise CounselingError(
            _("一个时段不能超过 %(n)d 小时") % {"n": MAX_SLOT_HOURS}, field="ends_at"
        )
    if kind == CounselingSlot.Kind.INDIVIDUAL:
        capacity = 1
    elif capacity is None or not 2 <= capacity <= MAX_GROUP_CAPACITY:
        raise CounselingError(
            _("团体辅导的名额应在 2 到 %(n)d 人之间") % {"n": MAX_GROUP_CAPACITY},
            field="capacity",
        )
    place = _text(place, "place", _("地点"), 200, required=mode == CounselingSlot.Mode.IN_PERSON)
    online_info = _text(
        online_info,
        "online_info",
        _("线上接入方式"),
        300,
        required=mode == CounselingSlot.Mode.ONLINE,
    )
    title = _text(title, "title", _("主题"), 100, required=kind == CounselingSlot.Kind.GROUP)
    description = _text(description, "description", _("说明"), 2000, required=False)
    clash = (
        CounselingSlot.objects.select_for_update()
        .filter(
            counselor=actor,
            status=CounselingSlot.Status.OPEN,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .first()
    )
    if clash is not None:
        raise CounselingError(
            _("与您已发布的 %(when)s 的时段冲突") % {"when": _when(clash.starts_at)},
            field="starts_at",
            status=409,
        )
    slot = CounselingSlot.objects.create(
        counselor=actor,
        kind=kind,
        mode=mode,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_info=online_info,
        title=title,
        description=description,
        capacity=capacity,
    )
    record(
        actor=actor,
        action="services.publish_counseling_slot",
        target=slot,
        data={"kind": kind, "mode": mode, "starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return slot


@transaction.atomic
def do_cancel_counseling_slot(*, actor, slot: CounselingSlot, reason: str) -> CounselingSlot:
    """The counselor withdraws a slot; everyone booked or waiting is told."""
    _require_counselor(actor)
    slot = _lock_slot(slot)
    if slot.counselor_id != actor.pk:
        raise PermissionDenied(COUNSEL)
    if slot.status != CounselingSlot.Status.OPEN:
        raise CounselingError(_("该时段已取消"), status=409)
    if slot.ends_at <= timezone.now():
        raise CounselingError(_("该时段已结束，不能取消"), status=409)
    reason = _text(reason, "reason", _("取消原因"), 200)
    now = timezone.now()
    slot.status = CounselingSlot.Status.CANCELLED
    slot.cancel_reason = reason
    slot.cancelled_at = now
    slot.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    affected = list(
        CounselingBooking.objects.select_for_update()
        .filter(slot=slot, status__in=CounselingBooking.ACTIVE)
        .select_related("worker")
    )
    for booking in affected:
        booking.status = CounselingBooking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = str(_("心理咨询师取消了该时段"))
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    record(
        actor=actor,
        action="services.cancel_counseling_slot",
        target=slot,
        data={"bookings_cancelled": len(affected)},
    )
    if affected:
        notify(
            recipients=[b.worker for b in affected],
            kind="services.counseling_slot_cancelled",
            title=_("您预约的心理咨询已取消"),
            body=_("%(when)s 的心理咨询因故取消：%(reason)s。欢迎另约其他时段。")
            % {"when": _when(slot.starts_at), "reason": reason},
            url=reverse("services:counseling-home"),
        )
    return slot


# --- bookings -------------------------------------------------------------------------------------


@transaction.atomic
def do_book_counseling(*, actor, slot: CounselingSlot, topic: str = "") -> CounselingBooking:
    """A member books a slot. Individual slots take one person; group sessions fill up to
    their capacity, then put people on the waiting list in the order they came."""
    if not queries.is_member(actor):
        raise PermissionDenied
    slot = _lock_slot(slot)  # serialises bookings of this slot: no overbooking
    if slot.counselor_id == actor.pk:
        raise CounselingError(_("不能预约自己发布的时段"), status=409)
    if slot.status != CounselingSlot.Status.OPEN:
        raise CounselingError(_("该时段已取消"), status=409)
    now = timezone.now()
    if slot.starts_at <= now:
        raise CounselingError(_("该时段已开始，不能再预约"), status=409)
    topic = _text(topic, "topic", _("想聊的话题"), MAX_TOPIC, required=False)
    if queries.active_booking(actor, slot) is not None:
        raise CounselingError(_("您已预约该时段"), status=409)
    booked = slot.bookings.filter(status=CounselingBooking.Status.BOOKED).count()
    if slot.kind == CounselingSlot.Kind.INDIVIDUAL:
        if booked >= slot.capacity:
            raise CounselingError(_("该时段已约满，请选择其他时段"), status=409)
        limit = queries.max_upcoming()
        if queries.upcoming_individual_count(actor) >= limit:
            raise CounselingError(
                _("您已有 %(n)d 个未开始的个体咨询预约，请先完成或取消后再约") % {"n": limit},
                status=409,
            )
        status = CounselingBooking.Status.BOOKED
    else:
        status = (
            CounselingBooking.Status.BOOKED
            if booked < slot.capacity
            else CounselingBooking.Status.WAITLISTED
        )
    booking = CounselingBooking(slot=slot, worker=actor, status=status, booked_at=now)
    booking.set_topic(topic)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise CounselingError(_("您已预约该时段"), status=409) from None
    record(
        actor=actor,
        action="services.book_counseling",
        target=booking,
        data={"slot": slot.pk, "status": status},
    )
    if slot.kind == CounselingSlot.Kind.INDIVIDUAL:
        notify(
            recipients=[slot.counselor],
            kind="services.counseling_booked",
            title=_("您的咨询时段有了新预约"),
            body=_("%(when)s 的个体咨询已被预约。") % {"when": _when(slot.starts_at)},
            url=_desk_url(slot),
        )
    return booking


def _promote_first_waiting(slot: CounselingSlot, now: dt.datetime) -> CounselingBooking | None:
    waiting = (
        CounselingBooking.objects.select_for_update()
        .filter(slot=slot, status=CounselingBooking.Status.WAITLISTED)
        .select_related("worker")
        .order_by("booked_at", "id")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = CounselingBooking.Status.BOOKED
    waiting.promoted_at = now
    waiting.save(update_fields=["status", "promoted_at"])
    record(
        actor=None,
        action="services.promote_counseling_booking",
        target=waiting,
        data={"slot": slot.pk},
    )
    notify(
        recipients=[waiting.worker],
        kind="services.counseling_promoted",
        title=_("候补成功：您已获得团体辅导名额"),
        body=_("%(when)s 的团体辅导“%(title)s”有人退出，您已由候补转为正式参加。")
        % {"when": _when(slot.starts_at), "title": slot.title},
        url=_slot_url(slot),
    )
    return waiting


# Counseling's line in the satisfaction index (registered in ServicesConfig.ready).
SATISFACTION_SERVICE = "services.counseling"


@transaction.atomic
def do_rate_counseling(*, actor, booking: CounselingBooking, rating: str) -> CounselingBooking:
    """The worker rates an appointment they attended, once. The rating is counted in the
    union's index at the top of the union tree, without the booking: no unit's figures, no
    follow-up and no audit entry can tell who saw a counselor (DESIGN.md: nobody else reads
    counseling)."""
    booking = _lock_booking(booking)
    if booking.worker_id != actor.pk:
        raise PermissionDenied
    if booking.status != CounselingBooking.Status.ATTENDED:
        raise CounselingError(_("只有已到访的咨询可以评价"), status=409)
    if booking.rated_at is not None:
        raise CounselingError(_("您已评价过这次咨询"), status=409)
    member = getattr(actor, "member_record", None)
    unit_path = member.org_unit.path if member is not None else "/"
    top = "/" + unit_path.strip("/").split("/")[0] + "/" if unit_path.strip("/") else "/"
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE, rating=rating, unit=top, follow_up=False
    )
    booking.rated_at = timezone.now()
    booking.save(update_fields=["rated_at"])
    return booking


@transaction.atomic
def do_cancel_counseling_booking(
    *, actor, booking: CounselingBooking, reason: str = ""
) -> CounselingBooking:
    """The worker cancels their own booking, up to the cut-off before the start (a place on
    the waiting list may be given up until the start). A freed group seat goes to the first
    person waiting."""
    slot = _lock_slot(booking.slot)
    booking = _lock_booking(booking)
    if booking.worker_id != actor.pk:
        raise PermissionDenied
    if booking.status not in CounselingBooking.ACTIVE:
        raise CounselingError(_("该预约已结束或已取消"), status=409)
    now = timezone.now()
    if not queries.can_cancel(booking, now):
        hours = int(queries.cancel_cutoff().total_seconds() // 3600)
        raise CounselingError(
            _("距开始已不足 %(n)d 小时，无法在线取消，请直接联系心理咨询师") % {"n": hours},
            status=409,
        )
    was_booked = booking.status == CounselingBooking.Status.BOOKED
    booking.status = CounselingBooking.Status.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = _text(reason, "reason", _("取消原因"), 200, required=False)
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    record(
        actor=actor,
        action="services.cancel_counseling_booking",
        target=booking,
        data={"slot": slot.pk, "was": "booked" if was_booked else "waitlisted"},
    )
    if was_booked:
        if slot.kind == CounselingSlot.Kind.GROUP:
            _promote_first_waiting(slot, now)
        else:
            notify(
                recipients=[slot.counselor],
                kind="services.counseling_cancelled",
                title=_("有一个咨询预约被取消"),
                body=_("%(when)s 的个体咨询预约已被取消，该时段重新开放预约。")
                % {"when": _when(slot.starts_at)},
                url=_desk_url(slot),
            )
    return booking


@transaction.atomic
def do_record_counseling_outcome(
    *, actor, booking: CounselingBooking, outcome: str
) -> CounselingBooking:
    """The counselor marks a booking attended or no-show, once the slot has begun."""
    _require_counselor(actor)
    booking = _lock_booking(booking)
    if booking.slot.counselor_id != actor.pk:
        raise PermissionDenied(COUNSEL)
    if outcome not in (CounselingBooking.Status.ATTENDED, CounselingBooking.Status.NO_SHOW):
        raise CounselingError(_("请选择到访情况"), field="outcome")
    if booking.status not in (
        CounselingBooking.Status.BOOKED,
        CounselingBooking.Status.ATTENDED,
        CounselingBooking.Status.NO_SHOW,
    ):
        raise CounselingError(_("该预约已取消或仍在候补"), status=409)
    if booking.slot.starts_at > timezone.now():
        raise CounselingError(_("咨询尚未开始，不能登记到访情况"), status=409)
    booking.status = outcome
    booking.save(update_fields=["status"])
    record(
        actor=actor,
        action="services.record_counseling_outcome",
        target=booking,
        data={"outcome": outcome},
    )
    return booking


# --- notes ----------------------------------------------------------------------------------------


@transaction.atomic
def do_write_counseling_note(
    *,
    actor,
    body: str,
    booking: CounselingBooking | None = None,
    slot: CounselingSlot | None = None,
) -> CounselingNote:
    """The counselor writes a note on an appointment (booking) or a group session (slot) of
    their own. Encrypted under the author's own key; the audit event carries no content."""
    _require_counselor(actor)
    if (booking is None) == (slot is None):
        raise CounselingError(_("请选择咨询记录所属的预约或团体辅导"))
    subject_slot = booking.slot if booking is not None else slot
    assert subject_slot is not None
    if subject_slot.counselor_id != actor.pk:
        raise PermissionDenied(COUNSEL)
    if booking is not None and booking.status in (
        CounselingBooking.Status.CANCELLED,
        CounselingBooking.Status.WAITLISTED,
    ):
        raise CounselingError(_("该预约已取消或仍在候补，不能撰写咨询记录"), status=409)
    text = _text(body, "body", _("记录内容"), MAX_NOTE)
    note = CounselingNote(author=actor, booking=booking, slot=slot)
    note.set_body(text)
    note.save()
    record(
        actor=actor,
        action="services.write_counseling_note",
        target=note,
        data={"chars": len(text)},
    )
    return note


@transaction.atomic
def do_edit_counseling_note(*, actor, note: CounselingNote, body: str) -> CounselingNote:
    _require_counselor(actor)
    note = CounselingNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != actor.pk:
        raise PermissionDenied(COUNSEL)
    text = _text(body, "body", _("记录内容"), MAX_NOTE)
    note.set_body(text)
    note.save(update_fields=["body_encrypted", "updated_at"])
    record(
        actor=actor,
        action="services.edit_counseling_note",
        target=note,
        data={"chars": len(text)},
    )
    return note


# --- anonymous questions --------------------------------------------------------------------------


def _add_message(question, *, body: str, counselor=None) -> CounselingMessage:
    last = question.messages.aggregate(m=Max("seq"))["m"] or 0
    message = CounselingMessage(
        question=question,
        seq=last + 1,
        from_counselor=counselor is not None,
        counselor=counselor,
        written_on=timezone.localdate(),
    )
    message.set_body(body)
    message.save()
    forget_insertion_order(message)  # anonymous threads: no arrival order on SQLite either
    return message


@transaction.atomic
def do_ask_counseling_question(*, actor, topic: str, body: str) -> tuple[CounselingQuestion, str]:
    """An anonymous question. `actor` is checked (members only) and then forgotten: nothing
    about them is stored, audited or sent. Returns the question and its receipt code, which
    exists nowhere else and is shown to the worker once."""
    if not queries.is_member(actor):
        raise PermissionDenied
    if topic not in CounselingQuestion.Topic.values:
        raise CounselingError(_("请选择话题"), field="topic")
    text = _text(body, "body", _("问题内容"), MAX_MESSAGE)
    today = timezone.localdate()
    for _attempt in range(3):
        code = receipts.new_receipt_code()
        try:
            with transaction.atomic():
                question = CounselingQuestion.objects.create(
                    receipt_digest=receipts.receipt_digest(code),
                    topic=topic,
                    asked_on=today,
                    updated_on=today,
                )
                forget_insertion_order(question)
        except IntegrityError:  # a digest collision: 2^-80, but never hand out a shared code
            continue
        _add_message(question, body=text)
        return question, code
    raise CounselingError(_("系统繁忙，请稍后再试"), status=409)


@transaction.atomic
def do_follow_up_counseling_question(
    *, question: CounselingQuestion, body: str
) -> CounselingMessage:
    """The anonymous worker (holding the receipt code, checked by the caller) writes again."""
    question = CounselingQuestion.objects.select_for_update().get(pk=question.pk)
    if question.status == CounselingQuestion.Status.CLOSED:
        raise CounselingError(_("该咨询已结束，如需继续请重新提问"), status=409)
    text = _text(body, "body", _("内容"), MAX_MESSAGE)
    message = _add_message(question, body=text)
    question.status = CounselingQuestion.Status.OPEN
    question.updated_on = timezone.localdate()
    question.counselors_notified_on = None
    question.save(update_fields=["status", "updated_on", "counselors_notified_on"])
    return message


@transaction.atomic
def do_answer_counseling_question(
    *, actor, question: CounselingQuestion, body: str
) -> CounselingMessage:
    _require_counselor(actor)
    question = CounselingQuestion.objects.select_for_update().get(pk=question.pk)
    if question.status == CounselingQuestion.Status.CLOSED:
        raise CounselingError(_("该咨询已结束"), status=409)
    text = _text(body, "body", _("回复内容"), MAX_MESSAGE)
    message = _add_message(question, body=text, counselor=actor)
    question.status = CounselingQuestion.Status.ANSWERED
    question.updated_on = timezone.localdate()
    question.save(update_fields=["status", "updated_on"])
    record(
        actor=actor,
        action="services.answer_counseling_question",
        target=question,
        data={"seq": message.seq},
    )
    return message


@transaction.atomic
def do_close_counseling_question(*, actor, question: CounselingQuestion) -> CounselingQuestion:
    _require_counselor(actor)
    question = CounselingQuestion.objects.select_for_update().get(pk=question.pk)
    if question.status == CounselingQuestion.Status.CLOSED:
        raise CounselingError(_("该咨询已结束"), status=409)
    question.status = CounselingQuestion.Status.CLOSED
    question.updated_on = timezone.localdate()
    question.save(update_fields=["status", "updated_on"])
    record(actor=actor, action="services.close_counseling_question", target=question)
    return question


# --- the sweep (run by the worker) ----------------------------------------------------------------


def _remind(booking_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        booking = (
            queries.bookings_to_remind(now)
            .select_for_update()
            .filter(pk=booking_id)
            .select_related("slot", "worker")
            .first()
        )
        if booking is None:  # someone else reminded, cancelled or moved it meanwhile
            return False
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at"])
        slot = booking.slot
        where = slot.place if slot.mode == CounselingSlot.Mode.IN_PERSON else _("线上")
        notify(
            recipients=[booking.worker],
            kind="services.counseling_reminder",
            title=_("心理咨询预约提醒"),
            body=_("您预约的心理咨询将于 %(when)s 开始，地点：%(where)s。如需取消请尽早操作。")
            % {"when": _when(slot.starts_at), "where": where},
            url=_slot_url(slot),
        )
    return True


def _announce_questions(today: dt.date) -> int:
    with transaction.atomic():
        pending = list(
            queries.questions_to_announce(today).select_for_update().values_list("pk", flat=True)
        )
        if not pending:
            return 0
        CounselingQuestion.objects.filter(pk__in=pending).update(counselors_notified_on=today)
        notify(
            recipients=list(queries.counselor_users()),
            kind="services.counseling_questions_waiting",
            title=_("有匿名心理咨询提问待回复"),
            body=_("共有 %(n)d 条匿名提问等待回复。") % {"n": len(pending)},
            url=reverse("services:counseling-desk-questions"),
        )
    return len(pending)


def sweep_counseling(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders for appointments starting within ZHIJIA_COUNSELING_REMIND_HOURS (once per
    booking), and the counselors' daily notice of anonymous questions from earlier days.
    Idempotent; the worker runs it with the workflow sweeps."""
    now = now or timezone.now()
    reminded = 0
    for pk in list(queries.bookings_to_remind(now).values_list("pk", flat=True)):
        reminded += _remind(pk, now)
    announced = _announce_questions(timezone.localdate(now))
    return {"reminded": reminded, "questions_announced": announced}
