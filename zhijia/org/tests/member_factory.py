"""A small factory for extra members in the org tests (the personas come from conftest)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from zhijia.org.demo import demo_id_number
from zhijia.org.models import Member, OrgUnit
from zhijia.org.search import fill_search_fields

_serial = itertools.count(1)


def valid_id_number(gender: str = "M", birth: dt.date | None = None, serial: int | None = None):
    """A fictional 身份证号 passing GB 11643, in a region the demo accounts do not use."""
    n = next(_serial) if serial is None else serial
    birth = birth or dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
    return demo_id_number(n, gender, birth, region="320102")


def make_member(
    unit: OrgUnit | str,
    *,
    name: str = "测试会员",
    gender: str = "M",
    employee_no: str | None = None,
    id_number: str | None = None,
    phone: str = "",
    wage: Decimal | str | None = "6000.00",
    status: str = Member.Status.ACTIVE,
    employment_type: str = Member.EmploymentType.REGULAR,
    join_date: dt.date | None = dt.date(2015, 6, 1),
    department=None,
    user=None,
) -> Member:
    if isinstance(unit, str):
        unit = OrgUnit.objects.get(code=unit)
    n = next(_serial)
    member = Member(
        employee_no=employee_no or f"T{n:06d}",
        name=name,
        gender=gender,
        phone=phone,
        org_unit=unit,
        department=department,
        employment_type=employment_type,
        join_date=join_date,
        status=status,
        monthly_wage=Decimal(wage) if wage is not None else None,
        user=user,
    )
    member.set_id_number(id_number or valid_id_number(gender, serial=n))
    fill_search_fields(member)
    member.save()
    return member
