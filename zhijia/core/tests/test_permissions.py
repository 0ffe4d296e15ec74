"""The permission layer: role × scope, deny by default."""

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core import permissions
from zhijia.core.permissions import GLOBAL, has_perm, require, scope_q, unit_prefixes
from zhijia.org.models import Member


@pytest.fixture
def units(demo_units):
    return demo_units


def test_minimal_prefixes_drop_covered_subtrees():
    assert permissions._minimal(["/1/4/", "/1/", "/2/7/", "/2/7/9/"]) == ["/1/", "/2/7/"]


def test_unknown_code_fails_loudly(personas):
    with pytest.raises(LookupError):
        has_perm(personas["chair"], "org.no_such_permission")


def test_register_conflict_is_refused():
    permissions.register("test.example", roles=["cadre"])
    with pytest.raises(ValueError):
        permissions.register("test.example", roles=["admin"])


def test_branch_cadre_scope_is_their_subtree(personas, units):
    branch1 = personas["branch1"]
    assert unit_prefixes(branch1, "org.view_member") == [units["B1"].path]
    assert has_perm(branch1, "org.view_member", unit=units["B1-G3"])
    assert not has_perm(branch1, "org.view_member", unit=units["B2"])
    assert not has_perm(branch1, "org.view_member", unit=units["U"])


def test_chair_covers_every_branch(personas, units):
    chair = personas["chair"]
    for code in ("U", "B1", "B2", "B3-G4"):
        assert has_perm(chair, "org.change_member", unit=units[code])


def test_admin_is_global_but_only_for_admin_codes(personas, units):
    admin = personas["admin"]
    assert unit_prefixes(admin, "org.manage_units") == [GLOBAL]
    assert not has_perm(admin, "org.change_member")
    # Configuration, not the roster (issue 11): reading members is a cadre's code.
    assert not has_perm(admin, "org.view_member")


@pytest.mark.parametrize("username", ["worker1", "worker2", "rep1", "handler1", "counselor1"])
def test_roles_without_the_code_are_denied(personas, username):
    user = personas[username]
    assert not has_perm(user, "org.view_member")
    with pytest.raises(PermissionDenied):
        require(user, "org.view_member")


def test_inactive_and_anonymous_users_hold_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not has_perm(AnonymousUser(), "org.view_member")
    chair = personas["chair"]
    chair.is_active = False
    assert not has_perm(chair, "org.view_member")


def test_scope_q_filters_a_queryset(personas, units):
    visible = Member.objects.filter(scope_q(personas["branch1"], "org.manage_units"))
    paths = {m.org_unit.path for m in visible.select_related("org_unit")}
    assert paths and all(p.startswith(units["B1"].path) for p in paths)
    assert not Member.objects.filter(scope_q(personas["worker1"], "org.manage_units")).exists()
    everyone = Member.objects.filter(scope_q(personas["admin"], "org.manage_units"))
    assert everyone.count() == Member.objects.count()


def test_handler_scope_is_the_department_tree(personas):
    permissions.register("test.answer_case", roles=["handler"], tree="department")
    handler = personas["handler1"]
    dept = handler.active_assignments()[0].department
    assert has_perm(handler, "test.answer_case", department=dept)
    assert not has_perm(personas["branch1"], "test.answer_case")


# --- holders(code, unit): who to tell -------------------------------------------------------


def test_holders_across_the_tree(personas, units):
    admin, chair, branch1, branch2 = (personas[k] for k in ("admin", "chair", "branch1", "branch2"))
    group = units["B1-G1"]
    # org.manage_units: cadres above the group and the global admin; not the sibling branch.
    assert permissions.holders("org.manage_units", group) == sorted(
        [admin, chair, branch1], key=lambda u: u.pk
    )
    assert branch2 not in permissions.holders("org.manage_units", group)
    # The committee itself: only its own cadres and the global ones.
    assert permissions.holders("org.manage_units", units["U"]) == sorted(
        [admin, chair], key=lambda u: u.pk
    )
    # org.change_member is not the admin's.
    assert permissions.holders("org.change_member", group) == sorted(
        [chair, branch1], key=lambda u: u.pk
    )


def test_holders_nearest_level_then_global(personas, units):
    chair, branch1, admin = personas["chair"], personas["branch1"], personas["admin"]
    assert permissions.holders("org.manage_units", units["B1-G1"], nearest=True) == [branch1]
    assert permissions.holders("org.manage_units", units["B3-G1"], nearest=True) == [chair]
    chair.role_assignments.all().delete()
    assert permissions.holders("org.manage_units", units["B3-G1"], nearest=True) == [admin]
    no_global = permissions.holders(
        "org.manage_units", units["B3-G1"], nearest=True, include_global=False
    )
    assert no_global == []


def test_holders_leave_out_inactive_users(personas, units):
    branch1 = personas["branch1"]
    branch1.is_active = False
    branch1.save()
    assert branch1 not in permissions.holders("org.view_member", units["B1-G1"])


def test_holders_of_a_department_subtree(personas):
    from zhijia.org.models import Department, recompute_paths

    permissions.register("test.answer_case", roles=["handler"], tree="department")
    handler = personas["handler1"]
    hr = handler.active_assignments()[0].department
    desk = Department.objects.create(name="薪酬组", code="D-HR-PAY", parent=hr)
    recompute_paths(desk)
    assert permissions.holders("test.answer_case", department=desk) == [handler]
    other = Department.objects.get(code="D-FIN")
    assert permissions.holders("test.answer_case", department=other) == []
    with pytest.raises(ValueError):
        permissions.holders("test.answer_case", desk)  # an org unit for a department code
