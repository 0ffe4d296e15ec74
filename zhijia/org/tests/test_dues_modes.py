"""How dues are collected: payroll deduction (the default) or self-payment, per unit or member,
resolved up the org tree; who may set it; the member home and the arrears by mode."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhijia.core.models import AuditEvent
from zhijia.org import rules
from zhijia.org.actions import dues as actions
from zhijia.org.models import DuesRecord, Member
from zhijia.org.queries import dues as queries
from zhijia.org.tests.member_factory import make_member

MONTH = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2025, 4, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


# --- rules (no database) ----------------------------------------------------------------------


def test_mode_resolves_to_the_nearest_setting_up_the_tree():
    assert rules.resolve_dues_mode("", []) == rules.PAYROLL  # the default
    assert rules.resolve_dues_mode("", ["", "self", ""]) == "self"  # the branch's
    assert rules.resolve_dues_mode("", ["self", "payroll"]) == "payroll"  # nearest wins
    assert rules.resolve_dues_mode("payroll", ["", "self", "self"]) == "payroll"  # her own
    modes = rules.resolve_unit_modes(
        {1: ("/1/", ""), 4: ("/1/4/", "self"), 17: ("/1/4/17/", ""), 18: ("/1/4/18/", "payroll")}
    )
    assert modes == {1: "payroll", 4: "self", 17: "self", 18: "payroll"}
    assert rules.resolve_payment_note(["总工会财务", "", " "]) == "总工会财务"
    assert rules.resolve_payment_note(["总工会财务", "分工会财务"]) == "分工会财务"


def test_paid_through_and_month_bounds():
    m = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert rules.paid_through([(m[2], True), (m[0], True), (m[1], True)]) == m[2]
    assert rules.paid_through([(m[0], True), (m[1], False), (m[2], True)]) == m[0]
    assert rules.paid_through([(m[0], False)]) is None
    today = dt.date(2025, 4, 15)
    assert rules.dues_month_error(dt.date(2025, 4, 1), today) is None
    assert rules.dues_month_error(dt.date(2025, 5, 1), today) == "future"
    assert rules.dues_month_error(dt.date(1999, 12, 1), today) == "too_early"


# --- setting the mode -------------------------------------------------------------------------


def test_unit_mode_applies_below_unless_a_member_has_her_own(personas, demo_units):
    branch, group = demo_units["B3"], demo_units["B3-G1"]
    member, own = make_member(group, name="甲"), make_member(group, name="乙")
    assert queries.member_mode(member) == rules.PAYROLL
    changed = actions.do_set_unit_dues_mode(
        actor=personas["chair"],
        unit=branch,
        dues_mode="self",
        dues_payment_note="  请向第三分工会财务缴纳\n",
    )
    assert changed == ["dues_mode", "dues_payment_note"]
    actions.do_set_member_dues_mode(actor=personas["chair"], member=own, dues_mode="payroll")
    member.refresh_from_db()
    own.refresh_from_db()
    assert queries.member_mode(member) == "self"
    assert queries.member_mode(own) == "payroll"
    assert queries.payment_note(group) == "请向第三分工会财务缴纳"
    settings = queries.unit_dues_settings(group)
    assert (settings.own_mode, settings.mode, settings.inherited_mode) == ("", "self", "self")
    event = AuditEvent.objects.filter(action="org.set_unit_dues_mode").get()
    assert event.data["changed"]["dues_mode"] == ["", "self"]
    assert AuditEvent.objects.filter(action="org.set_member_dues_mode").count() == 1
    # setting the same again changes and records nothing
    assert (
        actions.do_set_unit_dues_mode(
            actor=personas["chair"], unit=branch, dues_mode="self", dues_payment_note=None
        )
        == []
    )
    assert AuditEvent.objects.filter(action="org.set_unit_dues_mode").count() == 1


def test_only_cadres_with_dues_in_scope_set_the_mode(personas, demo_units):
    member = make_member(demo_units["B2-G1"], name="丙")
    for username in ("branch1", "worker2", "admin"):
        with pytest.raises(PermissionDenied):
            actions.do_set_member_dues_mode(
                actor=personas[username], member=member, dues_mode="self"
            )
        with pytest.raises(PermissionDenied):
            actions.do_set_unit_dues_mode(
                actor=personas[username], unit=demo_units["B2"], dues_mode="self"
            )
    with pytest.raises(actions.DuesRefused):
        actions.do_set_member_dues_mode(actor=personas["branch2"], member=member, dues_mode="cash")
    with pytest.raises(actions.DuesRefused):
        actions.do_set_unit_dues_mode(
            actor=personas["branch2"],
            unit=demo_units["B2"],
            dues_mode="self",
            dues_payment_note="长" * 201,
        )
    member.refresh_from_db()
    assert member.dues_mode == "" and demo_units["B2"].dues_mode == ""
    assert not AuditEvent.objects.filter(action__startswith="org.set_").exists()


def test_the_unit_page_sets_the_mode(login, personas, demo_units):
    unit = demo_units["B1"]
    page = login("branch1").get(reverse("org:unit-dues-mode", args=[unit.pk]))
    assert page.status_code == 200 and "与上级工会相同（工资代扣）" in page.content.decode()
    response = login("branch1").post(
        reverse("org:unit-dues-mode", args=[unit.pk]),
        {"dues_mode": "self", "dues_payment_note": "请向分工会财务缴纳"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.dues_mode, unit.dues_payment_note) == ("self", "请向分工会财务缴纳")
    detail = login("branch1").get(reverse("org:unit-detail", args=[unit.pk])).content.decode()
    assert "自缴" in detail and "请向分工会财务缴纳" in detail
    bad = login("branch1").post(reverse("org:unit-dues-mode", args=[unit.pk]), {"dues_mode": "x"})
    assert bad.status_code == 400


# --- the member home ----------------------------------------------------------------------------


def _dues(member, *months_paid):
    for month, paid in months_paid:
        DuesRecord.objects.create(
            member=member,
            month=month,
            wage_income=Decimal("8000"),
            amount=Decimal("40.00"),
            paid_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC) if paid else None,
        )


def _home(login, username):
    page = login(username).get(reverse("home")).content.decode()
    return page, page.split("接下来要做")[1].split("</section>")[0]


def test_payroll_member_with_a_missing_month_gets_no_todo(login, personas):
    member = Member.objects.get(user=personas["worker1"])
    _dues(member, (dt.date(2025, 1, 1), True), (dt.date(2025, 2, 1), True), (MONTH, False))
    page, todo = _home(login, "worker1")
    assert "缴纳会费" not in todo
    assert "会费由工资代扣，已扣至 2025年2月" in page
    status = queries.member_dues_status(member)
    assert (status.mode, status.unpaid_months, status.can_act) == ("payroll", 1, False)


def test_self_payer_with_unpaid_months_gets_the_urgent_todo(login, personas):
    member = Member.objects.get(user=personas["worker1"])
    actions.do_set_unit_dues_mode(
        actor=personas["branch1"],
        unit=member.org_unit,
        dues_mode="self",
        dues_payment_note="请向分工会财务缴纳",
    )
    _dues(member, (dt.date(2025, 2, 1), False), (MONTH, False))
    page, todo = _home(login, "worker1")
    assert "缴纳会费" in todo and "有 2 个月会费未缴，共 ¥80.00" in todo
    assert "请向分工会财务缴纳" in todo
    ledger = login("worker1").get(reverse("org:dues-member", args=[member.pk])).content.decode()
    assert "请向分工会财务缴纳" in ledger and "自缴" in ledger
    # once paid, the to-do goes
    DuesRecord.objects.filter(member=member).update(paid_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC))
    page, todo = _home(login, "worker1")
    assert "缴纳会费" not in todo and "会费自缴，已缴清" in page


# --- arrears and figures by mode ------------------------------------------------------------------


def test_arrears_distinguish_self_pay_from_missing_deductions(login, personas, demo_units):
    group = demo_units["B3-G1"]
    owes = make_member(group, name="自缴者")
    missing = make_member(group, name="代扣者")
    owes.dues_mode = "self"
    owes.save()
    _dues(owes, (MONTH, False))
    _dues(missing, (MONTH, False), (dt.date(2025, 2, 1), False))
    chair = personas["chair"]
    modes = {m.name: m.effective_mode for m in queries.arrears(chair)}
    assert modes == {"自缴者": "self", "代扣者": "payroll"}
    assert [m.name for m in queries.arrears(chair, mode="self")] == ["自缴者"]
    summary = queries.arrears_summary(chair)
    assert summary["self_pay"] == {"members": 1, "months": 1, "total": Decimal("40.00")}
    assert summary["payroll"] == {"members": 1, "months": 2, "total": Decimal("80.00")}
    page = login("chair").get(reverse("org:arrears")).content.decode()
    assert "代扣未到账" in page and "自缴欠缴" in page and reverse("org:dues-import") in page
    only = login("chair").get(reverse("org:arrears") + "?mode=payroll").content.decode()
    assert "代扣者" in only and "自缴者" not in only
    home = login("chair").get(reverse("home")).content.decode()
    figures = home.split('class="figures"')[1].split("</ul>")[0]
    assert "欠缴会费会员" in figures and "代扣未到账会员" in figures


# --- API ------------------------------------------------------------------------------------------


def test_api_sets_and_reads_the_modes(api_client, personas, demo_units):
    unit = demo_units["B2"]
    member = make_member(demo_units["B2-G1"], name="丁")
    client = api_client("branch2")
    response = client.patch(
        f"/api/v1/org/dues/units/{unit.pk}/mode",
        {"dues_mode": "self", "dues_payment_note": "请向第二分工会财务缴纳"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["own_mode"], body["dues_mode"], body["payment_note"]) == (
        "self",
        "self",
        "请向第二分工会财务缴纳",
    )
    got = client.get(f"/api/v1/org/dues/members/{member.pk}/mode").json()
    assert (got["own_mode"], got["dues_mode"]) == ("", "self")
    response = client.patch(
        f"/api/v1/org/dues/members/{member.pk}/mode",
        {"dues_mode": "payroll"},
        content_type="application/json",
    )
    assert response.json()["dues_mode"] == "payroll"
    bad = client.patch(
        f"/api/v1/org/dues/members/{member.pk}/mode",
        {"dues_mode": "cash"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "detail" in bad.json()
    # a sibling branch's cadre: not revealed
    other = api_client("branch1").get(f"/api/v1/org/dues/units/{unit.pk}/mode")
    assert other.status_code == 404
    ledger = client.get(f"/api/v1/org/members/{member.pk}/dues").json()
    assert ledger["dues_mode"] == "payroll" and ledger["unpaid_months"] == 0
    arrears = client.get("/api/v1/org/dues/arrears?mode=self").json()
    assert {"self_pay", "payroll"} <= set(arrears["summary"])
