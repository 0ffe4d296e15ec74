"""The union tree kept by cadres: create, rename, move, merge, close, with scope, history,
audit, the path of every moved subtree and the list endpoints of /api/v1/org/."""

import pytest

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.core.models import AuditEvent, SearchEntry
from zhijia.core.tests.testapp.models import Ticket
from zhijia.org.actions import units as actions_units
from zhijia.org.actions.tree import OrgTreeError
from zhijia.org.models import Department, Member, MemberTransfer, OrgChange, OrgUnit
from zhijia.org.tests.member_factory import make_member


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def expected_path(u: OrgUnit) -> str:
    ids = []
    node: OrgUnit | None = u
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return "/" + "".join(f"{pk}/" for pk in reversed(ids))


def assert_paths_consistent() -> None:
    for u in OrgUnit.objects.select_related("parent"):
        assert u.path == expected_path(u), u.code


@pytest.fixture
def branch1(api_client):
    return api_client("branch1")


@pytest.fixture
def chair(api_client):
    return api_client("chair")


# --- create and rename ------------------------------------------------------------------------


def test_branch_cadre_creates_a_group_with_generated_code(branch1, personas):
    b1 = unit("B1")
    response = post(branch1, "/api/v1/org/units", {"name": "新能源班组", "parent_id": b1.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "group" and body["parent_id"] == b1.pk
    assert body["code"] == "B1-G5"  # B1-G1..4 exist
    created = OrgUnit.objects.get(pk=body["id"])
    assert created.path == f"{b1.path}{created.pk}/"
    change = OrgChange.objects.get(org_unit=created)
    assert change.action == "create" and change.new_parent == "第一分工会"
    assert change.actor == personas["branch1"]
    event = AuditEvent.objects.filter(action="org.create_unit").latest("seq")
    assert event.target_id == str(created.pk) and event.actor_id == personas["branch1"].pk


def test_names_unique_among_open_siblings_and_codes_unique(branch1):
    b1 = unit("B1")
    clash = post(branch1, "/api/v1/org/units", {"name": " 检修班组 ", "parent_id": b1.pk})
    assert clash.status_code == 409
    assert "检修班组" in clash.json()["detail"]
    taken = post(branch1, "/api/v1/org/units", {"name": "甲", "parent_id": b1.pk, "code": "b2"})
    assert taken.status_code == 409
    # The same name under another branch is fine (for whoever manages that branch).
    assert not OrgUnit.objects.filter(name="甲").exists()


def test_group_cannot_have_children_and_kinds_follow_the_tree(branch1, chair):
    g1 = unit("B1-G1")
    response = post(branch1, "/api/v1/org/units", {"name": "子小组", "parent_id": g1.pk})
    assert response.status_code == 400
    wrong = post(
        chair, "/api/v1/org/units", {"name": "x", "parent_id": unit("U").pk, "kind": "group"}
    )
    assert wrong.status_code == 400


def test_scope_branch1_gets_404_on_branch2_and_worker_403(branch1, api_client):
    b2 = unit("B2")
    assert post(branch1, "/api/v1/org/units", {"name": "甲", "parent_id": b2.pk}).status_code == 404
    assert patch(branch1, f"/api/v1/org/units/{b2.pk}", {"name": "乙"}).status_code == 404
    assert post(branch1, f"/api/v1/org/units/{unit('B2-G1').pk}/close").status_code == 404
    assert patch(branch1, "/api/v1/org/units/999999", {"name": "乙"}).status_code == 404
    worker = api_client("worker1")
    assert patch(worker, f"/api/v1/org/units/{unit('B1-G1').pk}", {"name": "乙"}).status_code == 403
    assert (
        post(worker, "/api/v1/org/units", {"name": "甲", "parent_id": unit("B1").pk}).status_code
        == 403
    )
    assert unit("B2").name == "第二分工会"


def test_rename_records_history_and_audit(branch1, personas):
    g2 = unit("B1-G2")
    response = patch(branch1, f"/api/v1/org/units/{g2.pk}", {"name": "发电二班"})
    assert response.status_code == 200 and response.json()["name"] == "发电二班"
    change = OrgChange.objects.get(org_unit=g2, action="rename")
    assert (change.old_name, change.new_name) == ("发电二班组", "发电二班")
    event = AuditEvent.objects.filter(action="org.rename_unit").latest("seq")
    assert event.data == {"name": ["发电二班组", "发电二班"]}
    history = branch1.get(f"/api/v1/org/units/{g2.pk}/history").json()["items"]
    assert history[0]["action"] == "rename" and history[0]["actor"] == "李春梅"
    # The branch chair may rename the branch itself (a local correction)...
    assert (
        patch(
            branch1, f"/api/v1/org/units/{unit('B1').pk}", {"name": "第一分工会（发电）"}
        ).status_code
        == 200
    )


# --- move ---------------------------------------------------------------------------------------


def test_chair_moves_a_group_with_path_rewritten_everywhere(chair, demo_units):
    g1 = unit("B1-G1")
    b2 = unit("B2")
    old_path = g1.path
    SearchEntry.objects.create(
        target_type="x.y",
        target_id="1",
        unit_path=old_path,
        title="t",
        updated_at="2026-01-01T00:00Z",
    )
    members_there = SearchEntry.objects.filter(target_type="org.member", unit_path=old_path)
    indexed = set(members_there.values_list("target_id", flat=True))
    assert indexed  # the demo's members of the group are indexed
    response = post(chair, f"/api/v1/org/units/{g1.pk}/move", {"parent_id": b2.pk})
    assert response.status_code == 200, response.content
    g1.refresh_from_db()
    assert g1.parent_id == b2.pk and g1.path == f"{b2.path}{g1.pk}/"
    assert SearchEntry.objects.get(target_type="x.y", target_id="1").unit_path == g1.path
    # The members' own search entries followed their group.
    assert not members_there.exists()
    moved = SearchEntry.objects.filter(target_type="org.member", target_id__in=indexed)
    assert {e.unit_path for e in moved} == {g1.path}
    assert_paths_consistent()
    change = OrgChange.objects.get(org_unit=g1, action="move")
    assert (change.old_parent, change.new_parent) == ("第一分工会", "第二分工会")
    assert AuditEvent.objects.filter(action="org.move_unit", target_id=str(g1.pk)).exists()


def test_moving_a_branch_moves_its_whole_subtree(admin_client_api):
    # A second committee, then the branch B3 and its four groups move under it.
    api = admin_client_api
    new_root = post(api, "/api/v1/org/units", {"name": "二级工会委员会"})
    assert new_root.status_code == 201, new_root.content
    root2 = OrgUnit.objects.get(pk=new_root.json()["id"])
    b3 = unit("B3")
    assert post(api, f"/api/v1/org/units/{b3.pk}/move", {"parent_id": root2.pk}).status_code == 200
    b3.refresh_from_db()
    assert b3.path == f"/{root2.pk}/{b3.pk}/"
    for group in OrgUnit.objects.filter(parent=b3):
        assert group.path == f"{b3.path}{group.pk}/"
    assert_paths_consistent()
    assert list(unit("B3-G1").ancestors()) == [root2, b3]
    assert set(b3.descendants().values_list("code", flat=True)) == {f"B3-G{i}" for i in range(1, 5)}


def test_move_refusals(chair, branch1):
    b1, g1 = unit("B1"), unit("B1-G1")
    # A branch under one of its own groups, or under itself.
    assert post(chair, f"/api/v1/org/units/{b1.pk}/move", {"parent_id": g1.pk}).status_code == 400
    assert post(chair, f"/api/v1/org/units/{b1.pk}/move", {"parent_id": b1.pk}).status_code == 400
    # A group under a group (groups have no children), a group under the committee.
    g2 = unit("B1-G2")
    assert post(chair, f"/api/v1/org/units/{g1.pk}/move", {"parent_id": g2.pk}).status_code == 400
    assert (
        post(chair, f"/api/v1/org/units/{g1.pk}/move", {"parent_id": unit("U").pk}).status_code
        == 400
    )
    # branch1 cannot move a group to branch2 (outside the scope: 404 on the id in the body).
    assert (
        post(branch1, f"/api/v1/org/units/{g1.pk}/move", {"parent_id": unit("B2").pk}).status_code
        == 404
    )
    # Nor move the branch itself (its place is the committee's business): 403.
    with pytest.raises(OrgTreeError) as exc:
        actions_units.do_move_unit(actor=user("branch1"), unit=b1, new_parent=unit("U"))
    assert exc.value.status == 403
    assert_paths_consistent()


def user(username: str):
    return User.objects.get(username=username)


def test_branch_cadre_cannot_close_or_merge_own_branch(branch1):
    b1 = unit("B1")
    assert post(branch1, f"/api/v1/org/units/{b1.pk}/close").status_code == 403
    assert (
        post(branch1, f"/api/v1/org/units/{b1.pk}/merge", {"target_id": b1.pk}).status_code == 403
    )


# --- merge --------------------------------------------------------------------------------------


def test_merge_moves_members_with_history_and_records(branch1, personas):
    g1, g2 = unit("B1-G1"), unit("B1-G2")
    extra = make_member(g1, name="合并会员")
    retired = make_member(g1, name="退休会员", status=Member.Status.RETIRED)
    active_ids = set(
        Member.objects.filter(org_unit=g1, status="active").values_list("pk", flat=True)
    )
    assert extra.pk in active_ids and len(active_ids) >= 3  # rep1, worker1, extra
    hr = Department.objects.get(code="D-HR")
    ticket = Ticket.objects.create(title="工单", org_unit=g1, department=hr)
    SearchEntry.objects.create(
        target_type="x.y",
        target_id="2",
        unit_path=g1.path,
        title="t",
        updated_at="2026-01-01T00:00Z",
    )

    response = post(branch1, f"/api/v1/org/units/{g1.pk}/merge", {"target_id": g2.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["members_moved"] == len(active_ids)
    assert body["records_moved"].get("core_testapp.ticket.org_unit") == 1

    for pk in active_ids:
        member = Member.objects.get(pk=pk)
        assert member.org_unit_id == g2.pk
        transfer = MemberTransfer.objects.get(member=member)
        assert (transfer.from_unit_id, transfer.to_unit_id) == (g1.pk, g2.pk)
        assert transfer.reason == "合并" and transfer.actor == personas["branch1"]
    retired.refresh_from_db()
    assert retired.org_unit_id == g1.pk  # a former member keeps the unit they left
    ticket.refresh_from_db()
    assert ticket.org_unit_id == g2.pk
    assert SearchEntry.objects.get(target_type="x.y", target_id="2").unit_path == g2.path
    # The indexed members (the demo's; make_member writes no entry) followed their group.
    entries = SearchEntry.objects.filter(
        target_type="org.member", target_id__in=[str(pk) for pk in active_ids]
    )
    assert {e.unit_path for e in entries} == {g2.path}
    g1.refresh_from_db()
    assert g1.closed_at is not None
    assert OrgChange.objects.filter(org_unit=g1, action="merge_out").exists()
    assert OrgChange.objects.filter(org_unit=g2, action="merge_in").exists()
    assert AuditEvent.objects.filter(action="org.merge_unit", target_id=str(g1.pk)).exists()
    # worker1's own record followed: the member home still finds it.
    assert Member.objects.get(user=personas["worker1"]).org_unit_id == g2.pk


def test_merging_branches_moves_groups_under_the_target(chair):
    b3, b2 = unit("B3"), unit("B2")
    mediator_scope = RoleAssignment.objects.create(
        user=user("chair"), role=Role.VIEWER, org_unit=b3
    )
    response = post(chair, f"/api/v1/org/units/{b3.pk}/merge", {"target_id": b2.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["moved"]) == sorted(["机关班组", "后勤班组", "财务班组", "营销班组"])
    assert body["role_assignments_left"] == 1
    mediator_scope.refresh_from_db()
    assert mediator_scope.org_unit_id == b3.pk  # offices are reassigned by the admin
    for code in ("B3-G1", "B3-G4"):
        assert unit(code).parent_id == b2.pk
    assert_paths_consistent()


def test_merge_refusals(chair, branch1):
    g1 = unit("B1-G1")
    assert (
        post(chair, f"/api/v1/org/units/{g1.pk}/merge", {"target_id": unit("B2").pk}).status_code
        == 400
    )
    assert post(chair, f"/api/v1/org/units/{g1.pk}/merge", {"target_id": g1.pk}).status_code == 400
    assert (
        post(
            branch1, f"/api/v1/org/units/{g1.pk}/merge", {"target_id": unit("B2-G1").pk}
        ).status_code
        == 404
    )
    b1 = unit("B1")
    assert post(chair, f"/api/v1/org/units/{b1.pk}/merge", {"target_id": g1.pk}).status_code == 400


# --- close --------------------------------------------------------------------------------------


def test_close_refused_with_active_members_then_allowed(branch1):
    g1, g3 = unit("B1-G1"), unit("B1-G3")
    refused = post(branch1, f"/api/v1/org/units/{g1.pk}/close")
    assert refused.status_code == 409
    assert "在册会员" in refused.json()["detail"]
    assert Member.objects.filter(org_unit=g3, status="active").count() == 0
    make_member(g3, name="已退休", status=Member.Status.RETIRED)
    closed = post(branch1, f"/api/v1/org/units/{g3.pk}/close")
    assert closed.status_code == 200 and closed.json()["closed"] is True
    again = post(branch1, f"/api/v1/org/units/{g3.pk}/close")
    assert again.status_code == 409
    assert OrgChange.objects.filter(org_unit=g3, action="close").count() == 1
    assert AuditEvent.objects.filter(action="org.close_unit", target_id=str(g3.pk)).count() == 1
    # Hidden from the pickers, listed on request; no new members, no renames.
    codes = [
        u["code"] for u in branch1.get("/api/v1/org/units?kind=group&per_page=200").json()["items"]
    ]
    assert "B1-G3" not in codes
    all_codes = [
        u["code"]
        for u in branch1.get(
            "/api/v1/org/units?kind=group&include_closed=true&per_page=200"
        ).json()["items"]
    ]
    assert "B1-G3" in all_codes
    assert patch(branch1, f"/api/v1/org/units/{g3.pk}", {"name": "复活"}).status_code == 409
    assert post(branch1, "/api/v1/org/units", {"name": "x", "parent_id": g3.pk}).status_code == 409


def test_close_refused_with_open_children_and_default_departments(chair):
    b3 = unit("B3")
    assert post(chair, f"/api/v1/org/units/{b3.pk}/close").status_code == 409
    g4 = unit("B3-G4")
    Department.objects.filter(code="D-SALES").update(default_org_unit=g4)
    response = post(chair, f"/api/v1/org/units/{g4.pk}/close")
    assert response.status_code == 409 and "市场营销部" in response.json()["detail"]


def test_closed_unit_refused_for_new_members_and_transfers(api_client, branch1):
    g3 = unit("B1-G3")
    assert post(branch1, f"/api/v1/org/units/{g3.pk}/close").status_code == 200
    worker = Member.objects.get(employee_no="E0103")
    response = post(
        branch1,
        f"/api/v1/members/{worker.pk}/transfer",
        {"to_unit_id": g3.pk, "effective_date": "2026-12-01"},
    )
    assert response.status_code == 400


# --- lists --------------------------------------------------------------------------------------


def test_any_signed_in_user_lists_units_for_pickers(api_client):
    worker = api_client("worker1")
    body = worker.get("/api/v1/org/units?kind=branch").json()
    assert [u["name"] for u in body["items"]] == ["第一分工会", "第二分工会", "第三分工会"]
    assert body["count"] == 3 and body["count_exact"] and body["pages"] == 1
    b1 = unit("B1")
    children = worker.get(f"/api/v1/org/units?parent_id={b1.pk}").json()
    assert {u["code"] for u in children["items"]} == {"B1-G1", "B1-G2", "B1-G3", "B1-G4"}
    assert all(u["depth"] == 2 and u["kind_label"] == "工会小组" for u in children["items"])
    found = worker.get("/api/v1/org/units?q=检修").json()["items"]
    assert [u["code"] for u in found] == ["B1-G3"]
    paged = worker.get("/api/v1/org/units?per_page=5&page=2").json()
    assert len(paged["items"]) == 5 and paged["page"] == 2
    assert worker.get("/api/v1/org/units?parent_id=999999").status_code == 404
    assert worker.get("/api/v1/org/units?kind=nonsense").status_code == 422
    assert worker.get(f"/api/v1/org/units/{b1.pk}").json()["name"] == "第一分工会"
    # History is for cadres.
    assert worker.get(f"/api/v1/org/units/{b1.pk}/history").status_code == 403


def test_role_holders(api_client, chair, personas):
    mediators = chair.get("/api/v1/org/role-holders?role=mediator").json()
    assert [(m["name"], m["scope"]) for m in mediators["items"]] == [
        ("孙国平", "示例能源集团工会委员会")
    ]
    assert mediators["items"][0]["user_id"] == personas["mediator1"].pk
    g1 = unit("B1-G1")
    covered = chair.get(f"/api/v1/org/role-holders?role=mediator&unit_id={g1.pk}").json()
    assert covered["count"] == 1
    counselors = chair.get(f"/api/v1/org/role-holders?role=counselor&unit_id={g1.pk}").json()
    assert [c["scope"] for c in counselors["items"]] == ["全局"]
    hr = Department.objects.get(code="D-HR")
    handlers = chair.get(f"/api/v1/org/role-holders?role=handler&department_id={hr.pk}").json()
    assert [h["name"] for h in handlers["items"]] == ["周敏"]
    other = Department.objects.get(code="D-FIN")
    assert (
        chair.get(f"/api/v1/org/role-holders?role=handler&department_id={other.pk}").json()["count"]
        == 0
    )
    assert chair.get("/api/v1/org/role-holders?role=admin").status_code == 422
    assert api_client("worker1").get("/api/v1/org/role-holders?role=mediator").status_code == 403


def test_existing_endpoints_still_answer(api_client):
    worker = api_client("worker1")
    assert worker.get("/api/v1/me").status_code == 200
    assert api_client("chair").get("/api/v1/members?q=陈").status_code == 200


@pytest.fixture
def admin_client_api(api_client):
    return api_client("admin")


# --- pages --------------------------------------------------------------------------------------


def test_tree_page_shows_the_scope_with_member_counts(login):
    page = login("branch1").get("/org/units/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "第一分工会" in html and "发电一班组" in html
    assert "第二分工会" not in html and "输配电班组" not in html
    assert 'href="/org/units/"' in html  # linked from the cadre navigation
    assert login("worker1").get("/org/units/").status_code == 403


def test_unit_pages_create_rename_close_with_history(login):
    client = login("branch1")
    b1 = unit("B1")
    form = client.get(f"/org/units/new/?parent={b1.pk}")
    assert form.status_code == 200
    response = client.post("/org/units/new/", {"parent": b1.pk, "name": "新班组", "code": ""})
    assert response.status_code == 302
    created = OrgUnit.objects.get(name="新班组")
    assert response["Location"] == f"/org/units/{created.pk}/"
    clash = client.post(f"/org/units/{created.pk}/rename/", {"name": "检修班组"})
    assert clash.status_code == 409 and "已有名为" in clash.content.decode()
    assert client.post(f"/org/units/{created.pk}/rename/", {"name": "新班组二"}).status_code == 302
    refused = client.post(f"/org/units/{unit('B1-G1').pk}/close/", {})
    assert refused.status_code == 409 and "在册会员" in refused.content.decode()
    assert client.post(f"/org/units/{created.pk}/close/", {}).status_code == 302
    detail = client.get(f"/org/units/{created.pk}/").content.decode()
    assert "已撤销" in detail and "新班组 → 新班组二" in detail and "李春梅" in detail
    tree = client.get("/org/units/").content.decode()
    assert "新班组二" not in tree
    assert "新班组二" in client.get("/org/units/?closed=1").content.decode()


def test_unit_pages_scope(login):
    client = login("branch1")
    b2 = unit("B2")
    assert client.get(f"/org/units/{b2.pk}/").status_code == 404
    assert client.get(f"/org/units/{unit('B2-G1').pk}/rename/").status_code == 404
    assert client.get(f"/org/units/{unit('B1').pk}/close/").status_code == 403
    detail = client.get(f"/org/units/{unit('B1-G1').pk}/").content.decode()
    assert f"/org/units/{unit('B1-G1').pk}/merge/" in detail


def test_merge_page(login):
    client = login("branch1")
    g1, g2 = unit("B1-G1"), unit("B1-G2")
    page = client.get(f"/org/units/{g1.pk}/merge/").content.decode()
    assert "发电二班组" in page and "输配电班组" not in page
    response = client.post(f"/org/units/{g1.pk}/merge/", {"unit": g2.pk})
    assert response.status_code == 302 and response["Location"] == f"/org/units/{g2.pk}/"
    assert "并入" in client.get(response["Location"]).content.decode()


def test_openapi_lists_the_org_tree_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/org/units",
        "/api/v1/org/units/{unit_id}",
        "/api/v1/org/units/{unit_id}/move",
        "/api/v1/org/units/{unit_id}/merge",
        "/api/v1/org/units/{unit_id}/close",
        "/api/v1/org/units/{unit_id}/history",
        "/api/v1/org/departments",
        "/api/v1/org/departments/{department_id}/merge",
        "/api/v1/org/role-holders",
        "/api/v1/me",
        "/api/v1/members",
    ]:
        assert path in paths, path


def test_merge_leaves_a_record_the_target_already_has(personas):
    """A row that would break a unique constraint at the target stays on the closed unit;
    the rest of the merge goes through."""
    from zhijia.safety.models import SafetySupervisor

    g1, g2 = unit("B1-G1"), unit("B1-G2")
    worker = Member.objects.get(employee_no="E0103")
    rep = Member.objects.get(employee_no="E0102")
    day = "2026-01-05"
    SafetySupervisor.objects.create(member=worker, org_unit=g1, appointed_on=day)
    SafetySupervisor.objects.create(member=worker, org_unit=g2, appointed_on=day)
    SafetySupervisor.objects.create(member=rep, org_unit=g1, appointed_on=day)
    result = actions_units.do_merge_unit(actor=personas["chair"], unit=g1, target=g2)
    assert result.records_moved["safety.safetysupervisor.org_unit"] == 1
    assert SafetySupervisor.objects.filter(member=rep, org_unit=g2).exists()
    assert SafetySupervisor.objects.filter(member=worker, org_unit=g1).exists()
    g1.refresh_from_db()
    assert g1.closed_at is not None
