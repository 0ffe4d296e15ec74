"""Helpers for the activities tests: activities created and published through the actions,
and many members at once (for the registration storm)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhijia.org.models import Member, OrgUnit
from zhijia.services.actions import activities as actions


def make_activity(
    cadre,
    unit: OrgUnit,
    *,
    capacity: int = 10,
    draw: bool = False,
    starts_in: dt.timedelta = dt.timedelta(days=7),
    hours: int = 3,
    audience=(),
    club=None,
    publish: bool = True,
    offer_hours: int = 24,
    title: str = "职工羽毛球赛",
):
    now = timezone.now()
    starts = now + starts_in
    activity = actions.do_create_activity(
        actor=cadre,
        title=title,
        description="欢迎踊跃报名",
        kind="sports",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        place="职工活动中心",
        org_unit=unit,
        audience_units=audience,
        club=club,
        capacity=capacity,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=starts - dt.timedelta(minutes=30),
        fee="",
        draw=draw,
        offer_hours=offer_hours,
    )
    if publish:
        activity = actions.do_publish_activity(actor=cadre, activity=activity)
    return activity


def make_member_users(n: int, unit: OrgUnit, prefix: str = "act") -> list:
    """n users, each with a member record on the roll in `unit`."""
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"{prefix}{i:04d}", full_name=f"职工{i}") for i in range(n)
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    Member.objects.bulk_create(
        Member(
            employee_no=f"{prefix.upper()}{i:05d}",
            name=f"职工{i}",
            gender="F" if i % 2 else "M",
            org_unit=unit,
            user=user,
        )
        for i, user in enumerate(users)
    )
    return list(
        User.objects.filter(username__startswith=prefix)
        .select_related("member_record", "member_record__org_unit")
        .order_by("username")
    )
