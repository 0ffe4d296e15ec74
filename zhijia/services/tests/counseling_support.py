"""Helpers for counseling tests: a second counselor, slots published through the action."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.services.actions import counseling as actions


def make_counselor(username: str = "counselor2", name: str = "郑心怡") -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": name})
    RoleAssignment.objects.get_or_create(user=user, role=Role.COUNSELOR)
    return User.objects.get(pk=user.pk)  # fresh: role caches are per instance


def publish(
    counselor,
    *,
    hours_ahead: float = 48,
    kind: str = "individual",
    capacity: int | None = None,
    minutes: int = 50,
    mode: str = "in_person",
):
    starts = timezone.now() + dt.timedelta(hours=hours_ahead)
    return actions.do_publish_counseling_slot(
        actor=counselor,
        kind=kind,
        mode=mode,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        place="职工之家二楼心理咨询室" if mode == "in_person" else "",
        online_info="腾讯会议 123-456-789" if mode == "online" else "",
        title="缓解工作压力团体辅导" if kind == "group" else "",
        capacity=capacity,
    )
