"""Dues: monthly generation (idempotent), payments, the member ledger, arrears and export."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from zhijia.core.models import AuditEvent
from zhijia.org.actions import dues as actions
from zhijia.org.exports import ARREARS_HEADERS
from zhijia.org.models import DuesRecord, Member, OrgUnit
from zhijia.org.queries import dues as queries
from zhijia.org.tests.member_factory import make_member

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2025, 4, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def b3g1(demo_units):
    return demo_units["B3-G1"]


@pytest.fixture
def staff(b3g1):
    """Members of B3-G1: two with wages, one without, one retired, one with a tiny wage."""
    return {
        "a": make_member(b3g1, name="甲", wage="5679.99"),
        "b": make_member(b3g1, name="乙", wage="8000"),
        "nowage": make_member(b3g1, name="丙", wage=None),
        "retired": make_member(b3g1, name="丁", wage="9000", status=Member.Status.RETIRED),
        "tiny": make_member(b3g1, name="戊", wage="9.99"),
    }


def test_generate_creates_one_record_per_active_member_with_a_wage(personas, b3g1, staff):
    result = actions.do_generate_dues(
        actor=personas["chair"], month=dt.date(2025, 3, 17), unit=b3g1
    )
    assert (result.month, result.created, result.existing, result.without_wage) == (MARCH, 3, 0, 1)
    amounts = dict(DuesRecord.objects.filter(month=MARCH).values_list("member__name", "amount"))
    assert amounts == {"甲": Decimal("28.35"), "乙": Decimal("40.00"), "戊": Decimal("0.00")}
    record = DuesRecord.objects.get(member=staff["a"], month=MARCH)
    assert record.wage_income == Decimal("5679.99") and record.paid_at is None
    event = AuditEvent.objects.get(action="org.generate_dues")
    assert event.data == {"month": "2025-03", "created": 3, "existing": 0, "without_wage": 1}


def test_generate_is_idempotent(personas, b3g1, staff):
    actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=b3g1)
    DuesRecord.objects.filter(member=staff["a"]).update(
        paid_at=dt.datetime(2025, 3, 20, tzinfo=dt.UTC)
    )
    staff["b"].monthly_wage = Decimal("9000")
    staff["b"].save()
    again = actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=b3g1)
    assert (again.created, again.existing) == (0, 3)
    assert DuesRecord.objects.filter(month=MARCH).count() == 3
    # what was generated and paid is not rewritten
    assert DuesRecord.objects.get(member=staff["b"], month=MARCH).amount == Decimal("40.00")
    assert DuesRecord.objects.get(member=staff["a"], month=MARCH).paid_at is not None
    # a member who joined since is added on the next run
    make_member(b3g1, name="己", wage="3000")
    third = actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=b3g1)
    assert (third.created, third.existing) == (1, 3)


def test_generate_covers_the_subtree_only(personas, demo_units, staff):
    make_member("B2-G1", name="外", wage="7000")
    actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=demo_units["B3"])
    names = set(DuesRecord.objects.values_list("member__name", flat=True))
    assert names == {"甲", "乙", "戊"}


def test_generate_future_month_refused(personas, b3g1, staff):
    actions.do_generate_dues(actor=personas["chair"], month=APRIL, unit=b3g1)  # current month
    with pytest.raises(actions.DuesRefused) as info:
        actions.do_generate_dues(actor=personas["chair"], month=dt.date(2025, 5, 1), unit=b3g1)
    assert "不能生成未来月份的会费" in info.value.message


def test_generate_needs_dues_permission_over_the_unit(personas, demo_units, b3g1, staff):
    for username in ["branch1", "branch2", "admin", "rep1", "worker1", "handler1"]:
        with pytest.raises(PermissionDenied):
            actions.do_generate_dues(actor=personas[username], month=MARCH, unit=b3g1)
    assert DuesRecord.objects.count() == 0


def test_record_payment(personas, b3g1, staff):
    actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=b3g1)
    records = list(DuesRecord.objects.filter(member__in=[staff["a"], staff["b"]]))
    assert actions.do_record_dues_payment(actor=personas["chair"], records=records) == 2
    assert DuesRecord.objects.filter(paid_at__isnull=False).count() == 2
    event = AuditEvent.objects.get(action="org.record_dues_payment")
    assert event.data["count"] == 2 and event.data["amount"] == "68.35"
    # paying again changes nothing and writes nothing
    assert actions.do_record_dues_payment(actor=personas["chair"], records=records) == 0
    assert AuditEvent.objects.filter(action="org.record_dues_payment").count() == 1


def test_payment_outside_scope_writes_nothing(personas, b3g1, staff):
    actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=b3g1)
    mine = make_member("B1-G1", name="庚", wage="6000")
    actions.do_generate_dues(actor=personas["branch1"], month=MARCH, unit=mine.org_unit)
    records = list(DuesRecord.objects.all())
    with pytest.raises(PermissionDenied):
        actions.do_record_dues_payment(actor=personas["branch1"], records=records)
    assert DuesRecord.objects.filter(paid_at__isnull=False).count() == 0
    # the query behind the page drops what is outside the scope
    allowed = queries.dues_records_for_payment(personas["branch1"], [r.pk for r in records])
    assert {r.member.org_unit.code for r in allowed} <= {"B1", "B1-G1", "B1-G2", "B1-G3", "B1-G4"}


def test_arrears(personas, b3g1, staff):
    chair = personas["chair"]
    actions.do_generate_dues(actor=chair, month=dt.date(2025, 2, 1), unit=b3g1)
    actions.do_generate_dues(actor=chair, month=MARCH, unit=b3g1)
    paid = DuesRecord.objects.filter(member=staff["b"], month=MARCH)
    actions.do_record_dues_payment(actor=chair, records=list(paid))
    rows = {m.name: (m.unpaid_months, m.unpaid_total) for m in queries.arrears(chair)}
    # 甲 owes two months; 乙 one; 戊's dues are zero, so 戊 owes nothing
    assert rows == {"甲": (2, Decimal("56.70")), "乙": (1, Decimal("40.00"))}
    assert [m.name for m in queries.arrears(chair)] == ["甲", "乙"]  # largest debt first
    summary = queries.arrears_summary(chair)
    assert {k: summary[k] for k in ("members", "months", "total")} == {
        "members": 2,
        "months": 3,
        "total": Decimal("96.70"),
    }
    # everyone's dues are deducted from the wage by default: the arrears are all 代扣未到账
    assert summary["payroll"] == {"members": 2, "months": 3, "total": Decimal("96.70")}
    assert summary["self_pay"] == {"members": 0, "months": 0, "total": Decimal("0.00")}
    # up to a month; and by unit
    early = {m.name: m.unpaid_total for m in queries.arrears(chair, until=dt.date(2025, 2, 1))}
    assert early == {"甲": Decimal("28.35"), "乙": Decimal("40.00")}
    assert list(queries.arrears(chair, unit=OrgUnit.objects.get(code="B2"))) == []
    # a sibling branch's cadre sees none of it
    assert list(queries.arrears(personas["branch1"])) == []
    assert queries.arrears_summary(personas["branch1"])["members"] == 0


def test_dues_pages_generate_pay_and_arrears_export(login, personas, b3g1, staff):
    c = login("chair")
    html = c.get(f"/org/dues/?unit={b3g1.pk}&month=2025-03").content.decode()
    assert "本月尚未生成会费记录" in html
    response = c.post("/org/dues/generate/", {"unit": b3g1.pk, "month": "2025-03"})
    assert response.status_code == 302
    assert DuesRecord.objects.filter(month=MARCH).count() == 3
    html = c.get(response["Location"]).content.decode()
    assert "28.35" in html and "免缴" in html
    record = DuesRecord.objects.get(member=staff["a"], month=MARCH)
    next_url = f"/org/dues/?unit={b3g1.pk}&month=2025-03"
    response = c.post("/org/dues/pay/", {"ids": [record.pk], "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    record.refresh_from_db()
    assert record.paid_at is not None
    # unsafe next targets fall back to the overview
    response = c.post("/org/dues/pay/", {"ids": [record.pk], "next": "https://example.com/"})
    assert response["Location"] == "/org/dues/"

    html = c.get("/org/dues/arrears/").content.decode()
    assert "乙" in html and "40.00" in html and "甲" not in html.split("<tbody>")[1]
    response = c.get("/org/dues/arrears/export/")
    content = b"".join(response.streaming_content)
    for close in response._resource_closers:  # the file, as the WSGI server would
        close()
    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert rows[0] == ARREARS_HEADERS
    assert [(r[1], r[4], r[5]) for r in rows[1:]] == [("乙", 1, 40)]
    assert AuditEvent.objects.filter(action="org.export_arrears").count() == 1


def test_dues_generate_page_refuses_units_outside_scope(login, personas, b3g1, staff):
    response = login("branch1").post("/org/dues/generate/", {"unit": b3g1.pk, "month": "2025-03"})
    assert response.status_code == 302
    assert DuesRecord.objects.count() == 0
    response = login("chair").post("/org/dues/generate/", {"unit": b3g1.pk, "month": "garbage"})
    assert response.status_code == 302 and DuesRecord.objects.count() == 0


def test_member_ledger_access(login, personas, demo_units):
    worker1 = personas["worker1"].member_record
    actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=demo_units["B1-G1"])
    url = f"/org/members/{worker1.pk}/dues/"
    html = login("worker1").get(url).content.decode()
    assert "2025-03" in html and "未缴" in html
    assert login("branch1").get(url).status_code == 200
    assert login("chair").get(url + "?year=2025").status_code == 200
    assert login("branch2").get(url).status_code == 404
    assert login("admin").get(url).status_code == 403
    assert login("worker2").get(url).status_code == 403
    assert login("rep1").get(url).status_code == 403
