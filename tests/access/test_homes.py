"""Roles × every page and API operation of module homes (职工之家建设).

From DESIGN.md's roles table and docs/homes.md:
  - union cadres only (homes.manage over their unit's subtree: chair over U, branch1 over B1,
    branch2 over B2); everyone else 403;
  - the committee of the round's unit (the chair, over U) keeps U's criteria sets, opens and
    closes rounds, sets the title tiers and reviews or returns the branches' self-assessments;
    a branch's cadre sees the round (her branch takes part) but its committee steps answer 404;
  - a branch's cadre fills, uploads evidence for and submits her own branch's assessment; the
    other branch's is not revealed (404); the chair may act on both (her subtree). A branch's
    cadre never reviews or returns her own (403), the other branch's is 404.
A refused write changes nothing: the module's models, the audit log, notifications and
workflow events are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    holders,
    per_persona,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_homes import build_world

CADRES = {"chair", "branch1", "branch2"}


def committee(ok: int):
    """The chair; the branches' cadres hold the code but not over U (404); others 403."""
    return per_persona({"chair": ok, "branch1": 404, "branch2": 404})


def branch(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def review(ok: int):
    """The committee reviews; a branch's own cadre is refused (403), the other's 404."""

    def rule(p, t):
        if p == "chair":
            return ok
        if p in ("branch1", "branch2"):
            return 403 if t == {"branch1": "b1", "branch2": "b2"}[p] else 404
        return 403

    return rule


P = "/homes"
A = "/api/v1/homes"
V = "homes"


def _open(w, t):
    return {
        "unit": w["unit"]["u"],
        "year": 2026,
        "title": "新一轮建家评比",
        "criteria_set": w["set"],
        "due_on": "2026-12-31",
        "branches": [w["unit"]["b1"]],
        "tiers": "模范职工之家=90",
    }


def _open_api(w, t):
    return {
        "org_unit_id": w["unit"]["u"],
        "year": 2026,
        "title": "新一轮建家评比",
        "criteria_set_id": w["set"],
        "due_on": "2026-12-31",
        "branch_ids": [w["unit"]["b1"]],
    }


def _review(w, t):
    return {"note": "", **{f"review_{c}": "1" for c in w["criteria"]}}


def _review_api(w, t):
    return {"note": "", "scores": [{"criterion_id": c, "score": "1"} for c in w["criteria"]]}


def _scores(w, t):
    return {f"score_{w['criteria'][0]}": "5", f"evidence_{w['criteria'][0]}": "会议记录"}


ROWS = [
    # --- pages ------------------------------------------------------------------------------------
    Row(f"{V}:rounds", "get", f"{P}/", holders(CADRES)),
    Row(
        f"{V}:rounds",
        "post",
        f"{P}/",
        per_persona({"chair": 302, "branch1": 400, "branch2": 400}),
        data=_open,
        name=f"{V}:rounds-post",
    ),
    Row(f"{V}:round", "get", f"{P}/rounds/{{round_open}}/", holders(CADRES)),
    Row(f"{V}:round-export", "get", f"{P}/rounds/{{round_open}}/export/", holders(CADRES)),
    Row(
        f"{V}:round-tiers",
        "post",
        f"{P}/rounds/{{round_open}}/tiers/",
        committee(302),
        data={"tiers": "先进职工之家=85"},
    ),
    Row(
        f"{V}:round-close",
        "post",
        f"{P}/rounds/{{round_reviewed}}/close/",
        committee(302),
        data={"awarding_body": ""},
    ),
    Row(f"{V}:comparison", "get", f"{P}/comparison/", holders(CADRES)),
    Row(f"{V}:comparison-export", "get", f"{P}/comparison/export/", holders(CADRES)),
    Row(f"{V}:assessment", "get", f"{P}/assessments/{{draft}}/", branch(), REC),
    Row(
        f"{V}:assessment",
        "post",
        f"{P}/assessments/{{draft}}/",
        branch(302),
        REC,
        data=_scores,
        name=f"{V}:assessment-post",
    ),
    Row(
        f"{V}:assessment-evidence", "post", f"{P}/assessments/{{draft}}/evidence/", branch(302), REC
    ),
    Row(f"{V}:assessment-submit", "post", f"{P}/assessments/{{draft}}/submit/", branch(302), REC),
    Row(
        f"{V}:assessment-review",
        "post",
        f"{P}/assessments/{{submitted}}/review/",
        review(302),
        REC,
        data=_review,
    ),
    Row(
        f"{V}:assessment-return",
        "post",
        f"{P}/assessments/{{submitted}}/return/",
        review(302),
        REC,
        data={"note": "材料不全"},
    ),
    Row(f"{V}:criteria-sets", "get", f"{P}/criteria/", holders(CADRES)),
    Row(f"{V}:criteria-set", "get", f"{P}/criteria/{{set}}/", committee(200)),
    Row(
        f"{V}:criteria-set",
        "post",
        f"{P}/criteria/{{spare}}/",
        committee(302),
        data={"heading": "活动正常", "title": "新增项", "max_score": "5", "weight": "1"},
        name=f"{V}:criteria-set-post",
    ),
    Row(
        f"{V}:criterion-delete",
        "post",
        f"{P}/criteria/items/{{criterion}}/delete/",
        committee(302),
    ),
    # --- API --------------------------------------------------------------------------------------
    Row(f"GET {A}/rounds", "get", f"{A}/rounds", holders(CADRES)),
    Row(
        f"POST {A}/rounds",
        "post",
        f"{A}/rounds",
        committee(201),
        data=_open_api,
    ),
    Row(f"GET {A}/rounds/{{round_id}}", "get", f"{A}/rounds/{{round_open}}", holders(CADRES)),
    Row(
        f"POST {A}/rounds/{{round_id}}/close",
        "post",
        f"{A}/rounds/{{round_reviewed}}/close",
        committee(200),
        data={"titles": []},
    ),
    Row(f"GET {A}/comparison", "get", f"{A}/comparison", holders(CADRES)),
    Row(f"GET {A}/criteria-sets", "get", f"{A}/criteria-sets", holders(CADRES)),
    Row(
        f"GET {A}/criteria-sets/{{set_id}}",
        "get",
        f"{A}/criteria-sets/{{set}}",
        committee(200),
    ),
    Row(
        f"GET {A}/assessments/{{assessment_id}}",
        "get",
        f"{A}/assessments/{{draft}}",
        branch(),
        REC,
    ),
    Row(
        f"PUT {A}/assessments/{{assessment_id}}/scores",
        "put",
        f"{A}/assessments/{{draft}}/scores",
        branch(),
        REC,
        data={"scores": []},
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/submit",
        "post",
        f"{A}/assessments/{{draft}}/submit",
        branch(),
        REC,
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/return",
        "post",
        f"{A}/assessments/{{submitted}}/return",
        review(200),
        REC,
        data={"note": "材料不全"},
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/review",
        "post",
        f"{A}/assessments/{{submitted}}/review",
        review(200),
        REC,
        data=_review_api,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
