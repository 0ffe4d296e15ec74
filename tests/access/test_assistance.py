"""Roles × routes of module assistance: every persona (and the anonymous) against every page of
the `assistance` namespace and every operation under /api/v1/assistance, on records of branch1
and branch2 (and, for the funds, the committee's: target "u").

Expectations are plain data written from DESIGN.md (roles; module 6), not read from the
permission registry under test:
  - hardship details are sensitive: only the responsible cadres see them, the chair (committee)
    both branches, branch1 / branch2 their own; a record of the sibling branch is 404 (not
    revealed); everyone else (admin, handler, counselor, mediator, representatives, workers)
    is refused the cadres' pages with 403, the admin sees no hardship detail at all;
  - applications: branch review → public notice → the committee's approval (a branch chair
    may not approve: 403) → payment; the applicant reads and withdraws their own, may not
    review it; anybody else's is refused;
  - the public notice is read by the members of the branch it is posted to (and the cadres
    over it), who may object; nobody else sees it (404);
  - a fund's ledger and payment runs are its unit's: the committee's fund is the chair's alone,
    a branch fund the branch chair's and the committee's; the preparer of a payment run may
    not approve or reject it (maker-checker: 403);
  - members apply for themselves, read the campaigns open to them and the notices of their
    units; without a member record there is nothing to apply to (404);
  - the anonymous is sent to sign in (302) by every page, answered 401 by the API.
A refused write changes nothing (audit log and every assistance table fingerprinted).
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.framework import (
    ALL,
    ANON,
    B1,
    B2,
    BOTH,
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    cases,
    everyone,
    holders,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_assistance import build_world

CADRES = {"chair", "branch1", "branch2"}
HAS_MEMBER = CADRES | {"rep1", "worker1", "worker2"}
APPLICANT = {"worker1": B1, "worker2": B2}
# The notice of a branch: its members and the cadres over it.
NOTICE_READ = CADRE_SCOPE | {"rep1": B1, "worker1": B1, "worker2": B2}
COMMITTEE = {"chair": BOTH}  # the committee's approval
FUNDS = ("b1", "b2", "u")  # a branch fund each, and the committee's
FUND_SCOPE = {"chair": frozenset(FUNDS), "branch1": B1, "branch2": B2}
MAKER = {"branch1": B1, "branch2": B2}  # prepared the branch's payment run


def cadre_scoped(scope=CADRE_SCOPE, ok=200, outside=404):
    """ok within scope; another cadre 404 (out of scope); roles without the code 403."""

    def rule(p, t):
        if t in scope.get(p, ()):
            return ok
        return outside if p in CADRES else 403

    return rule


def own_or(scope, ok=200, owner_ok=None):
    """The applicant's own record (owner_ok, default ok), or a cadre's in scope; another cadre
    404; anybody else 403."""

    def rule(p, t):
        if t in APPLICANT.get(p, ()):
            return ok if owner_ok is None else owner_ok
        return cadre_scoped(scope, ok)(p, t)

    return rule


def decide(actor, ok):
    """A step of the committee: the applicant may not (403); `actor` may; a cadre who reads
    the application but is not the committee may not (403); another cadre 404; anybody else
    403."""

    def rule(p, t):
        if t in actor.get(p, ()):
            return ok
        return cadre_scoped(CADRE_SCOPE, 403)(p, t)

    return rule


def run_decision(ok, maker=403):
    """A payment run: the checker (the chair, over the branch fund) decides; the maker may not;
    another cadre 404; anybody else 403."""

    def rule(p, t):
        if t in MAKER.get(p, ()):
            return maker
        return cadre_scoped(COMMITTEE, ok)(p, t)

    return rule


def notice(ok=200):
    return scoped(NOTICE_READ, ok=ok, outsiders=404)


def campaign_read(p, t):
    return 200 if p in HAS_MEMBER else 404


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


REVIEW = {"visited_on": "{today}", "visitors": "张志强", "findings": "属实", "category": "deep"}


def _review(w, t):
    return REVIEW | {"visited_on": w["today"]}


def _file_for(w, t):
    # a member of the branch without a file yet
    member = w["m_rep1"] if t == "b1" else w["m_branch2"]
    return {"member": member, "causes": ["illness"], "applicant_monthly_income": "1500"}


def _visit_for(w, t):
    return {"member": w["ids"]["member"][t], "kind": "festival", "planned_on": w["today"]}


def _campaign_for(w, t):
    return {"name": "矩阵助学", "kind": "education", "org_unit": w["units"][t], "year": 2026}


def _run_for(w, t):
    return {"title": "矩阵批次", "applications": [w["ids"]["pay"][t]]}


CONFIG_FORM = {
    "dibao_line": "950",
    "relative_factor": "2",
    "accident_loss_ratio": "0.8",
    "notice_workdays": 5,
    "retention_years": 10,
    "review_interval_months": 12,
}


# The API's path parameters -> the world's ids ({application_id} names the application in the
# state the operation needs: `application=` on the row, "sub" by default).
PARAMS = {
    "file_id": "file",
    "person_id": "person",
    "expense_id": "expense",
    "campaign_id": "campaign",
    "objection_id": "objection",
    "fund_id": "fund",
    "entry_id": "entry",
    "run_id": "run",
    "visit_id": "visit",
}


def api(operation: str, rule, targets=(None,), path=None, application="sub", **kwargs) -> Row:
    """The row of an API operation ("METHOD /api/v1/path" as in the OpenAPI document); its
    request path is the operation's own with the world's ids, unless `path` is given."""
    method, route_path = operation.split(" ", 1)
    if path is None:
        path = route_path.replace("{application_id}", "{" + application + "}")
        for param, key in PARAMS.items():
            path = path.replace("{" + param + "}", "{" + key + "}")
    return Row(operation, method.lower(), path, rule, targets, **kwargs)


def _file_api(w, t):
    return {"member_id": _file_for(w, t)["member"], "causes": ["illness"]}


def _run_api(w, t):
    return {"fund_id": w["ids"]["fund"][t], "application_ids": [w["ids"]["pay"][t]]}


def _visit_api(w, t):
    return {"member_id": w["ids"]["member"][t], "kind": "festival", "planned_on": w["today"]}


ROWS = [
    # --- a member's own pages ----------------------------------------------------------------
    Row("assistance:mine", "get", "/assistance/mine/", everyone(200)),
    Row("assistance:apply", "get", "/assistance/apply/{apply}/", holders(HAS_MEMBER, others=404)),
    Row(
        "assistance:apply",
        "post",
        "/assistance/apply/{apply}/",
        holders(HAS_MEMBER, ok=302, others=404),
        data={"amount": "800", "situation": "家中困难"},
        name="assistance:apply-post",
    ),
    Row("assistance:notice-list", "get", "/assistance/notices/", everyone(200)),
    Row("assistance:notice-detail", "get", "/assistance/notices/{ntc}/", notice(), REC),
    Row(
        "assistance:notice-detail",
        "post",
        "/assistance/notices/{ntc}/",
        notice(302),
        REC,
        data={"text": "请核实", "anonymous": "on"},
        name="assistance:notice-detail-post",
    ),
    # --- applications ------------------------------------------------------------------------
    Row("assistance:index", "get", "/assistance/", holders(CADRES)),
    Row("assistance:application-list", "get", "/assistance/applications/", holders(CADRES)),
    Row(
        "assistance:application-detail",
        "get",
        "/assistance/applications/{sub}/",
        own_or(CADRE_SCOPE),
        REC,
    ),
    Row(
        "assistance:application-review",
        "post",
        "/assistance/applications/{sub}/review/",
        own_or(CADRE_SCOPE, 302, owner_ok=403),
        REC,
        data=_review,
    ),
    Row(
        "assistance:application-decline",
        "post",
        "/assistance/applications/{sub}/decline/",
        own_or(CADRE_SCOPE, 302, owner_ok=403),
        REC,
        data={"decline-reason": "不符合条件"},
    ),
    Row(
        "assistance:application-publish",
        "post",
        "/assistance/applications/{rev}/publish/",
        own_or(CADRE_SCOPE, 302, owner_ok=403),
        REC,
        data=lambda w, t: {"notice_unit": w["units"][t], "workdays": 5},
    ),
    Row(
        "assistance:application-approve",
        "post",
        "/assistance/applications/{ntc}/approve/",
        decide(COMMITTEE, 400),  # the committee's; not during the notice period (400)
        REC,
        data={"note": ""},
    ),
    Row(
        "assistance:application-reject",
        "post",
        "/assistance/applications/{ntc}/reject/",
        decide(COMMITTEE, 302),
        REC,
        data={"reject-reason": "不符合条件"},
    ),
    Row(
        "assistance:application-withdraw",
        "post",
        "/assistance/applications/{sub}/withdraw/",
        own_or(CADRE_SCOPE, 403, owner_ok=302),  # the applicant's alone
        REC,
    ),
    # Rating: the applicant's alone, once paid (the world's application is not: 409).
    Row(
        "assistance:application-rate",
        "post",
        "/assistance/applications/{sub}/rate/",
        own_or(CADRE_SCOPE, 403, owner_ok=409),
        REC,
        data={"rating": "satisfied"},
    ),
    Row("assistance:objection-list", "get", "/assistance/objections/", holders(CADRES)),
    Row(
        "assistance:objection-resolve",
        "post",
        "/assistance/objections/{objection}/resolve/",
        cadre_scoped(ok=302),
        REC,
        data=lambda w, t: {
            f"o{w['ids']['objection'][t]}-resolution": "dismissed",
            f"o{w['ids']['objection'][t]}-note": "经核实情况属实",
        },
    ),
    # --- campaigns ---------------------------------------------------------------------------
    Row("assistance:campaign-list", "get", "/assistance/campaigns/", holders(CADRES)),
    Row("assistance:campaign-create", "get", "/assistance/campaigns/new/", holders(CADRES)),
    Row(
        "assistance:campaign-create",
        "post",
        "/assistance/campaigns/new/",
        cadre_scoped(ok=302, outside=400),  # a unit outside: not a form choice
        REC,
        data=_campaign_for,
        scope=CADRE_SCOPE,
        name="assistance:campaign-create-post",
    ),
    Row("assistance:campaign-detail", "get", "/assistance/campaigns/{campaign}/", campaign_read),
    Row(
        "assistance:apply-on-behalf",
        "get",
        "/assistance/campaigns/{campaign}/on-behalf/",
        lambda p, t: 200 if p in CADRES else (403 if p in HAS_MEMBER else 404),
    ),
    Row(
        "assistance:apply-on-behalf",
        "post",
        "/assistance/campaigns/{apply}/on-behalf/",
        lambda p, t: (
            cadre_scoped(ok=302, outside=400)(p, t)
            if p in CADRES
            else (403 if p in HAS_MEMBER else 404)
        ),
        REC,
        data=lambda w, t: {
            "member": w["ids"]["member"][t],
            "amount": "800",
            "situation": "家中困难",
        },
        scope=CADRE_SCOPE,
        name="assistance:apply-on-behalf-post",
    ),
    # --- the hardship registry -----------------------------------------------------------------
    Row("assistance:file-list", "get", "/assistance/files/", holders(CADRES)),
    Row("assistance:file-create", "get", "/assistance/files/new/", holders(CADRES)),
    Row(
        "assistance:file-create",
        "post",
        "/assistance/files/new/",
        cadre_scoped(ok=302, outside=400),  # a member outside: not a form choice
        REC,
        data=_file_for,
        scope=CADRE_SCOPE,
        name="assistance:file-create-post",
    ),
    Row("assistance:file-detail", "get", "/assistance/files/{file}/", cadre_scoped(), REC),
    Row("assistance:file-edit", "get", "/assistance/files/{file}/edit/", cadre_scoped(), REC),
    Row(
        "assistance:file-edit",
        "post",
        "/assistance/files/{file}/edit/",
        cadre_scoped(ok=302),
        REC,
        data={"causes": ["illness", "disaster"], "applicant_monthly_income": "1500"},
        name="assistance:file-edit-post",
    ),
    Row(
        "assistance:file-household",
        "post",
        "/assistance/files/{file}/household/",
        cadre_scoped(ok=302),
        REC,
        data={"relation": "parent", "age": "70", "monthly_income": "0", "health": "healthy"},
    ),
    Row(
        "assistance:file-household-remove",
        "post",
        "/assistance/files/{file}/household/{person}/remove/",
        cadre_scoped(ok=302),
        REC,
    ),
    Row(
        "assistance:file-expense",
        "post",
        "/assistance/files/{file}/expenses/",
        cadre_scoped(ok=302),
        REC,
        data={"kind": "education", "monthly_amount": "300"},
    ),
    Row(
        "assistance:file-expense-remove",
        "post",
        "/assistance/files/{file}/expenses/{expense}/remove/",
        cadre_scoped(ok=302),
        REC,
    ),
    Row(
        "assistance:file-review",
        "post",
        "/assistance/files/{file}/review/",
        cadre_scoped(ok=302),
        REC,
        data={"outcome": "continue", "note": "情况未变"},
    ),
    Row(
        "assistance:file-exit",
        "post",
        "/assistance/files/{file}/exit/",
        cadre_scoped(ok=302),
        REC,
        data={"reason": "income_improved", "note": ""},
    ),
    Row(
        "assistance:settings",
        "get",
        "/assistance/settings/?unit={branch}",
        cadre_scoped(),
        REC,
    ),
    Row(
        "assistance:settings",
        "post",
        "/assistance/settings/?unit={branch}",
        cadre_scoped(ok=302),
        REC,
        data=CONFIG_FORM,
        name="assistance:settings-post",
    ),
    # --- funds and payment runs ------------------------------------------------------------------
    Row("assistance:fund-list", "get", "/assistance/funds/", holders(CADRES)),
    Row(
        "assistance:fund-detail",
        "get",
        "/assistance/funds/{fund}/",
        cadre_scoped(FUND_SCOPE),
        FUNDS,
    ),
    Row(
        "assistance:fund-income",
        "post",
        "/assistance/funds/{fund}/income/",
        cadre_scoped(FUND_SCOPE, ok=302),
        FUNDS,
        data={"kind": "donation", "amount": "100", "description": "捐款"},
    ),
    Row(
        "assistance:fund-statement",
        "get",
        "/assistance/funds/{fund}/statement/",
        cadre_scoped(FUND_SCOPE),
        FUNDS,
    ),
    Row(
        "assistance:fund-statement-export",
        "get",
        "/assistance/funds/{fund}/statement/export/",
        cadre_scoped(FUND_SCOPE),
        FUNDS,
    ),
    Row(
        "assistance:entry-reverse",
        "post",
        "/assistance/entries/{entry}/reverse/",
        cadre_scoped(FUND_SCOPE, ok=302),
        FUNDS,
        data={"reason": "录入错误"},
    ),
    Row("assistance:run-list", "get", "/assistance/payment-runs/", holders(CADRES)),
    Row(
        "assistance:run-create",
        "get",
        "/assistance/payment-runs/new/{fund}/",
        cadre_scoped(),  # a fund with applications to pay (the committee's has none: 404)
        REC,
    ),
    Row(
        "assistance:run-create",
        "post",
        "/assistance/payment-runs/new/{fund}/",
        cadre_scoped(ok=302),
        REC,
        data=_run_for,
        name="assistance:run-create-post",
    ),
    Row("assistance:run-detail", "get", "/assistance/payment-runs/{run}/", cadre_scoped(), REC),
    Row(
        "assistance:run-approve",
        "post",
        "/assistance/payment-runs/{run}/approve/",
        run_decision(302),
        REC,
        data={"note": ""},
    ),
    Row(
        "assistance:run-reject",
        "post",
        "/assistance/payment-runs/{run}/reject/",
        run_decision(302),
        REC,
        data={"note": "金额有误"},
    ),
    Row(
        "assistance:run-cancel",
        "post",
        "/assistance/payment-runs/{run}/cancel/",
        cadre_scoped(ok=302),
        REC,
    ),
    Row("assistance:reconciliation", "get", "/assistance/reconciliation/", holders(CADRES)),
    # --- visits --------------------------------------------------------------------------------
    Row("assistance:visit-list", "get", "/assistance/visits/", holders(CADRES)),
    Row("assistance:visit-create", "get", "/assistance/visits/new/", holders(CADRES)),
    Row(
        "assistance:visit-create",
        "post",
        "/assistance/visits/new/",
        cadre_scoped(ok=302, outside=400),  # a member outside: not a form choice
        REC,
        data=_visit_for,
        scope=CADRE_SCOPE,
        name="assistance:visit-create-post",
    ),
    Row("assistance:visit-detail", "get", "/assistance/visits/{visit}/", cadre_scoped(), REC),
    Row(
        "assistance:visit-complete",
        "post",
        "/assistance/visits/{visit}/complete/",
        cadre_scoped(ok=302),
        REC,
        data=lambda w, t: {"visited_on": w["today"], "visitors": "李春梅", "money": "0"},
    ),
    Row(
        "assistance:visit-cancel",
        "post",
        "/assistance/visits/{visit}/cancel/",
        cadre_scoped(ok=302),
        REC,
    ),
    Row(
        "assistance:visit-photo",
        "post",
        "/assistance/visits/{visit}/photos/",
        cadre_scoped(ok=302),
        REC,
        data=lambda w, t: {"photo": _png()},
    ),
    # === API =====================================================================================
    api("GET /api/v1/assistance/files", holders(CADRES)),
    api("POST /api/v1/assistance/files", cadre_scoped(ok=201), REC, data=_file_api),
    api("GET /api/v1/assistance/files/due-review", holders(CADRES)),
    api("GET /api/v1/assistance/files/{file_id}", cadre_scoped(), REC),
    api("PATCH /api/v1/assistance/files/{file_id}", cadre_scoped(), REC, data={"cause_note": "矩"}),
    api(
        "POST /api/v1/assistance/files/{file_id}/household",
        cadre_scoped(ok=201),
        REC,
        data={"relation": "parent", "age": 70},
    ),
    api(
        "DELETE /api/v1/assistance/files/{file_id}/household/{person_id}",
        cadre_scoped(ok=204),
        REC,
    ),
    api(
        "POST /api/v1/assistance/files/{file_id}/expenses",
        cadre_scoped(ok=201),
        REC,
        data={"kind": "education", "monthly_amount": "300"},
    ),
    api(
        "DELETE /api/v1/assistance/files/{file_id}/expenses/{expense_id}",
        cadre_scoped(ok=204),
        REC,
    ),
    api(
        "POST /api/v1/assistance/files/{file_id}/review",
        cadre_scoped(ok=201),
        REC,
        data={"outcome": "continue"},
    ),
    api(
        "POST /api/v1/assistance/files/{file_id}/exit",
        cadre_scoped(),
        REC,
        data={"reason": "income_improved"},
    ),
    api(
        "POST /api/v1/assistance/eligibility",
        everyone(200),
        data={"household_size": 3, "monthly_income": "2500"},
    ),
    api(
        "GET /api/v1/assistance/config",
        cadre_scoped(),
        REC,
        path="/api/v1/assistance/config?unit_id={branch}",
    ),
    api(
        "PUT /api/v1/assistance/config",
        cadre_scoped(),
        REC,
        data=lambda w, t: {"unit_id": w["units"][t], "dibao_line": "950"},
    ),
    api("GET /api/v1/assistance/campaigns", everyone(200)),
    api(
        "POST /api/v1/assistance/campaigns",
        cadre_scoped(ok=201),
        REC,
        data=lambda w, t: {"name": "矩阵助学", "kind": "education", "unit_id": w["units"][t]},
    ),
    api("GET /api/v1/assistance/campaigns/{campaign_id}", campaign_read),
    api(
        "PATCH /api/v1/assistance/campaigns/{campaign_id}",
        # the committee's campaign: the chair's; refused to the members it is open to
        lambda p, t: 200 if p == "chair" else 403 if p in HAS_MEMBER else 404,
        data={"description": "矩阵"},
    ),
    api("GET /api/v1/assistance/applications", holders(CADRES)),
    api(
        "POST /api/v1/assistance/applications",
        holders(HAS_MEMBER, ok=201, others=404),
        data=lambda w, t: {"campaign_id": w["apply"], "amount": "800", "situation": "家中困难"},
        multipart=True,
    ),
    api("GET /api/v1/assistance/applications/mine", everyone(200)),
    api("GET /api/v1/assistance/applications/{application_id}", own_or(CADRE_SCOPE), REC),
    api(
        "POST /api/v1/assistance/applications/{application_id}/review",
        own_or(CADRE_SCOPE, owner_ok=403),
        REC,
        data=_review,
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/decline",
        own_or(CADRE_SCOPE, owner_ok=403),
        REC,
        data={"reason": "不符合条件"},
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/publish",
        own_or(CADRE_SCOPE, owner_ok=403),
        REC,
        data={},
        application="rev",
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/approve",
        decide(COMMITTEE, 400),  # not during the notice period (400)
        REC,
        data={},
        application="ntc",
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/reject",
        decide(COMMITTEE, 200),
        REC,
        data={"reason": "不符合条件"},
        application="ntc",
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/withdraw",
        own_or(CADRE_SCOPE, 403, owner_ok=200),
        REC,
    ),
    api(
        "POST /api/v1/assistance/applications/{application_id}/rate",
        own_or(CADRE_SCOPE, 403, owner_ok=409),
        REC,
        data={"rating": "satisfied"},
    ),
    api("GET /api/v1/assistance/notices", everyone(200)),
    api("GET /api/v1/assistance/notices/{application_id}", notice(), REC, application="ntc"),
    api(
        "POST /api/v1/assistance/notices/{application_id}/objections",
        notice(201),
        REC,
        data={"text": "请核实", "anonymous": True},
        application="ntc",
    ),
    api("GET /api/v1/assistance/objections", holders(CADRES)),
    api(
        "POST /api/v1/assistance/objections/{objection_id}/resolve",
        cadre_scoped(),
        REC,
        data={"resolution": "dismissed", "note": "经核实情况属实"},
    ),
    api("GET /api/v1/assistance/funds", holders(CADRES)),
    api("GET /api/v1/assistance/funds/{fund_id}", cadre_scoped(FUND_SCOPE), FUNDS),
    api("GET /api/v1/assistance/funds/{fund_id}/entries", cadre_scoped(FUND_SCOPE), FUNDS),
    api(
        "POST /api/v1/assistance/funds/{fund_id}/income",
        cadre_scoped(FUND_SCOPE, ok=201),
        FUNDS,
        data={"kind": "donation", "amount": "100", "description": "捐款"},
    ),
    api(
        "POST /api/v1/assistance/entries/{entry_id}/reverse",
        cadre_scoped(FUND_SCOPE, ok=201),
        FUNDS,
        data={"reason": "录入错误"},
    ),
    api(
        "GET /api/v1/assistance/funds/{fund_id}/statement",
        cadre_scoped(FUND_SCOPE),
        FUNDS,
        path="/api/v1/assistance/funds/{fund}/statement?month={month}",
    ),
    api("GET /api/v1/assistance/payment-runs", holders(CADRES)),
    api("POST /api/v1/assistance/payment-runs", cadre_scoped(ok=201), REC, data=_run_api),
    api("GET /api/v1/assistance/payable", holders(CADRES)),
    api("GET /api/v1/assistance/payment-runs/{run_id}", cadre_scoped(), REC),
    api("POST /api/v1/assistance/payment-runs/{run_id}/approve", run_decision(200), REC, data={}),
    api(
        "POST /api/v1/assistance/payment-runs/{run_id}/reject",
        run_decision(200),
        REC,
        data={"note": "金额有误"},
    ),
    api("POST /api/v1/assistance/payment-runs/{run_id}/cancel", cadre_scoped(), REC),
    api("GET /api/v1/assistance/reconciliation", holders(CADRES)),
    api("GET /api/v1/assistance/visits", holders(CADRES)),
    api("POST /api/v1/assistance/visits", cadre_scoped(ok=201), REC, data=_visit_api),
    api("GET /api/v1/assistance/visits/{visit_id}", cadre_scoped(), REC),
    api(
        "POST /api/v1/assistance/visits/{visit_id}/complete",
        cadre_scoped(),
        REC,
        data=lambda w, t: {"visited_on": w["today"], "visitors": "李春梅"},
    ),
    api("POST /api/v1/assistance/visits/{visit_id}/cancel", cadre_scoped(), REC),
    api(
        "POST /api/v1/assistance/visits/{visit_id}/photos",
        cadre_scoped(ok=201),
        REC,
        data=lambda w, t: {"photo": _png()},
        multipart=True,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


def _json_body(row, response, status):
    """The API answers JSON, with the error body on a refusal."""
    if row.api and response.status_code != 204:
        assert response["Content-Type"].startswith("application/json")
        if status >= 400:
            assert "detail" in response.json()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected, after=_json_body)


def test_the_table_covers_every_persona_and_the_sibling_rule():
    table = list(cases(ROWS))
    assert {c.values[1] for c in table} == set(ALL)
    by_key = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in table}
    assert by_key[("assistance:file-detail-get", "branch2", "b1")] == 404
    assert by_key[("assistance:file-detail-get", "branch1", "b2")] == 404
    assert by_key[("assistance:file-detail-get", "admin", "b1")] == 403
    # the committee's fund is the chair's alone; the maker of a run may not approve it
    assert by_key[("assistance:fund-detail-get", "branch1", "u")] == 404
    assert (
        by_key[("POST /api/v1/assistance/payment-runs/{run_id}/approve-post", "branch1", "b1")]
        == 403
    )
    assert by_key[("assistance:mine-get", ANON, None)] == 302


def test_the_fingerprint_sees_a_changed_value(world, db):
    from zhijia.assistance.models import HardshipFile

    before = world.fingerprint()
    HardshipFile.objects.filter(pk=world["ids"]["file"]["b1"]).update(cause_note="改")
    assert world.fingerprint() != before
