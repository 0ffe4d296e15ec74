"""The dues API under /api/v1/org/dues: a month's records, generating a month, recording
payments, arrears; with the personas' scopes (worker 403, branch chair 404 outside)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from zhijia.core.models import AuditEvent
from zhijia.org.models import DuesRecord, Member, OrgUnit
from zhijia.org.tests.member_factory import make_member

MARCH = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2025, 4, 15, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def staff(personas):
    """Two members in 第一分工会 (branch1's scope) and one in 第二分工会."""
    return {
        "a": make_member("B1-G2", name="甲", wage="5679.99"),
        "b": make_member("B1-G3", name="乙", wage="8000"),
        "other": make_member("B2-G1", name="丙", wage="6000"),
    }


def generate(client, **body):
    return post(client, "/api/v1/org/dues/generate", {"month": "2025-03", **body})


def test_branch_chair_generates_their_branch_by_default(api_client, staff):
    branch1 = api_client("branch1")
    response = generate(branch1)
    assert response.status_code == 200, response.content
    body = response.json()
    b1 = OrgUnit.objects.get(code="B1")
    assert (body["unit_id"], body["unit_name"], body["month"]) == (b1.pk, b1.name, "2025-03")
    assert body["created"] >= 2 and body["existing"] == 0
    months = DuesRecord.objects.filter(month=MARCH)
    assert months.filter(member=staff["a"]).exists() and months.filter(member=staff["b"]).exists()
    assert not months.filter(member=staff["other"]).exists()
    again = generate(branch1).json()
    assert (again["created"], again["existing"]) == (0, body["created"])
    assert AuditEvent.objects.filter(action="org.generate_dues").count() == 2


def test_generate_one_unit_and_the_chair_everywhere(api_client, staff):
    g2 = OrgUnit.objects.get(code="B1-G2")
    body = generate(api_client("branch1"), unit_id=g2.pk).json()
    assert body["unit_id"] == g2.pk and body["created"] == 1
    assert DuesRecord.objects.filter(month=MARCH).count() == 1
    chair = generate(api_client("chair")).json()
    assert chair["unit_id"] == OrgUnit.objects.get(code="U").pk
    assert DuesRecord.objects.filter(member=staff["other"], month=MARCH).exists()


def test_generate_permissions_and_scope(api_client, staff):
    # A worker and the system administrator do not manage dues: 403.
    for username in ("worker1", "admin", "rep1"):
        response = generate(api_client(username))
        assert response.status_code == 403, username
        assert response.json()["detail"] == "无权执行此操作"
    # A branch chair names another branch's unit, or a unit that does not exist: 404.
    branch1 = api_client("branch1")
    for unit_id in (OrgUnit.objects.get(code="B2").pk, OrgUnit.objects.get(code="U").pk, 987654):
        response = generate(branch1, unit_id=unit_id)
        assert response.status_code == 404 and response.json()["detail"] == "未找到"
    assert not DuesRecord.objects.exists()


def test_generate_bad_input(api_client, staff):
    chair = api_client("chair")
    response = post(chair, "/api/v1/org/dues/generate", {"month": "三月"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "月份格式应为 2024-03",
        "errors": {"month": ["月份格式应为 2024-03"]},
    }
    response = post(chair, "/api/v1/org/dues/generate", {"month": "2025-05"})
    assert response.status_code == 400 and "month" in response.json()["errors"]  # the future
    assert post(chair, "/api/v1/org/dues/generate", {}).status_code == 422
    assert (
        post(chair, "/api/v1/org/dues/generate", {"month": "2025-03", "unit_id": "x"}).status_code
        == 422
    )
    assert not DuesRecord.objects.exists()


def test_pay_marks_the_month_paid_and_is_idempotent(api_client, staff):
    branch1 = api_client("branch1")
    generate(branch1)
    a, b = staff["a"], staff["b"]
    response = post(
        branch1, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": [a.pk, b.pk, a.pk]}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"month": "2025-03", "paid": 2, "amount": "68.35", "already_paid": []}
    assert not DuesRecord.objects.filter(member__in=[a, b], paid_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="org.record_dues_payment")
    assert event.data["count"] == 2 and event.data["amount"] == "68.35"
    again = post(branch1, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": [b.pk]})
    assert again.json() == {"month": "2025-03", "paid": 0, "amount": "0.00", "already_paid": [b.pk]}
    # The member sees it in their own ledger (the existing endpoint).
    a_ledger = api_client("chair").get(f"/api/v1/members/{a.pk}/dues").json()
    assert a_ledger["items"][0]["paid"] is True


def test_pay_refusals_write_nothing(api_client, staff):
    branch1 = api_client("branch1")
    generate(branch1, unit_id=OrgUnit.objects.get(code="B1-G2").pk)  # only 甲 has March
    a, b, other = staff["a"], staff["b"], staff["other"]
    # 乙 has no March record: 409, and 甲 stays unpaid.
    response = post(
        branch1, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": [a.pk, b.pk]}
    )
    assert response.status_code == 409
    assert "乙" in response.json()["detail"] and "2025-03" in response.json()["detail"]
    # A member of another branch, or no such member: 404.
    for ids in ([a.pk, other.pk], [a.pk, 99999999]):
        response = post(branch1, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": ids})
        assert response.status_code == 404, ids
    assert (
        post(
            api_client("worker1"),
            "/api/v1/org/dues/pay",
            {"month": "2025-03", "member_ids": [a.pk]},
        ).status_code
        == 403
    )
    for body in (
        {"month": "2025-03", "member_ids": []},
        {"month": "2025-03"},
        {"month": "2025-03", "member_ids": ["x"]},
        {"month": "2025-03", "member_ids": list(range(1, 1002))},
    ):
        assert post(branch1, "/api/v1/org/dues/pay", body).status_code == 422, body
    response = post(branch1, "/api/v1/org/dues/pay", {"month": "2025-13", "member_ids": [a.pk]})
    assert response.status_code == 400
    assert not DuesRecord.objects.filter(paid_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="org.record_dues_payment").exists()


def test_month_list_with_summary_state_and_scope(api_client, staff):
    chair = api_client("chair")
    generate(chair)
    post(chair, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": [staff["a"].pk]})
    branch1 = api_client("branch1")
    body = branch1.get("/api/v1/org/dues?month=2025-03").json()
    names = {i["name"] for i in body["items"]}
    assert {"甲", "乙"} <= names and "丙" not in names
    assert body["month"] == "2025-03" and body["unit_id"] is None
    assert body["summary"]["paid"] == 1 and body["summary"]["records"] == body["count"]
    item = next(i for i in body["items"] if i["name"] == "甲")
    assert (item["member_id"], item["amount"], item["paid"]) == (staff["a"].pk, "28.35", True)
    assert item["org_unit_name"] == OrgUnit.objects.get(code="B1-G2").name
    unpaid = branch1.get("/api/v1/org/dues?month=2025-03&state=unpaid").json()
    assert "甲" not in {i["name"] for i in unpaid["items"]} and unpaid["items"]
    g3 = OrgUnit.objects.get(code="B1-G3").pk
    one = branch1.get(f"/api/v1/org/dues?month=2025-03&unit_id={g3}&per_page=1").json()
    assert [i["name"] for i in one["items"]] == ["乙"] and one["unit_id"] == g3
    assert branch1.get("/api/v1/org/dues").json()["month"] == "2025-04"  # this month
    b2 = OrgUnit.objects.get(code="B2").pk
    assert branch1.get(f"/api/v1/org/dues?unit_id={b2}").status_code == 404
    # `unit`, the parameter's name before the API conventions, still works
    old = branch1.get(f"/api/v1/org/dues?month=2025-03&unit={g3}&per_page=1").json()
    assert old["unit_id"] == g3 and old["items"] == one["items"]
    assert branch1.get(f"/api/v1/org/dues?unit={b2}").status_code == 404
    assert branch1.get("/api/v1/org/dues?state=owing").status_code == 400
    assert branch1.get("/api/v1/org/dues?month=xx").status_code == 400
    assert api_client("worker1").get("/api/v1/org/dues").status_code == 403


def test_arrears_list(api_client, staff):
    chair = api_client("chair")
    generate(chair)
    post(chair, "/api/v1/org/dues/generate", {"month": "2025-04"})
    post(chair, "/api/v1/org/dues/pay", {"month": "2025-03", "member_ids": [staff["a"].pk]})
    body = api_client("branch1").get("/api/v1/org/dues/arrears?per_page=200").json()
    rows = {i["name"]: i for i in body["items"]}
    assert "丙" not in rows  # another branch
    assert (rows["乙"]["unpaid_months"], rows["乙"]["unpaid_total"]) == (2, "80.00")
    assert (rows["甲"]["unpaid_months"], rows["甲"]["unpaid_total"]) == (1, "28.35")
    assert rows["甲"]["member_id"] == staff["a"].pk
    assert body["summary"]["members"] == body["count"] == len(body["items"])
    until = api_client("branch1").get("/api/v1/org/dues/arrears?until=2025-03").json()
    assert {i["name"] for i in until["items"]} >= {"乙"} and "甲" not in {
        i["name"] for i in until["items"]
    }
    paged = api_client("branch1").get("/api/v1/org/dues/arrears?per_page=1").json()
    assert len(paged["items"]) == 1 and paged["pages"] > 1
    totals = [Decimal(i["unpaid_total"]) for i in body["items"]]
    assert totals == sorted(totals, reverse=True)  # largest debt first
    assert paged["items"][0]["member_id"] == body["items"][0]["member_id"]
    b2 = OrgUnit.objects.get(code="B2").pk
    assert api_client("branch1").get(f"/api/v1/org/dues/arrears?unit_id={b2}").status_code == 404
    everyone = chair.get(f"/api/v1/org/dues/arrears?unit_id={b2}").json()
    old = chair.get(f"/api/v1/org/dues/arrears?unit={b2}").json()  # the old name still works
    assert old["items"] == everyone["items"]
    assert "丙" in {i["name"] for i in everyone["items"]}
    b2_units = set(
        OrgUnit.objects.filter(path__startswith=OrgUnit.objects.get(pk=b2).path).values_list(
            "pk", flat=True
        )
    )
    assert {i["org_unit_id"] for i in everyone["items"]} <= b2_units
    assert api_client("worker1").get("/api/v1/org/dues/arrears").status_code == 403
    assert chair.get("/api/v1/org/dues/arrears?until=soon").status_code == 400
    assert chair.get("/api/v1/org/dues/arrears?page=0").status_code == 422


def test_existing_paths_still_answer(api_client, personas):
    chair = api_client("chair")
    assert chair.get("/api/v1/members").status_code == 200
    assert api_client("worker1").get("/api/v1/me").status_code == 200
    member = Member.objects.get(employee_no="E0103")
    assert chair.get(f"/api/v1/members/{member.pk}/dues").status_code == 200


def test_openapi_lists_the_dues_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/org/dues",
        "/api/v1/org/dues/generate",
        "/api/v1/org/dues/pay",
        "/api/v1/org/dues/arrears",
        "/api/v1/me",
        "/api/v1/members/{member_id}/dues",
    ]:
        assert path in paths, path


def test_amounts_are_decimal_strings(api_client, staff):
    chair = api_client("chair")
    generate(chair)
    body = chair.get("/api/v1/org/dues?month=2025-03&per_page=200").json()
    for item in body["items"]:
        assert Decimal(item["amount"]) >= 0 and isinstance(item["amount"], str)
