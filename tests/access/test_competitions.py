"""Roles × every page and API operation of competitions (services).

From DESIGN.md and issue 12 (roles: a cadre organises for their unit's subtree, never a
sibling branch):
  - members of a competition's audience ("b1": branch1's, open to branch1's subtree:
    branch1, rep1, worker1; "b2": branch2's: branch2, worker2) read it, register (themselves
    or a team they lead; one entered already: 409), withdraw their own entry while
    registration is open (an organiser may too; anyone else: 404), read the published
    ranking and object during the 公示 period;
    another branch's competition is 404; roles without a member record and no appointment
    (admin, counselor1) are refused (403); the chair reads both as their organiser but, not
    of a branch's audience, may not register or object there (403);
  - judges (handler1 on b1, mediator1 on b2) read the competition they judge and use the
    scoring desk for its stages; another competition's stage is 404; no one else judges (403);
  - the desk (setup, steps, stages, objections' answers, exports) is for cadres over the
    organising unit's subtree: branch1 on b1, branch2 on b2, the chair on both; a sibling
    branch's is 404; everyone else 403. A branch cadre registers a team of their unit.
A refused write changes nothing: every competition table, the audit log, notifications and
workflow events are compared before and after.
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
    per_persona,
    row_cases,
    run_cases,
    scoped,
    union,
)
from tests.access.world_competitions import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
AUDIENCE = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
JUDGES = {"handler1": B1, "mediator1": B2}
READ = union(AUDIENCE, CADRE_SCOPE, JUDGES)
ENTERED = {"worker1": B1, "worker2": B2}  # their entries in the competition open for entry


def read(ok: int = 200):
    return scoped(READ, ok=ok)


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def judge(ok: int = 200):
    return scoped(JUDGES, ok=ok)


def audience_only(ok: int, entered: dict | None = None):
    """Members of the audience get in (one already entered: 409); those without a member
    record are refused (403), as are members who read the competition otherwise (its
    organisers: 403); the rest as `read` (another branch's: 404)."""

    def rule(p, t):
        if p not in MEMBERS:
            return 403
        if t in (entered or {}).get(p, ()):
            return 409
        if t in AUDIENCE.get(p, ()):
            return ok
        answer = read()(p, t)
        return 403 if answer == 200 else answer

    return rule


def create(ok: int, outside: int):
    """A new competition of branch1's unit: the chair and branch1 may; branch2's scope lacks
    it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


P = "/services/competitions"
A = "/api/v1/services/competitions"
C = "services:competitions"

MEMBER_NO = {"b1": "E0102", "b2": "E0201"}  # rep1, branch2 (the branch's extra member leads)


def _team_form(w, t):
    leader, member = w["extra_no"][t], MEMBER_NO[t]
    return {"unit": w["unit"][t], "team_name": "突击队", "leader": leader, "members": member}


def _team_api(w, t):
    leader, member = w["extra_no"][t], MEMBER_NO[t]
    return {
        "kind": "team",
        "team_name": "突击队",
        "unit_id": w["unit"][t],
        "leader_employee_no": leader,
        "member_employee_nos": [member],
    }


def _scores_form(w, t):
    return {f"item_{i}": "88" for i in w["items"][t]}


def _scores_api(w, t):
    return {"points": {str(i): "88" for i in w["items"][t]}}


def _competition_api(w, t):
    return {"title": "新竞赛", "kind": "skills", "org_unit_id": w["unit"]["b1"]}


ROWS = [
    # --- pages: the member's --------------------------------------------------------------------
    Row(f"{C}-home", "get", f"{P}/", holders(MEMBERS)),
    Row(f"{C}-detail", "get", f"{P}/{{reg}}/", read(), REC),
    Row(
        f"{C}-register",
        "post",
        f"{P}/{{reg}}/register/",
        audience_only(302, ENTERED),
        REC,
        data={"kind": "person"},
    ),
    Row(
        f"{C}-withdraw",
        "post",
        f"{P}/entries/{{mine}}/withdraw/",
        scoped(union(ENTERED, CADRE_SCOPE), ok=302, outsiders=404),
        REC,
    ),
    Row(f"{C}-team", "post", f"{P}/{{reg}}/team/", desk(302), REC, data=_team_form),
    Row(f"{C}-ranking", "get", f"{P}/{{pub}}/ranking/", read(), REC),
    Row(
        f"{C}-ranking",
        "get",
        f"{P}/{{run}}/ranking/?stage={{stage_a}}",
        read(),
        REC,
        name=f"{C}-ranking-stage",
    ),
    Row(
        f"{C}-objection",
        "post",
        f"{P}/{{pub}}/objections/",
        audience_only(302),
        REC,
        data={"reason": "名次有误"},
    ),
    # --- pages: the judge's scoring desk --------------------------------------------------------
    Row(f"{C}-judge", "get", f"{P}/judge/", holders(JUDGES)),
    Row(f"{C}-judge-stage", "get", f"{P}/judge/stages/{{stage_b}}/", judge(), REC),
    Row(
        f"{C}-judge-stage",
        "get",
        f"{P}/judge/stages/{{stage_a}}/",
        judge(),
        REC,
        name=f"{C}-judge-stage-closed",
    ),
    Row(
        f"{C}-judge-score",
        "post",
        f"{P}/judge/stages/{{stage_b}}/entries/{{entry_one}}/score/",
        judge(302),
        REC,
        data=_scores_form,
    ),
    Row(
        f"{C}-judge-conflict",
        "post",
        f"{P}/judge/stages/{{stage_b}}/entries/{{entry_two}}/conflict/",
        judge(302),
        REC,
        data={"reason": "同一班组"},
    ),
    # --- pages: the organiser's desk ------------------------------------------------------------
    Row(f"{C}-desk", "get", f"{P}/desk/", holders(CADRES)),
    Row(f"{C}-desk-new", "get", f"{P}/desk/new/", holders(CADRES)),
    Row(
        f"{C}-desk-new",
        "post",
        f"{P}/desk/new/",
        create(302, 400),
        data=lambda w, t: {
            "title": "新竞赛",
            "kind": "skills",
            "org_unit": w["unit"]["b1"],
            "entry_mode": "both",
            "publicity_workdays": 5,
            "prizes_first": 1,
            "prizes_second": 2,
            "prizes_third": 3,
        },
        name=f"{C}-desk-new-post",
    ),
    *[
        Row(
            f"{C}-desk-detail",
            "get",
            f"{P}/desk/{{{key}}}/",
            desk(),
            REC,
            name=f"{C}-desk-detail-{key}",
        )
        for key in ("draft", "reg", "run", "pub")
    ],
    Row(
        f"{C}-desk-item",
        "post",
        f"{P}/desk/{{draft}}/items/",
        desk(302),
        REC,
        data={"name": "安全", "weight": "10", "max_points": "100"},
    ),
    Row(
        f"{C}-desk-stage",
        "post",
        f"{P}/desk/{{draft}}/stages/",
        desk(302),
        REC,
        data={"name": "初赛", "advance_count": "3"},
    ),
    Row(
        f"{C}-desk-judge",
        "post",
        f"{P}/desk/{{reg}}/judges/",
        desk(302),
        REC,
        data={"employee_no": "E0103"},
    ),
    Row(f"{C}-desk-step", "post", f"{P}/desk/{{draft}}/open/", desk(302), REC),
    Row(
        f"{C}-desk-step",
        "post",
        f"{P}/desk/{{reg}}/begin/",
        desk(302),
        REC,
        name=f"{C}-desk-step-begin",
    ),
    Row(
        f"{C}-desk-step",
        "post",
        f"{P}/desk/{{run}}/publish/",
        desk(409),  # stage B is still scoring: a conflict, after the access check
        REC,
        name=f"{C}-desk-step-publish",
    ),
    Row(
        f"{C}-desk-step",
        "post",
        f"{P}/desk/{{pub}}/finalise/",
        desk(409),  # the 公示 period is not over
        REC,
        name=f"{C}-desk-step-finalise",
    ),
    Row(
        f"{C}-desk-step",
        "post",
        f"{P}/desk/{{reg}}/cancel/",
        desk(302),
        REC,
        data={"reason": "报名人数不足"},
        name=f"{C}-desk-step-cancel",
    ),
    Row(f"{C}-desk-entries-export", "get", f"{P}/desk/{{run}}/entries.xlsx", desk(), REC),
    Row(f"{C}-desk-stage-detail", "get", f"{P}/desk/stages/{{stage_b}}/", desk(), REC),
    Row(
        f"{C}-desk-scores-export",
        "get",
        f"{P}/desk/stages/{{stage_a}}/scores.xlsx",
        desk(),
        REC,
    ),
    Row(
        f"{C}-desk-ranking-export",
        "get",
        f"{P}/desk/stages/{{stage_a}}/ranking.xlsx",
        desk(),
        REC,
    ),
    Row(
        f"{C}-desk-stage-step",
        "post",
        f"{P}/desk/stages/{{stage_b}}/close/",
        desk(302),
        REC,
    ),
    Row(
        f"{C}-desk-stage-step",
        "post",
        f"{P}/desk/stages/{{stage_c}}/open/",
        desk(409),  # stage B is still scoring
        REC,
        name=f"{C}-desk-stage-step-open",
    ),
    Row(
        f"{C}-desk-answer",
        "post",
        f"{P}/desk/objections/{{objection}}/answer/",
        desk(302),
        REC,
        data={"answer": "经核查无误"},
    ),
    # --- API: members ---------------------------------------------------------------------------
    Row(f"GET {A}/competitions", "get", f"{A}/competitions", holders(MEMBERS)),
    Row(
        f"GET {A}/competitions/{{competition_id}}",
        "get",
        f"{A}/competitions/{{reg}}",
        read(),
        REC,
    ),
    Row(
        f"POST {A}/competitions/{{competition_id}}/entries",
        "post",
        f"{A}/competitions/{{reg}}/entries",
        audience_only(201, ENTERED),
        REC,
        data={"kind": "person"},
    ),
    Row(
        f"POST {A}/competitions/{{competition_id}}/entries",
        "post",
        f"{A}/competitions/{{reg}}/entries",
        desk(201),
        REC,
        data=_team_api,
        name="api-entries-team",
    ),
    Row(f"GET {A}/entries", "get", f"{A}/entries", holders(MEMBERS)),
    Row(
        f"POST {A}/entries/{{entry_id}}/withdraw",
        "post",
        f"{A}/entries/{{mine}}/withdraw",
        scoped(union(ENTERED, CADRE_SCOPE), outsiders=404),
        REC,
    ),
    Row(
        f"GET {A}/competitions/{{competition_id}}/ranking",
        "get",
        f"{A}/competitions/{{pub}}/ranking",
        read(),
        REC,
    ),
    Row(
        f"POST {A}/competitions/{{competition_id}}/objections",
        "post",
        f"{A}/competitions/{{pub}}/objections",
        audience_only(201),
        REC,
        data={"reason": "名次有误"},
    ),
    # --- API: judges ----------------------------------------------------------------------------
    Row(
        f"GET {A}/judge/stages/{{stage_id}}/entries",
        "get",
        f"{A}/judge/stages/{{stage_b}}/entries",
        judge(),
        REC,
    ),
    Row(
        f"GET {A}/judge/stages/{{stage_id}}/scores",
        "get",
        f"{A}/judge/stages/{{stage_b}}/scores",
        judge(),
        REC,
    ),
    Row(
        f"POST {A}/judge/stages/{{stage_id}}/entries/{{entry_id}}/scores",
        "post",
        f"{A}/judge/stages/{{stage_b}}/entries/{{entry_one}}/scores",
        judge(),
        REC,
        data=_scores_api,
    ),
    Row(
        f"POST {A}/judge/stages/{{stage_id}}/entries/{{entry_id}}/conflict",
        "post",
        f"{A}/judge/stages/{{stage_b}}/entries/{{entry_two}}/conflict",
        judge(201),
        REC,
        data={"reason": "同一班组"},
    ),
    # --- API: the organisers --------------------------------------------------------------------
    Row(f"GET {A}/desk/competitions", "get", f"{A}/desk/competitions", holders(CADRES)),
    Row(
        f"POST {A}/desk/competitions",
        "post",
        f"{A}/desk/competitions",
        create(201, 404),
        data=_competition_api,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/items",
        "post",
        f"{A}/desk/competitions/{{draft}}/items",
        desk(201),
        REC,
        data={"name": "安全", "weight": "10"},
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/stages",
        "post",
        f"{A}/desk/competitions/{{draft}}/stages",
        desk(201),
        REC,
        data={"name": "初赛", "advance_count": 3},
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/judges",
        "post",
        f"{A}/desk/competitions/{{reg}}/judges",
        desk(201),
        REC,
        data={"employee_no": "E0103"},
    ),
    Row(
        f"GET {A}/desk/competitions/{{competition_id}}/entries",
        "get",
        f"{A}/desk/competitions/{{run}}/entries",
        desk(),
        REC,
    ),
    Row(
        f"GET {A}/desk/competitions/{{competition_id}}/objections",
        "get",
        f"{A}/desk/competitions/{{pub}}/objections",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/open",
        "post",
        f"{A}/desk/competitions/{{draft}}/open",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/begin",
        "post",
        f"{A}/desk/competitions/{{reg}}/begin",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/publish",
        "post",
        f"{A}/desk/competitions/{{run}}/publish",
        desk(409),
        REC,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/finalise",
        "post",
        f"{A}/desk/competitions/{{pub}}/finalise",
        desk(409),
        REC,
    ),
    Row(
        f"POST {A}/desk/competitions/{{competition_id}}/cancel",
        "post",
        f"{A}/desk/competitions/{{reg}}/cancel",
        desk(),
        REC,
        data={"reason": "报名人数不足"},
    ),
    Row(
        f"POST {A}/desk/stages/{{stage_id}}/open",
        "post",
        f"{A}/desk/stages/{{stage_c}}/open",
        desk(409),
        REC,
    ),
    Row(
        f"POST {A}/desk/stages/{{stage_id}}/close",
        "post",
        f"{A}/desk/stages/{{stage_b}}/close",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/objections/{{objection_id}}/answer",
        "post",
        f"{A}/desk/objections/{{objection}}/answer",
        desk(),
        REC,
        data={"answer": "经核查无误"},
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
