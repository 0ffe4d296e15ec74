"""The admin role keeps configuration and accounts, not the roster (issue 11, finding 8): the
member list, a member's record and the member API are refused to it, unless the admin is also
granted a cadre role, which then reads exactly that role's subtree (docs/security.md)."""

from __future__ import annotations

import pytest

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.core.permissions import has_perm
from zhijia.org.tests.member_factory import make_member

pytestmark = pytest.mark.django_db


def test_the_admin_reads_no_member(login, api_client, personas, demo_units):
    member = make_member("B1-G1", name="赵六")
    admin = login("admin")
    assert not has_perm(personas["admin"], "org.view_member")
    assert admin.get("/org/members/").status_code == 403
    assert admin.get(f"/org/members/{member.pk}/").status_code == 403
    api = api_client("admin")
    assert api.get("/api/v1/org/members").status_code == 403
    assert api.get(f"/api/v1/org/members/{member.pk}").status_code == 403
    # Configuration stays the admin's: the union tree and the enterprise departments.
    assert has_perm(personas["admin"], "org.manage_units")
    assert has_perm(personas["admin"], "org.manage_departments")


def test_an_admin_granted_a_cadre_role_reads_that_subtree(login, personas, demo_units):
    inside = make_member("B1-G1", name="赵六")
    outside = make_member("B2-G1", name="钱七")
    RoleAssignment.objects.create(
        user=personas["admin"], role=Role.CADRE, org_unit=demo_units["B1"]
    )
    admin = login("admin")
    assert admin.get("/org/members/").status_code == 200
    assert admin.get(f"/org/members/{inside.pk}/").status_code == 200
    assert admin.get(f"/org/members/{outside.pk}/").status_code == 404
