"""Roles × routes: every persona against EVERY page of org, accounts, core and files and every
API operation under /api/v1/{org,auth,inbox,members,me}, on records in branch1 and branch2.

The route list is generated (zhijia/org/tests/access_routes.py: the URL resolver and the
OpenAPI document); `test_every_route_has_an_expectation` fails when a route has no row here.

The expectations are plain data written from DESIGN.md's roles, not read from the permission
registry under test:
  - cadres manage the records of their unit's subtree: the chair (committee) both branches,
    branch1 / branch2 only their own branch, never the sibling one (404: not revealed);
  - the admin (global) keeps configuration: the union tree and the enterprise departments, and
    reads the member directory; it changes no member, reviews no application, runs no dues;
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

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from conftest import PERSONAS
from zhijia.org.tests.access_routes import (
    api_routes,
    missing_expectations,
    page_routes,
)
from zhijia.org.tests.access_world import build_world, fingerprint

ANON = "anonymous"
ALL = [*PERSONAS, ANON]
SIGNED_IN = set(PERSONAS)

# --- who may do what, over which target ("b1": a record in branch1, "b2": in branch2) --------
BOTH, B1, B2 = {"b1", "b2"}, {"b1"}, {"b2"}
CADRE_SCOPE = {"chair": BOTH, "branch1": B1, "branch2": B2}  # their unit's subtree
ADMIN_SCOPE = {"admin": BOTH}  # global
MEMBERS_READ = CADRE_SCOPE | ADMIN_SCOPE
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

Rule = Callable[[str, str | None], int]


def everyone(ok: int) -> Rule:
    return lambda p, t: ok


def holders(who, ok: int = 200, others: int = 403) -> Rule:
    return lambda p, t: ok if p in who else others


def scoped(scope: dict, ok: int = 200, outsiders: int = 403, outside: int = 404) -> Rule:
    """ok on a target within the persona's scope; `outside` (404: its existence is not
    revealed) on one outside it for a holder; `outsiders` for one who holds the right nowhere.
    A bulk form answers an id outside the scope like any other (it skips it: `outside` 302);
    the test then checks that the write changed nothing (Row.scope)."""

    def rule(p, t):
        if t in scope.get(p, ()):
            return ok
        return outside if p in scope else outsiders

    return rule


def read_then_manage(ok: int) -> Rule:
    """A member record: readable (else 404/403), then manageable (else 403)."""

    def rule(p, t):
        first = scoped(MEMBERS_READ)(p, t)
        if first != 200:
            return first
        return ok if t in MEMBERS_MANAGE.get(p, ()) else 403

    return rule


def own_only(ok: int) -> Rule:
    """A personal record (a notification): the owner's only; anyone else's is 404."""
    return lambda p, t: ok if t == "own" else 404


@dataclass(frozen=True)
class Row:
    route: str  # "namespace:name" of a page, "METHOD /api/v1/path" of an operation
    method: str
    path: str  # format string over the target's ids: {member} {unit} {dept} {app} {note}
    rule: Rule
    targets: tuple = (None,)
    data: object = None  # dict, or callable(world, target) -> dict
    anon: int | None = None  # the anonymous's status; default 302 (page) / 401 (API)
    name: str = ""
    # For a write on a record: who may change which target; outside it nothing may change,
    # whatever the status (a bulk form that skips ids outside the caller's scope says 302).
    scope: dict | None = None

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def key(self) -> str:
        return self.name or f"{self.route}-{self.method}"


REC = ("b1", "b2")
OWN = ("own", "other")


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
    Row("org:member-list", "get", "/org/members/", holders(MEMBERS_READ)),
    Row("org:member-create", "get", "/org/members/new/", holders(MEMBERS_MANAGE)),
    Row("org:member-export", "get", "/org/members/export/", holders(MEMBERS_MANAGE)),
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
    Row("org:member-detail", "get", "/org/members/{member}/", scoped(MEMBERS_READ), REC),
    Row("org:member-edit", "get", "/org/members/{member}/edit/", read_then_manage(200), REC),
    Row(
        "org:member-transfer", "get", "/org/members/{member}/transfer/", read_then_manage(200), REC
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
    Row("org:dues-member", "get", "/org/members/{member}/dues/", read_then_manage(200), REC),
    Row("org:me", "get", "/org/me/", everyone(200)),
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
    Row("org:arrears-export", "get", "/org/dues/arrears/export/", holders(DUES)),
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
    # --- core: inbox, files ----------------------------------------------------------------------
    Row("core:inbox", "get", "/core/inbox/", everyone(200)),
    Row("core:inbox-read-all", "post", "/core/inbox/read-all/", everyone(302)),
    Row("core:inbox-read", "post", "/core/inbox/{note}/read/", own_only(302), OWN),
    Row("core:inbox-open", "post", "/core/inbox/{note}/open/", own_only(302), OWN),
    Row("files:attachment-download", "get", "/files/{nofile}/", everyone(404)),
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

REFUSED = {401, 403, 404, 405}


# --- the world, built once for the module ---------------------------------------------------


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


def _client(world, persona: str, api: bool) -> Client:
    """The persona's client of the module (a new Client loads the middleware again, which
    costs more than a row's request), its cookies reset to the module's session."""
    client, cookies = world["clients"][(persona, api)]
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def _path(row: Row, world, persona: str, target) -> str:
    ids = {
        "dept": world["dept"],
        "nofile": uuid.UUID(int=7),
        "note": world["other_note"],
    }
    if target in ("b1", "b2"):
        for kind in ("member", "unit", "app"):
            ids[kind] = world[kind][target]
    elif target == "own" and persona in world["notes"]:
        ids["note"] = world["notes"][persona]
    return row.path.format(**ids)


def expected(row: Row, persona: str, target) -> int:
    if persona == ANON:
        if row.anon is not None:
            return row.anon
        return 401 if row.api else 302
    return row.rule(persona, target)


def cases():
    for row in ROWS:
        for persona in ALL:
            for target in row.targets:
                yield pytest.param(
                    row,
                    persona,
                    target,
                    expected(row, persona, target),
                    id=f"{row.key}-{persona}" + (f"-{target}" if target else ""),
                )


@pytest.mark.parametrize(("row", "persona", "target", "status"), list(cases()))
def test_access(world, db, row, persona, target, status):
    cache.clear()  # rate limits (sign-in, joining) live in the cache
    client = _client(world, persona, row.api)
    path = _path(row, world, persona, target)
    data = row.data(world, target) if callable(row.data) else row.data
    before = fingerprint() if row.method != "get" else None
    if row.api:
        kwargs = {"content_type": "application/json"} if row.method != "get" else {}
        response = getattr(client, row.method)(path, data or {}, **kwargs)
    else:
        response = getattr(client, row.method)(path, data or {})
    assert response.status_code == status, (
        f"{row.method.upper()} {path} as {persona}: {response.status_code}, expected {status}"
    )
    if persona == ANON and status == 302 and row.anon is None:
        assert response["Location"].startswith("/accounts/login/")
    outside = row.scope is not None and target not in row.scope.get(persona, ())
    if before is not None and (status in REFUSED or outside):
        assert fingerprint() == before, f"a refused {row.method.upper()} {path} changed data"


# --- completeness ------------------------------------------------------------------------------


def declared_routes() -> set[str]:
    return {row.route for row in ROWS}


def test_every_route_has_an_expectation():
    generated = page_routes() | api_routes()
    assert missing_expectations(generated, declared_routes()) == []
    # ... and no row names a route that no longer exists
    assert sorted(declared_routes() - generated) == []


def test_api_routes_come_from_the_served_openapi_document(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert api_routes(served.json()) == api_routes()


def test_a_route_without_expectation_is_reported():
    extra_api = "DELETE /api/v1/org/units/{unit_id}"
    assert missing_expectations([*page_routes(), extra_api], declared_routes()) == [extra_api]


@override_settings(ROOT_URLCONF="zhijia.org.tests.access_extra_urls")
def test_a_new_page_without_expectation_is_reported():
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        routes = page_routes("zhijia.org.tests.access_extra_urls")
        assert missing_expectations(routes, declared_routes()) == ["org:matrix-extra"]
    finally:
        clear_url_caches()


def test_every_persona_and_route_is_in_the_table():
    table = list(cases())
    assert {c.values[1] for c in table} == set(ALL)
    by_key = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in table}
    # the sibling-branch rule both ways, on a per-record page and its API operation
    assert by_key[("org:unit-detail-get", "branch2", "b1")] == 404
    assert by_key[("org:unit-detail-get", "branch1", "b2")] == 404
    assert (
        by_key[("GET /api/v1/org/join/applications/{application_id}-get", "branch2", "b1")] == 404
    )
