"""Nursing rooms (no double booking), the health check (counts, no results), the province
table (edited at the top of the union only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhijia.core.errors import ActionRefused
from zhijia.women.actions import checks as check_actions
from zhijia.women.actions import rooms as actions
from zhijia.women.models import CheckSignup, Province, RoomBooking
from zhijia.women.tests.support import make_woman, province, unit


@pytest.fixture
def personas(module_personas):
    return module_personas


@pytest.fixture
def room(db, personas):
    return actions.do_create_nursing_room(
        actor=personas["women1"],
        org_unit=unit("B1"),
        name="一号妈咪小屋",
        place="综合楼2层",
        seats=2,
    )


TOMORROW = dt.timedelta(days=1)


def test_a_slot_is_never_booked_twice(room, personas):
    day, starts = timezone.localdate() + TOMORROW, dt.time(9, 0)
    first = actions.do_book_room(actor=personas["worker1"], room=room, day=day, starts=starts)
    with pytest.raises(ActionRefused) as again:
        actions.do_book_room(actor=personas["worker1"], room=room, day=day, starts=starts)
    assert again.value.status == 409
    second = actions.do_book_room(actor=personas["branch1"], room=room, day=day, starts=starts)
    assert (first.seat, second.seat) == (1, 2)
    with pytest.raises(ActionRefused) as full:
        actions.do_book_room(actor=make_woman("mother3"), room=room, day=day, starts=starts)
    assert full.value.status == 409 and "约满" in full.value.message
    # The database holds it too, whatever writes the row.
    outsider = make_woman("mother5")  # no booking of her own: only the seat's constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(
            room=room,
            user=outsider,
            member=outsider.member_record,
            day=day,
            starts=starts,
            seat=1,
        )
    actions.do_cancel_room_booking(actor=personas["worker1"], booking=first)
    third = actions.do_book_room(actor=make_woman("mother4"), room=room, day=day, starts=starts)
    assert third.seat == 1


def test_booking_is_for_women_members_of_the_rooms_units(room, personas, login):
    day = timezone.localdate() + TOMORROW
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_book_room(actor=personas["worker2"], room=room, day=day, starts=dt.time(9))
    other = make_woman("mother-b2", "B2")
    with pytest.raises(ActionRefused) as refused:
        actions.do_book_room(actor=other, room=room, day=day, starts=dt.time(9))
    assert refused.value.status == 404
    with pytest.raises(ActionRefused) as closed:
        actions.do_book_room(actor=personas["worker1"], room=room, day=day, starts=dt.time(7))
    assert closed.value.field == "starts"
    page = login("worker1").post(
        f"/women/rooms/{room.pk}/book/", {"day": day.isoformat(), "starts": "10:00"}
    )
    assert page.status_code == 302
    assert RoomBooking.objects.filter(user=personas["worker1"], starts=dt.time(10)).exists()
    export = login("women1").get(f"/women/desk/rooms/{room.pk}/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_health_check_counts_sign_ups_and_completions_without_results(db, personas, login):
    campaign = check_actions.do_create_check_campaign(
        actor=personas["women1"],
        org_unit=unit("B1"),
        year=timezone.localdate().year,
        title="女职工健康检查",
        signup_until=timezone.localdate() + dt.timedelta(days=20),
    )
    with pytest.raises(ActionRefused):  # one a year per unit
        check_actions.do_create_check_campaign(
            actor=personas["branch1"],
            org_unit=unit("B1"),
            year=campaign.year,
            title="又一次",
            signup_until=campaign.signup_until,
        )
    a = check_actions.do_sign_up_check(actor=personas["worker1"], campaign=campaign)
    check_actions.do_sign_up_check(actor=personas["branch1"], campaign=campaign)
    with pytest.raises(ActionRefused) as twice:
        check_actions.do_sign_up_check(actor=personas["worker1"], campaign=campaign)
    assert twice.value.status == 409
    response = login("women1").post(
        f"/women/desk/checks/{campaign.pk}/", {"signup_ids": [a.pk], "done": "1"}
    )
    assert response.status_code == 302
    page = login("women1").get(f"/women/desk/checks/{campaign.pk}/").content.decode()
    assert "报名 2 人，已完成 1 人" in page
    # Only done or not: the model has no field for a result.
    assert {f.name for f in CheckSignup._meta.get_fields()} == {
        "id",
        "campaign",
        "member",
        "user",
        "signed_up_at",
        "completed_at",
    }
    assert login("branch2").get(f"/women/desk/checks/{campaign.pk}/").status_code == 404


def test_the_province_table_is_edited_at_the_top_of_the_union_only(db, personas, login, api_client):
    beijing = province("beijing")
    assert Province.objects.count() >= 5
    data = {
        "code": "beijing",
        "name": "北京",
        "extra_days": 60,
        "difficult_extra_days": 0,
        "multiple_extra_days": 0,
        "paternity_days": 15,
        "regulation": "北京市人口与计划生育条例",
        "year": 2021,
        "confirmed": "on",
        "note": "已核对",
    }
    assert login("branch1").post(f"/women/provinces/{beijing.pk}/", data).status_code == 403
    assert login("women1").get("/women/provinces/").status_code == 200
    assert login("chair").post(f"/women/provinces/{beijing.pk}/", data).status_code == 302
    beijing.refresh_from_db()
    assert beijing.confirmed
    new = {**data, "code": "sichuan", "name": "四川", "extra_days": 60, "confirmed": ""}
    assert login("chair").post("/women/provinces/new/", new).status_code == 302
    assert Province.objects.filter(code="sichuan", confirmed=False).exists()
    api = api_client("women1").get("/api/v1/women/minimums", {"province_id": beijing.pk})
    assert {m["code"]: m["value"] for m in api.json()["minimums"]}["maternity_days"] == 158


def test_the_legal_minimums_reach_other_modules_through_core(db):
    from zhijia.core.hooks import legal_minimums

    province("guangdong")
    national = {m.code: m for m in legal_minimums()}
    assert national["maternity_days"].value == 98
    assert national["nursing_minutes_per_day"].value == 60
    assert national["no_night_shift_from_month"].met_by(7)
    assert not national["no_night_shift_from_month"].met_by(8)
    guangdong = {m.code: m for m in legal_minimums("guangdong")}
    assert guangdong["maternity_days"].value == 178
    assert not guangdong["maternity_days"].met_by(158)
    assert national["maternity_days"].label == "产假"
