"""Slots, bookings, the waiting list, the cancel cut-off and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.models import AuditEvent, Notification
from zhijia.services.actions import counseling as actions
from zhijia.services.actions.counseling import CounselingError
from zhijia.services.models import CounselingBooking, CounselingSlot
from zhijia.services.tests.counseling_support import publish

pytestmark = pytest.mark.django_db


def test_individual_slot_takes_one_person(personas):
    slot = publish(personas["counselor1"])
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot, topic="最近总是失眠")
    assert booking.status == CounselingBooking.Status.BOOKED
    assert "失眠" not in booking.topic_encrypted and booking.get_topic() == "最近总是失眠"
    with pytest.raises(CounselingError) as exc:
        actions.do_book_counseling(actor=personas["worker2"], slot=slot)
    assert exc.value.status == 409 and "约满" in exc.value.message
    with pytest.raises(CounselingError, match="已预约"):
        actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    # the counselor hears of it without the worker's name or topic
    note = Notification.objects.get(user=personas["counselor1"], kind="services.counseling_booked")
    assert "陈小红" not in note.body + note.title and "失眠" not in note.body
    # the audit event names the slot, never the topic
    event = AuditEvent.objects.get(action="services.book_counseling")
    assert "失眠" not in str(event.data)


def test_only_members_book(personas):
    slot = publish(personas["counselor1"])
    for name in ("admin", "handler1", "counselor1", "mediator1"):
        with pytest.raises(PermissionDenied):
            actions.do_book_counseling(actor=personas[name], slot=slot)


def test_group_session_fills_then_waitlists_then_promotes(personas):
    slot = publish(personas["counselor1"], kind="group", capacity=2)
    a = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    b = actions.do_book_counseling(actor=personas["worker2"], slot=slot)
    c = actions.do_book_counseling(actor=personas["rep1"], slot=slot)
    d = actions.do_book_counseling(actor=personas["branch1"], slot=slot)
    assert [x.status for x in (a, b, c, d)] == ["booked", "booked", "waitlisted", "waitlisted"]
    actions.do_cancel_counseling_booking(actor=personas["worker1"], booking=a)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == "booked" and c.promoted_at is not None
    assert d.status == "waitlisted"
    assert Notification.objects.filter(
        user=personas["rep1"], kind="services.counseling_promoted"
    ).exists()
    # giving up a waiting place frees nothing and promotes nobody
    actions.do_cancel_counseling_booking(actor=personas["branch1"], booking=d)
    assert slot.bookings.filter(status="booked").count() == 2


def test_cancel_cut_off(personas, settings):
    settings.ZHIJIA_COUNSELING_CANCEL_HOURS = 2
    slot = publish(personas["counselor1"], hours_ahead=5)
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    with time_machine.travel(slot.starts_at - dt.timedelta(hours=1, minutes=59)):
        with pytest.raises(CounselingError) as exc:
            actions.do_cancel_counseling_booking(actor=personas["worker1"], booking=booking)
        assert exc.value.status == 409 and "2 小时" in exc.value.message
    with time_machine.travel(slot.starts_at - dt.timedelta(hours=2, minutes=1)):
        actions.do_cancel_counseling_booking(actor=personas["worker1"], booking=booking)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    # the slot is free again
    again = actions.do_book_counseling(actor=personas["worker2"], slot=slot)
    assert again.status == "booked"


def test_only_the_owner_cancels(personas):
    slot = publish(personas["counselor1"])
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    with pytest.raises(PermissionDenied):
        actions.do_cancel_counseling_booking(actor=personas["worker2"], booking=booking)


def test_upcoming_individual_limit(personas, settings):
    settings.ZHIJIA_COUNSELING_MAX_UPCOMING = 1
    first = publish(personas["counselor1"], hours_ahead=30)
    second = publish(personas["counselor1"], hours_ahead=50)
    actions.do_book_counseling(actor=personas["worker1"], slot=first)
    with pytest.raises(CounselingError, match="1 个未开始"):
        actions.do_book_counseling(actor=personas["worker1"], slot=second)


def test_publish_rules(personas):
    counselor = personas["counselor1"]
    now = timezone.now()
    base = {"actor": counselor, "kind": "individual", "mode": "in_person", "place": "咨询室"}
    with pytest.raises(CounselingError) as exc:
        actions.do_publish_counseling_slot(
            **base, starts_at=now - dt.timedelta(hours=1), ends_at=now
        )
    assert exc.value.field == "starts_at"
    start = now + dt.timedelta(days=1)
    with pytest.raises(CounselingError) as exc:
        actions.do_publish_counseling_slot(
            **{**base, "place": ""}, starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
    assert exc.value.field == "place"
    with pytest.raises(CounselingError) as exc:
        actions.do_publish_counseling_slot(
            actor=counselor,
            kind="group",
            mode="online",
            online_info="会议号 1",
            title="减压",
            capacity=1,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )
    assert exc.value.field == "capacity"
    slot = actions.do_publish_counseling_slot(
        **base, starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=9
    )
    assert slot.capacity == 1  # individual: always one person
    with pytest.raises(CounselingError) as exc:
        actions.do_publish_counseling_slot(
            **base,
            starts_at=start + dt.timedelta(minutes=30),
            ends_at=start + dt.timedelta(minutes=90),
        )
    assert exc.value.status == 409
    with pytest.raises(PermissionDenied):
        actions.do_publish_counseling_slot(
            **{**base, "actor": personas["chair"]},
            starts_at=start + dt.timedelta(days=1),
            ends_at=start + dt.timedelta(days=1, hours=1),
        )


def test_counselor_cancels_slot_and_everyone_is_told(personas):
    slot = publish(personas["counselor1"], kind="group", capacity=2)
    for name in ("worker1", "worker2", "rep1"):
        actions.do_book_counseling(actor=personas[name], slot=slot)
    actions.do_cancel_counseling_slot(actor=personas["counselor1"], slot=slot, reason="临时出差")
    slot.refresh_from_db()
    assert slot.status == CounselingSlot.Status.CANCELLED
    assert set(slot.bookings.values_list("status", flat=True)) == {"cancelled"}
    told = set(
        Notification.objects.filter(kind="services.counseling_slot_cancelled").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"worker1", "worker2", "rep1"}


def test_outcome_only_after_start(personas):
    slot = publish(personas["counselor1"], hours_ahead=3)
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    with pytest.raises(CounselingError, match="尚未开始"):
        actions.do_record_counseling_outcome(
            actor=personas["counselor1"], booking=booking, outcome="attended"
        )
    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=5)):
        actions.do_record_counseling_outcome(
            actor=personas["counselor1"], booking=booking, outcome="attended"
        )
    booking.refresh_from_db()
    assert booking.status == "attended"


def test_reminder_sweep_reminds_once(personas, settings):
    settings.ZHIJIA_COUNSELING_REMIND_HOURS = 24
    soon = publish(personas["counselor1"], hours_ahead=20)
    later = publish(personas["counselor1"], hours_ahead=40)
    b1 = actions.do_book_counseling(actor=personas["worker1"], slot=soon)
    actions.do_book_counseling(actor=personas["worker2"], slot=later)
    assert actions.sweep_counseling()["reminded"] == 1
    assert actions.sweep_counseling()["reminded"] == 0  # idempotent
    reminders = Notification.objects.filter(kind="services.counseling_reminder")
    assert [n.user.username for n in reminders] == ["worker1"]
    assert "职工之家二楼心理咨询室" in reminders[0].body
    b1.refresh_from_db()
    assert b1.reminded_at is not None
    # a day later the second one is due
    with time_machine.travel(timezone.now() + dt.timedelta(hours=20)):
        assert actions.sweep_counseling()["reminded"] == 1


def test_pages_book_and_cancel(personas, login):
    slot = publish(personas["counselor1"], kind="group", capacity=5)
    client = login("worker1")
    home = client.get("/services/counseling/")
    assert home.status_code == 200 and "缓解工作压力团体辅导" in home.content.decode()
    page = client.get(f"/services/counseling/slots/{slot.pk}/")
    assert page.status_code == 200
    response = client.post(f"/services/counseling/slots/{slot.pk}/book/", {"topic": "压力大"})
    assert response.status_code == 302
    booking = CounselingBooking.objects.get(slot=slot, worker=personas["worker1"])
    home = client.get("/services/counseling/").content.decode()
    assert "我的预约" in home
    response = client.post(f"/services/counseling/bookings/{booking.pk}/cancel/", {})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_slot_form_errors_show_next_to_the_field(personas, login):
    client = login("counselor1")
    response = client.post(
        "/services/counseling/desk/slots/new/",
        {"kind": "individual", "mode": "in_person", "starts_at": "", "ends_at": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写此项" in body and 'id="id_starts_at_error"' in body
