"""Roles × every page and API operation of bargaining (集体协商, 集体合同).

From DESIGN.md (section 8; roles: a cadre manages their unit's subtree, never a sibling branch)
and the module's rules:
  - members (chair, branch1, branch2, rep1, worker1, worker2) open the module's home; roles
    without a member record (admin, handler1, counselor1, mediator1) are refused (403);
  - a contract in force is read by every member of its unit's subtree (Art. 48) and its
    cadres: b1 by branch1, rep1, worker1 and the chair; b2 by branch2, worker2 and the chair;
    another branch's contract is 404;
  - a round collecting demands takes the demands of the members of its unit's subtree; the
    chair, a member of the committee above, is not of a branch's round (404);
  - a contract's performance (compliance) is read by the representatives of its units (rep1:
    b1) and its cadres;
  - the desk (rounds, delegations, sessions, contracts, the vote, signing, checks) is for
    cadres over their unit's subtree: branch1 on b1, branch2 on b2, the chair on both; a
    sibling branch's record is 404; everyone else 403.
A refused write changes nothing (rounds, demands, delegations, sessions, contracts, versions,
clauses, checks, polls, rolls, ballots, grievances, the audit log, notifications, workflow
events are compared before and after).
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
    holders,
    per_persona,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_bargaining import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
READ = {"chair": BOTH, "branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
AUDIENCE = {
    "chair": frozenset(),
    "branch1": B1,
    "rep1": B1,
    "worker1": B1,
    "branch2": B2,
    "worker2": B2,
}
INSPECT = {**CADRE_SCOPE, "rep1": B1}


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def create(ok: int, outside: int):
    """A new record for branch1's unit: the chair and branch1 may; branch2's scope lacks it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


P = "/bargaining"
D = "/bargaining/desk"
A = "/api/v1/bargaining"
B = "bargaining"


def _round_form(w, t):
    return {
        "org_unit": w["unit"]["b1"],
        "kind": "wage",
        "title": "新一轮协商",
        "employer_name": "示例能源集团",
        "union_basis": "elected",
        "max_delegates": 10,
    }


def _contract_form(w, t):
    return {
        "org_unit": w["unit"]["b1"],
        "kind": "general",
        "title": "综合性集体合同",
        "employer_name": "示例能源集团",
        "term_years": 3,
        "vote_basis": "representatives",
    }


DELEGATIONS = {
    "union_basis": "elected",
    "union": "张三 主席\n李四 代表\n王五 代表",
    "union_chief": "张三",
    "employer": "赵总 总经理\n钱经理 人事\n孙会计 财务",
    "employer_chief": "赵总",
}
DELEGATIONS_API = {
    "union": [{"name": "张三", "is_chief": True}, {"name": "李四"}, {"name": "王五"}],
    "employer": [{"name": "赵总", "is_chief": True}, {"name": "钱经理"}, {"name": "孙会计"}],
}


ROWS = [
    # --- pages: the worker's --------------------------------------------------------------------
    Row(f"{B}:home", "get", f"{P}/", holders(MEMBERS)),
    Row(f"{B}:contract-read", "get", f"{P}/contracts/{{eff}}/", scoped(READ), REC),
    Row(f"{B}:demand", "get", f"{P}/rounds/{{round_c}}/demand/", scoped(AUDIENCE), REC),
    Row(
        f"{B}:demand",
        "post",
        f"{P}/rounds/{{round_c}}/demand/",
        scoped(AUDIENCE, ok=302),
        REC,
        data={"topic": "rest", "text": "增加休息"},
        name=f"{B}:demand-post",
    ),
    Row(f"{B}:compliance-list", "get", f"{P}/compliance/", holders({*CADRES, "rep1"})),
    Row(f"{B}:compliance", "get", f"{P}/compliance/{{eff}}/", scoped(INSPECT), REC),
    # --- pages: the desk ------------------------------------------------------------------------
    Row(f"{B}:desk", "get", f"{D}/", holders(CADRES)),
    Row(f"{B}:desk-export", "get", f"{D}/export/", holders(CADRES)),
    Row(f"{B}:round-new", "get", f"{D}/rounds/new/", holders(CADRES)),
    Row(
        f"{B}:round-new",
        "post",
        f"{D}/rounds/new/",
        create(302, 400),
        data=_round_form,
        name=f"{B}:round-new-post",
    ),
    Row(f"{B}:round", "get", f"{D}/rounds/{{round_c}}/", desk(), REC),
    Row(
        f"{B}:round",
        "get",
        f"{D}/rounds/{{round_b}}/",
        desk(),
        REC,
        name=f"{B}:round-bargaining",
    ),
    Row(f"{B}:round-demands-export", "get", f"{D}/rounds/{{round_c}}/demands/export/", desk(), REC),
    Row(
        f"{B}:round-delegations",
        "post",
        f"{D}/rounds/{{round_c}}/delegations/",
        desk(302),
        REC,
        data=DELEGATIONS,
    ),
    Row(
        f"{B}:round-session-new",
        "post",
        f"{D}/rounds/{{round_b}}/sessions/",
        desk(302),
        REC,
        data=lambda w, t: {"held_on": w["today"], "minutes": "第二次协商。"},
    ),
    Row(
        f"{B}:session-sign",
        "post",
        f"{D}/sessions/{{session}}/sign/",
        desk(302),
        REC,
        data={"side": "union"},
    ),
    Row(
        f"{B}:round-step",
        "post",
        f"{D}/rounds/{{round_c}}/send_request/",
        desk(302),
        REC,
        data=lambda w, t: {"request_text": "要求协商", "received_on": w["today"]},
    ),
    Row(f"{B}:contract-new", "get", f"{D}/contracts/new/", holders(CADRES)),
    Row(
        f"{B}:contract-new",
        "post",
        f"{D}/contracts/new/",
        create(302, 400),
        data=_contract_form,
        name=f"{B}:contract-new-post",
    ),
    Row(f"{B}:contract", "get", f"{D}/contracts/{{draft}}/", desk(), REC),
    Row(
        f"{B}:contract",
        "get",
        f"{D}/contracts/{{voting}}/",
        desk(),
        REC,
        name=f"{B}:contract-voting",
    ),
    Row(
        f"{B}:contract",
        "get",
        f"{D}/contracts/{{voted}}/",
        desk(),
        REC,
        name=f"{B}:contract-voted",
    ),
    Row(
        f"{B}:contract",
        "get",
        f"{D}/contracts/{{eff}}/",
        desk(),
        REC,
        name=f"{B}:contract-effective",
    ),
    Row(
        f"{B}:contract-clause",
        "post",
        f"{D}/contracts/{{draft}}/clauses/",
        desk(302),
        REC,
        data={"title": "培训", "text": "每年培训不少于 24 学时。", "measurable": "on"},
    ),
    Row(
        f"{B}:contract-clause-edit",
        "post",
        f"{D}/contracts/{{draft}}/clauses/edit/",
        desk(302),
        REC,
        data={"number": 1, "title": "工资增长", "text": "年增长不低于 6%。"},
    ),
    Row(
        f"{B}:contract-version",
        "post",
        f"{D}/contracts/{{draft}}/versions/",
        desk(302),
        REC,
        data={"note": "第三稿"},
    ),
    Row(f"{B}:contract-diff", "get", f"{D}/contracts/{{draft}}/diff/", desk(), REC),
    Row(f"{B}:contract-pdf", "get", f"{D}/contracts/{{draft}}/versions/1/pdf/", desk(), REC),
    Row(
        f"{B}:contract-vote-prepare",
        "post",
        f"{D}/contracts/{{draft}}/vote/prepare/",
        desk(302),
        REC,
    ),
    Row(
        f"{B}:contract-vote-open",
        "post",
        f"{D}/contracts/{{draft}}/vote/open/",
        desk(302),
        REC,
    ),
    Row(
        f"{B}:contract-vote-close",
        "post",
        f"{D}/contracts/{{voting}}/vote/close/",
        desk(302),
        REC,
    ),
    Row(
        f"{B}:contract-step",
        "post",
        f"{D}/contracts/{{voted}}/sign/",
        desk(302),
        REC,
        data=lambda w, t: {
            "signed_on": w["today"],
            "union_signer": "张三",
            "employer_signer": "赵总",
        },
    ),
    Row(
        f"{B}:check-new",
        "post",
        f"{D}/contracts/{{eff}}/checks/",
        desk(302),
        REC,
        data=lambda w, t: {"clause_number": 2, "due_on": w["today"], "responsible": "王五"},
    ),
    Row(f"{B}:checks-export", "get", f"{P}/compliance/{{eff}}/export/", scoped(INSPECT), REC),
    Row(
        f"{B}:check-result",
        "post",
        f"{D}/checks/{{check}}/result/",
        desk(302),
        REC,
        data={"result": "met", "finding": "已执行"},
    ),
    # --- API: the worker's ----------------------------------------------------------------------
    Row(f"GET {A}/contracts", "get", f"{A}/contracts", holders(MEMBERS)),
    Row(f"GET {A}/contracts/{{contract_id}}", "get", f"{A}/contracts/{{eff}}", scoped(READ), REC),
    Row(f"GET {A}/rounds", "get", f"{A}/rounds", holders(MEMBERS)),
    Row(
        f"POST {A}/rounds/{{round_id}}/demands",
        "post",
        f"{A}/rounds/{{round_c}}/demands",
        scoped(AUDIENCE, ok=201),
        REC,
        data={"topic": "rest", "text": "增加休息"},
    ),
    Row(
        f"GET {A}/contracts/{{contract_id}}/checks",
        "get",
        f"{A}/contracts/{{eff}}/checks",
        scoped(INSPECT),
        REC,
    ),
    # --- API: the desk --------------------------------------------------------------------------
    Row(f"GET {A}/desk/rounds", "get", f"{A}/desk/rounds", holders(CADRES)),
    Row(
        f"POST {A}/desk/rounds",
        "post",
        f"{A}/desk/rounds",
        create(201, 404),
        data=lambda w, t: {
            "org_unit_id": w["unit"]["b1"],
            "kind": "wage",
            "title": "新一轮",
            "employer_name": "示例能源集团",
        },
    ),
    Row(f"GET {A}/desk/rounds/{{round_id}}", "get", f"{A}/desk/rounds/{{round_c}}", desk(), REC),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/delegations",
        "post",
        f"{A}/desk/rounds/{{round_c}}/delegations",
        desk(),
        REC,
        data=DELEGATIONS_API,
    ),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/send_request",
        "post",
        f"{A}/desk/rounds/{{round_c}}/send_request",
        desk(),
        REC,
        data=lambda w, t: {"request_text": "要求协商", "received_on": w["today"]},
    ),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/record_answer",
        "post",
        f"{A}/desk/rounds/{{round_c}}/record_answer",
        desk(409),  # still collecting demands: a conflict, after the access check
        REC,
        data=lambda w, t: {"answered_on": w["today"], "answer_text": "同意"},
    ),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/conclude",
        "post",
        f"{A}/desk/rounds/{{round_b}}/conclude",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/abandon",
        "post",
        f"{A}/desk/rounds/{{round_c}}/abandon",
        desk(),
        REC,
        data={"reason": "对方破产"},
    ),
    Row(
        f"GET {A}/desk/rounds/{{round_id}}/demands",
        "get",
        f"{A}/desk/rounds/{{round_c}}/demands",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/rounds/{{round_id}}/sessions",
        "post",
        f"{A}/desk/rounds/{{round_b}}/sessions",
        desk(201),
        REC,
        data=lambda w, t: {"held_on": w["today"], "minutes": "第二次协商。"},
    ),
    Row(
        f"POST {A}/desk/sessions/{{session_id}}/sign",
        "post",
        f"{A}/desk/sessions/{{session}}/sign",
        desk(),
        REC,
        data={"side": "employer"},
    ),
    Row(f"GET {A}/desk/contracts", "get", f"{A}/desk/contracts", holders(CADRES)),
    Row(
        f"POST {A}/desk/contracts",
        "post",
        f"{A}/desk/contracts",
        create(201, 404),
        data=lambda w, t: {
            "org_unit_id": w["unit"]["b1"],
            "kind": "women",
            "title": "女职工权益保护专项集体合同",
            "employer_name": "示例能源集团",
            "clauses": [{"title": "哺乳时间", "text": "每天一小时哺乳时间。", "measurable": True}],
        },
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/clauses",
        "post",
        f"{A}/desk/contracts/{{draft}}/clauses",
        desk(201),
        REC,
        data={"title": "培训", "text": "每年培训不少于 24 学时。"},
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/versions",
        "post",
        f"{A}/desk/contracts/{{draft}}/versions",
        desk(201),
        REC,
        data={"note": "第三稿"},
    ),
    Row(
        f"GET {A}/desk/contracts/{{contract_id}}",
        "get",
        f"{A}/desk/contracts/{{draft}}",
        desk(),
        REC,
    ),
    Row(
        f"GET {A}/desk/contracts/{{contract_id}}/diff",
        "get",
        f"{A}/desk/contracts/{{draft}}/diff?a=1&b=2",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/vote/prepare",
        "post",
        f"{A}/desk/contracts/{{draft}}/vote/prepare",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/vote/open",
        "post",
        f"{A}/desk/contracts/{{draft}}/vote/open",
        desk(),
        REC,
        data={"paper": True},  # not prepared: a hall vote (online ones are encrypted)
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/vote/close",
        "post",
        f"{A}/desk/contracts/{{voting}}/vote/close",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/sign",
        "post",
        f"{A}/desk/contracts/{{voted}}/sign",
        desk(),
        REC,
        data=lambda w, t: {
            "signed_on": w["today"],
            "union_signer": "张三",
            "employer_signer": "赵总",
        },
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/file",
        "post",
        f"{A}/desk/contracts/{{voted}}/file",
        desk(409),  # not signed yet
        REC,
        data=lambda w, t: {"bureau": "人社局", "bureau_received_on": w["today"]},
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/object",
        "post",
        f"{A}/desk/contracts/{{voted}}/object",
        desk(409),  # not filed
        REC,
        data={"reason": "条款违法"},
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/revise",
        "post",
        f"{A}/desk/contracts/{{voted}}/revise",
        desk(409),  # not rejected
        REC,
    ),
    Row(
        f"POST {A}/desk/contracts/{{contract_id}}/checks",
        "post",
        f"{A}/desk/contracts/{{eff}}/checks",
        desk(201),
        REC,
        data=lambda w, t: {"clause_number": 2, "due_on": w["today"], "responsible": "王五"},
    ),
    Row(
        f"POST {A}/desk/checks/{{check_id}}/result",
        "post",
        f"{A}/desk/checks/{{check}}/result",
        desk(),
        REC,
        data={"result": "met", "finding": "已执行"},
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
