"""Roles × routes of module congress: every persona (and an anonymous caller) against every page
of namespace `congress` and every API operation under /api/v1/congress, on records in branch 1
and branch 2 (the world: tests/access/world_congress.py).

The expectations are plain data written from DESIGN.md's roles (module congress, and the roles
table), not read from the permission registry under test:
  - the congress of a union belongs to its committee: cadres manage the terms, sessions,
    representatives, agenda votes and elections of their unit's subtree. The chair (the
    committee) runs both branches' congresses, branch1 / branch2 only their own branch's and
    never the sibling's (404: not revealed). Whoever holds no such right meets the same 404 on
    a record (the record of a congress is not revealed) and 403 on a cadre's list page;
  - representatives see their own representation, sessions and QR code, check themselves in
    with the hall code, and vote; rep1 is a representative of branch 1's congress only;
  - representative elections are seen by the cadres that run them and by the members of the
    electoral unit (who may stand: 自荐); a branch's members do not see the sibling branch's;
  - proposals go to the enterprise congress (the committee's unit): the proposer and the
    invited co-signers see a draft; submitted ones are read by the cadres of the proposer's
    branch (branch1 reads rep1's, 403 on deciding them: the proposal committee is the chair's),
    decided, supervised and carried over by the committee (chair); the handler of the
    assigned department (handler1, 人力资源部) sees and answers them once assigned, rates none;
    the proposer rates the answer;
  - inspection tours: the cadres of the tour's branch plan them and verify the rectification
    items; the participating representatives report findings; the handler of the owning
    department works the items;
  - the admin keeps configuration only (no congress records), and the counselor, the mediator
    and plain workers hold nothing here beyond their own (elections of their unit);
  - pages send the anonymous to sign in (302), the API answers them 401.
A few rows also run on "u", the enterprise congress itself: the chair's, 404 to branch chairs.
A refused write (401/403/404/405, or one outside the row's scope whatever its status) must
change nothing: the audit log, notifications, workflow events and every row of the congress's
records (and of the polls) are compared (framework.run_row).

The rows: congress_pages.py (pages) and congress_api.py (API operations); the scopes and rules
they use: congress_rules.py; the world: world_congress.py.
"""

from __future__ import annotations

import pytest

from tests.access.congress_api import API_ROWS
from tests.access.congress_pages import PAGE_ROWS
from tests.access.framework import ALL, ROW_ARGS, cases, row_cases, run_cases
from tests.access.world_congress import build_world

# every page and every API operation of congress (collected by test_coverage.py)
ROWS = [*PAGE_ROWS, *API_ROWS]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)


def test_the_table_spells_out_the_rules():
    table = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in cases(ROWS)}
    assert {persona for _, persona, _ in table} == set(ALL)
    # a sibling branch's chair meets 404 on the other's congress, session and tour
    assert table[("congress:session-detail-get", "branch2", "b1")] == 404
    assert table[("congress:inspection-detail-get", "branch1", "b2")] == 404
    # branch1 reads rep1's proposal, the committee (chair) alone decides it
    assert table[("congress:proposal-decide-get", "branch1", "b1")] == 403
    assert table[("congress:proposal-decide-get", "branch2", "b1")] == 404
    assert table[("congress:proposal-decide-get", "chair", "b2")] == 200
    # the handler answers once assigned; a representative checks in only themself
    assert (
        table[("POST /api/v1/congress/proposals/{proposal_id}/answer-post", "handler1", "b2")]
        == 200
    )
    assert table[("POST /api/v1/congress/sessions/{session_id}/checkin-post", "rep1", "b1")] == 404
