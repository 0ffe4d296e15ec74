"""The world of tests/access/test_women.py, built once per module.

Targets "b1" / "b2": records of branch1's / branch2's unit. Each has a birth registration (b1:
worker1's; b2: that of 何丽, a woman member of branch2 who is no persona), a nursing room
with a booking for tomorrow 09:00 (by the same women) and this year's health check with their
sign-up. In this world branch1 and branch2 are also on the women workers' committee of their
own branch (Role.WOMEN_COMMITTEE over B1 / B2); the chair is not on it.
Of the personas, worker1 and branch1 are women members; the others are men or hold no member
record.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")


def build_world() -> World:
    from zhijia.accounts.models import Role, RoleAssignment, User
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.org.tests.member_factory import make_member
    from zhijia.women.actions import checks as check_actions
    from zhijia.women.actions import registrations as actions
    from zhijia.women.actions import rooms as room_actions
    from zhijia.women.actions.provinces import ensure_provinces
    from zhijia.women.models import Province

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    ensure_provinces()
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    for t, name in (("b1", "branch1"), ("b2", "branch2")):
        RoleAssignment.objects.get_or_create(
            user=personas[name], role=Role.WOMEN_COMMITTEE, org_unit=units[t]
        )
    mother_b2 = User.objects.create(username="mother_b2", full_name="何丽")
    make_member("B2-G1", name="何丽", gender="F", user=mother_b2)
    mother = {"b1": User.objects.get(username="worker1"), "b2": mother_b2}
    cadre = {"b1": User.objects.get(username="branch1"), "b2": User.objects.get(username="branch2")}
    beijing = Province.objects.get(code="beijing")
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    data: dict = {
        "personas": personas,
        "unit": {t: u.pk for t, u in units.items()},
        "province": beijing.pk,
        "tomorrow": tomorrow.isoformat(),
        "birth": (today - dt.timedelta(days=5)).isoformat(),
        **{k: {} for k in ("registration", "room", "booking", "campaign")},
    }
    for t in REC:
        registration = actions.do_register_pregnancy(
            actor=mother[t],
            kind="birth",
            province=beijing,
            consent=True,
            babies=1,
            birth_date=today - dt.timedelta(days=10),
        )
        room = room_actions.do_create_nursing_room(
            actor=cadre[t], org_unit=units[t], name=f"妈咪小屋{t}", place="综合楼", seats=2
        )
        booking = room_actions.do_book_room(
            actor=mother[t], room=room, day=tomorrow, starts=dt.time(9, 0)
        )
        campaign = check_actions.do_create_check_campaign(
            actor=cadre[t],
            org_unit=units[t],
            year=today.year,
            title=f"女职工健康检查{t}",
            signup_until=today + dt.timedelta(days=30),
        )
        check_actions.do_sign_up_check(actor=mother[t], campaign=campaign)
        data["registration"][t] = registration.pk
        data["room"][t] = room.pk
        data["booking"][t] = booking.pk
        data["campaign"][t] = campaign.pk
    cache.clear()

    def ids(persona: str, target) -> dict:
        base = {"province": data["province"]}
        if target not in REC:
            return base
        keys = ("registration", "room", "booking", "campaign")
        return {**base, **{key: data[key][target] for key in keys}}

    return World(data=data, ids=ids, fingerprint=women_fingerprint, clients=make_clients(personas))


def women_fingerprint() -> tuple:
    from zhijia.women.models import (
        CheckCampaign,
        CheckSignup,
        NursingRoom,
        Province,
        Registration,
        RoomBooking,
    )

    return fingerprint(Registration, Province, NursingRoom, RoomBooking, CheckCampaign, CheckSignup)
