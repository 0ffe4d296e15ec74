"""Roles × every page and API operation of module women (女职工).

From DESIGN.md section 9 and the roles table:
  - a woman member (worker1, branch1) registers her own pregnancy or birth, sees it, records
    the birth, changes her department consent or withdraws it; books a nursing room of her
    unit or a unit above it and cancels her own booking; signs up for her units' health check.
    Men and accounts without a member record are refused (403); another woman's record is not
    revealed (404);
  - the registrations (sensitive) are read by the women workers' committee of the unit's
    subtree ONLY: in this world branch1 on B1 and branch2 on B2; a committee member of another
    branch gets 404; the chair (no committee role) and the admin get 403. The committee reads;
    it never writes her registration (403);
  - rooms, bookings lists, health checks and the province table are the committee's and the
    cadres' (women.manage over their unit's subtree: chair both, branch1 B1, branch2 B2);
  - the province table is changed by a holder at the top of the union only (the chair).
A refused write changes nothing: registrations, provinces, rooms, bookings, campaigns and
sign-ups, the audit log, notifications and workflow events are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    B1,
    B2,
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    holders,
    per_persona,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_women import build_world

WOMEN = {"worker1", "branch1"}  # women members among the personas
MANAGERS = {"chair", "branch1", "branch2"}
COMMITTEE = {"branch1": B1, "branch2": B2}
OWN = {"worker1": B1}  # her registration, booking and sign-up are b1's


def woman(ok: int = 200):
    return holders(WOMEN, ok=ok)


def own(ok: int):
    """Her own record: ok; another woman's is not revealed (404); the committee reads it but
    may not write it (403 on its branch's, 404 on another's); everyone else 403."""

    def rule(p, t):
        if t in OWN.get(p, ()):
            return ok
        if p in COMMITTEE:
            return 403 if t in COMMITTEE[p] else 404
        return 404 if p in WOMEN else 403

    return rule


def read_registration(p, t):
    if t in OWN.get(p, ()) or t in COMMITTEE.get(p, ()):
        return 200
    if p in COMMITTEE or p in WOMEN:
        return 404
    return 403


def member_room(ok: int):
    """A room (or health check) of her units: b1 for both women members; b2 is not revealed."""
    return per_persona({p: scoped({p: B1}, ok=ok) for p in WOMEN})


def my_booking(ok: int):
    return per_persona({"worker1": scoped(OWN, ok=ok), "branch1": 404})


def slots(p, t):
    """The slots: a woman of the room's units or a manager of its unit."""
    if p in WOMEN:
        return 200 if t == "b1" else 404
    return scoped(CADRE_SCOPE)(p, t)


def signup(ok: int):
    """Worker1 is signed up for b1's (409); branch1 may sign up; b2's is not revealed."""
    return per_persona({"worker1": scoped(OWN, ok=409), "branch1": scoped({"branch1": B1}, ok=ok)})


def create(ok: int, outside: int):
    """A new record for branch1's unit: chair and branch1 may; branch2's scope lacks it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


P = "/women"
A = "/api/v1/women"
V = "women"


def _register(w, t):
    return {
        "kind": "birth",
        "province": w["province"],
        "birth_date": w["birth"],
        "babies": 1,
        "consent": "on",
    }


def _register_api(w, t):
    return {
        "kind": "birth",
        "province_id": w["province"],
        "birth_date": w["birth"],
        "consent": True,
    }


def _birth(w, t):
    return {"birth_date": w["birth"], "babies": 2}


def _book(w, t):
    return {"day": w["tomorrow"], "starts": "11:00"}


def _room(w, t):
    return {
        "org_unit": w["unit"]["b1"],
        "name": "新妈咪小屋",
        "place": "食堂二楼",
        "seats": 1,
        "opens_at": "08:00",
        "closes_at": "17:00",
    }


def _room_api(w, t):
    return {"org_unit_id": w["unit"]["b1"], "name": "新妈咪小屋", "place": "食堂二楼"}


def _campaign(w, t):
    from django.utils import timezone

    return {
        "org_unit": w["unit"]["b1"],
        "year": timezone.localdate().year + 1,
        "title": "明年的健康检查",
        "signup_until": w["tomorrow"],
    }


def _campaign_api(w, t):
    data = _campaign(w, t)
    return {"org_unit_id": data.pop("org_unit"), **data}


PROVINCE = {
    "code": "beijing",
    "name": "北京",
    "extra_days": 60,
    "difficult_extra_days": 0,
    "multiple_extra_days": 0,
    "paternity_days": 15,
    "regulation": "北京市人口与计划生育条例",
    "year": 2021,
    "note": "",
}
NEW_PROVINCE = {**PROVINCE, "code": "sichuan", "name": "四川"}
CHAIR_ONLY = per_persona({"chair": 200})

ROWS = [
    # --- pages: hers ----------------------------------------------------------------------------
    Row(f"{V}:home", "get", f"{P}/", woman()),
    Row(f"{V}:register", "get", f"{P}/register/", woman()),
    Row(
        f"{V}:register",
        "post",
        f"{P}/register/",
        woman(302),
        data=_register,
        name=f"{V}:register-post",
    ),
    Row(f"{V}:registration", "get", f"{P}/registrations/{{registration}}/", read_registration, REC),
    Row(
        f"{V}:registration-birth",
        "post",
        f"{P}/registrations/{{registration}}/birth/",
        own(302),
        REC,
        data=_birth,
    ),
    Row(
        f"{V}:registration-department-consent",
        "post",
        f"{P}/registrations/{{registration}}/department-consent/",
        own(302),
        REC,
        data={"consent": "on"},
    ),
    Row(
        f"{V}:registration-withdraw",
        "post",
        f"{P}/registrations/{{registration}}/withdraw/",
        own(302),
        REC,
    ),
    Row(f"{V}:rooms", "get", f"{P}/rooms/", woman()),
    Row(f"{V}:room", "get", f"{P}/rooms/{{room}}/", member_room(200), REC),
    Row(f"{V}:room-book", "post", f"{P}/rooms/{{room}}/book/", member_room(302), REC, data=_book),
    Row(f"{V}:booking-cancel", "post", f"{P}/bookings/{{booking}}/cancel/", my_booking(302), REC),
    Row(f"{V}:checks", "get", f"{P}/checks/", woman()),
    Row(f"{V}:check-signup", "post", f"{P}/checks/{{campaign}}/signup/", signup(302), REC),
    # --- pages: the committee and the cadres ----------------------------------------------------
    Row(f"{V}:registrations", "get", f"{P}/committee/registrations/", holders(COMMITTEE)),
    Row(f"{V}:provinces", "get", f"{P}/provinces/", holders(MANAGERS)),
    Row(f"{V}:province-new", "get", f"{P}/provinces/new/", CHAIR_ONLY),
    Row(
        f"{V}:province-new",
        "post",
        f"{P}/provinces/new/",
        per_persona({"chair": 302}),
        data=NEW_PROVINCE,
        name=f"{V}:province-new-post",
    ),
    Row(f"{V}:province-edit", "get", f"{P}/provinces/{{province}}/", CHAIR_ONLY),
    Row(
        f"{V}:province-edit",
        "post",
        f"{P}/provinces/{{province}}/",
        per_persona({"chair": 302}),
        data=PROVINCE,
        name=f"{V}:province-edit-post",
    ),
    Row(f"{V}:desk-rooms", "get", f"{P}/desk/rooms/", holders(MANAGERS)),
    Row(
        f"{V}:desk-rooms",
        "post",
        f"{P}/desk/rooms/",
        create(302, 400),
        data=_room,
        name=f"{V}:desk-rooms-post",
    ),
    Row(f"{V}:desk-room", "get", f"{P}/desk/rooms/{{room}}/", desk(), REC),
    Row(f"{V}:desk-room-export", "get", f"{P}/desk/rooms/{{room}}/export/", desk(), REC),
    Row(f"{V}:desk-checks", "get", f"{P}/desk/checks/", holders(MANAGERS)),
    Row(
        f"{V}:desk-checks",
        "post",
        f"{P}/desk/checks/",
        create(302, 400),
        data=_campaign,
        name=f"{V}:desk-checks-post",
    ),
    Row(f"{V}:desk-check", "get", f"{P}/desk/checks/{{campaign}}/", desk(), REC),
    Row(
        f"{V}:desk-check",
        "post",
        f"{P}/desk/checks/{{campaign}}/",
        desk(302),
        REC,
        data={"done": "1"},
        name=f"{V}:desk-check-post",
    ),
    Row(f"{V}:desk-check-export", "get", f"{P}/desk/checks/{{campaign}}/export/", desk(), REC),
    # --- API: hers ------------------------------------------------------------------------------
    Row(f"GET {A}/registrations", "get", f"{A}/registrations", woman()),
    Row(f"POST {A}/registrations", "post", f"{A}/registrations", woman(201), data=_register_api),
    Row(
        f"GET {A}/registrations/{{registration_id}}",
        "get",
        f"{A}/registrations/{{registration}}",
        read_registration,
        REC,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/birth",
        "post",
        f"{A}/registrations/{{registration}}/birth",
        own(200),
        REC,
        data=_birth,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/department-consent",
        "post",
        f"{A}/registrations/{{registration}}/department-consent",
        own(200),
        REC,
        data={"consent": True},
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/withdraw",
        "post",
        f"{A}/registrations/{{registration}}/withdraw",
        own(204),
        REC,
    ),
    Row(f"GET {A}/rooms", "get", f"{A}/rooms", woman()),
    Row(f"GET {A}/rooms/{{room_id}}/slots", "get", f"{A}/rooms/{{room}}/slots", slots, REC),
    Row(
        f"POST {A}/rooms/{{room_id}}/bookings",
        "post",
        f"{A}/rooms/{{room}}/bookings",
        member_room(201),
        REC,
        data=_book,
    ),
    Row(f"GET {A}/bookings", "get", f"{A}/bookings", woman()),
    Row(
        f"POST {A}/bookings/{{booking_id}}/cancel",
        "post",
        f"{A}/bookings/{{booking}}/cancel",
        my_booking(200),
        REC,
    ),
    Row(f"GET {A}/checks", "get", f"{A}/checks", woman()),
    Row(
        f"POST {A}/checks/{{campaign_id}}/signup",
        "post",
        f"{A}/checks/{{campaign}}/signup",
        signup(201),
        REC,
    ),
    # --- API: the committee and the cadres ------------------------------------------------------
    Row(
        f"GET {A}/committee/registrations",
        "get",
        f"{A}/committee/registrations",
        holders(COMMITTEE),
    ),
    Row(f"GET {A}/provinces", "get", f"{A}/provinces", holders(MANAGERS)),
    Row(f"GET {A}/minimums", "get", f"{A}/minimums", holders(MANAGERS)),
    Row(
        f"POST {A}/provinces",
        "post",
        f"{A}/provinces",
        per_persona({"chair": 201}),
        data={**NEW_PROVINCE, "confirmed": False},
    ),
    Row(
        f"PUT {A}/provinces/{{province_id}}",
        "put",
        f"{A}/provinces/{{province}}",
        per_persona({"chair": 200}),
        data={**PROVINCE, "confirmed": True},
    ),
    Row(f"GET {A}/desk/rooms", "get", f"{A}/desk/rooms", holders(MANAGERS)),
    Row(f"POST {A}/desk/rooms", "post", f"{A}/desk/rooms", create(201, 404), data=_room_api),
    Row(
        f"GET {A}/desk/rooms/{{room_id}}/bookings",
        "get",
        f"{A}/desk/rooms/{{room}}/bookings",
        desk(),
        REC,
    ),
    Row(f"GET {A}/desk/checks", "get", f"{A}/desk/checks", holders(MANAGERS)),
    Row(f"POST {A}/desk/checks", "post", f"{A}/desk/checks", create(201, 404), data=_campaign_api),
    Row(
        f"GET {A}/desk/checks/{{campaign_id}}/signups",
        "get",
        f"{A}/desk/checks/{{campaign}}/signups",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/checks/{{campaign_id}}/completion",
        "post",
        f"{A}/desk/checks/{{campaign}}/completion",
        desk(),
        REC,
        data={"signup_ids": []},
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
