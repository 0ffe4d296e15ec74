"""Enterprise departments kept by the union committee: who may, create, edit (name and default
union unit), move, merge, close, history, audit and the list endpoint."""

import pytest

from zhijia.core.models import AuditEvent
from zhijia.core.tests.testapp.models import Ticket
from zhijia.org.models import Department, Member, OrgChange, OrgUnit
from zhijia.org.queries.units import can_manage_departments
from zhijia.org.tests.member_factory import make_member


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def dept(code: str) -> Department:
    return Department.objects.get(code=code)


@pytest.fixture
def chair(api_client):
    return api_client("chair")


def test_who_manages_departments(personas):
    assert can_manage_departments(personas["chair"])
    assert can_manage_departments(personas["admin"])
    for name in ("branch1", "branch2", "worker1", "handler1", "rep1", "mediator1"):
        assert not can_manage_departments(personas[name]), name


def test_branch_and_worker_get_403_on_department_writes(api_client):
    hr = dept("D-HR")
    for name in ("branch1", "worker1", "handler1"):
        client = api_client(name)
        assert post(client, "/api/v1/org/departments", {"name": "新部门"}).status_code == 403
        assert (
            patch(client, f"/api/v1/org/departments/{hr.pk}", {"name": "人事部"}).status_code == 403
        )
        assert post(client, f"/api/v1/org/departments/{hr.pk}/close").status_code == 403
    assert dept("D-HR").name == "人力资源部"


def test_create_child_with_generated_code_and_default_unit(chair, personas):
    prod = dept("D-PROD")
    g1 = OrgUnit.objects.get(code="B1-G1")
    response = post(
        chair,
        "/api/v1/org/departments",
        {"name": "发电车间", "parent_id": prod.pk, "default_org_unit_id": g1.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "D-PROD-1" and body["default_org_unit_name"] == "发电一班组"
    created = Department.objects.get(pk=body["id"])
    assert created.path == f"{prod.path}{created.pk}/"
    assert OrgChange.objects.get(department=created).action == "create"
    assert AuditEvent.objects.filter(
        action="org.create_department", target_id=str(created.pk)
    ).exists()
    assert (
        post(
            chair, "/api/v1/org/departments", {"name": "发电车间", "parent_id": prod.pk}
        ).status_code
        == 409
    )
    top = post(chair, "/api/v1/org/departments", {"name": "纪检监察室"})
    assert top.status_code == 201 and top.json()["code"] == "D-1"
    unknown = post(chair, "/api/v1/org/departments", {"name": "x", "default_org_unit_id": 999999})
    assert unknown.status_code == 404


def test_update_name_and_default_unit_with_history(chair):
    hr = dept("D-HR")
    b3 = OrgUnit.objects.get(code="B3")
    response = patch(
        chair,
        f"/api/v1/org/departments/{hr.pk}",
        {"name": "人力资源中心", "default_org_unit_id": b3.pk},
    )
    assert response.status_code == 200, response.content
    hr.refresh_from_db()
    assert hr.name == "人力资源中心" and hr.default_org_unit_id == b3.pk
    actions = set(OrgChange.objects.filter(department=hr).values_list("action", flat=True))
    assert actions == {"rename", "update"}
    cleared = patch(chair, f"/api/v1/org/departments/{hr.pk}", {"default_org_unit_id": None})
    assert cleared.status_code == 200 and cleared.json()["default_org_unit_id"] is None
    assert dept("D-HR").name == "人力资源中心"  # untouched when not sent
    history = chair.get(f"/api/v1/org/departments/{hr.pk}/history").json()["items"]
    assert [h["action"] for h in history][:1] == ["update"]


def test_move_under_itself_refused_and_subtree_paths(chair):
    prod, equip = dept("D-PROD"), dept("D-EQUIP")
    child = post(chair, "/api/v1/org/departments", {"name": "车间", "parent_id": prod.pk}).json()
    grandchild = post(
        chair, "/api/v1/org/departments", {"name": "班", "parent_id": child["id"]}
    ).json()
    assert (
        post(
            chair, f"/api/v1/org/departments/{prod.pk}/move", {"parent_id": grandchild["id"]}
        ).status_code
        == 400
    )
    assert (
        post(chair, f"/api/v1/org/departments/{prod.pk}/move", {"parent_id": prod.pk}).status_code
        == 400
    )
    assert (
        post(chair, f"/api/v1/org/departments/{prod.pk}/move", {"parent_id": equip.pk}).status_code
        == 200
    )
    prod.refresh_from_db()
    assert prod.path == f"{equip.path}{prod.pk}/"
    g = Department.objects.get(pk=grandchild["id"])
    assert g.path == f"{equip.path}{prod.pk}/{child['id']}/{g.pk}/"
    assert list(g.ancestors()) == [equip, prod, Department.objects.get(pk=child["id"])]
    assert OrgChange.objects.filter(department=prod, action="move").exists()


def test_merge_moves_members_and_records_then_closes(chair, personas):
    fin, hr = dept("D-FIN"), dept("D-HR")
    member = make_member("B2-G2", name="财务会员", department=fin)
    ticket = Ticket.objects.create(
        title="工单", org_unit=OrgUnit.objects.get(code="B2"), department=fin
    )
    response = post(chair, f"/api/v1/org/departments/{fin.pk}/merge", {"target_id": hr.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["records_moved"]["org.member.department"] == 1
    member.refresh_from_db()
    ticket.refresh_from_db()
    assert member.department_id == hr.pk and ticket.department_id == hr.pk
    fin.refresh_from_db()
    assert fin.closed_at is not None
    assert OrgChange.objects.filter(department=fin, action="merge_out").exists()
    assert AuditEvent.objects.filter(action="org.merge_department", target_id=str(fin.pk)).exists()
    # The handler of 人力资源部 keeps that scope; nobody's role was touched.
    assert body["role_assignments_left"] == 0


def test_close_refused_with_active_members(chair):
    prod = dept("D-PROD")
    refused = post(chair, f"/api/v1/org/departments/{prod.pk}/close")
    assert refused.status_code == 409 and "在册会员" in refused.json()["detail"]
    sales = dept("D-SALES")
    Member.objects.filter(department=sales, status="active").update(status="retired")
    closed = post(chair, f"/api/v1/org/departments/{sales.pk}/close")
    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert post(chair, f"/api/v1/org/departments/{sales.pk}/close").status_code == 409
    assert AuditEvent.objects.filter(action="org.close_department").count() == 1


def test_list_for_any_signed_in_user_hides_closed(api_client, chair):
    worker = api_client("worker1")
    body = worker.get("/api/v1/org/departments").json()
    assert body["count"] == 7 and {d["code"] for d in body["items"]} >= {"D-HR", "D-PROD"}
    sales = dept("D-SALES")
    Member.objects.filter(department=sales).update(department=None)
    assert post(chair, f"/api/v1/org/departments/{sales.pk}/close").status_code == 200
    codes = {d["code"] for d in worker.get("/api/v1/org/departments").json()["items"]}
    assert "D-SALES" not in codes
    all_codes = {
        d["code"] for d in worker.get("/api/v1/org/departments?include_closed=true").json()["items"]
    }
    assert "D-SALES" in all_codes
    assert worker.get("/api/v1/org/departments?q=人力").json()["items"][0]["code"] == "D-HR"
    assert worker.get("/api/v1/org/departments?parent_id=999999").status_code == 404
    assert worker.get(f"/api/v1/org/departments/{sales.pk}/history").status_code == 403


def test_department_pages(login):
    chair = login("chair")
    page = chair.get("/org/departments/")
    assert page.status_code == 200 and "人力资源部" in page.content.decode()
    assert "/org/departments/new/" in page.content.decode()
    response = chair.post("/org/departments/new/", {"name": "工程部", "parent": "", "code": ""})
    assert response.status_code == 302
    created = Department.objects.get(name="工程部")
    b1 = OrgUnit.objects.get(code="B1")
    edit = chair.post(
        f"/org/departments/{created.pk}/edit/", {"name": "工程管理部", "default_org_unit": b1.pk}
    )
    assert edit.status_code == 302
    detail = chair.get(f"/org/departments/{created.pk}/").content.decode()
    assert "工程管理部" in detail and "第一分工会" in detail and "工程部 → 工程管理部" in detail
    refused = chair.post(f"/org/departments/{dept('D-PROD').pk}/close/", {})
    assert refused.status_code == 409
    # A branch chair reads the list, without the buttons; writes are refused.
    branch = login("branch1")
    listing = branch.get("/org/departments/").content.decode()
    assert "人力资源部" in listing and "/org/departments/new/" not in listing
    assert branch.get("/org/departments/new/").status_code == 403
    assert branch.get(f"/org/departments/{created.pk}/edit/").status_code == 403
    assert login("worker1").get("/org/departments/").status_code == 403
