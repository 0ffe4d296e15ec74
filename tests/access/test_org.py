"""Roles × routes: every persona against EVERY page of org, accounts and core, and every
API operation under /api/v1/{org,auth,inbox,members,me}, on records in branch1 and branch2.

The route list is generated (tests/access/routes.py: the URL resolver and the OpenAPI
document); tests/access/test_coverage.py fails when a route has no row in any table.
The framework (rules, Row, the runner) is tests/access/framework.py.

The expectations are plain data written from DESIGN.md's roles, not read from the permission
registry under test:
  - cadres manage the records of their unit's subtree: the chair (committee) both branches,
    branch1 / branch2 only their own branch, never the sibling one (404: not revealed);
  - the admin (global) keeps configuration: the union tree and the enterprise departments; it
    does not read the roster (unless also granted a cadre role), changes no member, reviews no
    application, runs no dues;
  - enterprise departments are the employer's structure: the committee (chair) and the admin
    keep them; branch chairs only read them;
  - members, representatives, handlers, counselors and mediators hold nothing here: they are
    refused (403) the cadres' pages and see only their own records (inbox, card, me);
  - public pages (sign-in, activation, online joining, e-card verification) answer everyone;
    other pages send the anonymous to sign in (302), the API answers them 401.
A refused write (401/403/404/405) must change nothing: the audit log and the counts of the
records it could touch are compared before and after.

The world (demo union, personas, and the records below) is built once for the module, inside
an outer transaction; each row runs in a savepoint and is rolled back to it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.access.framework import (
    ALL,
    CADRE_SCOPE,
    OWN,
    REC,
    ROW_ARGS,
    Row,
    cases,
    everyone,
    first_refusal,
    holders,
    own_only,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_org import build_world

# --- who may do what, over which target ("b1": a record in branch1, "b2": in branch2) --------
ADMIN_SCOPE = {"admin": {"b1", "b2"}}  # global
MEMBERS_READ = CADRE_SCOPE  # not the admin: configuration and accounts, not the roster
MEMBERS_MANAGE = CADRE_SCOPE
UNITS_VIEW = CADRE_SCOPE | ADMIN_SCOPE
UNITS_MANAGE = CADRE_SCOPE | ADMIN_SCOPE
JOIN_REVIEW = CADRE_SCOPE
ACTIVATION = CADRE_SCOPE
DUES = CADRE_SCOPE
DEPARTMENTS_VIEW = {"chair", "branch1", "branch2", "admin"}
DEPARTMENTS_MANAGE = {"chair", "admin"}  # the committee and the admin, not branch chairs
ROLE_HOLDERS = {"chair", "branch1", "branch2", "admin"}
HAS_MEMBER_RECORD = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}


def read_then_manage(ok: int):
    """A member record: readable (else 404/403), then manageable (else 403)."""
    return first_refusal(scoped(MEMBERS_READ), scoped(MEMBERS_MANAGE, ok=ok, outside=403))


def dues_mode(ok: int):
    """A member's collection mode: the record readable (else 404/403), then org.manage_dues."""
    return first_refusal(scoped(MEMBERS_READ), scoped(DUES, ok=ok, outside=403))


def no_id_number(response, world, persona, target):
    """A page of member records shows no full ID number (masked; revealing one is a step of
    its own, audited)."""
    assert world["id_numbers"], "the world has ID numbers to look for"
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert not [n for n in world["id_numbers"] if n in html], "a full ID number is shown"


def _unit_name(w, t):
    return {"name": "矩阵改名组"}


ROWS = [
    # --- accounts: sign-in and personal security pages -------------------------------------
    # signed in already: the sign-in page and the verified two-factor step send one on
    Row("accounts:login", "get", "/accounts/login/", everyone(302), anon=200),
    Row("accounts:logout", "get", "/accounts/logout/", everyone(405), anon=405),
    Row("accounts:two-factor", "get", "/accounts/two-factor/", everyone(302)),
    Row("accounts:two-factor-setup", "get", "/accounts/two-factor/setup/", everyone(200)),
    # POST-only (a GET changes nothing)
    Row("accounts:two-factor-disable", "get", "/accounts/two-factor/disable/", everyone(405)),
    Row("accounts:backup-codes", "get", "/accounts/two-factor/backup-codes/", everyone(405)),
    Row("accounts:security", "get", "/accounts/security/", everyone(200)),
    Row("accounts:password-change", "get", "/accounts/password/", everyone(200)),
    # --- accounts: activation (public) and its management (cadres over their subtree) ------
    Row("accounts:password-forgot", "get", "/accounts/password/forgot/", everyone(200), anon=200),
    Row("accounts:activate", "get", "/accounts/activate/", everyone(200), anon=200),
    Row("accounts:activate-code", "get", "/accounts/activate/code/", everyone(302), anon=302),
    Row(
        "accounts:activate-password", "get", "/accounts/activate/password/", everyone(302), anon=302
    ),
    Row("accounts:activation-manage", "get", "/accounts/activation/manage/", holders(ACTIVATION)),
    Row(
        "accounts:activation-slips",
        "get",
        "/accounts/activation/manage/slips/?ids={member}",
        scoped(ACTIVATION),
        REC,
    ),
    Row(
        "accounts:activation-slips",
        "post",
        "/accounts/activation/manage/slips/",
        scoped(ACTIVATION),
        REC,
        data=lambda w, t: {"ids": [w["member"][t]]},
        name="accounts:activation-slips-post",
    ),
    Row(
        "accounts:activation-sms",
        "post",
        "/accounts/activation/manage/sms/",
        scoped(ACTIVATION, ok=302, outside=302),
        REC,
        data=lambda w, t: {"ids": [w["member"][t]]},
        scope=ACTIVATION,
    ),
    # --- org: members ---------------------------------------------------------------------
    Row("org:member-list", "get", "/org/members/", holders(MEMBERS_READ), check=no_id_number),
    Row("org:member-create", "get", "/org/members/new/", holders(MEMBERS_MANAGE)),
    Row("org:member-export", "get", "/org/members/export/", holders(MEMBERS_MANAGE)),
    Row("org:transfers-out", "get", "/org/members/transfers-out/", holders(MEMBERS_READ)),
    Row(
        "org:transfers-out-export",
        "get",
        "/org/members/transfers-out/export/",
        holders(MEMBERS_READ),
    ),
    Row(
        "org:member-bulk",
        "post",
        "/org/members/bulk/",
        scoped(MEMBERS_MANAGE, ok=302, outside=302),
        REC,
        data=lambda w, t: {"ids": [w["member"][t]], "status": "retired"},
        scope=MEMBERS_MANAGE,
    ),
    Row("org:member-import", "get", "/org/members/import/", holders(MEMBERS_MANAGE)),
    Row(
        "org:member-import-template",
        "get",
        "/org/members/import/template/",
        holders(MEMBERS_MANAGE),
    ),
    Row(
        "org:member-import-report",
        "get",
        "/org/members/import/report/no-such-report/",
        holders(MEMBERS_MANAGE, ok=404),
    ),
    Row(
        "org:member-detail",
        "get",
        "/org/members/{member}/",
        scoped(MEMBERS_READ),
        REC,
        check=no_id_number,
    ),
    Row(
        "org:member-edit",
        "get",
        "/org/members/{member}/edit/",
        read_then_manage(200),
        REC,
        check=no_id_number,
    ),
    Row(
        "org:member-transfer",
        "get",
        "/org/members/{member}/transfer/",
        read_then_manage(200),
        REC,
        check=no_id_number,
    ),
    Row(
        "org:member-status",
        "post",
        "/org/members/{member}/status/",
        read_then_manage(302),
        REC,
        data={"status": "retired", "reason": "矩阵测试"},
    ),
    Row(
        "org:member-reveal-id",
        "post",
        "/org/members/{member}/reveal-id/",
        read_then_manage(200),
        REC,
    ),
    Row(
        "org:dues-member",
        "get",
        "/org/members/{member}/dues/",
        read_then_manage(200),
        REC,
        check=no_id_number,
    ),
    Row("org:me", "get", "/org/me/", everyone(200), check=no_id_number),
    # --- org: dues ------------------------------------------------------------------------
    Row("org:dues-overview", "get", "/org/dues/", holders(DUES)),
    Row(
        "org:dues-generate",
        "post",
        "/org/dues/generate/",
        holders(DUES, ok=302),
        data={"month": "2026-11"},
    ),
    Row("org:dues-pay", "post", "/org/dues/pay/", holders(DUES, ok=302), data={"ids": []}),
    Row("org:arrears", "get", "/org/dues/arrears/", holders(DUES)),
    Row("org:dues-import", "get", "/org/dues/import/", holders(DUES)),
    # no file: the form is refused (400) for holders, nothing written
    Row(
        "org:dues-import",
        "post",
        "/org/dues/import/",
        holders(DUES, ok=400),
        data={"month": "2026-10"},
        name="org:dues-import-post",
    ),
    Row("org:dues-import-template", "get", "/org/dues/import/template/", holders(DUES)),
    Row("org:unit-dues-mode", "get", "/org/units/{unit}/dues/", scoped(DUES), REC),
    Row(
        "org:unit-dues-mode",
        "post",
        "/org/units/{unit}/dues/",
        scoped(DUES, ok=302),
        REC,
        data={"dues_mode": "self", "dues_payment_note": "矩阵：请向分工会财务缴纳"},
        name="org:unit-dues-mode-post",
    ),
    Row("org:member-dues-mode", "get", "/org/members/{member}/dues/mode/", dues_mode(200), REC),
    Row(
        "org:member-dues-mode",
        "post",
        "/org/members/{member}/dues/mode/",
        dues_mode(302),
        REC,
        data={"dues_mode": "self"},
        name="org:member-dues-mode-post",
    ),
    Row("org:arrears-export", "get", "/org/dues/arrears/export/", holders(DUES)),
    Row("org:dues-paid", "get", "/org/dues/paid/", holders(DUES)),
    Row("org:dues-paid-export", "get", "/org/dues/paid/export/", holders(DUES)),
    # --- org: the union tree -----------------------------------------------------------------
    Row("org:unit-tree", "get", "/org/units/", holders(UNITS_VIEW)),
    Row("org:unit-create", "get", "/org/units/new/", holders(UNITS_MANAGE)),
    Row(
        "org:unit-create",
        "post",
        "/org/units/new/",
        scoped(UNITS_MANAGE, ok=302, outside=400),  # a parent outside: not a form choice
        REC,
        data=lambda w, t: {"parent": w["branch"][t], "name": "矩阵新组", "kind": "group"},
        scope=UNITS_MANAGE,
        name="org:unit-create-post",
    ),
    Row("org:unit-detail", "get", "/org/units/{unit}/", scoped(UNITS_VIEW), REC),
    Row("org:unit-rename", "get", "/org/units/{unit}/rename/", scoped(UNITS_MANAGE), REC),
    Row(
        "org:unit-rename",
        "post",
        "/org/units/{unit}/rename/",
        scoped(UNITS_MANAGE, ok=302),
        REC,
        data=_unit_name,
        name="org:unit-rename-post",
    ),
    Row("org:unit-move", "get", "/org/units/{unit}/move/", scoped(UNITS_MANAGE), REC),
    Row("org:unit-merge", "get", "/org/units/{unit}/merge/", scoped(UNITS_MANAGE), REC),
    Row(
        "org:unit-merge",
        "post",
        "/org/units/{unit}/merge/",
        scoped(UNITS_MANAGE, ok=302),
        REC,
        data=lambda w, t: {"unit": w["unit2"][t]},
        name="org:unit-merge-post",
    ),
    Row("org:unit-close", "get", "/org/units/{unit}/close/", scoped(UNITS_MANAGE), REC),
    Row(
        "org:unit-close",
        "post",
        "/org/units/{unit}/close/",
        scoped(UNITS_MANAGE, ok=302),
        REC,
        data={"confirm": "on"},
        name="org:unit-close-post",
    ),
    # --- org: enterprise departments ---------------------------------------------------------
    Row("org:department-list", "get", "/org/departments/", holders(DEPARTMENTS_VIEW)),
    Row("org:department-detail", "get", "/org/departments/{dept}/", holders(DEPARTMENTS_VIEW)),
    Row("org:department-create", "get", "/org/departments/new/", holders(DEPARTMENTS_MANAGE)),
    Row(
        "org:department-create",
        "post",
        "/org/departments/new/",
        holders(DEPARTMENTS_MANAGE, ok=302),
        data={"name": "矩阵新部门"},
        name="org:department-create-post",
    ),
    Row("org:department-edit", "get", "/org/departments/{dept}/edit/", holders(DEPARTMENTS_MANAGE)),
    Row(
        "org:department-edit",
        "post",
        "/org/departments/{dept}/edit/",
        holders(DEPARTMENTS_MANAGE, ok=302),
        data={"name": "矩阵改名部门"},
        name="org:department-edit-post",
    ),
    Row("org:department-move", "get", "/org/departments/{dept}/move/", holders(DEPARTMENTS_MANAGE)),
    Row(
        "org:department-merge", "get", "/org/departments/{dept}/merge/", holders(DEPARTMENTS_MANAGE)
    ),
    Row(
        "org:department-close", "get", "/org/departments/{dept}/close/", holders(DEPARTMENTS_MANAGE)
    ),
    Row(
        "org:department-close",
        "post",
        "/org/departments/{dept}/close/",
        holders(DEPARTMENTS_MANAGE, ok=302),
        data={"confirm": "on"},
        name="org:department-close-post",
    ),
    # --- org: online joining ------------------------------------------------------------------
    Row("org:join", "get", "/org/join/", everyone(200), anon=200),
    Row("org:join-status", "get", "/org/join/status/", everyone(200), anon=200),
    Row("org:join-review", "get", "/org/join/review/", holders(JOIN_REVIEW)),
    Row(
        "org:join-review-detail",
        "get",
        "/org/join/review/{app}/",
        scoped(JOIN_REVIEW, outsiders=404),
        REC,
    ),
    Row(
        "org:join-review-detail",
        "post",
        "/org/join/review/{app}/",
        scoped(JOIN_REVIEW, ok=302, outsiders=404),
        REC,
        data={"decision": "refuse", "reason": "矩阵测试"},
        name="org:join-review-detail-post",
    ),
    # --- org: the member e-card ----------------------------------------------------------------
    Row("org:card", "get", "/org/card/", holders(HAS_MEMBER_RECORD, others=404)),
    # without a member record: back to the card page (404 there), nothing renewed
    Row("org:card-renew", "post", "/org/card/renew/", everyone(302)),
    Row("org:card-verify", "get", "/org/card/verify/no-such-card/", everyone(404), anon=404),
    # --- core: inbox ----------------------------------------------------------------------------
    Row("core:inbox", "get", "/core/inbox/", everyone(200)),
    Row("core:inbox-read-all", "post", "/core/inbox/read-all/", everyone(302)),
    Row("core:inbox-read", "post", "/core/inbox/{note}/read/", own_only(302), OWN),
    Row("core:inbox-open", "post", "/core/inbox/{note}/open/", own_only(302), OWN),
    # --- core: one's own personal information (who read it, the download of it) -----------
    Row("core:my-privacy", "get", "/core/me/privacy/", everyone(200)),
    Row("core:my-data", "get", "/core/me/data.xlsx", everyone(200)),
    # === API =====================================================================================
    Row(
        "POST /api/v1/auth/token",
        "post",
        "/api/v1/auth/token",
        everyone(401),
        data={"username": "worker1", "password": "wrong-password"},
        anon=401,
    ),
    Row(
        "POST /api/v1/auth/activation/request",
        "post",
        "/api/v1/auth/activation/request",
        everyone(202),  # the same answer whether or not the account exists
        data={"identifier": "N9999", "id_tail": "1234"},
        anon=202,
    ),
    Row(
        "POST /api/v1/auth/activation/confirm",
        "post",
        "/api/v1/auth/activation/confirm",
        everyone(400),
        data={"identifier": "N9999", "id_tail": "1234", "code": "000000", "password": "x"},
        anon=400,
    ),
    Row("GET /api/v1/inbox", "get", "/api/v1/inbox", everyone(200)),
    # Everyone may ask for their work queues; a member without such work gets none.
    Row("GET /api/v1/org/me/queues", "get", "/api/v1/org/me/queues", everyone(200)),
    Row("GET /api/v1/inbox/unread-count", "get", "/api/v1/inbox/unread-count", everyone(200)),
    Row("POST /api/v1/inbox/read-all", "post", "/api/v1/inbox/read-all", everyone(200)),
    Row("GET /api/v1/inbox/{notification_id}", "get", "/api/v1/inbox/{note}", own_only(200), OWN),
    Row(
        "POST /api/v1/inbox/{notification_id}/read",
        "post",
        "/api/v1/inbox/{note}/read",
        own_only(200),
        OWN,
    ),
    Row("GET /api/v1/me", "get", "/api/v1/me", holders(HAS_MEMBER_RECORD, others=404)),
    Row("GET /api/v1/members", "get", "/api/v1/members", holders(MEMBERS_READ)),
    Row(
        "POST /api/v1/members",
        "post",
        "/api/v1/members",
        scoped(MEMBERS_MANAGE, ok=201, outside=403),  # as test_permissions_matrix.py
        REC,
        data=lambda w, t: w["create_member"](t),
    ),
    Row(
        "GET /api/v1/members/{member_id}",
        "get",
        "/api/v1/members/{member}",
        scoped(MEMBERS_READ),
        REC,
    ),
    Row(
        "PATCH /api/v1/members/{member_id}",
        "patch",
        "/api/v1/members/{member}",
        read_then_manage(200),
        REC,
        data={"job": "矩阵测试"},
    ),
    Row(
        "POST /api/v1/members/{member_id}/transfer",
        "post",
        "/api/v1/members/{member}/transfer",
        read_then_manage(201),
        REC,
        data={"to_unit_id": None, "effective_date": "2026-11-01", "reason": "矩阵测试"},
    ),
    Row(
        "GET /api/v1/members/{member_id}/transfers",
        "get",
        "/api/v1/members/{member}/transfers",
        scoped(MEMBERS_READ),
        REC,
    ),
    Row(
        "GET /api/v1/members/{member_id}/dues",
        "get",
        "/api/v1/members/{member}/dues",
        read_then_manage(200),
        REC,
    ),
    Row("GET /api/v1/org/dues", "get", "/api/v1/org/dues?month=2026-11", holders(DUES)),
    Row(
        "POST /api/v1/org/dues/generate",
        "post",
        "/api/v1/org/dues/generate",
        scoped(DUES),
        REC,
        data=lambda w, t: {"month": "2026-11", "unit_id": w["branch"][t]},
    ),
    Row(
        "POST /api/v1/org/dues/pay",
        "post",
        "/api/v1/org/dues/pay",
        scoped(DUES, ok=409),  # in scope: no ledger row for the month yet (409)
        REC,
        data=lambda w, t: {"month": "2026-11", "member_ids": [w["member"][t]]},
    ),
    Row("GET /api/v1/org/dues/arrears", "get", "/api/v1/org/dues/arrears", holders(DUES)),
    Row(
        "GET /api/v1/org/dues/units/{unit_id}/mode",
        "get",
        "/api/v1/org/dues/units/{unit}/mode",
        scoped(DUES),
        REC,
    ),
    Row(
        "PATCH /api/v1/org/dues/units/{unit_id}/mode",
        "patch",
        "/api/v1/org/dues/units/{unit}/mode",
        scoped(DUES),
        REC,
        data={"dues_mode": "self", "dues_payment_note": "矩阵"},
    ),
    Row(
        "GET /api/v1/org/dues/members/{member_id}/mode",
        "get",
        "/api/v1/org/dues/members/{member}/mode",
        dues_mode(200),
        REC,
    ),
    Row(
        "PATCH /api/v1/org/dues/members/{member_id}/mode",
        "patch",
        "/api/v1/org/dues/members/{member}/mode",
        dues_mode(200),
        REC,
        data={"dues_mode": "self"},
    ),
    # a preview (confirm=false) of a file naming the target's member: writes nothing
    Row(
        "POST /api/v1/org/dues/deductions",
        "post",
        "/api/v1/org/dues/deductions",
        holders(DUES),
        REC,
        data=lambda w, t: w["deduction_upload"](t),
        multipart=True,
    ),
    # The pickers: unit and department names are not secret (the public join form lists the
    # units); any signed-in user reads the list and one entry. Their history is the cadres'.
    Row("GET /api/v1/org/units", "get", "/api/v1/org/units", everyone(200)),
    Row(
        "POST /api/v1/org/units",
        "post",
        "/api/v1/org/units",
        scoped(UNITS_MANAGE, ok=201),
        REC,
        data=lambda w, t: {"name": "矩阵新组", "parent_id": w["branch"][t]},
    ),
    Row(
        "GET /api/v1/org/units/{unit_id}",
        "get",
        "/api/v1/org/units/{unit}",
        everyone(200),
        REC,
    ),
    Row(
        "GET /api/v1/org/units/{unit_id}/history",
        "get",
        "/api/v1/org/units/{unit}/history",
        scoped(UNITS_VIEW),
        REC,
    ),
    Row(
        "PATCH /api/v1/org/units/{unit_id}",
        "patch",
        "/api/v1/org/units/{unit}",
        scoped(UNITS_MANAGE),
        REC,
        data={"name": "矩阵改名组"},
    ),
    Row(
        "POST /api/v1/org/units/{unit_id}/move",
        "post",
        "/api/v1/org/units/{unit}/move",
        scoped(UNITS_MANAGE, ok=400),  # in scope: already under that parent (400)
        REC,
        data=lambda w, t: {"parent_id": w["branch"][t]},
    ),
    Row(
        "POST /api/v1/org/units/{unit_id}/merge",
        "post",
        "/api/v1/org/units/{unit}/merge",
        scoped(UNITS_MANAGE),
        REC,
        data=lambda w, t: {"target_id": w["unit2"][t]},
    ),
    Row(
        "POST /api/v1/org/units/{unit_id}/close",
        "post",
        "/api/v1/org/units/{unit}/close",
        scoped(UNITS_MANAGE),
        REC,
    ),
    Row("GET /api/v1/org/departments", "get", "/api/v1/org/departments", everyone(200)),
    Row(
        "POST /api/v1/org/departments",
        "post",
        "/api/v1/org/departments",
        holders(DEPARTMENTS_MANAGE, ok=201),
        data={"name": "矩阵新部门"},
    ),
    Row(
        "GET /api/v1/org/departments/{department_id}",
        "get",
        "/api/v1/org/departments/{dept}",
        everyone(200),
    ),
    Row(
        "PATCH /api/v1/org/departments/{department_id}",
        "patch",
        "/api/v1/org/departments/{dept}",
        holders(DEPARTMENTS_MANAGE),
        data={"name": "矩阵改名部门"},
    ),
    Row(
        "GET /api/v1/org/departments/{department_id}/history",
        "get",
        "/api/v1/org/departments/{dept}/history",
        holders(DEPARTMENTS_VIEW),
    ),
    Row(
        "POST /api/v1/org/departments/{department_id}/move",
        "post",
        "/api/v1/org/departments/{dept}/move",
        holders(DEPARTMENTS_MANAGE),
        data=lambda w, t: {"parent_id": w["dept_parent"]},
    ),
    Row(
        "POST /api/v1/org/departments/{department_id}/merge",
        "post",
        "/api/v1/org/departments/{dept}/merge",
        holders(DEPARTMENTS_MANAGE),
        data=lambda w, t: {"target_id": w["dept_parent"]},
    ),
    Row(
        "POST /api/v1/org/departments/{department_id}/close",
        "post",
        "/api/v1/org/departments/{dept}/close",
        holders(DEPARTMENTS_MANAGE),
    ),
    Row(
        "GET /api/v1/org/role-holders",
        "get",
        "/api/v1/org/role-holders?role=handler",
        holders(ROLE_HOLDERS),
    ),
    Row(
        "POST /api/v1/org/join",
        "post",
        "/api/v1/org/join",
        everyone(201),
        data=lambda w, t: w["join_payload"],
        anon=201,
    ),
    Row(
        "GET /api/v1/org/join/status",
        "get",
        "/api/v1/org/join/status?code=NOSUCHCODE&phone_last4=1234",
        everyone(404),
        anon=404,
    ),
    Row(
        "GET /api/v1/org/join/applications",
        "get",
        "/api/v1/org/join/applications",
        holders(JOIN_REVIEW),
    ),
    Row(
        "GET /api/v1/org/join/applications/{application_id}",
        "get",
        "/api/v1/org/join/applications/{app}",
        scoped(JOIN_REVIEW, outsiders=404),
        REC,
    ),
    Row(
        "POST /api/v1/org/join/applications/{application_id}/approve",
        "post",
        "/api/v1/org/join/applications/{app}/approve",
        scoped(JOIN_REVIEW, outsiders=404),
        REC,
        data={"employee_no": "E9300"},
    ),
    Row(
        "POST /api/v1/org/join/applications/{application_id}/refuse",
        "post",
        "/api/v1/org/join/applications/{app}/refuse",
        scoped(JOIN_REVIEW, outsiders=404),
        REC,
        data={"reason": "矩阵测试"},
    ),
]
# The member endpoints are served under /api/v1/org; the rows above check their old paths,
# kept as deprecated aliases (zhijia/core/api_aliases.py). The same expectations hold for both.
ROWS += [
    replace(
        row,
        route=row.route.replace(" /api/v1/", " /api/v1/org/", 1),
        path=row.path.replace("/api/v1/", "/api/v1/org/", 1),
    )
    for row in ROWS
    if row.route.split(" ", 1)[-1].startswith(("/api/v1/me", "/api/v1/members"))
]

# --- the world, built once for the module ---------------------------------------------------


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)


def test_every_persona_and_route_is_in_the_table():
    table = list(cases(ROWS))
    assert {c.values[1] for c in table} == set(ALL)
    by_key = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in table}
    # the sibling-branch rule both ways, on a per-record page and its API operation
    assert by_key[("org:unit-detail-get", "branch2", "b1")] == 404
    assert by_key[("org:unit-detail-get", "branch1", "b2")] == 404
    assert (
        by_key[("GET /api/v1/org/join/applications/{application_id}-get", "branch2", "b1")] == 404
    )
