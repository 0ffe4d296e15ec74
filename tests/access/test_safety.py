"""Roles × every page and API operation of safety, on hazards in branch1 and branch2.

From DESIGN.md (safety; roles) and the module's rules (zhijia/safety/permissions.py):
  - members report hazards; a hazard is seen by its reporter, the cadres over its unit (the
    chair both branches, branch1 / branch2 their own), the handlers of its owner department
    once assigned (handler1, HR: the hazards of both branches are assigned to HR here) and the
    mass safety supervisors of its unit (rep1 for branch1); anyone else gets 404 (not
    revealed: the sibling branch's chair too);
  - assigning, reassigning and dismissing: the cadres over the unit; others who see the
    hazard get 403; starting and reporting the rectification: the owner department's
    handlers; verifying or reopening a fix: the reporter or a supervisor of the unit;
  - the desk queue: cadres and handlers; the supervisors and the 安康杯 tally: cadres;
  - the admin, the counselor and the mediator hold nothing here (403 on the pages).
A refused write changes nothing: hazards, supervisors, attachments, the workflow history, the
audit log and notifications are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    B1,
    B2,
    BOTH,
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    everyone,
    first_refusal,
    holders,
    row_cases,
    run_cases,
    scoped,
    union,
)
from tests.access.world_safety import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = set(CADRE_SCOPE)
DESK = CADRES | {"handler1"}
MANAGE = CADRE_SCOPE
REPORTERS = {"worker1": B1, "worker2": B2}
SUPERVISORS = {"rep1": B1}
SEES_REPORTED = union(REPORTERS, SUPERVISORS, MANAGE)
SEES_ASSIGNED = union(SEES_REPORTED, {"handler1": BOTH})
RECTIFY = {"handler1": BOTH}
VERIFY = union(REPORTERS, SUPERVISORS)


def seen_by(viewers, allowed, ok):
    """ok for those `allowed` on the target, 403 for others who see it, 404 for the rest."""
    return first_refusal(scoped(viewers, outsiders=404), scoped(allowed, ok=ok, outside=403))


def _transition(action, state, viewers, allowed, data=None):
    return Row(
        "safety:hazard-transition",
        "post",
        f"/safety/hazards/{{{state}}}/{action}/",
        seen_by(viewers, allowed, 302),
        REC,
        data=data or {},
        name=f"safety:hazard-transition-{action}",
    )


def _api_transition(action, state, viewers, allowed, data=None, multipart=False):
    return Row(
        f"POST /api/v1/safety/hazards/{{hazard_id}}/{action}",
        "post",
        f"/api/v1/safety/hazards/{{{state}}}/{action}",
        seen_by(viewers, allowed, 200),
        REC,
        data=data or {},
        multipart=multipart,
    )


def _report(w, t):
    return {
        "place": "矩阵食堂后门",
        "description": "地面湿滑",
        "category": "environment",
        "level": "general",
        "org_unit": w["group"][t],
    }


ROWS = [
    # --- pages ------------------------------------------------------------------------------
    Row("safety:home", "get", "/safety/", holders(MEMBERS | {"handler1"})),
    Row("safety:report", "get", "/safety/report/", holders(MEMBERS)),
    Row(
        "safety:report",
        "post",
        "/safety/report/",
        holders(MEMBERS, ok=302),
        REC,
        data=_report,
        name="safety:report-post",
    ),
    Row(
        "safety:hazard-detail",
        "get",
        "/safety/hazards/{assigned}/",
        seen_by(SEES_ASSIGNED, SEES_ASSIGNED, 200),
        REC,
    ),
    Row(
        "safety:hazard-detail",
        "get",
        "/safety/hazards/{reported}/",
        seen_by(SEES_REPORTED, SEES_REPORTED, 200),
        REC,
        name="safety:hazard-detail-reported",
    ),
    _transition(
        "assign",
        "reported",
        SEES_REPORTED,
        MANAGE,
        lambda w, t: {"department": w["dept"], "workdays": "5"},
    ),
    _transition("dismiss", "reported", SEES_REPORTED, MANAGE, {"reason": "重复"}),
    _transition(
        "reassign",
        "assigned",
        SEES_ASSIGNED,
        MANAGE,
        lambda w, t: {"department": w["dept"], "workdays": "3", "reason": "调整"},
    ),
    _transition("begin", "assigned", SEES_ASSIGNED, RECTIFY),
    _transition("fix", "assigned", SEES_ASSIGNED, RECTIFY, {"result": "已整改"}),
    _transition("verify", "fixed", SEES_ASSIGNED, VERIFY),
    _transition("reopen", "fixed", SEES_ASSIGNED, VERIFY, {"reason": "未整改到位"}),
    Row("safety:queue", "get", "/safety/queue/", holders(DESK)),
    Row("safety:supervisors", "get", "/safety/supervisors/", holders(CADRES)),
    Row(
        "safety:supervisors",
        "post",
        "/safety/supervisors/",
        # a unit outside the cadre's scope is not a choice of the form (400, re-shown)
        scoped(MANAGE, ok=302, outside=400),
        REC,
        data=lambda w, t: {"org_unit": w["branch"][t], "employee_no": w["employee_no"][t]},
        scope=MANAGE,
        name="safety:supervisors-post",
    ),
    Row(
        "safety:supervisor-end",
        "post",
        "/safety/supervisors/{supervisor}/end/",
        scoped(MANAGE, ok=302, outsiders=404),
        REC,
    ),
    Row("safety:tally", "get", "/safety/tally/", holders(CADRES)),
    Row(
        "safety:tally",
        "get",
        "/safety/tally/?unit={branch}",
        scoped(MANAGE),
        REC,
        name="safety:tally-unit",
    ),
    Row("safety:tally-export", "get", "/safety/tally/export/", holders(CADRES)),
    # === API =====================================================================================
    Row("GET /api/v1/safety/hazards", "get", "/api/v1/safety/hazards", everyone(200)),
    Row(
        "GET /api/v1/safety/hazards",
        "get",
        "/api/v1/safety/hazards?box=queue",
        holders(DESK),
        name="GET /api/v1/safety/hazards-queue",
    ),
    Row(
        "POST /api/v1/safety/hazards",
        "post",
        "/api/v1/safety/hazards",
        holders(MEMBERS, ok=201),
        REC,
        data=lambda w, t: {**_report(w, t), "org_unit_id": w["group"][t]},
        multipart=True,
    ),
    Row(
        "GET /api/v1/safety/hazards/{hazard_id}",
        "get",
        "/api/v1/safety/hazards/{assigned}",
        seen_by(SEES_ASSIGNED, SEES_ASSIGNED, 200),
        REC,
    ),
    _api_transition(
        "assign",
        "reported",
        SEES_REPORTED,
        MANAGE,
        lambda w, t: {"department_id": w["dept"], "workdays": 5},
    ),
    _api_transition(
        "reassign",
        "assigned",
        SEES_ASSIGNED,
        MANAGE,
        lambda w, t: {"department_id": w["dept"], "workdays": 3, "reason": "调整"},
    ),
    _api_transition("dismiss", "reported", SEES_REPORTED, MANAGE, {"reason": "重复"}),
    _api_transition("begin", "assigned", SEES_ASSIGNED, RECTIFY),
    _api_transition("fix", "assigned", SEES_ASSIGNED, RECTIFY, {"result": "已整改"}, True),
    _api_transition("verify", "fixed", SEES_ASSIGNED, VERIFY),
    _api_transition("reopen", "fixed", SEES_ASSIGNED, VERIFY, {"reason": "未整改到位"}),
    Row("GET /api/v1/safety/supervisors", "get", "/api/v1/safety/supervisors", holders(CADRES)),
    Row(
        "POST /api/v1/safety/supervisors",
        "post",
        "/api/v1/safety/supervisors",
        scoped(MANAGE, ok=201, outside=403),
        REC,
        data=lambda w, t: {"org_unit_id": w["branch"][t], "employee_no": w["employee_no"][t]},
    ),
    Row(
        "POST /api/v1/safety/supervisors/{supervisor_id}/end",
        "post",
        "/api/v1/safety/supervisors/{supervisor}/end",
        scoped(MANAGE, outsiders=404),
        REC,
    ),
    Row("GET /api/v1/safety/tally", "get", "/api/v1/safety/tally", holders(CADRES)),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
