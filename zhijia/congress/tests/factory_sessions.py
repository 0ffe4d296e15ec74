"""Helpers for the congress session tests: members with accounts, a term with its
representatives, a session ready for check-in."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import Representative, Term
from zhijia.org.models import Member, OrgUnit

_batch = itertools.count(1)


def make_members(
    unit: OrgUnit,
    n: int,
    *,
    prefix: str | None = None,
    gender: str = "M",
    employment_type: str = Member.EmploymentType.REGULAR,
    with_accounts: bool = True,
) -> list[Member]:
    """n in-register members of `unit`, each with an active account (bulk, fast)."""
    prefix = prefix or f"c{next(_batch):03d}"
    User = get_user_model()
    users = []
    if with_accounts:
        User.objects.bulk_create(
            User(username=f"{prefix}-{i:04d}", full_name=f"代表{prefix}{i}") for i in range(n)
        )
        users = list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))
    Member.objects.bulk_create(
        Member(
            employee_no=f"{prefix.upper()}{i:05d}",
            name=f"代表{prefix}{i}",
            gender=gender,
            org_unit=unit,
            employment_type=employment_type,
            user=users[i] if with_accounts else None,
        )
        for i in range(n)
    )
    return list(
        Member.objects.filter(employee_no__startswith=prefix.upper())
        .select_related("org_unit", "user")
        .order_by("employee_no")
    )


def make_term(actor, unit: OrgUnit, **kwargs) -> Term:
    defaults = {"start_date": dt.date(2024, 3, 1), "end_date": dt.date(2029, 2, 28)}
    defaults.update(kwargs)
    return actions.do_create_term(actor=actor, unit=unit, **defaults)


def seat(actor, term: Term, members, **kwargs) -> list[Representative]:
    return [
        actions.do_add_representative(actor=actor, term=term, member=m, **kwargs) for m in members
    ]
