"""Roles × endpoints: every persona against every assistance page and API endpoint.

The expectations are written out from DESIGN.md and the issue, as plain data, not read from the
permission registry under test:
  - cadres manage the assistance of their subtree: the chair (committee) everything, branch1
    branch 1, branch2 branch 2; a record of the sibling branch is 404 (not revealed);
  - the committee fund's ledger and payment runs are the committee's: 404 for branch cadres;
  - members (worker1, worker2, rep1 and the cadres' own member records) apply for themselves and
    read their own applications, the campaigns open to them and the notices of their units;
  - everyone else with no code (admin, handler, counselor, mediator, representatives, workers)
    is refused the cadre pages with 403 — the admin sees no hardship detail at all;
  - the preparer of a payment run may not approve it (maker-checker): 403.
Each write runs inside a transaction rolled back afterwards, so every persona meets the same
state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import PERSONAS
from zhijia.assistance.actions import ledger, registry, visits
from zhijia.assistance.tests.support import make_campaign, member_of, to_state

pytestmark = pytest.mark.django_db

CADRES = {"chair", "branch1", "branch2"}
HAS_MEMBER = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
B1 = {"chair", "branch1"}  # hold the assistance codes over branch 1
B2 = {"chair", "branch2"}
B1_MEMBERS = {"branch1", "rep1", "worker1"}  # members whose own unit is in branch 1


def everyone(ok=200):
    return lambda p: ok


def cadres(ok=200):
    return lambda p: ok if p in CADRES else 403


def scoped(scope, ok=200):
    """ok within scope; 404 for other cadres (out of scope); 403 for roles without the code."""
    return lambda p: ok if p in scope else (404 if p in CADRES else 403)


def committee_only(ok=200):
    return scoped({"chair"}, ok)


def own_or_scoped(owner, scope, ok=200):
    return lambda p: ok if p == owner or p in scope else (404 if p in CADRES else 403)


def notice_rule(ok=200):
    # Members of branch 1 read branch 1's notice, cadres over it too; nobody else sees it.
    return lambda p: ok if p in B1_MEMBERS | B1 else 404


def campaign_rule(p):
    return 200 if p in CADRES | HAS_MEMBER else 404


def applicant_rule(ok=200):
    return lambda p: ok if p in HAS_MEMBER else 404


def on_behalf_rule(p):
    return 200 if p in CADRES else (403 if p in HAS_MEMBER else 404)


def review_b2(ok):
    # worker2 opens their own application but may not review it.
    return lambda p: ok if p in B2 else (404 if p in CADRES else 403)


def approve_b1(p):
    if p == "chair":
        return 400  # the committee may approve, but not during the notice period
    if p == "branch2":
        return 404
    return 403  # branch1: not at committee level; worker1: own application; others: no code


def approve_run(p):
    if p == "chair":
        return 403  # the chair prepared this run: maker-checker
    return 404 if p in CADRES else 403


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str  # get / post / put
    path: str  # formatted with the scenario's ids
    expect: Callable[[str], int]
    api: bool = False
    data: dict | Callable | None = None
    json: bool = True


# The demo union and the records below are built once for the module (conftest.module_db);
# each endpoint's test runs in a savepoint and is rolled back to them.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas):
    chair, branch1 = personas["chair"], personas["branch1"]
    campaign = make_campaign(chair)
    second = make_campaign(chair, name="2026年送温暖（二）", income="0")
    f1 = registry.do_create_file(
        actor=branch1, member=member_of(personas["worker1"]), causes=["illness"]
    )
    f2 = registry.do_create_file(
        actor=personas["branch2"], member=member_of(personas["worker2"]), causes=["disaster"]
    )
    app_b1 = to_state("notice", personas=personas, campaign=campaign, worker="worker1")
    app_b2 = to_state("submitted", personas=personas, campaign=campaign, worker="worker2")
    app_rep = to_state("approved", personas=personas, campaign=campaign, worker="rep1")
    run = ledger.do_prepare_payment_run(actor=chair, fund=campaign.fund, applications=[app_rep])
    v1 = visits.do_create_visit(
        actor=branch1,
        member=member_of(personas["worker1"]),
        kind="festival",
        planned_on=timezone.localdate(),
    )
    return {
        "campaign": campaign.pk,
        "second": second.pk,
        "fund": campaign.fund_id,
        "f1": f1.pk,
        "f2": f2.pk,
        "app_b1": app_b1.pk,
        "app_b2": app_b2.pk,
        "run": run.pk,
        "v1": v1.pk,
        "m_worker1": member_of(personas["worker1"]).pk,
        "m_rep1": member_of(personas["rep1"]).pk,
        "unit_u": campaign.org_unit_id,
        "today": timezone.localdate().isoformat(),
    }


@pytest.fixture
def scenario(world):
    return world


ENDPOINTS = [
    # --- pages: workers ---
    Endpoint("mine", "get", "/assistance/mine/", everyone()),
    Endpoint("apply-form", "get", "/assistance/apply/{second}/", applicant_rule()),
    Endpoint("notice-list", "get", "/assistance/notices/", everyone()),
    Endpoint("notice-detail", "get", "/assistance/notices/{app_b1}/", notice_rule()),
    Endpoint(
        "application-own-b1",
        "get",
        "/assistance/applications/{app_b1}/",
        own_or_scoped("worker1", B1),
    ),
    Endpoint(
        "application-own-b2",
        "get",
        "/assistance/applications/{app_b2}/",
        own_or_scoped("worker2", B2),
    ),
    # --- pages: cadres ---
    Endpoint("index", "get", "/assistance/", cadres()),
    Endpoint("application-list", "get", "/assistance/applications/", cadres()),
    Endpoint("objection-list", "get", "/assistance/objections/", cadres()),
    Endpoint("campaign-list", "get", "/assistance/campaigns/", cadres()),
    Endpoint("campaign-create", "get", "/assistance/campaigns/new/", cadres()),
    Endpoint("campaign-detail", "get", "/assistance/campaigns/{campaign}/", campaign_rule),
    Endpoint("on-behalf", "get", "/assistance/campaigns/{campaign}/on-behalf/", on_behalf_rule),
    Endpoint("file-list", "get", "/assistance/files/", cadres()),
    Endpoint("file-create", "get", "/assistance/files/new/", cadres()),
    Endpoint("file-b1", "get", "/assistance/files/{f1}/", scoped(B1)),
    Endpoint("file-b2", "get", "/assistance/files/{f2}/", scoped(B2)),
    Endpoint("file-edit-b1", "get", "/assistance/files/{f1}/edit/", scoped(B1)),
    Endpoint("settings", "get", "/assistance/settings/", cadres()),
    Endpoint("fund-list", "get", "/assistance/funds/", cadres()),
    Endpoint("fund-detail", "get", "/assistance/funds/{fund}/", committee_only()),
    Endpoint("fund-statement", "get", "/assistance/funds/{fund}/statement/", committee_only()),
    Endpoint("fund-export", "get", "/assistance/funds/{fund}/statement/export/", committee_only()),
    Endpoint("run-list", "get", "/assistance/payment-runs/", cadres()),
    Endpoint("run-detail", "get", "/assistance/payment-runs/{run}/", committee_only()),
    Endpoint("reconciliation", "get", "/assistance/reconciliation/", cadres()),
    Endpoint("visit-list", "get", "/assistance/visits/", cadres()),
    Endpoint("visit-create", "get", "/assistance/visits/new/", cadres()),
    Endpoint("visit-b1", "get", "/assistance/visits/{v1}/", scoped(B1)),
    # --- pages: writes ---
    Endpoint(
        "file-household-add",
        "post",
        "/assistance/files/{f1}/household/",
        scoped(B1, 302),
        data={"relation": "child", "age": "12", "monthly_income": "0", "health": "healthy"},
        json=False,
    ),
    Endpoint(
        "application-review",
        "post",
        "/assistance/applications/{app_b2}/review/",
        review_b2(302),
        data=lambda s: {
            "visited_on": s["today"],
            "visitors": "张志强",
            "findings": "属实",
            "category": "deep",
        },
        json=False,
    ),
    Endpoint(
        "application-approve",
        "post",
        "/assistance/applications/{app_b1}/approve/",
        approve_b1,
        data={"note": ""},
        json=False,
    ),
    Endpoint(
        "notice-objection",
        "post",
        "/assistance/notices/{app_b1}/",
        notice_rule(302),
        data={"text": "请核实", "anonymous": "on"},
        json=False,
    ),
    Endpoint(
        "run-approve",
        "post",
        "/assistance/payment-runs/{run}/approve/",
        approve_run,
        data={"note": ""},
        json=False,
    ),
    # --- API: reads ---
    Endpoint("api-files", "get", "/api/v1/assistance/files", cadres(), api=True),
    Endpoint("api-files-due", "get", "/api/v1/assistance/files/due-review", cadres(), api=True),
    Endpoint("api-file-b1", "get", "/api/v1/assistance/files/{f1}", scoped(B1), api=True),
    Endpoint("api-file-b2", "get", "/api/v1/assistance/files/{f2}", scoped(B2), api=True),
    Endpoint("api-applications", "get", "/api/v1/assistance/applications", cadres(), api=True),
    Endpoint("api-mine", "get", "/api/v1/assistance/applications/mine", everyone(), api=True),
    Endpoint(
        "api-application-b1",
        "get",
        "/api/v1/assistance/applications/{app_b1}",
        own_or_scoped("worker1", B1),
        api=True,
    ),
    Endpoint("api-campaigns", "get", "/api/v1/assistance/campaigns", everyone(), api=True),
    Endpoint(
        "api-campaign", "get", "/api/v1/assistance/campaigns/{campaign}", campaign_rule, api=True
    ),
    Endpoint("api-notices", "get", "/api/v1/assistance/notices", everyone(), api=True),
    Endpoint("api-notice", "get", "/api/v1/assistance/notices/{app_b1}", notice_rule(), api=True),
    Endpoint("api-objections", "get", "/api/v1/assistance/objections", cadres(), api=True),
    Endpoint("api-funds", "get", "/api/v1/assistance/funds", cadres(), api=True),
    Endpoint("api-fund", "get", "/api/v1/assistance/funds/{fund}", committee_only(), api=True),
    Endpoint(
        "api-entries",
        "get",
        "/api/v1/assistance/funds/{fund}/entries",
        committee_only(),
        api=True,
    ),
    Endpoint(
        "api-statement",
        "get",
        "/api/v1/assistance/funds/{fund}/statement",
        committee_only(),
        api=True,
    ),
    Endpoint("api-runs", "get", "/api/v1/assistance/payment-runs", cadres(), api=True),
    Endpoint("api-run", "get", "/api/v1/assistance/payment-runs/{run}", committee_only(), api=True),
    Endpoint("api-payable", "get", "/api/v1/assistance/payable", cadres(), api=True),
    Endpoint("api-reconciliation", "get", "/api/v1/assistance/reconciliation", cadres(), api=True),
    Endpoint("api-visits", "get", "/api/v1/assistance/visits", cadres(), api=True),
    Endpoint("api-visit-b1", "get", "/api/v1/assistance/visits/{v1}", scoped(B1), api=True),
    Endpoint("api-config", "get", "/api/v1/assistance/config", cadres(), api=True),
    # --- API: writes ---
    Endpoint(
        "api-eligibility",
        "post",
        "/api/v1/assistance/eligibility",
        everyone(),
        api=True,
        data={"household_size": 3, "monthly_income": "2500"},
    ),
    Endpoint(
        "api-file-create",
        "post",
        "/api/v1/assistance/files",
        scoped(B1, 201),
        api=True,
        data=lambda s: {"member_id": s["m_rep1"], "causes": ["illness"]},
    ),
    Endpoint(
        "api-household-add",
        "post",
        "/api/v1/assistance/files/{f1}/household",
        scoped(B1, 201),
        api=True,
        data={"relation": "parent", "age": 70},
    ),
    Endpoint(
        "api-review",
        "post",
        "/api/v1/assistance/applications/{app_b2}/review",
        review_b2(200),
        api=True,
        data=lambda s: {
            "visited_on": s["today"],
            "visitors": "张志强",
            "findings": "属实",
            "category": "deep",
        },
    ),
    Endpoint(
        "api-approve",
        "post",
        "/api/v1/assistance/applications/{app_b1}/approve",
        approve_b1,
        api=True,
        data={},
    ),
    Endpoint(
        "api-objection",
        "post",
        "/api/v1/assistance/notices/{app_b1}/objections",
        notice_rule(201),
        api=True,
        data={"text": "请核实", "anonymous": True},
    ),
    Endpoint(
        "api-apply",
        "post",
        "/api/v1/assistance/applications",
        applicant_rule(201),
        api=True,
        data=lambda s: {"campaign_id": s["second"], "amount": "800", "situation": "家中困难"},
        json=False,
    ),
    Endpoint(
        "api-campaign-create",
        "post",
        "/api/v1/assistance/campaigns",
        committee_only(201),
        api=True,
        data=lambda s: {"name": "金秋助学", "kind": "education", "unit_id": s["unit_u"]},
    ),
    Endpoint(
        "api-income",
        "post",
        "/api/v1/assistance/funds/{fund}/income",
        committee_only(201),
        api=True,
        data={"kind": "donation", "amount": "100", "description": "捐款"},
    ),
    Endpoint(
        "api-run-approve",
        "post",
        "/api/v1/assistance/payment-runs/{run}/approve",
        approve_run,
        api=True,
        data={},
    ),
    Endpoint(
        "api-visit-create",
        "post",
        "/api/v1/assistance/visits",
        scoped(B1, 201),
        api=True,
        data=lambda s: {"member_id": s["m_worker1"], "kind": "festival", "planned_on": s["today"]},
    ),
    Endpoint(
        "api-config-set",
        "put",
        "/api/v1/assistance/config",
        committee_only(200),
        api=True,
        data=lambda s: {"unit_id": s["unit_u"], "dibao_line": "950"},
    ),
]


def _request(client, endpoint: Endpoint, scenario: dict):
    path = endpoint.path.format(**scenario)
    data = endpoint.data(scenario) if callable(endpoint.data) else endpoint.data
    if endpoint.method == "get":
        return client.get(path)
    method = getattr(client, endpoint.method)
    if endpoint.api and endpoint.json:
        return method(path, json.dumps(data or {}), content_type="application/json")
    return method(path, data or {})


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_roles_by_endpoints(endpoint, scenario, login, api_client):
    failures = []
    for persona in PERSONAS:
        client = api_client(persona) if endpoint.api else login(persona)
        with transaction.atomic():
            response = _request(client, endpoint, scenario)
            transaction.set_rollback(True)
        expected = endpoint.expect(persona)
        if response.status_code != expected:
            failures.append(f"{persona}: {response.status_code} (expected {expected})")
        if endpoint.api and response.status_code >= 400:
            assert "detail" in response.json(), (persona, response.content[:200])
    assert not failures, f"{endpoint.name}: " + "; ".join(failures)


def test_every_url_is_in_the_matrix():
    """A new page or endpoint must be added to the table above."""
    from django.urls import get_resolver

    from zhijia.assistance import urls

    page_names = {p.name for p in urls.urlpatterns}
    covered_pages = {
        "mine",
        "apply",
        "notice-list",
        "notice-detail",
        "application-detail",
        "index",
        "application-list",
        "objection-list",
        "campaign-list",
        "campaign-create",
        "campaign-detail",
        "apply-on-behalf",
        "file-list",
        "file-create",
        "file-detail",
        "file-edit",
        "settings",
        "fund-list",
        "fund-detail",
        "fund-statement",
        "fund-statement-export",
        "run-list",
        "run-detail",
        "reconciliation",
        "visit-list",
        "visit-create",
        "visit-detail",
        "file-household",
        "application-review",
        "application-approve",
        "run-approve",
    }
    # Writes not in the table are covered by the action tests (scope checked in the action).
    covered_by_actions = {
        "application-decline",
        "application-publish",
        "application-reject",
        "application-withdraw",
        "objection-resolve",
        "file-household-remove",
        "file-expense",
        "file-expense-remove",
        "file-review",
        "file-exit",
        "fund-income",
        "entry-reverse",
        "run-create",
        "run-reject",
        "run-cancel",
        "visit-complete",
        "visit-cancel",
        "visit-photo",
    }
    assert page_names == covered_pages | covered_by_actions
    assert get_resolver()  # the URLconf loads
