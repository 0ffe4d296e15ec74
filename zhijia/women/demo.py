"""Demo content of module women (`zhijia seed-demo`, idempotent: a registration is made once
per demo woman, the room and the campaign are recognised by their unit and name or year):

  - the shipped province table (provinces_data);
  - consented registrations: worker1 gave birth 40 days ago (北京), branch1 expects a baby in
    four months, and (when `seed-demo` generated members) a woman member of branch 1 without
    an account had twins in a difficult birth five months ago, registered with her consent to
    tell her department (an account without a password is made for her: she registered
    through the union's desk);
  - branch 1's nursing room (妈咪小屋), kept by women1, with two bookings for tomorrow;
  - this year's women's health check of the whole union with sign-ups, one completed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhijia.org.models import Member, OrgUnit
from zhijia.women.actions import checks as check_actions
from zhijia.women.actions import registrations as actions
from zhijia.women.actions import rooms as room_actions
from zhijia.women.actions.provinces import ensure_provinces
from zhijia.women.models import CheckCampaign, NursingRoom, Province, Registration

ROOM_NAME = "第一分工会妈咪小屋"
TWINS_USERNAME = "demo-mother-b1"


def _twins_mother(users: dict):
    """A woman member of branch 1 without an account (a generated demo member), given one
    that cannot sign in; None when there is none."""
    if TWINS_USERNAME in users:
        return users[TWINS_USERNAME]
    member = (
        Member.objects.filter(
            org_unit__path__startswith=OrgUnit.objects.get(code="B1").path,
            gender=Member.Gender.FEMALE,
            status=Member.Status.ACTIVE,
            user__isnull=True,
        )
        .order_by("employee_no")
        .first()
    )
    if member is None:
        return None
    user = get_user_model().objects.create(username=TWINS_USERNAME, full_name=member.name)
    user.set_unusable_password()
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    return get_user_model().objects.get(pk=user.pk)


def _users() -> dict:
    names = ("worker1", "branch1", "women1", "chair", TWINS_USERNAME)
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _registrations(users: dict, today: dt.date) -> int:
    beijing = Province.objects.get(code="beijing")
    plans: list[tuple[str, dict[str, Any]]] = [
        ("worker1", {"kind": "birth", "birth_date": today - dt.timedelta(days=40)}),
        ("branch1", {"kind": "pregnancy", "expected_date": today + dt.timedelta(days=120)}),
        (
            TWINS_USERNAME,
            {
                "kind": "birth",
                "birth_date": today - dt.timedelta(days=150),
                "babies": 2,
                "difficult": True,
                "department_consent": True,
            },
        ),
    ]
    users[TWINS_USERNAME] = _twins_mother(users)
    made = 0
    for username, values in plans:
        user = users.get(username)
        if user is None or Registration.objects.filter(user=user).exists():
            continue
        actions.do_register_pregnancy(actor=user, province=beijing, consent=True, **values)
        made += 1
    return made


def _room(users: dict, today: dt.date) -> int:
    unit = OrgUnit.objects.get(code="B1")
    room = NursingRoom.objects.filter(org_unit=unit, name=ROOM_NAME).first()
    if room is None:
        room = room_actions.do_create_nursing_room(
            actor=users["women1"],
            org_unit=unit,
            name=ROOM_NAME,
            place="生产综合楼二层东侧",
            seats=2,
            opens_at=dt.time(8, 0),
            closes_at=dt.time(18, 0),
            facilities="哺乳椅、冰箱、温奶器、洗手池",
        )
    if room.bookings.exists():
        return 0
    tomorrow = today + dt.timedelta(days=1)
    for username in ("worker1", "branch1"):
        room_actions.do_book_room(
            actor=users[username], room=room, day=tomorrow, starts=dt.time(10, 0)
        )
    return 2


def _campaign(users: dict, today: dt.date) -> int:
    unit = OrgUnit.objects.get(code="U")
    campaign = CheckCampaign.objects.filter(org_unit=unit, year=today.year).first()
    if campaign is not None:
        return 0
    campaign = check_actions.do_create_check_campaign(
        actor=users["chair"],
        org_unit=unit,
        year=today.year,
        title=f"{today.year}年女职工健康检查（两癌筛查）",
        signup_until=today + dt.timedelta(days=30),
        note="体检机构：市妇幼保健院；工会只登记是否完成，不保存检查结果。",
    )
    women = [users[n] for n in ("worker1", "branch1", TWINS_USERNAME) if users.get(n)]
    signups = [check_actions.do_sign_up_check(actor=user, campaign=campaign) for user in women]
    check_actions.do_record_check_completion(
        actor=users["chair"], campaign=campaign, signup_ids=[signups[-1].pk]
    )
    return len(signups)


def seed_demo() -> str:
    ensure_provinces()
    users = _users()
    if not {"worker1", "branch1", "women1", "chair"} <= set(users):
        return "women: demo accounts missing, nothing seeded"
    today = timezone.localdate()
    registrations = _registrations(users, today)
    bookings = _room(users, today)
    signups = _campaign(users, today)
    return (
        f"women: {registrations} registrations, {bookings} nursing room bookings, "
        f"{signups} health check sign-ups created"
    )
