"""Participation channels: a reception-day booking becomes a tracked item with its deadline,
a slot is never booked twice, an overdue item is escalated on the next working day, a hearing
cannot close while a comment is unanswered, and records outside one's unit are not found."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from zhijia.congress.actions import channels as actions
from zhijia.congress.actions.channels import ChannelError
from zhijia.congress.models import ReceptionBooking
from zhijia.congress.queries import channels as queries
from zhijia.congress.tests.proposals_support import department, unit
from zhijia.congress.workflows import HEARING, RECEPTION_ITEM
from zhijia.core import workdays
from zhijia.core.models import Notification
from zhijia.core.workflow import TransitionError, sweep_overdue

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def slot(personas):
    """Branch 1's reception day on Thursday 2026-12-03, published on the Tuesday, one slot."""
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        day = actions.do_publish_day(
            actor=personas["branch1"],
            unit=unit("B1"),
            leader="王厂长",
            leader_title="分厂厂长",
            date=dt.date(2026, 12, 3),
            place="行政楼 201",
        )
        return actions.do_add_slot(
            actor=personas["branch1"], day=day, starts_at=dt.time(9), ends_at=dt.time(9, 30)
        )


def _book(personas, slot, who="worker1"):
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        return actions.do_book_slot(actor=personas[who], slot=slot, topic="夜班没有热饭")


def test_booking_becomes_a_tracked_item_with_its_deadline(personas, slot):
    booking = _book(personas, slot)
    assert booking.member.name == "陈小红"  # named, not anonymous
    moment = at(2026, 12, 3, 10, 0)
    with time_machine.travel(moment, tick=False):
        actions.do_record_outcome(
            actor=personas["branch1"],
            booking=booking,
            outcome="已听取，食堂问题交后勤落实",
            department=department("D-HR"),
            action_needed="夜班增设热饭窗口",
        )
    item = ReceptionBooking.objects.get(pk=booking.pk).item
    assert item.in_state(RECEPTION_ITEM.states.open)
    assert item.department.code == "D-HR"
    assert item.deadline_at == workdays.deadline_after(moment, 15)
    assert item.deadline_at == workdays.end_of_day(dt.date(2026, 12, 24))  # 15 working days
    # the member sees its state; another member does not find it
    assert queries.access_item(personas["worker1"], item.pk) == item
    with pytest.raises(Http404):
        queries.access_item(personas["worker2"], item.pk)
    assert Notification.objects.filter(
        user=personas["worker1"], kind="congress.reception_item_opened"
    ).exists()


def test_a_slot_cannot_be_double_booked(personas, slot):
    _book(personas, slot)
    with pytest.raises(ChannelError) as refused:
        _book(personas, slot, who="rep1")
    assert refused.value.status == 409
    # the constraint is the last word, whatever an action forgets
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionBooking.objects.create(
            slot=slot, member=queries.own_member(personas["rep1"]), topic="x"
        )
    # cancelled before the day, the slot is free again
    with time_machine.travel(at(2026, 12, 2, 10, 0), tick=False):
        actions.do_cancel_booking(
            actor=personas["worker1"], booking=ReceptionBooking.objects.get(slot=slot)
        )
    assert _book(personas, slot, who="rep1").member.name == "赵卫东"


def test_overdue_tracked_item_escalated_on_the_next_working_day(
    personas, slot, django_capture_on_commit_callbacks
):
    booking = _book(personas, slot)
    with time_machine.travel(at(2026, 12, 3, 10, 0), tick=False):
        actions.do_record_outcome(
            actor=personas["branch1"],
            booking=booking,
            outcome="交办",
            department=department("D-HR"),
            action_needed="更换更衣柜",
        )
    with time_machine.travel(at(2026, 12, 24, 23, 0), tick=False):
        assert sweep_overdue(RECEPTION_ITEM) == 0
    with (
        time_machine.travel(at(2026, 12, 25, 8, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_overdue(RECEPTION_ITEM) == 1
    item = ReceptionBooking.objects.get(pk=booking.pk).item
    assert item.escalation_level == 1
    assert Notification.objects.filter(
        user=personas["handler1"], kind="congress.reception_item_overdue"
    ).exists()


def test_hearing_cannot_close_while_a_comment_is_unanswered(personas):
    branch1 = personas["branch1"]
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        hearing = actions.do_open_hearing(
            actor=branch1,
            unit=unit("B1"),
            title="《加班管理办法（草案）》听证",
            draft="第一条 加班须经本人同意。",
            opens_on=dt.date(2026, 12, 1),
            closes_on=dt.date(2026, 12, 10),
        )
        # its draft can be corrected while nobody has commented
        edit = {
            "title": hearing.title,
            "opens_on": hearing.opens_on,
            "closes_on": hearing.closes_on,
        }
        hearing = actions.do_edit_hearing(
            actor=branch1, hearing=hearing, draft="第一条 加班须经本人书面同意。", **edit
        )
        assert hearing.draft == "第一条 加班须经本人书面同意。"
        comment = actions.do_add_comment(
            actor=personas["rep1"], hearing=hearing, text="建议明确调休时限"
        )
        assert comment.is_representative
        actions.do_add_comment(actor=personas["worker1"], hearing=hearing, text="同意")
        with pytest.raises(ChannelError):  # no longer once a comment read it
            actions.do_edit_hearing(actor=branch1, hearing=hearing, draft="改", **edit)
        with pytest.raises(PermissionDenied):  # a member of another branch
            actions.do_add_comment(actor=personas["worker2"], hearing=hearing, text="x")
    with pytest.raises(TransitionError) as refused:
        actions.do_close_hearing(actor=branch1, hearing=hearing)
    assert "未答复" in str(refused.value)
    for c in hearing.comments.all():
        actions.do_answer_comment(actor=branch1, comment=c, answer="采纳，已修改第一条")
    hearing = actions.do_close_hearing(actor=branch1, hearing=hearing)
    assert hearing.in_state(HEARING.states.closed)
    # the closed hearing shows every comment with its answer to the unit
    shown = queries.visible_comments(personas["worker1"], hearing)
    assert [c.answer for c in shown] == ["采纳，已修改第一条"] * 2


def test_a_day_is_edited_then_cancelled_and_its_bookers_told(
    personas, slot, django_capture_on_commit_callbacks
):
    booking = _book(personas, slot)
    branch1, day = personas["branch1"], slot.day
    fields = {"leader": day.leader, "leader_title": day.leader_title, "note": ""}
    with (
        time_machine.travel(at(2026, 12, 1, 11, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        free = actions.do_add_slot(
            actor=branch1, day=day, starts_at=dt.time(10), ends_at=dt.time(10, 30)
        )
        with pytest.raises(ChannelError):  # a booked slot stays
            actions.do_remove_slot(actor=branch1, slot=slot)
        actions.do_remove_slot(actor=branch1, slot=free)
        day = actions.do_edit_day(
            actor=branch1, day=day, date=dt.date(2026, 12, 4), place="工会活动室", **fields
        )
        with pytest.raises(PermissionDenied):  # another branch's cadre
            actions.do_cancel_day(actor=personas["branch2"], day=day, reason="x")
        actions.do_cancel_day(actor=branch1, day=day, reason="厂长出差")
    assert list(day.slots.all()) == [slot]
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    told = Notification.objects.filter(user=personas["worker1"])
    assert told.filter(kind="congress.reception_changed", title__contains="工会活动室").exists()
    assert told.filter(kind="congress.reception_cancelled", body__contains="厂长出差").exists()
    with time_machine.travel(at(2026, 12, 1, 12, 0), tick=False):
        with pytest.raises(ChannelError):
            _book(personas, slot, who="rep1")
        with pytest.raises(ChannelError):  # a cancelled day is not edited again
            actions.do_edit_day(actor=branch1, day=day, date=day.date, place="x", **fields)
    # the booking is in her personal-data download (zhijia.core.privacy)
    from zhijia.congress.privacy import personal_data

    sheets = {str(sheet.title): sheet for sheet in personal_data(personas["worker1"])}
    rows = list(sheets["我的领导接待日预约"].rows)
    assert len(rows) == 1 and "夜班没有热饭" in rows[0]
    assert list(sheets["我的听证意见"].rows) == []


def test_out_of_scope_is_not_found(personas, slot):
    for user in (personas["worker2"], personas["branch2"]):
        with pytest.raises(Http404):
            queries.access_day(user, slot.day_id)
        with pytest.raises(Http404):
            queries.access_slot(user, slot.pk)
    assert queries.access_day(personas["worker1"], slot.day_id) == slot.day
    assert queries.access_day(personas["chair"], slot.day_id) == slot.day


def test_pages(login, personas, slot):
    """The member's phone pages and the cadre's pages render and run one step each."""
    worker = login("worker1")
    day_url = f"/congress/channels/reception/{slot.day_id}/"
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=True):
        assert "王厂长" in worker.get("/congress/channels/reception/").content.decode()
        assert "预约" in worker.get(day_url).content.decode()
        booked = worker.post(
            f"/congress/channels/reception/slots/{slot.pk}/book/", {"topic": "热饭"}
        )
        assert booked.status_code == 302
        mine = worker.get("/congress/channels/reception/mine/").content.decode()
        assert "热饭" in mine and "取消预约" in mine
        again = login("rep1").post(
            f"/congress/channels/reception/slots/{slot.pk}/book/", {"topic": "x"}
        )
        assert again.status_code == 409
    branch = login("branch1")
    with time_machine.travel(at(2026, 12, 3, 11, 0), tick=True):
        assert "记录接待结果" in branch.get(day_url).content.decode()
        booking = ReceptionBooking.objects.get(slot=slot)
        done = branch.post(
            f"/congress/channels/reception/bookings/{booking.pk}/outcome/",
            {"outcome": "交办", "action_needed": "增设窗口", "department": department("D-HR").pk},
        )
        assert done.status_code == 302
        assert "增设窗口" in branch.get("/congress/channels/reception/items/").content.decode()
        assert "办理中" in worker.get("/congress/channels/reception/mine/").content.decode()
        for url in ("reception/export/", "reception/items/export/", "hearings/export/"):
            assert branch.get(f"/congress/channels/{url}").status_code == 200
        opened = branch.post(
            "/congress/channels/hearings/",
            {
                "unit": unit("B1").pk,
                "title": "加班办法听证",
                "draft": "第一条",
                "opens_on": "2026-12-03",
                "closes_on": "2026-12-10",
            },
        )
        assert opened.status_code == 302, opened.content.decode()[:2000]
        hearing_url = opened["Location"]
        assert worker.post(f"{hearing_url}comments/", {"text": "同意"}).status_code == 302
        refused = branch.post(f"{hearing_url}close/")
        assert refused.status_code == 400 and "未答复" in refused.content.decode()
        assert "加班办法听证" in worker.get("/congress/channels/hearings/").content.decode()


def test_a_deliberation_meetings_decisions_become_tracked_items(personas):
    from zhijia.congress.actions import channels_meetings as meetings

    branch1 = personas["branch1"]
    members = [queries.own_member(personas[n]) for n in ("worker1", "rep1")]
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        plan = {
            "actor": branch1,
            "unit": unit("B1"),
            "kind": "consultation",
            "title": "四季度劳资协商恳谈会",
            "held_on": dt.date(2026, 12, 3),
            "agenda": "夜班津贴",
        }
        with pytest.raises(ChannelError):  # a participant from another branch
            meetings.do_plan_deliberation(
                **plan, participants=[*members, queries.own_member(personas["worker2"])]
            )
        meeting = meetings.do_plan_deliberation(**plan, participants=members)
        with pytest.raises(ChannelError):  # not before the meeting
            meetings.do_record_minutes(actor=branch1, meeting=meeting, minutes="x")
    moment = at(2026, 12, 3, 16, 0)
    with time_machine.travel(moment, tick=False):
        meetings.do_record_minutes(
            actor=branch1,
            meeting=meeting,
            minutes="同意调整夜班津贴",
            decisions=[("夜班津贴每班提高 20 元", department("D-HR"))],
        )
    (item,) = meeting.decisions.all()
    assert item.in_state(RECEPTION_ITEM.states.open) and item.booking is None
    assert item.deadline_at == workdays.deadline_after(moment, 15)
    assert item.source_label == "四季度劳资协商恳谈会"
    assert item in queries.items_waiting(branch1)


def test_the_congress_office_sees_missing_sit_in_reports(personas):
    from zhijia.congress.actions import channels_meetings as meetings

    branch1, rep1 = personas["branch1"], personas["rep1"]
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        plan = {
            "actor": branch1,
            "unit": unit("B1"),
            "title": "总经理办公会",
            "held_on": dt.date(2026, 12, 2),
            "body": "总经理办公室",
        }
        with pytest.raises(ChannelError):  # a worker who is no representative
            meetings.do_plan_sitin(
                **plan, representatives=[queries.own_member(personas["worker1"])]
            )
        sitin = meetings.do_plan_sitin(**plan, representatives=[queries.own_member(rep1)])
        assert list(queries.missing_reports(branch1)) == []  # the meeting is ahead
    seat = sitin.seats.get()
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        assert list(queries.missing_reports(branch1)) == [seat]
        assert list(queries.missing_reports(personas["branch2"])) == []
        with pytest.raises(PermissionDenied):  # only she reports
            meetings.do_report_sitin(actor=branch1, seat=seat, report="x")
        meetings.do_report_sitin(actor=rep1, seat=seat, report="会议研究了食堂外包")
        assert list(queries.missing_reports(branch1)) == []
    from zhijia.congress.privacy import personal_data

    sheets = {str(sheet.title): sheet for sheet in personal_data(rep1)}
    assert "会议研究了食堂外包" in list(sheets["我的列席报告"].rows)[0]
