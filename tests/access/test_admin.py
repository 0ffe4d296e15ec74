"""Roles × the admin site (namespace zhijia_admin, /admin/): the system administrator's
console for configuration and accounts.

DESIGN.md: the admin (系统管理员) keeps configuration and users; nobody else does. So:
  - the admin (with a verified second factor) reads every page of the console; it adds and
    changes users and holiday overrides, adds union units and departments but does not change
    them here (moving a unit rewrites its subtree: an action of the org pages does it), and
    deletes nothing but holiday overrides (records are deactivated, history keeps them);
  - every other persona, and the anonymous, is sent to the console's sign-in page (302) and
    changes nothing; the sign-in page itself answers them (200) and sends the admin on;
  - a reset of a counselor's password waits for a second administrator: its requests are read
    (never added, changed or deleted here) and decided on their own page, which refuses the
    administrator who asked (the matrix's reset was asked by the admin persona: the decision
    page answers him, his POST is refused and changes nothing).
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    ROW_ARGS,
    Row,
    holders,
    row_cases,
    run_cases,
)
from tests.access.world_site import build_world

ADMIN = {"admin"}


def admin_only(ok: int = 200, others: int = 302):
    return holders(ADMIN, ok=ok, others=others)


def to_admin_login(response, world, persona, target):
    if persona != "admin" and response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def to_own_password_page(response, world, persona, target):
    if persona == "admin":
        assert response["Location"] == "/accounts/password/"
    else:
        to_admin_login(response, world, persona, target)


def _model_rows(
    app: str, model: str, key: str, change: int, delete: int, add: int = 200
) -> list[Row]:
    """The changelist, add, change, history and delete pages of one registered model."""
    base = f"/admin/{app}/{model}/"
    name = f"zhijia_admin:{app}_{model}"
    return [
        Row(f"{name}_changelist", "get", base, admin_only(), anon=302, check=to_admin_login),
        Row(f"{name}_add", "get", base + "add/", admin_only(add), anon=302, check=to_admin_login),
        Row(
            f"{name}_change",
            "get",
            base + f"{{{key}}}/change/",
            admin_only(change),
            anon=302,
            check=to_admin_login,
        ),
        Row(
            f"{name}_history",
            "get",
            base + f"{{{key}}}/history/",
            admin_only(),
            anon=302,
            check=to_admin_login,
        ),
        Row(
            f"{name}_delete",
            "get",
            base + f"{{{key}}}/delete/",
            admin_only(delete),
            anon=302,
            check=to_admin_login,
        ),
        # the old address of the change page: the console sends it on
        Row(
            f"zhijia_admin:<unnamed admin/{app}/{model}/<path:object_id>/>",
            "get",
            base + f"{{{key}}}/",
            admin_only(302),
            anon=302,
            check=to_admin_login,
        ),
    ]


ROWS = [
    Row("zhijia_admin:index", "get", "/admin/", admin_only(), anon=302, check=to_admin_login),
    Row("zhijia_admin:login", "get", "/admin/login/", admin_only(302, 200), anon=200),
    # POST-only for the admin; the others are sent to sign in first
    Row("zhijia_admin:logout", "get", "/admin/logout/", admin_only(405), anon=302),
    # the admin's own password is changed on the site's audited page, not the console's
    Row(
        "zhijia_admin:password_change",
        "get",
        "/admin/password_change/",
        admin_only(302),
        anon=302,
        check=to_own_password_page,
    ),
    Row(
        "zhijia_admin:password_change_done",
        "get",
        "/admin/password_change/done/",
        admin_only(),
        anon=302,
        check=to_admin_login,
    ),
    Row("zhijia_admin:jsi18n", "get", "/admin/jsi18n/", admin_only(), anon=302),
    Row(
        "zhijia_admin:autocomplete",
        "get",
        "/admin/autocomplete/?app_label=accounts&model_name=roleassignment"
        "&field_name=org_unit&term=分",
        admin_only(),
        anon=302,
        check=to_admin_login,
    ),
    Row(
        "zhijia_admin:view_on_site",
        "get",
        "/admin/r/0/{user}/",
        admin_only(404),
        anon=302,
        check=to_admin_login,
    ),
    Row(
        "zhijia_admin:app_list", "get", "/admin/org/", admin_only(), anon=302, check=to_admin_login
    ),
    Row(
        "zhijia_admin:<unnamed admin/(?P<url>.*)$>",
        "get",
        "/admin/no-such-page/",
        admin_only(404),
        anon=302,
        check=to_admin_login,
    ),
    *_model_rows("accounts", "user", "user", change=200, delete=403),
    Row(
        "zhijia_admin:auth_user_password_change",
        "get",
        "/admin/accounts/user/{user}/password/",
        admin_only(),
        anon=302,
        check=to_admin_login,
    ),
    *_model_rows("accounts", "passwordresetrequest", "reset", change=200, delete=403, add=403),
    Row(
        "zhijia_admin:accounts_passwordresetrequest_decide",
        "get",
        "/admin/accounts/passwordresetrequest/{reset}/decide/",
        admin_only(),
        anon=302,
        check=to_admin_login,
    ),
    # the admin asked for this reset: his own approval is refused (a message, back to the page)
    Row(
        "zhijia_admin:accounts_passwordresetrequest_decide",
        "post",
        "/admin/accounts/passwordresetrequest/{reset}/decide/",
        admin_only(302),
        data={"approve": "1"},
        anon=302,
        check=to_admin_login,
        scope={},
        name="zhijia_admin:accounts_passwordresetrequest_decide-post",
    ),
    *_model_rows("org", "orgunit", "unit", change=200, delete=403),
    *_model_rows("org", "department", "dept", change=200, delete=403),
    *_model_rows("core", "workdayoverride", "override", change=200, delete=200),
    # --- writes: a holiday override added, changed and deleted by the admin only ----------------
    Row(
        "zhijia_admin:core_workdayoverride_add",
        "post",
        "/admin/core/workdayoverride/add/",
        admin_only(302),
        data={"date": "2031-02-03", "is_workday": "", "note": "矩阵新增"},
        anon=302,
        check=to_admin_login,
        name="zhijia_admin:core_workdayoverride_add-post",
    ),
    Row(
        "zhijia_admin:core_workdayoverride_change",
        "post",
        "/admin/core/workdayoverride/{override}/change/",
        admin_only(302),
        data={"date": "2031-01-06", "is_workday": "on", "note": "矩阵改过"},
        anon=302,
        check=to_admin_login,
        name="zhijia_admin:core_workdayoverride_change-post",
    ),
    Row(
        "zhijia_admin:core_workdayoverride_delete",
        "post",
        "/admin/core/workdayoverride/{override}/delete/",
        admin_only(302),
        data={"post": "yes"},
        anon=302,
        check=to_admin_login,
        name="zhijia_admin:core_workdayoverride_delete-post",
    ),
    Row(
        "zhijia_admin:org_orgunit_delete",
        "post",
        "/admin/org/orgunit/{unit}/delete/",
        admin_only(403),
        data={"post": "yes"},
        anon=302,
        check=to_admin_login,
        name="zhijia_admin:org_orgunit_delete-post",
    ),
    Row(
        "zhijia_admin:accounts_user_change",
        "post",
        "/admin/accounts/user/{user}/change/",
        admin_only(302, 302),
        data={
            "username": "worker1",
            "full_name": "矩阵改名",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
        anon=302,
        check=to_admin_login,
        name="zhijia_admin:accounts_user_change-post",
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
