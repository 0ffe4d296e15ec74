"""Roles × every page and API operation of surveys (services).

From DESIGN.md (services: surveys; roles: a cadre manages the records of their unit's subtree,
never a sibling branch's; members answer what is put to them):
  - members (chair, branch1, branch2, rep1, worker1, worker2 have member records) see their
    surveys; a survey is answered by the members of its audience units (b1: branch 1's
    members branch1, rep1, worker1; b2: branch 2's branch2, worker2); another member gets 404
    (the chair's record is in the committee, above the audience); a user without a member
    record (admin, handler1, counselor1, mediator1) gets 403;
  - the cadre pages are services.manage_surveys': the chair over both, branch1 over b1,
    branch2 over b2 (404 on the sibling's); everyone else 403.
Each row runs in a savepoint; a refused write changes nothing (surveys, questions,
participation, responses, the audit log and notifications are compared).
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    B1,
    B2,
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    holders,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_surveys import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = set(CADRE_SCOPE)
AUDIENCE = {
    "branch1": B1,
    "rep1": B1,
    "worker1": B1,
    "branch2": B2,
    "worker2": B2,
    "chair": frozenset(),
}


def audience(ok: int):
    """ok for the survey's audience; 404 for another member; 403 without a member record."""
    return scoped(AUDIENCE, ok=ok, outsiders=403, outside=404)


def cadre(ok: int):
    return scoped(CADRE_SCOPE, ok=ok)


def _page_answer(w, t):
    return {f"answers.{w['question'][t]}": "0"}


def _api_answer(w, t):
    return {"answers": {str(w["question"][t]): "0"}}


P = "/services/surveys"
A = "/api/v1/services/surveys"

ROWS = [
    # --- pages: the member's ----------------------------------------------------------------------
    Row("services:survey-mine", "get", f"{P}/", holders(MEMBERS)),
    Row("services:survey-answer", "get", f"{P}/{{survey}}/", audience(200), REC),
    Row(
        "services:survey-answer",
        "post",
        f"{P}/{{survey}}/",
        audience(302),
        REC,
        data=_page_answer,
        name="services:survey-answer-post",
    ),
    # Not answered yet: the thank-you page sends the member to the survey.
    Row("services:survey-thanks", "get", f"{P}/{{survey}}/thanks/", audience(302), REC),
    # --- pages: the cadre's -----------------------------------------------------------------------
    Row("services:survey-list", "get", f"{P}/manage/", holders(CADRES)),
    Row("services:survey-list-export", "get", f"{P}/manage/export/", holders(CADRES)),
    Row("services:survey-create", "get", f"{P}/manage/new/", holders(CADRES)),
    Row("services:survey-detail", "get", f"{P}/manage/{{survey}}/", cadre(200), REC),
    # The surveys are open: their questions are fixed, the edit page sends back to the survey.
    Row("services:survey-edit", "get", f"{P}/manage/{{survey}}/edit/", cadre(302), REC),
    Row("services:survey-remind", "post", f"{P}/manage/{{survey}}/remind/", cadre(302), REC),
    Row("services:survey-results", "get", f"{P}/manage/{{survey}}/results/", cadre(200), REC),
    Row(
        "services:survey-results-export",
        "get",
        f"{P}/manage/{{survey}}/results/export/",
        cadre(200),
        REC,
    ),
    Row(
        "services:survey-responses-export",
        "get",
        f"{P}/manage/{{survey}}/responses/export/",
        cadre(200),
        REC,
    ),
    Row("services:survey-step", "post", f"{P}/manage/{{survey}}/close/", cadre(302), REC),
    Row(
        "services:survey-step",
        "post",
        f"{P}/manage/{{survey}}/open/",
        cadre(409),  # already open: refused on the page
        REC,
        name="services:survey-step-open",
    ),
    # === API =====================================================================================
    Row(f"GET {A}", "get", A, holders(MEMBERS)),
    Row(f"GET {A}/{{survey_id}}", "get", f"{A}/{{survey}}", audience(200), REC),
    Row(
        f"POST {A}/{{survey_id}}/answer",
        "post",
        f"{A}/{{survey}}/answer",
        audience(201),
        REC,
        data=_api_answer,
    ),
    Row(f"GET {A}/manage", "get", f"{A}/manage", holders(CADRES)),
    Row(
        f"POST {A}/manage/{{survey_id}}/open",
        "post",
        f"{A}/manage/{{survey}}/open",
        cadre(409),
        REC,
    ),
    Row(
        f"POST {A}/manage/{{survey_id}}/close",
        "post",
        f"{A}/manage/{{survey}}/close",
        cadre(200),
        REC,
    ),
    Row(
        f"POST {A}/manage/{{survey_id}}/remind",
        "post",
        f"{A}/manage/{{survey}}/remind",
        cadre(200),
        REC,
    ),
    Row(
        f"GET {A}/manage/{{survey_id}}/results",
        "get",
        f"{A}/manage/{{survey}}/results",
        cadre(200),
        REC,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
