"""`zhijia seed-demo`: a plausible, valid and idempotent demo union."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhijia.org import demo
from zhijia.org.models import DuesRecord, Member, OrgUnit
from zhijia.org.rules import (
    id_number_birth_date,
    id_number_error,
    id_number_gender,
    monthly_dues,
    phone_error,
)
from zhijia.org.search import name_initials, name_pinyin


def test_demo_person_is_deterministic_and_valid():
    people = [demo.demo_person(i) for i in range(1, 3001)]
    assert demo.demo_person(17) == people[16]
    assert len({p.id_number for p in people}) == len(people), "ID numbers are unique"
    assert len({p.phone for p in people}) == len(people), "phones are unique"
    assert len({p.employee_no for p in people}) == len(people)
    for p in people:
        assert id_number_error(p.id_number) is None, p
        assert id_number_gender(p.id_number) == p.gender
        assert phone_error(p.phone) is None and len(p.phone) == 11
        birth = id_number_birth_date(p.id_number)
        assert dt.date(1963, 1, 1) <= birth <= dt.date(2004, 12, 31)
        assert p.join_date >= max(dt.date(birth.year + 20, birth.month, 1), dt.date(1995, 1, 1))
        assert 2 <= len(p.name) <= 4
        assert p.monthly_wage > 0
    genders = Counter(p.gender for p in people)
    assert 0.25 < genders["F"] / len(people) < 0.5
    types = Counter(p.employment_type for p in people)
    assert types[Member.EmploymentType.REGULAR] > len(people) / 2
    assert set(types) == set(Member.EmploymentType.values)
    surnames = Counter(p.name[0] for p in people)
    assert surnames.most_common(1)[0][0] in "王李张刘"
    branches = Counter(p.unit_code.split("-")[0] for p in people)
    assert set(branches) == {"B1", "B2", "B3"}


@pytest.mark.django_db
def test_members_and_dues_are_created_once():
    demo.ensure_demo_structure()
    demo.ensure_demo_accounts()
    assert demo.ensure_demo_members(120, batch_size=50) == 120
    assert demo.ensure_demo_members(120) == 0, "re-running creates nothing"
    assert demo.ensure_demo_members(150) == 30, "a larger N adds only the new members"

    generated = Member.objects.filter(employee_no__startswith="E1")
    assert generated.count() == 150
    for m in generated:
        assert m.org_unit.kind == OrgUnit.Kind.GROUP
        number = m.get_id_number()
        assert id_number_error(number) is None
        assert id_number_gender(number) == m.gender
        assert m.id_number_masked == number[:4] + "*" * 10 + number[-4:]
        assert m.name_pinyin == name_pinyin(m.name)
        assert m.name_initials == name_initials(m.name)

    today = dt.date(2026, 3, 15)
    created = demo.ensure_demo_dues(6, today=today)
    assert created > 0
    assert demo.ensure_demo_dues(6, today=today) == 0, "re-running creates nothing"
    months = sorted(set(DuesRecord.objects.values_list("month", flat=True)))
    assert months == [dt.date(2025, m, 1) for m in range(10, 13)] + [
        dt.date(2026, m, 1) for m in range(1, 4)
    ]
    for record in DuesRecord.objects.select_related("member"):
        assert record.amount == monthly_dues(record.member.monthly_wage)
        assert record.member.status == Member.Status.ACTIVE
        if record.paid_at is not None:
            assert timezone.localtime(record.paid_at).date().replace(day=1) == record.month
    older = DuesRecord.objects.filter(month__lt=dt.date(2026, 3, 1))
    assert older.filter(paid_at__isnull=False).count() / older.count() > 0.9
    assert DuesRecord.objects.filter(paid_at__isnull=True).exists(), "some are in arrears"


@pytest.mark.django_db
def test_seed_demo_command_prints_the_accounts():
    out = io.StringIO()
    call_command("seed_demo", "--members", "40", stdout=out)
    text = out.getvalue()
    assert "40 members" in text
    for username in ["admin", "chair", "branch1", "branch2", "rep1", "worker1", "worker2"]:
        assert username in text
    assert demo.DEMO_PASSWORD in text
    again = io.StringIO()
    call_command("seed_demo", "--members", "40", stdout=again)
    assert "0 members and 0 dues records created" in again.getvalue()
    assert Member.objects.count() == 40 + 6
