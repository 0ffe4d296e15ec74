"""Writes of the participation channels (领导接待日, 职工代表听证), each in one transaction,
audited; notifications through the outbox (core.notify, sent after commit).

Reception days: a leader (congress.publish_reception over the unit) publishes a day and its
slots; a member of the unit's subtree books a free slot with a topic and may cancel before the
day; the cadre (congress.manage_channels) records the outcome, and an outcome that needs action
becomes a tracked item (workflows.RECEPTION_ITEM) with the responsible department.

Hearings: the cadre opens a hearing on a draft rule (optionally with its file), members of the
unit comment while it is open, the cadre answers each comment and closes it
(workflows.HEARING, guarded: not while a comment is unanswered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.congress.actions.proposals import ATTACHMENT_KINDS
from zhijia.congress.actions.proposals import ProposalError as ChannelError
from zhijia.congress.models import (
    Hearing,
    HearingComment,
    ReceptionBooking,
    ReceptionDay,
    ReceptionItem,
    ReceptionSlot,
)
from zhijia.congress.permissions import MANAGE_CHANNELS, PUBLISH_RECEPTION, REPORT_FOLLOWUP
from zhijia.congress.queries import channels as queries
from zhijia.congress.workflows import HEARING, RECEPTION_ITEM
from zhijia.core import attachments
from zhijia.core.audit import record
from zhijia.core.errors import text_field
from zhijia.core.notify import notify
from zhijia.core.permissions import holders
from zhijia.core.unitpaths import path_prefixes
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import Department, OrgUnit

MAX_SLOTS = 40

__all__ = [
    "ChannelError",
    "do_add_comment",
    "do_add_slot",
    "do_answer_comment",
    "do_book_slot",
    "do_cancel_booking",
    "do_close_hearing",
    "do_cancel_day",
    "do_close_item",
    "do_complete_item",
    "do_edit_day",
    "do_edit_hearing",
    "do_open_hearing",
    "do_publish_day",
    "do_record_outcome",
    "do_remove_slot",
    "do_send_back_item",
    "notify_item_escalation",
]


def _name(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _text(value: str, field: str, label: str, *, max_length: int | None = None) -> str:
    return text_field(value, field, label, max_length, error=ChannelError)


def _require(ok: bool, code: str) -> None:
    if not ok:
        raise PermissionDenied(code)


# --- reception days ------------------------------------------------------------------------


@transaction.atomic
def do_publish_day(
    *,
    actor,
    unit: OrgUnit,
    leader: str,
    leader_title: str,
    date: dt.date | None,
    place: str,
    note: str = "",
) -> ReceptionDay:
    """A leader publishes a reception day of `unit` (its slots are added next)."""
    _require(queries.can_publish(actor, unit), PUBLISH_RECEPTION)
    if date is None:
        raise ChannelError(_("请填写接待日期"), field="date")
    if date < timezone.localdate():
        raise ChannelError(_("接待日期不能早于今天"), field="date")
    day = ReceptionDay.objects.create(
        org_unit=unit,
        leader=_text(leader, "leader", _("接待领导"), max_length=64),
        leader_title=_text(leader_title, "leader_title", _("职务"), max_length=64),
        date=date,
        place=_text(place, "place", _("地点"), max_length=128),
        note=(note or "").strip(),
        created_by=actor,
    )
    record(
        actor=actor,
        action="congress.publish_reception_day",
        target=day,
        unit=unit,
        data={"date": date.isoformat()},
    )
    return day


@transaction.atomic
def do_add_slot(
    *,
    actor,
    day: ReceptionDay,
    starts_at: dt.time | None,
    ends_at: dt.time | None,
    place: str = "",
) -> ReceptionSlot:
    day = (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=day.pk)
    )
    _require(queries.can_publish(actor, day.org_unit), PUBLISH_RECEPTION)
    if day.cancelled_at is not None:
        raise ChannelError(_("接待日已取消"), status=409)
    if starts_at is None or ends_at is None:
        raise ChannelError(_("请填写时段的开始和结束时间"), field="starts_at")
    if ends_at <= starts_at:
        raise ChannelError(_("结束时间应晚于开始时间"), field="ends_at")
    if day.slots.count() >= MAX_SLOTS:
        raise ChannelError(_("一个接待日最多 %(n)d 个时段") % {"n": MAX_SLOTS}, field="starts_at")
    try:
        with transaction.atomic():
            slot = ReceptionSlot.objects.create(
                day=day, starts_at=starts_at, ends_at=ends_at, place=(place or "").strip()[:128]
            )
    except IntegrityError:
        raise ChannelError(_("该时段已经存在"), field="starts_at", status=409) from None
    record(
        actor=actor,
        action="congress.add_reception_slot",
        target=day,
        unit=day.org_unit,
        data={"slot": slot.pk, "starts_at": starts_at.isoformat()},
    )
    return slot


def _lock_day_to_change(actor, day: ReceptionDay) -> ReceptionDay:
    """Lock a day its leader may still change: not cancelled, not yet come."""
    day = (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=day.pk)
    )
    _require(queries.can_publish(actor, day.org_unit), PUBLISH_RECEPTION)
    if day.cancelled_at is not None:
        raise ChannelError(_("接待日已取消"), status=409)
    if day.date <= timezone.localdate():
        raise ChannelError(_("接待日当天及以后不能修改"), status=409)
    return day


def _bookers(day: ReceptionDay) -> list:
    return [
        b.member.user
        for b in ReceptionBooking.objects.filter(slot__day=day, cancelled_at__isnull=True)
        .select_related("member__user")
        .order_by("pk")
        if b.member.user_id
    ]


@transaction.atomic
def do_edit_day(
    *,
    actor,
    day: ReceptionDay,
    leader: str,
    leader_title: str,
    date: dt.date | None,
    place: str,
    note: str = "",
) -> ReceptionDay:
    """The leader corrects a day before it comes; the members who booked are told of a new
    date or place."""
    day = _lock_day_to_change(actor, day)
    if date is None:
        raise ChannelError(_("请填写接待日期"), field="date")
    if date <= timezone.localdate():
        raise ChannelError(_("接待日期应晚于今天"), field="date")
    before = (day.date, day.place)
    day.leader = _text(leader, "leader", _("接待领导"), max_length=64)
    day.leader_title = _text(leader_title, "leader_title", _("职务"), max_length=64)
    day.date = date
    day.place = _text(place, "place", _("地点"), max_length=128)
    day.note = (note or "").strip()
    day.save(update_fields=["leader", "leader_title", "date", "place", "note"])
    record(
        actor=actor,
        action="congress.edit_reception_day",
        target=day,
        unit=day.org_unit,
        data={"date": date.isoformat(), "before": before[0].isoformat()},
    )
    if (day.date, day.place) != before:
        notify(
            recipients=_bookers(day),
            kind="congress.reception_changed",
            title=_("领导接待日有变更：%(date)s %(place)s")
            % {"date": day.date, "place": day.place},
            body=_("您预约的%(leader)s接待日改为 %(date)s，地点：%(place)s。")
            % {"leader": day.leader, "date": day.date, "place": day.place},
            url=day.get_absolute_url(),
            unit=day.org_unit,
        )
    return day


@transaction.atomic
def do_remove_slot(*, actor, slot: ReceptionSlot) -> None:
    """The leader removes a slot nobody booked, before the day."""
    day = _lock_day_to_change(actor, slot.day)
    slot = ReceptionSlot.objects.select_for_update(of=("self",)).get(pk=slot.pk)
    if slot.bookings.exists():
        raise ChannelError(_("已有人预约过的时段不能删除，可取消整个接待日"), status=409)
    record(
        actor=actor,
        action="congress.remove_reception_slot",
        target=day,
        unit=day.org_unit,
        data={"slot": slot.pk, "starts_at": slot.starts_at.isoformat()},
    )
    slot.delete()


@transaction.atomic
def do_cancel_day(*, actor, day: ReceptionDay, reason: str) -> ReceptionDay:
    """The leader cancels a day before it comes: its live bookings are cancelled and the
    members who booked are told (core.notify)."""
    day = _lock_day_to_change(actor, day)
    reason = _text(reason, "reason", _("取消原因"), max_length=500)
    recipients = _bookers(day)
    now = timezone.now()
    day.cancelled_at = now
    day.cancel_reason = reason
    day.save(update_fields=["cancelled_at", "cancel_reason"])
    n = ReceptionBooking.objects.filter(slot__day=day, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    record(
        actor=actor,
        action="congress.cancel_reception_day",
        target=day,
        unit=day.org_unit,
        data={"reason": reason, "bookings": n},
    )
    notify(
        recipients=recipients,
        kind="congress.reception_cancelled",
        title=_("领导接待日已取消：%(date)s %(leader)s") % {"date": day.date, "leader": day.leader},
        body=_("您的预约随之取消。原因：%(reason)s") % {"reason": reason},
        url=day.get_absolute_url(),
        unit=day.org_unit,
    )
    return day


@transaction.atomic
def do_book_slot(*, actor, slot: ReceptionSlot, topic: str) -> ReceptionBooking:
    """A member of the unit's subtree books a free slot, named, with the topic.

    Concurrency: the slot's row is locked, and the partial unique constraint on live bookings
    refuses a second one whatever happens (409)."""
    slot = (
        ReceptionSlot.objects.select_for_update(of=("self",))
        .select_related("day__org_unit")
        .get(pk=slot.pk)
    )
    day = slot.day
    member = queries.own_member(actor)
    if member is None or day.org_unit.path not in path_prefixes(member.org_unit.path):
        raise PermissionDenied(_("只有本单位会员可以预约"))
    if queries.is_past(day):
        raise ChannelError(_("接待日已过，不能预约"), status=409)
    if day.cancelled_at is not None:
        raise ChannelError(_("接待日已取消，不能预约"), status=409)
    topic = _text(topic, "topic", _("反映事项"), max_length=2000)
    if ReceptionBooking.objects.filter(slot=slot, cancelled_at__isnull=True).exists():
        raise ChannelError(_("该时段已被预约，请选择其他时段"), status=409)
    if ReceptionBooking.objects.filter(
        slot__day=day, member=member, cancelled_at__isnull=True
    ).exists():
        raise ChannelError(_("您已预约本次接待日的一个时段"), status=409)
    try:
        with transaction.atomic():
            booking = ReceptionBooking.objects.create(
                slot=slot, member=member, user=actor, topic=topic
            )
    except IntegrityError:
        raise ChannelError(_("该时段已被预约，请选择其他时段"), status=409) from None
    record(
        actor=actor,
        action="congress.book_reception_slot",
        target=booking,
        unit=day.org_unit,
        data={"slot": slot.pk, "day": day.pk},
    )
    notify(
        recipients=holders(MANAGE_CHANNELS, day.org_unit, nearest=True),
        kind="congress.reception_booked",
        title=_("领导接待日新预约：%(date)s %(time)s") % {"date": day.date, "time": slot},
        body=_("%(name)s预约了%(leader)s的接待，反映事项：%(topic)s")
        % {"name": member.name, "leader": day.leader, "topic": topic[:100]},
        url=day.get_absolute_url(),
        unit=day.org_unit,
    )
    return booking


def _lock_booking(booking: ReceptionBooking) -> ReceptionBooking:
    return (
        ReceptionBooking.objects.select_for_update(of=("self",))
        .select_related("slot__day__org_unit", "member")
        .get(pk=booking.pk)
    )


@transaction.atomic
def do_cancel_booking(*, actor, booking: ReceptionBooking) -> ReceptionBooking:
    """The member cancels her booking before the day."""
    booking = _lock_booking(booking)
    if booking.user_id != actor.pk and booking.member.user_id != actor.pk:
        raise PermissionDenied
    if booking.cancelled_at is not None:
        raise ChannelError(_("该预约已取消"), status=409)
    if booking.slot.day.date <= timezone.localdate():
        raise ChannelError(_("接待当天及以后不能取消预约"), status=409)
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    record(
        actor=actor,
        action="congress.cancel_reception_booking",
        target=booking,
        unit=booking.slot.day.org_unit,
    )
    return booking


@transaction.atomic
def do_record_outcome(
    *,
    actor,
    booking: ReceptionBooking,
    outcome: str,
    department: Department | None = None,
    action_needed: str = "",
) -> ReceptionBooking:
    """The cadre records the meeting's outcome; with `department` and `action_needed` the
    outcome becomes a tracked item with its deadline (workflows.RECEPTION_ITEM)."""
    booking = _lock_booking(booking)
    day = booking.slot.day
    _require(queries.can_manage(actor, day.org_unit), MANAGE_CHANNELS)
    if booking.cancelled_at is not None:
        raise ChannelError(_("已取消的预约不能记录接待结果"), status=409)
    if day.date > timezone.localdate():
        raise ChannelError(_("接待日之后才能记录接待结果"), status=409)
    if booking.outcome_at is not None:
        raise ChannelError(_("该预约已记录接待结果"), status=409)
    booking.outcome = _text(outcome, "outcome", _("接待结果"))
    booking.outcome_at = timezone.now()
    booking.save(update_fields=["outcome", "outcome_at"])
    action_needed = (action_needed or "").strip()
    item = None
    if action_needed or department is not None:
        if department is None:
            raise ChannelError(_("请选择责任部门"), field="department")
        item = ReceptionItem.objects.create(
            booking=booking,
            org_unit=day.org_unit,
            department=department,
            title=_text(action_needed, "action_needed", _("跟踪事项"), max_length=200),
        )
        start(RECEPTION_ITEM, item, actor=actor, data={"booking": booking.pk})
    record(
        actor=actor,
        action="congress.record_reception_outcome",
        target=booking,
        unit=day.org_unit,
        data={"item": item.pk if item else None},
    )
    if item is not None:
        notify(
            recipients=holders(REPORT_FOLLOWUP, department=department),
            kind="congress.reception_item",
            title=_("领导接待日跟踪事项：%(title)s") % {"title": item.title},
            body=_("领导接待日反映的事项“%(title)s”由贵部门办理。") % {"title": item.title},
            url=item.get_absolute_url(),
            unit=day.org_unit,
        )
        if booking.member.user_id:
            notify(
                recipients=[booking.member.user],
                kind="congress.reception_item_opened",
                title=_("您反映的事项已转为跟踪事项"),
                body=_("“%(title)s”已交%(dept)s办理。")
                % {"title": item.title, "dept": item.department.name},
                url=item.get_absolute_url(),
                unit=day.org_unit,
            )
    return booking


def _lock_item(item: ReceptionItem) -> ReceptionItem:
    return (
        ReceptionItem.objects.select_for_update(of=("self",))
        .select_related("org_unit", "department", "booking__member")
        .get(pk=item.pk)
    )


@transaction.atomic
def do_complete_item(*, actor, item: ReceptionItem, result: str) -> ReceptionItem:
    item = _lock_item(item)
    item.result = (result or "").strip()
    item.save(update_fields=["result"])
    do_transition(RECEPTION_ITEM, item, "complete", actor=actor, note=item.result)
    return item


@transaction.atomic
def do_close_item(*, actor, item: ReceptionItem, note: str = "") -> ReceptionItem:
    item = _lock_item(item)
    do_transition(RECEPTION_ITEM, item, "close", actor=actor, note=note)
    if item.booking is not None and item.booking.member.user_id:
        notify(
            recipients=[item.booking.member.user],
            kind="congress.reception_item_closed",
            title=_("您反映的事项已办结：%(title)s") % {"title": item.title},
            body=item.result,
            url=item.get_absolute_url(),
            unit=item.org_unit,
        )
    return item


@transaction.atomic
def do_send_back_item(*, actor, item: ReceptionItem, reason: str) -> ReceptionItem:
    item = _lock_item(item)
    do_transition(RECEPTION_ITEM, item, "send_back", actor=actor, note=(reason or "").strip())
    return item


def notify_item_escalation(item: ReceptionItem, event) -> None:
    """The escalation's effect (督办): the department's handlers and the unit's cadres."""
    item = ReceptionItem.objects.select_related("org_unit", "department").get(pk=item.pk)
    notify(
        recipients=[
            *holders(REPORT_FOLLOWUP, department=item.department),
            *holders(MANAGE_CHANNELS, item.org_unit, nearest=True),
        ],
        kind="congress.reception_item_overdue",
        title=_("领导接待日事项督办：%(title)s") % {"title": item.title},
        body=_("领导接待日事项“%(title)s”已超过办理期限（第 %(level)d 次督办）。")
        % {"title": item.title, "level": event.data.get("level", item.escalation_level)},
        url=item.get_absolute_url(),
        unit=item.org_unit,
    )


# --- hearings ------------------------------------------------------------------------------


@transaction.atomic
def do_open_hearing(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    draft: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    files: Sequence = (),
) -> Hearing:
    _require(queries.can_manage(actor, unit), MANAGE_CHANNELS)
    if opens_on is None or closes_on is None:
        raise ChannelError(_("请填写听证的开始和截止日期"), field="opens_on")
    if closes_on < opens_on:
        raise ChannelError(_("截止日期不能早于开始日期"), field="closes_on")
    hearing = Hearing.objects.create(
        org_unit=unit,
        title=_text(title, "title", _("听证事项"), max_length=200),
        draft=_text(draft, "draft", _("草案内容")),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    start(HEARING, hearing, actor=actor)
    if len(files) > 1:
        raise ChannelError(_("附件最多 1 个"), field="attachment")
    for upload in files:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=hearing,
                unit_path=unit.path,
            )
        except ValidationError as exc:
            raise ChannelError(" ".join(exc.messages), field="attachment") from exc
    record(
        actor=actor,
        action="congress.open_hearing",
        target=hearing,
        unit=unit,
        data={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
    )
    return hearing


@transaction.atomic
def do_edit_hearing(
    *,
    actor,
    hearing: Hearing,
    title: str,
    draft: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
) -> Hearing:
    """The cadre corrects an open hearing's draft while nobody has commented on it yet (a
    comment answers the text it read)."""
    hearing = (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=hearing.pk)
    )
    _require(queries.can_manage(actor, hearing.org_unit), MANAGE_CHANNELS)
    if not hearing.in_state(HEARING.states.open):
        raise ChannelError(_("听证已结束，不能修改"), status=409)
    if hearing.comments.exists():
        raise ChannelError(_("已有意见的听证不能修改草案"), status=409)
    if opens_on is None or closes_on is None:
        raise ChannelError(_("请填写听证的开始和截止日期"), field="opens_on")
    if closes_on < opens_on:
        raise ChannelError(_("截止日期不能早于开始日期"), field="closes_on")
    hearing.title = _text(title, "title", _("听证事项"), max_length=200)
    hearing.draft = _text(draft, "draft", _("草案内容"))
    hearing.opens_on, hearing.closes_on = opens_on, closes_on
    hearing.save(update_fields=["title", "draft", "opens_on", "closes_on"])
    record(
        actor=actor,
        action="congress.edit_hearing",
        target=hearing,
        unit=hearing.org_unit,
        data={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
    )
    return hearing


def _is_representative(user, unit: OrgUnit) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role=Role.REPRESENTATIVE, org_unit__path__startswith=unit.path
    ).exists()


@transaction.atomic
def do_add_comment(*, actor, hearing: Hearing, text: str) -> HearingComment:
    hearing = (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=hearing.pk)
    )
    member = queries.own_member(actor)
    if member is None or not member.org_unit.path.startswith(hearing.org_unit.path):
        raise PermissionDenied(_("只有本单位会员可以提出意见"))
    if not queries.may_comment(actor, hearing):
        raise ChannelError(_("听证不在征求意见期内"), status=409)
    comment = HearingComment.objects.create(
        hearing=hearing,
        author=actor,
        author_name=member.name,
        is_representative=_is_representative(actor, hearing.org_unit),
        text=_text(text, "text", _("意见"), max_length=4000),
    )
    record(
        actor=actor,
        action="congress.comment_hearing",
        target=hearing,
        unit=hearing.org_unit,
        data={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def do_answer_comment(*, actor, comment: HearingComment, answer: str) -> HearingComment:
    # Lock the comment's row alone (its author is a nullable FK: PostgreSQL refuses FOR UPDATE
    # over the nullable side of an outer join), read the hearing and the author after.
    comment = (
        HearingComment.objects.select_for_update(of=("self",))
        .select_related("hearing__org_unit")
        .get(pk=comment.pk)
    )
    hearing = comment.hearing
    _require(queries.can_manage(actor, hearing.org_unit), MANAGE_CHANNELS)
    if not hearing.in_state(HEARING.states.open):
        raise ChannelError(_("听证已结束，不能再答复"), status=409)
    comment.answer = _text(answer, "answer", _("答复"), max_length=4000)
    comment.answered_by = _name(actor)[:64]
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    record(
        actor=actor,
        action="congress.answer_hearing_comment",
        target=hearing,
        unit=hearing.org_unit,
        data={"comment": comment.pk},
    )
    if comment.author_id:
        notify(
            recipients=[comment.author],
            kind="congress.hearing_answered",
            title=_("您对“%(title)s”的意见已答复") % {"title": hearing.title},
            body=comment.answer[:200],
            url=hearing.get_absolute_url(),
            unit=hearing.org_unit,
        )
    return comment


@transaction.atomic
def do_close_hearing(*, actor, hearing: Hearing, note: str = "") -> Hearing:
    hearing = (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=hearing.pk)
    )
    do_transition(HEARING, hearing, "close", actor=actor, note=note)
    return hearing
