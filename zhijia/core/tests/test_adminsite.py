"""The admin console opens for the admin role only and never lists member files."""

import pytest

from zhijia.core.models import AuditEvent


@pytest.mark.parametrize("username", ["chair", "branch1", "worker1", "counselor1", "handler1"])
def test_non_admins_are_sent_to_the_admin_login(login, username):
    response = login(username).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_sees_configuration_but_not_members(login):
    client = login("admin")
    index = client.get("/admin/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "/admin/accounts/user/" in body
    assert "/admin/org/member/" not in body
    assert client.get("/admin/org/member/").status_code == 404


def test_unverified_admin_is_asked_for_the_second_factor(personas, client):
    client.force_login(personas["admin"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/two-factor/" in response["Location"]


def test_adding_a_unit_sets_its_path_and_writes_the_audit_log(login, demo_units):
    client = login("admin")
    parent = demo_units["B1"]
    response = client.post(
        "/admin/org/orgunit/add/",
        {"name": "新班组", "code": "B1-G9", "kind": "group", "parent": parent.pk, "sort_order": 9},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from zhijia.org.models import OrgUnit

    unit = OrgUnit.objects.get(code="B1-G9")
    assert unit.path == f"{parent.path}{unit.pk}/"
    assert AuditEvent.objects.filter(action="admin.add_orgunit", target_id=str(unit.pk)).exists()
