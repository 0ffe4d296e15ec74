"""Roles × endpoints for safety: every persona against every page and API endpoint, on hazards
of branch1 in each state that matters. Expectations, from DESIGN.md, as plain data:

  - members report hazards; a hazard is seen by its reporter, the cadres above its unit (chair,
    branch1), the handlers of its owner department once assigned (handler1, D-HR) and the
    mass safety supervisors of its unit (rep1 is one for branch1); anyone else gets 404;
  - assigning and dismissing: cadres over the unit; those who see the hazard without the right
    get 403; rectifying: the owner department's handlers; verifying: the reporter or a
    supervisor, never the one who fixed it;
  - the desk queue: cadres and handlers; supervisors, the tally: cadres (and leaders).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from conftest import PERSONAS
from zhijia.safety import actions
from zhijia.safety.tests.support import department, report

pytestmark = pytest.mark.django_db

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
B1_CADRES = {"chair", "branch1"}
SEES_REPORTED = {"worker1", "chair", "branch1", "rep1"}  # not yet assigned: no handler
SEES_ASSIGNED = SEES_REPORTED | {"handler1"}


def seen_by(viewers, ok, allowed):
    """ok for `allowed`, 403 for others who see the hazard, 404 for everyone else."""
    return lambda p: ok if p in allowed else 403 if p in viewers else 404


def within(group, ok):
    return lambda p: ok if p in group else 403


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expect: object
    data: object = None
    api: bool = False
    json: bool = True


ENDPOINTS = [
    # --- pages
    Endpoint("home", "get", "/safety/", within(MEMBERS | {"handler1"}, 200)),
    Endpoint("report-form", "get", "/safety/report/", within(MEMBERS, 200)),
    Endpoint("report", "post", "/safety/report/", within(MEMBERS, 302), lambda c: c["report"]),
    Endpoint(
        "detail",
        "get",
        "/safety/hazards/{assigned}/",
        seen_by(SEES_ASSIGNED, 200, SEES_ASSIGNED),
    ),
    Endpoint(
        "detail-reported",
        "get",
        "/safety/hazards/{reported}/",
        seen_by(SEES_REPORTED, 200, SEES_REPORTED),
    ),
    Endpoint(
        "assign",
        "post",
        "/safety/hazards/{reported}/assign/",
        seen_by(SEES_REPORTED, 302, B1_CADRES),
        lambda c: {"department": c["dept"], "workdays": "5"},
    ),
    Endpoint(
        "dismiss",
        "post",
        "/safety/hazards/{reported}/dismiss/",
        seen_by(SEES_REPORTED, 302, B1_CADRES),
        {"reason": "重复"},
    ),
    Endpoint(
        "begin",
        "post",
        "/safety/hazards/{assigned}/begin/",
        seen_by(SEES_ASSIGNED, 302, {"handler1"}),
        {},
    ),
    Endpoint(
        "fix",
        "post",
        "/safety/hazards/{assigned}/fix/",
        seen_by(SEES_ASSIGNED, 302, {"handler1"}),
        {"result": "已整改"},
    ),
    Endpoint(
        "verify",
        "post",
        "/safety/hazards/{fixed}/verify/",
        seen_by(SEES_ASSIGNED, 302, {"worker1", "rep1"}),
        {},
    ),
    Endpoint(
        "reopen",
        "post",
        "/safety/hazards/{fixed}/reopen/",
        seen_by(SEES_ASSIGNED, 302, {"worker1", "rep1"}),
        {"reason": "未整改到位"},
    ),
    Endpoint("queue", "get", "/safety/queue/", within(CADRES | {"handler1"}, 200)),
    Endpoint("supervisors", "get", "/safety/supervisors/", within(CADRES, 200)),
    Endpoint(
        "designate",
        "post",
        "/safety/supervisors/",
        lambda p: 302 if p in B1_CADRES else 400 if p == "branch2" else 403,
        lambda c: {"org_unit": c["b1"], "employee_no": "E0103"},
    ),
    Endpoint(
        "end-supervisor",
        "post",
        "/safety/supervisors/{supervisor}/end/",
        lambda p: 302 if p in B1_CADRES else 404,
        {},
    ),
    Endpoint("tally", "get", "/safety/tally/", within(CADRES, 200)),
    Endpoint("tally-export", "get", "/safety/tally/export/", within(CADRES, 200)),
    Endpoint(
        "tally-b1",
        "get",
        "/safety/tally/?unit={b1}",
        lambda p: 200 if p in B1_CADRES else 404 if p == "branch2" else 403,
    ),
    # --- API
    Endpoint("api-list", "get", "/api/v1/safety/hazards", lambda p: 200, api=True),
    Endpoint(
        "api-queue",
        "get",
        "/api/v1/safety/hazards?box=queue",
        within(CADRES | {"handler1"}, 200),
        api=True,
    ),
    Endpoint(
        "api-report",
        "post",
        "/api/v1/safety/hazards",
        within(MEMBERS, 201),
        lambda c: {**c["report"], "org_unit_id": c["report"]["org_unit"]},
        api=True,
        json=False,
    ),
    Endpoint(
        "api-detail",
        "get",
        "/api/v1/safety/hazards/{assigned}",
        seen_by(SEES_ASSIGNED, 200, SEES_ASSIGNED),
        api=True,
    ),
    Endpoint(
        "api-assign",
        "post",
        "/api/v1/safety/hazards/{reported}/assign",
        seen_by(SEES_REPORTED, 200, B1_CADRES),
        lambda c: {"department_id": c["dept"], "workdays": 5},
        api=True,
    ),
    Endpoint(
        "api-dismiss",
        "post",
        "/api/v1/safety/hazards/{reported}/dismiss",
        seen_by(SEES_REPORTED, 200, B1_CADRES),
        {"reason": "重复"},
        api=True,
    ),
    Endpoint(
        "api-reassign",
        "post",
        "/api/v1/safety/hazards/{assigned}/reassign",
        seen_by(SEES_ASSIGNED, 200, B1_CADRES),
        lambda c: {"department_id": c["dept"], "workdays": 3, "reason": "调整"},
        api=True,
    ),
    Endpoint(
        "api-begin",
        "post",
        "/api/v1/safety/hazards/{assigned}/begin",
        seen_by(SEES_ASSIGNED, 200, {"handler1"}),
        {},
        api=True,
    ),
    Endpoint(
        "api-fix",
        "post",
        "/api/v1/safety/hazards/{assigned}/fix",
        seen_by(SEES_ASSIGNED, 200, {"handler1"}),
        {"result": "已整改"},
        api=True,
        json=False,
    ),
    Endpoint(
        "api-verify",
        "post",
        "/api/v1/safety/hazards/{fixed}/verify",
        seen_by(SEES_ASSIGNED, 200, {"worker1", "rep1"}),
        {},
        api=True,
    ),
    Endpoint(
        "api-reopen",
        "post",
        "/api/v1/safety/hazards/{fixed}/reopen",
        seen_by(SEES_ASSIGNED, 200, {"worker1", "rep1"}),
        {"reason": "未整改到位"},
        api=True,
    ),
    Endpoint("api-supervisors", "get", "/api/v1/safety/supervisors", within(CADRES, 200), api=True),
    Endpoint(
        "api-designate",
        "post",
        "/api/v1/safety/supervisors",
        within(B1_CADRES, 201),
        lambda c: {"org_unit_id": c["b1"], "employee_no": "E0103"},
        api=True,
    ),
    Endpoint(
        "api-end-supervisor",
        "post",
        "/api/v1/safety/supervisors/{supervisor}/end",
        lambda p: 200 if p in B1_CADRES else 404,
        {},
        api=True,
    ),
    Endpoint("api-tally", "get", "/api/v1/safety/tally", within(CADRES, 200), api=True),
]


# The demo union and the hazards below are built once for the module (conftest.module_db);
# each row runs in a savepoint and is rolled back to them, with its own upload directory.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas, demo_units):
    reported = report(personas, demo_units, place="待分派")
    assigned = report(personas, demo_units, place="待整改")
    actions.do_assign_hazard(
        actor=personas["branch1"], hazard=assigned, department=department(), workdays=5
    )
    fixed = report(personas, demo_units, place="待验收")
    actions.do_assign_hazard(
        actor=personas["branch1"], hazard=fixed, department=department(), workdays=5
    )
    actions.do_fix_hazard(actor=personas["handler1"], hazard=fixed, result="已整改")
    supervisor = actions.do_designate_supervisor(
        actor=personas["branch1"], member=personas["rep1"].member_record, org_unit=demo_units["B1"]
    )
    report(personas, demo_units, who="worker2", unit="B2-G1", place="二分工会的")
    return {
        "reported": reported.pk,
        "assigned": assigned.pk,
        "fixed": fixed.pk,
        "supervisor": supervisor.pk,
        "dept": department().pk,
        "b1": demo_units["B1"].pk,
        "report": {
            "place": "食堂后门",
            "description": "地面湿滑",
            "category": "environment",
            "level": "general",
            "org_unit": demo_units["B1-G1"].pk,
        },
    }


@pytest.fixture
def ctx(world, private_storage):
    return world


def _call(client: Client, endpoint: Endpoint, ctx) -> int:
    path = endpoint.path.format(**ctx)
    data = endpoint.data(ctx) if callable(endpoint.data) else endpoint.data
    method = getattr(client, endpoint.method)
    if endpoint.method == "post" and endpoint.api and endpoint.json:
        return method(path, data=data or {}, content_type="application/json").status_code
    if endpoint.method == "post":
        return method(path, data or {}).status_code
    return method(path).status_code


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_matrix(endpoint, persona, ctx, login, api_client):
    client = api_client(persona) if endpoint.api else login(persona)
    assert _call(client, endpoint, ctx) == endpoint.expect(persona), (endpoint.name, persona)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_signed_out(endpoint, ctx):
    status = _call(Client(), endpoint, ctx)
    assert status == (401 if endpoint.api else 302)
