"""The admin console opens for the admin role only and never lists member files."""

import pytest

from zhijia.accounts.tests.helpers import add_account_in_console
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


# --- every change in the console is an audit event with old and new values (issue 11, item 3)


def _user_form(user, **overrides):
    """The user change form as the console posts it, with the user's role rows unchanged."""
    rows = list(user.role_assignments.order_by("pk"))
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "role_assignments-TOTAL_FORMS": str(len(rows)),
        "role_assignments-INITIAL_FORMS": str(len(rows)),
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"role_assignments-{i}-id": str(row.pk),
                f"role_assignments-{i}-user": str(user.pk),
                f"role_assignments-{i}-role": row.role,
                f"role_assignments-{i}-org_unit": str(row.org_unit_id or ""),
                f"role_assignments-{i}-department": str(row.department_id or ""),
                f"role_assignments-{i}-title": row.title,
            }
        )
    data.update(overrides)
    return data


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_change_of_a_user_records_old_and_new_values(login, personas):
    worker = personas["worker1"]
    old_name = worker.full_name
    response = login("admin").post(
        f"/admin/accounts/user/{worker.pk}/change/",
        _user_form(worker, full_name="改过的名字", is_active=""),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = _events("admin.change_user")
    assert event.target_id == str(worker.pk)
    assert event.actor_id == personas["admin"].pk
    assert event.data == {
        "fields": ["full_name", "is_active"],
        "changed": {"full_name": [old_name, "改过的名字"], "is_active": [True, False]},
    }


def test_a_change_of_a_holiday_override_records_old_and_new_values(login):
    from zhijia.core.models import WorkdayOverride

    override = WorkdayOverride.objects.create(date="2031-01-06", is_workday=False, note="旧说明")
    client = login("admin")
    response = client.post(
        f"/admin/core/workdayoverride/{override.pk}/change/",
        {"date": "2031-01-06", "is_workday": "on", "note": "新说明"},
    )
    assert response.status_code == 302
    (event,) = _events("admin.change_workdayoverride")
    assert event.data["changed"] == {"is_workday": [False, True], "note": ["旧说明", "新说明"]}
    response = client.post(f"/admin/core/workdayoverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    (deleted,) = _events("admin.delete_workdayoverride")
    assert deleted.target_id == str(override.pk)
    assert deleted.data["deleted"]["note"] == "新说明"


def test_granting_oneself_a_role_is_an_event_of_its_own(login, personas, demo_units):
    admin_user = personas["admin"]
    unit = demo_units["B1"]
    data = _user_form(admin_user)
    i = int(data["role_assignments-TOTAL_FORMS"])
    data.update(
        {
            "role_assignments-TOTAL_FORMS": str(i + 1),
            f"role_assignments-{i}-user": str(admin_user.pk),
            f"role_assignments-{i}-role": "counselor",
            f"role_assignments-{i}-org_unit": str(unit.pk),
            f"role_assignments-{i}-department": "",
            f"role_assignments-{i}-title": "",
        }
    )
    response = login("admin").post(f"/admin/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (event,) = _events("admin.grant_role")
    assert event.target_id == str(admin_user.pk)
    assert event.unit_path == unit.path
    assert event.data == {
        "role": "counselor",
        "org_unit_id": unit.pk,
        "org_unit": str(unit),
        "department_id": None,
        "department": None,
        "title": "",
        "own_account": True,
    }
    # Nothing of the account itself changed: no empty admin.change_user beside it.
    assert _events("admin.change_user") == []


def test_changing_and_removing_an_assignment_are_events(login, personas, demo_units):
    branch1 = personas["branch1"]
    (row,) = branch1.role_assignments.all()
    old_unit = row.org_unit
    new_unit = demo_units["B2"]
    client = login("admin")
    data = _user_form(branch1, **{"role_assignments-0-org_unit": str(new_unit.pk)})
    response = client.post(f"/admin/accounts/user/{branch1.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (revoked,) = _events("admin.revoke_role")
    (granted,) = _events("admin.grant_role")
    assert (revoked.data["role"], revoked.data["org_unit_id"]) == ("cadre", old_unit.pk)
    assert (granted.data["role"], granted.data["org_unit_id"]) == ("cadre", new_unit.pk)
    assert revoked.data["assignment_id"] == granted.data["assignment_id"] == row.pk
    assert revoked.seq < granted.seq

    data = _user_form(branch1, **{"role_assignments-0-title": "新职务"})
    client.post(f"/admin/accounts/user/{branch1.pk}/change/", data)
    (titled,) = _events("admin.change_role")
    assert titled.data["changed"] == {"title": [row.title, "新职务"]}

    data = _user_form(branch1, **{"role_assignments-0-DELETE": "on"})
    response = client.post(f"/admin/accounts/user/{branch1.pk}/change/", data)
    assert response.status_code == 302
    assert not branch1.role_assignments.exists()
    last = _events("admin.revoke_role")[-1]
    assert (last.data["role"], last.data["org_unit_id"], last.data["title"]) == (
        "cadre",
        new_unit.pk,
        "新职务",
    )


def test_a_password_reset_in_the_console_is_audited_without_the_secret(login, personas):
    counselor = personas["mediator1"]
    old_hash = counselor.password
    response = login("admin").post(
        f"/admin/accounts/user/{counselor.pk}/password/",
        {"password1": "Admin-Chose-This-1", "password2": "Admin-Chose-This-1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    counselor.refresh_from_db()
    assert counselor.check_password("Admin-Chose-This-1")
    (event,) = _events("admin.reset_password")
    assert event.target_id == str(counselor.pk)
    assert event.actor_id == personas["admin"].pk
    assert event.data["password"] == "(changed)"
    flat = str(event.data)
    assert old_hash not in flat and counselor.password not in flat
    assert "Admin-Chose-This-1" not in flat


def test_a_new_account_password_is_audited_without_the_secret(login):
    from zhijia.accounts.models import User

    response = add_account_in_console(login("admin"))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newstaff")
    assert user.check_password("New-Staff-Pass-9")
    (added,) = _events("admin.add_user")
    assert added.data["changed"]["username"] == [None, "newstaff"]
    assert "password" not in added.data["changed"]
    (reset,) = _events("admin.reset_password")
    assert reset.target_id == str(user.pk)
    assert reset.data["password"] == "(changed)" and reset.data["new_account"] is True
    assert user.password not in str(added.data) + str(reset.data)
    assert "New-Staff-Pass-9" not in str(added.data) + str(reset.data)


def test_the_admins_own_password_is_changed_on_the_audited_page(login):
    response = login("admin").get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
