"""Helpers of the women module's tests: the province table, women members, registrations."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.org.models import OrgUnit
from zhijia.org.tests.member_factory import make_member
from zhijia.women.actions import registrations as actions
from zhijia.women.actions.provinces import ensure_provinces
from zhijia.women.models import Province


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def province(code: str = "beijing") -> Province:
    ensure_provinces()
    return Province.objects.get(code=code)


def make_woman(username: str, unit_code: str = "B1", name: str = "女职工") -> User:
    user = User.objects.create(username=username, full_name=name)
    make_member(unit_code, name=name, gender="F", user=user)
    return User.objects.get(pk=user.pk)


def committee(user, unit_code: str) -> None:
    """Give `user` the women workers' committee role over the unit."""
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.WOMEN_COMMITTEE, org_unit=unit(unit_code)
    )
    for memo in ("_permission_prefixes", "_assignments"):
        user.__dict__.pop(memo, None)


def register_birth(user, *, days_ago: int = 10, babies: int = 2, difficult: bool = True, **kw):
    return actions.do_register_pregnancy(
        actor=user,
        kind="birth",
        province=province(),
        consent=True,
        babies=babies,
        difficult=difficult,
        birth_date=timezone.localdate() - dt.timedelta(days=days_ago),
        **kw,
    )
