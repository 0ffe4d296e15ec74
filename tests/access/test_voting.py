"""Roles × every page and API operation of voting, on polls in branch1 and branch2.

From DESIGN.md (voting; roles):
  - cadres manage the polls of their unit's subtree (create, open, close, enter paper
    totals) and read their published results: the chair both branches, branch1 / branch2
    their own branch only; a poll of the sibling branch is not revealed (404);
  - a voter on a poll's frozen roll sees the poll, casts once, and after the close reads the
    published trackers and choices; anyone not on the roll and not a manager gets 404;
    a manager who is not on the roll may not cast (403);
  - no partial result while a poll is open (409 for those who may see it);
  - the admin has no access to ballots: it sees no poll and manages none;
  - an encrypted poll's trustee page and document are its trustees' only (404 for anyone
    else, managers included); the published record is refused (409) while there is none.
A refused write (401/403/404/405) changes nothing: polls, rolls, ballots, trackers, paper
totals, the audit log and notifications are compared before and after.
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
    everyone,
    first_refusal,
    holders,
    row_cases,
    run_cases,
    scoped,
    union,
)
from tests.access.world_voting import TRUSTEES as TRUSTEES_OF
from tests.access.world_voting import build_world

MANAGE = CADRE_SCOPE
ON_ROLL = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
SEE = union(ON_ROLL, MANAGE)  # a poll that is not a draft; its results once closed
CADRES = set(MANAGE)
TRUSTEE = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2, "chair": B2}


def sees(ok: int = 200):
    return scoped(SEE, ok=ok, outsiders=404)


def manages(ok: int = 200):
    return scoped(MANAGE, ok=ok, outsiders=404)


# a voter casts; a manager who may see the poll but is not on its roll is refused (403)
CAST = first_refusal(sees(), scoped(ON_ROLL, outside=403))

ROWS = [
    # --- pages: voters ------------------------------------------------------------------------
    Row("voting:my-polls", "get", "/voting/", everyone(200)),
    Row("voting:poll-detail", "get", "/voting/{open}/", sees(), REC),
    Row(
        "voting:poll-detail",
        "get",
        "/voting/{draft}/",
        manages(),
        REC,
        name="voting:poll-detail-draft",
    ),
    Row("voting:cast", "post", "/voting/{open}/cast/", CAST, REC, data={"choice": "yes"}),
    Row("voting:results", "get", "/voting/{closed}/results/", sees(), REC),
    Row(
        "voting:results",
        "get",
        "/voting/{open}/results/",
        sees(409),  # nothing is shown while the poll is open
        REC,
        name="voting:results-open",
    ),
    Row(
        "voting:results",
        "post",
        "/voting/{closed}/results/",
        sees(),
        REC,
        data={"tracker": "ABCD-EFGH"},
        name="voting:results-post",
    ),
    Row("voting:choices-csv", "get", "/voting/{closed}/choices.csv", sees(), REC),
    Row("voting:trackers-csv", "get", "/voting/{closed}/trackers.csv", sees(), REC),
    # a plain poll has no election record (409 for those who see it)
    Row("voting:record", "get", "/voting/{closed}/record.json", sees(409), REC),
    # --- pages: trustees of an encrypted poll --------------------------------------------------
    Row("voting:trustee", "get", "/voting/{trusted}/trustee/", scoped(TRUSTEE, outsiders=404), REC),
    Row(
        "voting:trustee",
        "post",
        "/voting/{trusted}/trustee/",
        scoped(TRUSTEE, ok=400, outsiders=404),  # no file: the form answers next to the field
        REC,
        data={},
        name="voting:trustee-post",
    ),
    Row(
        "voting:trustee-document",
        "get",
        "/voting/{trusted}/trustee.json",
        scoped(TRUSTEE, outsiders=404),
        REC,
    ),
    # --- pages: managers ------------------------------------------------------------------------
    Row("voting:manage", "get", "/voting/manage/", holders(CADRES)),
    Row(
        "voting:manage",
        "post",
        "/voting/manage/",
        # a unit outside the manager's scope is not a choice of the form (200, re-shown)
        scoped(MANAGE, ok=302, outside=200),
        REC,
        data=lambda w, t: {
            "title": "矩阵新表决",
            "unit": w["branch"][t],
            "kind": "yes_no_abstain",
            "seats": 1,
            "rule": "majority",
        },
        scope=MANAGE,
        name="voting:manage-post",
    ),
    Row("voting:manage-poll", "get", "/voting/manage/{draft}/", manages(), REC),
    Row(
        "voting:open",
        "post",
        "/voting/manage/{draft}/open/",
        manages(302),
        REC,
        data={"source": "members"},
    ),
    Row("voting:close", "post", "/voting/manage/{open}/close/", manages(302), REC),
    Row(
        "voting:trustees",
        "post",
        "/voting/manage/{trusted}/trustees/",
        manages(400),  # no usernames: the form answers next to the field
        REC,
        data={"usernames": ""},
    ),
    # A restart of the key ceremony (nothing posted yet on the world's poll: allowed, empty).
    Row(
        "voting:restart-ceremony",
        "post",
        "/voting/manage/{trusted}/trustees/restart/",
        manages(302),
        REC,
    ),
    Row(
        "voting:paper-result",
        "post",
        "/voting/manage/{paper}/paper/",
        manages(302),
        REC,
        data={
            "valid_ballots": 3,
            "invalid_ballots": 0,
            "count_yes": 2,
            "count_no": 1,
            "count_abstain": 0,
        },
    ),
    # === API =====================================================================================
    Row("GET /api/v1/voting/polls", "get", "/api/v1/voting/polls", everyone(200)),
    Row("GET /api/v1/voting/polls/managed", "get", "/api/v1/voting/polls/managed", everyone(200)),
    Row("GET /api/v1/voting/polls/{poll_id}", "get", "/api/v1/voting/polls/{open}", sees(), REC),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/cast",
        "post",
        "/api/v1/voting/polls/{open}/cast",
        CAST,
        REC,
        data={"choice": ["yes"]},
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/cast-encrypted",
        "post",
        "/api/v1/voting/polls/{open}/cast-encrypted",
        first_refusal(sees(), everyone(409)),  # the open poll is a plain one: refused
        REC,
        data={"ballot": {}},
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/record",
        "get",
        "/api/v1/voting/polls/{closed}/record",
        sees(409),  # a plain poll has no election record
        REC,
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/trackers",
        "get",
        "/api/v1/voting/polls/{closed}/trackers",
        sees(),
        REC,
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/trackers/check",
        "post",
        "/api/v1/voting/polls/{closed}/trackers/check",
        sees(),
        REC,
        data={"tracker": "ABCD-EFGH"},
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/choices",
        "get",
        "/api/v1/voting/polls/{closed}/choices",
        sees(),
        REC,
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/results",
        "get",
        "/api/v1/voting/polls/{closed}/results",
        sees(),
        REC,
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/results",
        "get",
        "/api/v1/voting/polls/{open}/results",
        sees(409),
        REC,
        name="GET /api/v1/voting/polls/{poll_id}/results-open",
    ),
    Row(
        "POST /api/v1/voting/polls",
        "post",
        "/api/v1/voting/polls",
        manages(201),
        REC,
        data=lambda w, t: {
            "title": "矩阵新表决",
            "kind": "yes_no_abstain",
            "unit_id": w["branch"][t],
        },
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/open",
        "post",
        "/api/v1/voting/polls/{draft}/open",
        manages(),
        REC,
        data={"source": "members"},
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/close",
        "post",
        "/api/v1/voting/polls/{open}/close",
        manages(),
        REC,
    ),
    # The trustees named again, the same three (the world's trustees stay). In b2 the chair,
    # a trustee of the world's making, is no member of B2: refused next to user_ids (400).
    Row(
        "POST /api/v1/voting/polls/{poll_id}/trustees",
        "post",
        "/api/v1/voting/polls/{trusted}/trustees",
        lambda persona, target: manages(200 if target == "b1" else 400)(persona, target),
        REC,
        data=lambda w, t: {
            "user_ids": [w["personas"][name].pk for name in TRUSTEES_OF[t]],
        },
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/trustees/restart",
        "post",
        "/api/v1/voting/polls/{trusted}/trustees/restart",
        manages(),
        REC,
    ),
    Row(
        "GET /api/v1/voting/polls/{poll_id}/trustee",
        "get",
        "/api/v1/voting/polls/{trusted}/trustee",
        scoped(TRUSTEE, outsiders=404),
        REC,
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/trustee",
        "post",
        "/api/v1/voting/polls/{trusted}/trustee",
        scoped(TRUSTEE, ok=400, outsiders=404),  # a document of no step: next to the field
        REC,
        data={"document": {}},
    ),
    Row(
        "POST /api/v1/voting/polls/{poll_id}/paper-result",
        "post",
        "/api/v1/voting/polls/{paper}/paper-result",
        manages(),
        REC,
        data={"counts": {"yes": 2, "no": 1, "abstain": 0}, "valid_ballots": 3},
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
