"""Roles × every page and API operation of the rationalisation suggestions (services).

From DESIGN.md and the suggestions' brief (roles: a cadre manages their unit's subtree, never
a sibling branch; handlers work for their enterprise department):
  - members (chair, branch1, branch2, rep1, worker1, worker2) submit and follow their own;
    roles without a member record (admin, handler1, counselor1, mediator1) are refused (403);
  - a suggestion ("b1": rep1's, in branch1's unit; "b2": worker2's, in branch2's) is read by
    its author, the cadres over its unit (branch1 / branch2, the chair both), the handlers of
    the department it concerns (handler1, 人力资源部, both) and the experts appointed to it
    (worker1, once it went to scoring); anyone else gets 404 (its existence is not revealed);
  - the department review is its handlers' (handler1); rejecting is the cadres' and, while in
    review, the handlers'; appointing experts, adopting, milestones (also the department's
    handlers) and the reward are the cadres'; scoring is the appointed expert's; the benefit
    is certified by the handler of the finance department the cadre named (handler1 here);
    a reader without the step's right gets 403; the author alone rates;
  - the desk is for cadres, handlers and appointed experts; the figures and the
    configuration for cadres.
A refused write changes nothing: the suggestions and their experts, scores, milestones,
criteria, tiers, ratings and attachments, the audit log, notifications and workflow events
are compared before and after.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from conftest import private_storages
from tests.access.framework import (
    B1,
    B2,
    BOTH,
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
from tests.access.world_disclosure import photo
from tests.access.world_suggestions import MARKS, build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
AUTHOR = {"rep1": B1, "worker2": B2}
HANDLER = {"handler1": BOTH}
EXPERT = {"worker1": BOTH}
READ = union(AUTHOR, CADRE_SCOPE, HANDLER)  # before scoring
READ_SCORED = union(READ, EXPERT)  # once it went to scoring
DESK = CADRES | {"handler1", "worker1"}


def may(who: dict, ok: int, readers: dict = READ) -> object:
    """ok for `who` on their targets; a reader without the right 403; anyone else 404."""

    def rule(p, t):
        if t in who.get(p, ()):
            return ok
        return 403 if t in readers.get(p, ()) else 404

    return rule


def read(readers: dict = READ):
    return scoped(readers, outsiders=404)


def create(ok: int, outside: int):
    """A record for branch1's unit: the chair and branch1 may; branch2's scope lacks it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


P = "/services/suggestions"
A = "/api/v1/services/suggestions"
S = "services:suggestions"


def _new(w, t):
    return {
        "title": "食堂排队时间过长",
        "category": "small",
        "department": w["dept"],
        "problem": "午餐高峰排队超过二十分钟",
        "proposal": "增设两个窗口，错峰就餐",
    }


def _new_api(w, t):
    return {
        "title": "食堂排队时间过长",
        "category": "small",
        "department_id": w["dept"],
        "problem": "午餐高峰排队超过二十分钟",
        "proposal": "增设两个窗口，错峰就餐",
    }


def _config(w, t):
    return {
        "org_unit": w["unit"]["b1"],
        "criteria": "创新性 40\n可行性 30\n经济效益 30",
        "tiers": "一等奖 100000 80 3000\n鼓励奖 0 0 100",
    }


def _config_api(w, t):
    return {
        "org_unit_id": w["unit"]["b1"],
        "criteria": [{"name": "创新性", "weight": 60}, {"name": "可行性", "weight": 40}],
        "tiers": [{"name": "鼓励奖", "min_benefit": "0", "min_score": "0", "amount": "100"}],
    }


SCORE_FORM = {f"mark_{i}": v for i, v in enumerate(MARKS.values())} | {"comment": "可行"}
TRACK = union(CADRE_SCOPE, HANDLER)

ROWS = [
    # --- pages: the member's --------------------------------------------------------------------
    Row(f"{S}-home", "get", f"{P}/", holders(MEMBERS)),
    Row(f"{S}-mine-export", "get", f"{P}/mine/export/", holders(MEMBERS)),
    Row(f"{S}-new", "get", f"{P}/new/", holders(MEMBERS)),
    Row(f"{S}-new", "post", f"{P}/new/", holders(MEMBERS, 302), data=_new, name=f"{S}-new-post"),
    Row(f"{S}-similar", "get", f"{P}/similar/?title=排队", holders(MEMBERS)),
    Row(f"{S}-detail", "get", f"{P}/{{sub}}/", read(), REC),
    Row(f"{S}-detail", "get", f"{P}/{{sco}}/", read(READ_SCORED), REC, name=f"{S}-detail-sco"),
    Row(
        f"{S}-rate",
        "post",
        f"{P}/{{rej}}/rate/",
        may(AUTHOR, 302),
        REC,
        data={"rating": "satisfied"},
    ),
    # --- pages: the steps -----------------------------------------------------------------------
    Row(
        f"{S}-step",
        "post",
        f"{P}/{{sub}}/step/review/",
        may(HANDLER, 302),
        REC,
        data={"note": "同意评审"},
    ),
    Row(
        f"{S}-step",
        "post",
        f"{P}/{{sub}}/step/reject/",
        may(TRACK, 302),
        REC,
        data={"reason": "已有类似措施"},
        name=f"{S}-step-reject",
    ),
    Row(
        f"{S}-step",
        "post",
        f"{P}/{{sco}}/step/adopt/",
        may(CADRE_SCOPE, 302, READ_SCORED),
        REC,
        data=lambda w, t: {"finance_department": w["dept"], "note": "采纳"},
        name=f"{S}-step-adopt",
    ),
    Row(
        f"{S}-experts",
        "post",
        f"{P}/{{sco}}/experts/",
        may(CADRE_SCOPE, 302, READ_SCORED),
        REC,
        data={"employee_nos": "E0001"},
    ),
    Row(
        f"{S}-score",
        "post",
        f"{P}/{{sco}}/score/",
        may(EXPERT, 302, READ_SCORED),
        REC,
        data=SCORE_FORM,
    ),
    Row(
        f"{S}-milestone-new",
        "post",
        f"{P}/{{ado}}/milestones/",
        may(TRACK, 302, READ_SCORED),
        REC,
        data={"title": "安装调试", "workdays": 5},
    ),
    Row(
        f"{S}-milestone-complete",
        "post",
        f"{P}/milestones/{{ms}}/complete/",
        may(TRACK, 302, READ_SCORED),
        REC,
        data={"note": "已完成"},
    ),
    # --- pages: the desk ------------------------------------------------------------------------
    Row(f"{S}-desk", "get", f"{P}/desk/", holders(DESK)),
    Row(f"{S}-desk-export", "get", f"{P}/desk/export/", holders(DESK)),
    Row(f"{S}-figures", "get", f"{P}/figures/", holders(CADRES)),
    Row(f"{S}-figures-export", "get", f"{P}/figures/export/", holders(CADRES)),
    Row(f"{S}-config", "get", f"{P}/config/", holders(CADRES)),
    Row(
        f"{S}-config",
        "post",
        f"{P}/config/",
        create(302, 400),
        data=_config,
        name=f"{S}-config-post",
    ),
    # --- API: the member's ----------------------------------------------------------------------
    Row(f"GET {A}/mine", "get", f"{A}/mine", holders(MEMBERS)),
    Row(f"POST {A}", "post", A, holders(MEMBERS, 201), data=_new_api),
    Row(f"GET {A}/similar", "get", f"{A}/similar?title=排队", holders(MEMBERS)),
    Row(f"GET {A}/{{suggestion_id}}", "get", f"{A}/{{sub}}", read(), REC),
    Row(
        f"POST {A}/{{suggestion_id}}/rating",
        "post",
        f"{A}/{{rej}}/rating",
        may(AUTHOR, 200),
        REC,
        data={"rating": "satisfied"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/attachments",
        "post",
        f"{A}/{{sub}}/attachments",
        may(AUTHOR, 201),
        REC,
        data=lambda w, t: {"files": [photo("idea.png")]},
        multipart=True,
    ),
    # --- API: the desk --------------------------------------------------------------------------
    Row(f"GET {A}/desk", "get", f"{A}/desk", holders(DESK)),
    Row(f"GET {A}/{{suggestion_id}}/similar", "get", f"{A}/{{sub}}/similar", read(), REC),
    Row(
        f"POST {A}/{{suggestion_id}}/review",
        "post",
        f"{A}/{{sub}}/review",
        may(HANDLER, 200),
        REC,
        data={"note": "同意"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/reject",
        "post",
        f"{A}/{{sub}}/reject",
        may(TRACK, 200),
        REC,
        data={"reason": "已有类似措施"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/experts",
        "post",
        f"{A}/{{sco}}/experts",
        may(CADRE_SCOPE, 200, READ_SCORED),
        REC,
        data={"employee_nos": ["E0001"]},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/scores",
        "post",
        f"{A}/{{sco}}/scores",
        may(EXPERT, 200, READ_SCORED),
        REC,
        data={"marks": MARKS, "comment": "可行"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/adopt",
        "post",
        f"{A}/{{sco}}/adopt",
        may(CADRE_SCOPE, 200, READ_SCORED),
        REC,
        data=lambda w, t: {"finance_department_id": w["dept"]},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/milestones",
        "post",
        f"{A}/{{ado}}/milestones",
        may(TRACK, 201, READ_SCORED),
        REC,
        data={"title": "安装调试", "workdays": 5},
    ),
    Row(
        f"POST {A}/milestones/{{milestone_id}}/complete",
        "post",
        f"{A}/milestones/{{ms}}/complete",
        may(TRACK, 200, READ_SCORED),
        REC,
        data={"note": "已完成"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/implement",
        "post",
        f"{A}/{{ado}}/implement",
        may(TRACK, 400, READ_SCORED),  # a milestone is still open: the guard refuses
        REC,
        data={},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/certify",
        "post",
        f"{A}/{{imp}}/certify",
        may(HANDLER, 200, READ_SCORED),
        REC,
        data={"benefit": "50000.00"},
    ),
    Row(
        f"POST {A}/{{suggestion_id}}/reward",
        "post",
        f"{A}/{{cer}}/reward",
        may(CADRE_SCOPE, 200, READ_SCORED),
        REC,
        data={},
    ),
    Row(f"GET {A}/figures", "get", f"{A}/figures", holders(CADRES)),
    Row(f"GET {A}/config", "get", f"{A}/config", holders(CADRES)),
    Row(f"PUT {A}/config", "put", f"{A}/config", create(200, 404), data=_config_api),
]


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Uploads of the module's rows in a private temporary directory."""
    location = tmp_path_factory.mktemp("suggestions-uploads")
    with override_settings(STORAGES=private_storages(location)):
        yield location


@pytest.fixture(scope="module")
def world(storage, module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
