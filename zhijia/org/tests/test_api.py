"""The members API: shapes, search, pagination, writes, transfers, dues and error statuses."""

import datetime as dt
import json

import pytest

from zhijia.core.models import AuditEvent
from zhijia.org.models import DuesRecord, Member, MemberTransfer, OrgUnit
from zhijia.org.tests.member_factory import make_member, valid_id_number


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


@pytest.fixture
def chair(api_client):
    return api_client("chair")


@pytest.fixture
def branch1(api_client):
    return api_client("branch1")


def new_member(**overrides):
    data = {
        "employee_no": "A0001",
        "name": "上官婉儿",
        "gender": "女",
        "id_number": valid_id_number("F").lower(),
        "org_unit_id": OrgUnit.objects.get(code="B1-G4").pk,
        "phone": "13500001234",
        "employment_type": "劳务派遣",
        "join_date": "2023-04-01",
        "monthly_wage": "6800.00",
    }
    data.update(overrides)
    return data


def test_me_returns_own_record_masked(api_client, personas):
    response = api_client("worker1").get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    member = personas["worker1"].member_record
    assert body["id"] == member.pk and body["employee_no"] == "E0103" and body["name"] == "陈小红"
    assert body["id_number_masked"] == member.id_number_masked
    assert member.get_id_number() not in response.content.decode()
    assert "id_number" not in body
    assert api_client("handler1").get("/api/v1/me").status_code == 404


def test_list_shape_search_and_pagination(chair, personas):
    for i in range(5):
        make_member("B3-G3", name=f"陈{i}号")
    body = chair.get("/api/v1/members?q=chen&per_page=2").json()
    assert set(body) == {"items", "count", "count_exact", "page", "pages", "per_page"}
    assert body["count"] == 6 and body["count_exact"] is True  # 陈小红 too
    assert (body["page"], body["per_page"], body["pages"]) == (1, 2, 3)
    assert len(body["items"]) == 2
    last = chair.get("/api/v1/members?q=chen&per_page=2&page=3").json()
    assert len(last["items"]) == 2 and last["page"] == last["pages"]
    assert chair.get("/api/v1/members?q=chen&page=99").json()["items"] == []
    names = [m["name"] for m in chair.get("/api/v1/members?q=cxh").json()["items"]]
    assert names == ["陈小红"]
    item = chair.get("/api/v1/members?q=E0103").json()["items"][0]
    assert item["employee_no"] == "E0103" and "*" in item["id_number_masked"]
    text = chair.get("/api/v1/members?per_page=200").content.decode()
    for m in Member.objects.all():
        assert m.get_id_number() not in text


def test_list_filters_by_unit_and_status(chair, branch1, personas):
    make_member("B3-G3", name="退休者", status=Member.Status.RETIRED)
    b3 = OrgUnit.objects.get(code="B3")
    body = chair.get(f"/api/v1/org/members?unit_id={b3.pk}&status=retired").json()
    assert [m["name"] for m in body["items"]] == ["退休者"]
    assert chair.get("/api/v1/members?status=bogus").status_code == 400
    # a unit outside the caller's scope is not found
    assert branch1.get(f"/api/v1/org/members?unit_id={b3.pk}").status_code == 404
    assert branch1.get("/api/v1/org/members?unit_id=999999").status_code == 404
    names = {m["name"] for m in branch1.get("/api/v1/members?per_page=200").json()["items"]}
    assert names == {"李春梅", "赵卫东", "陈小红"}


def test_unit_filter_keeps_its_old_name_on_both_paths(chair, branch1):
    """`unit_id` names the unit; `unit`, its name before the API conventions, still works, on
    /api/v1/org/members and on the deprecated alias /api/v1/members."""
    make_member("B3-G3", name="退休者", status=Member.Status.RETIRED)
    b3 = OrgUnit.objects.get(code="B3")
    for path in ("/api/v1/org/members", "/api/v1/members"):
        for name in ("unit_id", "unit"):
            body = chair.get(f"{path}?{name}={b3.pk}&status=retired").json()
            assert [m["name"] for m in body["items"]] == ["退休者"], (path, name)
            assert branch1.get(f"{path}?{name}={b3.pk}").status_code == 404, (path, name)
    # the new name wins when a client sends both
    b1 = OrgUnit.objects.get(code="B1")
    both = chair.get(f"/api/v1/org/members?unit_id={b3.pk}&unit={b1.pk}&status=retired").json()
    assert [m["name"] for m in both["items"]] == ["退休者"]


def test_create_member(branch1, personas):
    response = post(branch1, "/api/v1/members", new_member())
    assert response.status_code == 201, response.content
    body = response.json()
    member = Member.objects.get(pk=body["id"])
    assert member.gender == "F" and member.employment_type == "dispatched"
    assert body["id_number_masked"] == member.id_number_masked
    assert member.get_id_number() not in response.content.decode()
    assert AuditEvent.objects.filter(action="org.create_member", target_id=str(member.pk)).exists()


def test_create_conflicts_are_409(branch1, personas):
    id_number = valid_id_number("F")
    assert post(branch1, "/api/v1/members", new_member(id_number=id_number)).status_code == 201
    response = post(branch1, "/api/v1/members", new_member(id_number=valid_id_number("F")))
    assert response.status_code == 409
    assert "工号 A0001 已被其他会员使用" in response.json()["detail"]
    response = post(
        branch1, "/api/v1/members", new_member(employee_no="A0002", id_number=id_number)
    )
    assert response.status_code == 409
    assert "身份证号" in response.json()["detail"]
    # the digest catches the same number typed differently
    response = post(
        branch1,
        "/api/v1/members",
        new_member(employee_no="A0003", id_number=" " + id_number.lower()),
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"id_number": "110105194912310021"}, 400, "id_number"),
        ({"gender": "男"}, 400, "gender"),
        ({"gender": "X"}, 400, "gender"),
        ({"employment_type": "老板"}, 400, "employment_type"),
        ({"phone": "abc"}, 400, "phone"),
        ({"org_unit_id": 999999}, 404, "org_unit_id"),  # unknown id in a body: 404 naming it
        ({"org_unit_id": 2**70}, 422, "org_unit_id"),  # beyond the id bounds (core.api_types)
        ({"department_id": 999999}, 404, "department_id"),
        ({"join_date": "2021年3月"}, 422, None),
        ({"monthly_wage": "-5"}, 422, None),
        ({"monthly_wage": "lots"}, 422, None),
        ({"name": None}, 422, None),
        ({"employee_no": "x" * 65}, 422, None),
    ],
)
def test_create_bad_input_never_500(branch1, personas, overrides, status, field):
    response = post(branch1, "/api/v1/members", new_member(**overrides))
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    if field:
        assert field in body["errors"]
    assert not Member.objects.filter(employee_no="A0001").exists()


def test_malformed_json_and_wrong_types(branch1, personas):
    response = branch1.post("/api/v1/members", "{not json", content_type="application/json")
    assert response.status_code in (400, 422) and "detail" in response.json()
    response = post(branch1, "/api/v1/members", [1, 2, 3])
    assert response.status_code == 422
    w1 = personas["worker1"].member_record
    assert patch(branch1, f"/api/v1/members/{w1.pk}", {"join_date": 5}).status_code == 422


def test_control_characters_are_cleaned_not_500(branch1, personas):
    response = post(branch1, "/api/v1/members", new_member(name="上官\x00婉儿", job="a\x00b"))
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "上官 婉儿"
    member_id = response.json()["id"]
    response = post(
        branch1,
        f"/api/v1/members/{member_id}/transfer",
        {"to_unit_id": None, "effective_date": "2024-01-01", "reason": "离职\x00"},
    )
    assert response.status_code == 201 and response.json()["reason"] == "离职"


def test_create_outside_scope_is_403(api_client, personas):
    b2 = OrgUnit.objects.get(code="B2-G1").pk
    response = post(api_client("branch1"), "/api/v1/members", new_member(org_unit_id=b2))
    assert response.status_code == 403
    response = post(api_client("admin"), "/api/v1/members", new_member())
    assert response.status_code == 403


def test_patch_member(branch1, personas):
    w1 = personas["worker1"].member_record
    old_id = w1.get_id_number()
    response = patch(branch1, f"/api/v1/members/{w1.pk}", {"job": "值长", "phone": "13511112222"})
    assert response.status_code == 200
    assert response.json()["job"] == "值长" and response.json()["phone"] == "13511112222"
    new_id = valid_id_number("F")
    response = patch(branch1, f"/api/v1/members/{w1.pk}", {"id_number": new_id})
    assert response.status_code == 200
    w1.refresh_from_db()
    assert w1.get_id_number() == new_id
    events = AuditEvent.objects.filter(action="org.update_member").order_by("seq")
    assert [e.data["fields"] for e in events] == [["job", "phone"], ["id_number"]]
    dumped = json.dumps([e.data for e in events], ensure_ascii=False)
    assert old_id not in dumped and new_id not in dumped
    # conflicts and invalid values
    response = patch(branch1, f"/api/v1/members/{w1.pk}", {"employee_no": "E0102"})
    assert response.status_code == 409
    response = patch(branch1, f"/api/v1/members/{w1.pk}", {"gender": "M"})
    assert response.status_code == 400 and "gender" in response.json()["errors"]
    response = patch(branch1, f"/api/v1/members/{w1.pk}", {"department_id": None})
    assert response.status_code == 200 and response.json()["department_id"] is None


def test_patch_and_transfer_out_of_scope_are_404(branch1, api_client, personas):
    w2 = personas["worker2"].member_record
    assert patch(branch1, f"/api/v1/members/{w2.pk}", {"job": "x"}).status_code == 404
    b1g1 = OrgUnit.objects.get(code="B1-G1").pk
    response = post(
        branch1,
        f"/api/v1/members/{w2.pk}/transfer",
        {"to_unit_id": b1g1, "effective_date": "2024-01-01"},
    )
    assert response.status_code == 404
    w2.refresh_from_db()
    assert w2.org_unit.code == "B2-G1" and w2.job == "职工"
    assert branch1.get(f"/api/v1/members/{w2.pk}/dues").status_code == 404
    assert branch1.get(f"/api/v1/members/{w2.pk}/transfers").status_code == 404


def test_transfer(api_client, branch1, personas):
    w1 = personas["worker1"].member_record
    b1g3 = OrgUnit.objects.get(code="B1-G3")
    response = post(
        branch1,
        f"/api/v1/members/{w1.pk}/transfer",
        {"to_unit_id": b1g3.pk, "effective_date": "2024-05-01", "reason": "轮岗"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_unit_name"], body["to_unit_name"]) == ("发电一班组", "检修班组")
    # into a sibling branch: only a cadre above both may do it
    b2g1 = OrgUnit.objects.get(code="B2-G1").pk
    payload = {"to_unit_id": b2g1, "effective_date": "2024-06-01"}
    assert post(branch1, f"/api/v1/members/{w1.pk}/transfer", payload).status_code == 403
    chair = api_client("chair")
    assert post(chair, f"/api/v1/members/{w1.pk}/transfer", payload).status_code == 201
    history = chair.get(f"/api/v1/members/{w1.pk}/transfers").json()["items"]
    assert [(t["from_unit_name"], t["to_unit_name"]) for t in history] == [
        ("检修班组", "输配电班组"),
        ("发电一班组", "检修班组"),
    ]
    # out of the union
    response = post(chair, f"/api/v1/members/{w1.pk}/transfer", {"effective_date": "2024-07-01"})
    assert response.status_code == 201 and response.json()["to_unit_id"] is None
    assert chair.get(f"/api/v1/members/{w1.pk}").json()["status"] == "transferred_out"
    # again: a member already out cannot be moved
    response = post(chair, f"/api/v1/members/{w1.pk}/transfer", {"effective_date": "2024-08-01"})
    assert response.status_code == 400
    assert MemberTransfer.objects.filter(member=w1).count() == 3
    # bad input
    assert post(chair, f"/api/v1/members/{w1.pk}/transfer", {}).status_code == 422
    response = post(
        chair,
        f"/api/v1/members/{w1.pk}/transfer",
        {"to_unit_id": 424242, "effective_date": "2024-08-01"},
    )
    assert response.status_code == 404 and "to_unit_id" in response.json()["errors"]


def test_dues(api_client, personas):
    w1 = personas["worker1"].member_record
    DuesRecord.objects.create(
        member=w1, month=dt.date(2024, 2, 1), wage_income="5679.99", amount="28.35"
    )
    DuesRecord.objects.create(
        member=w1,
        month=dt.date(2024, 3, 1),
        wage_income="5679.99",
        amount="28.35",
        paid_at=dt.datetime(2024, 3, 10, tzinfo=dt.UTC),
    )
    body = api_client("worker1").get(f"/api/v1/members/{w1.pk}/dues").json()
    assert [(i["month"], i["amount"], i["paid"]) for i in body["items"]] == [
        ("2024-03", "28.35", True),
        ("2024-02", "28.35", False),
    ]
    assert (body["amount_due"], body["amount_paid"], body["amount_unpaid"]) == (
        "56.70",
        "28.35",
        "28.35",
    )
    assert api_client("branch1").get(f"/api/v1/members/{w1.pk}/dues?year=2024").status_code == 200
    assert api_client("branch1").get(f"/api/v1/members/{w1.pk}/dues?year=1").status_code == 422
    assert api_client("admin").get(f"/api/v1/members/{w1.pk}/dues").status_code == 403
    assert api_client("rep1").get(f"/api/v1/members/{w1.pk}/dues").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/members/0",
        "/api/v1/members/-1",
        "/api/v1/members/99999999",
        "/api/v1/members/99999999999999999999999",
        "/api/v1/members/abc",
        "/api/v1/members?page=0",
        "/api/v1/members?page=abc",
        "/api/v1/members?per_page=100000",
        "/api/v1/members?unit=abc",
        "/api/v1/members?unit=99999999999999999999999",
        "/api/v1/org/members?unit_id=abc",
        "/api/v1/org/members?unit_id=99999999999999999999999",
        "/api/v1/members?q=" + "x" * 500,
        "/api/v1/members?q=%00%ff",
        "/api/v1/members?q=chen%00",
        "/api/v1/members?status=%00",
    ],
)
def test_junk_never_500(chair, path):
    response = chair.get(path)
    assert response.status_code in (200, 400, 404, 422), (path, response.status_code)
    assert response.status_code != 500


def test_unauthenticated_is_401(client, personas):
    response = client.get("/api/v1/members")
    assert response.status_code == 401 and "detail" in response.json()


def test_openapi_lists_the_member_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/transfer",
        "/api/v1/members/{member_id}/dues",
    ]:
        assert path in paths
