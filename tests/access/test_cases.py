"""Roles × routes of module cases: every persona (and the anonymous) against every page of the
`cases` namespace and every operation under /api/v1/cases, on records in branch1 and branch2.

Expectations are plain data written from DESIGN.md (roles; module 4), not read from the
permission registry under test:
  - cadres see the grievances of their unit's subtree (the chair both branches, branch1 /
    branch2 only their own; a sibling branch's grievance is 404) and handle what their level
    is responsible for (assign, transfer, ask, answer, publish to the knowledge base);
  - a handler sees and answers only what is assigned to their department (handler1: 人力资源部,
    the b1 grievance), and nothing else (404);
  - a worker sees their own grievances and mediation requests only; adds information, rates
    and withdraws their own; anybody else's is 404;
  - mediators run mediation (accept, parties, sessions, agreement, failure, decline); cadres
    read the mediation cases of their subtree; the applicant reads their own and withdraws it;
  - the legal knowledge base: published entries are read by every signed-in user; cadres keep
    the entries of their subtree (another branch's published entry: 403, it is public);
  - representatives, counselors and the admin hold nothing in cases (the admin reads no case);
    raising a grievance or a mediation request needs a member record (403 without one);
  - the anonymous box (pages and API) is open to everyone, signed in or not, and reads no
    identity; other pages send the anonymous to sign in (302), the API answers 401.
A refused write changes nothing (audit log and every cases table fingerprinted before/after).
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    ALL,
    ANON,
    B1,
    B2,
    BOTH,
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    cases,
    everyone,
    holders,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_cases import build_world

CADRES = {"chair", "branch1", "branch2"}
MEMBERS = CADRES | {"rep1", "worker1", "worker2"}  # those with a member record
# Who reads which grievance ("b1" is assigned to handler1's department).
READ_G = CADRE_SCOPE | {"worker1": B1, "worker2": B2, "handler1": B1}
HANDLE = CADRE_SCOPE  # the level responsible: assign, transfer, publish
ANSWER = CADRE_SCOPE | {"handler1": B1}  # ask and answer
SUBMITTER = {"worker1": B1, "worker2": B2}
# Mediation: cadres read their subtree's, mediator1 (over the committee) runs them all.
READ_M = CADRE_SCOPE | {"worker1": B1, "worker2": B2, "mediator1": BOTH}
MEDIATE = {"mediator1": BOTH}
APPLICANT = SUBMITTER
KNOWLEDGE = CADRE_SCOPE  # the entries of their subtree


def read(scope, ok=200):
    """A record readable by `scope`; anybody else: 404 (not revealed)."""
    return scoped(scope, ok=ok, outsiders=404)


def then(reader, actor, ok):
    """Readable (else 404), then `actor`'s (else 403)."""

    def rule(p, t):
        if t not in reader.get(p, ()):
            return 404
        return ok if t in actor.get(p, ()) else 403

    return rule


def _assign(w, t):
    return {"department": w["D_PROD"], "note": "矩阵改派"}


def _assign_api(w, t):
    return {"department_id": w["D_PROD"], "note": "矩阵改派"}


def _transfer(w, t):
    return {"unit": w["U"], "note": "矩阵转交"}


def _transfer_api(w, t):
    return {"unit_id": w["U"], "note": "矩阵转交"}


def _accept(w, t):
    return {"mediator": w["mediator1"], "note": ""}


def _accept_api(w, t):
    return {"mediator_id": w["mediator1"], "note": ""}


def _session_form(w, t):
    return {"held_at": w["held_at_form"], "place": "会议室", "attendees": "双方", "minutes": "记录"}


def _session_api(w, t):
    return {"held_at": w["held_at"], "place": "会议室", "attendees": "双方", "minutes": "记录"}


def _box(w, t):
    return {"kind": "grievance", "category": "other", "org_unit": w["B1"], "text": "匿名反映"}


def _box_api(w, t):
    return {"kind": "grievance", "category": "other", "org_unit_id": w["B1"], "text": "匿名反映"}


def _code(w, t):
    return {"code": w["code"]}


def _box_message(w, t):
    return {"code": w["code"], "text": "补充说明"}


def _box_rate(w, t):
    return {"code": w["code"], "rating": "satisfied", "comment": ""}


def _rule_form(w, t):
    return {"scope": w["ids"]["branch"][t], "category": "wages", "department": w["D_HR"]}


KNOWLEDGE_FORM = {"question": "矩阵问题？", "answer": "矩阵答案。", "category": "wages"}
GRIEVANCE_FORM = {"kind": "grievance", "category": "wages", "text": "矩阵测试诉求"}
MEDIATION_FORM = {"category": "wages", "respondent": "示例能源集团有限公司", "claim": "矩阵"}


ROWS = [
    # --- a worker's own grievances --------------------------------------------------------------
    Row("cases:mine", "get", "/cases/", everyone(200)),
    Row("cases:grievance-create", "get", "/cases/new/", holders(MEMBERS)),
    Row(
        "cases:grievance-create",
        "post",
        "/cases/new/",
        holders(MEMBERS, ok=302),
        data=GRIEVANCE_FORM,
        name="cases:grievance-create-post",
    ),
    # --- the anonymous box: open to all, signed in or not -----------------------------------
    Row("cases:box", "get", "/cases/box/", everyone(200), anon=200),
    Row(
        "cases:box",
        "post",
        "/cases/box/",
        everyone(200),
        data=_box,
        anon=200,
        name="cases:box-post",
    ),
    Row("cases:box-follow", "get", "/cases/box/follow/", everyone(200), anon=200),
    Row(
        "cases:box-follow",
        "post",
        "/cases/box/follow/",
        everyone(200),
        data=_code,
        anon=200,
        name="cases:box-follow-post",
    ),
    Row(
        "cases:box-message",
        "post",
        "/cases/box/message/",
        everyone(200),
        data=_box_message,
        anon=200,
    ),
    Row("cases:box-rate", "post", "/cases/box/rate/", everyone(200), data=_box_rate, anon=200),
    # --- staff queues and routing -----------------------------------------------------------
    Row("cases:queue", "get", "/cases/queue/", holders(CADRES)),
    Row("cases:queue-export", "get", "/cases/queue/export/?overdue=on", holders(CADRES)),
    Row("cases:department-queue", "get", "/cases/department/", holders({"handler1"})),
    Row("cases:routing-list", "get", "/cases/routing/", holders(CADRES)),
    Row(
        "cases:routing-list",
        "post",
        "/cases/routing/",
        scoped(CADRE_SCOPE, ok=302, outside=400),  # a scope outside: not a form choice
        REC,
        data=_rule_form,
        scope=CADRE_SCOPE,
        name="cases:routing-list-post",
    ),
    Row(
        "cases:routing-delete",
        "post",
        "/cases/routing/{rule}/delete/",
        scoped(CADRE_SCOPE, ok=302),
        REC,
    ),
    # --- one grievance -------------------------------------------------------------------------
    Row("cases:grievance-detail", "get", "/cases/{g}/", read(READ_G), REC),
    Row(
        "cases:grievance-info",
        "post",
        "/cases/{g}/info/",
        then(READ_G, SUBMITTER, 302),
        REC,
        data={"text": "补充材料"},
    ),
    Row(
        "cases:grievance-rate",
        "post",
        "/cases/{ga}/rate/",
        then(READ_G, SUBMITTER, 302),
        REC,
        data={"rating": "satisfied", "comment": ""},
    ),
    Row(
        "cases:grievance-withdraw",
        "post",
        "/cases/{g}/withdraw/",
        then(READ_G, SUBMITTER, 302),
        REC,
        data={"note": ""},
    ),
    Row(
        "cases:grievance-assign",
        "post",
        "/cases/{g}/assign/",
        then(READ_G, HANDLE, 302),
        REC,
        data=_assign,
    ),
    Row(
        "cases:grievance-transfer",
        "post",
        "/cases/{g}/transfer/",
        then(READ_G, HANDLE, 302),
        REC,
        data=_transfer,
    ),
    Row(
        "cases:grievance-ask",
        "post",
        "/cases/{g}/ask/",
        then(READ_G, ANSWER, 302),
        REC,
        data={"text": "请补充工资条"},
    ),
    Row(
        "cases:grievance-answer",
        "post",
        "/cases/{g}/answer/",
        then(READ_G, ANSWER, 302),
        REC,
        data={"text": "已答复"},
    ),
    Row("cases:grievance-publish", "get", "/cases/{ga}/publish/", then(READ_G, HANDLE, 200), REC),
    Row(
        "cases:grievance-publish",
        "post",
        "/cases/{ga}/publish/",
        then(READ_G, HANDLE, 302),
        REC,
        data={"question": "高温补贴？", "answer": "按规定发放。", "category": "wages"},
        name="cases:grievance-publish-post",
    ),
    # --- mediation -------------------------------------------------------------------------------
    Row("cases:mediation-list", "get", "/cases/mediation/", holders(CADRES | {"mediator1"})),
    Row("cases:mediation-create", "get", "/cases/mediation/new/", holders(MEMBERS)),
    Row(
        "cases:mediation-create",
        "post",
        "/cases/mediation/new/",
        holders(MEMBERS, ok=302),
        data=MEDIATION_FORM,
        name="cases:mediation-create-post",
    ),
    Row("cases:mediation-detail", "get", "/cases/mediation/{m}/", read(READ_M), REC),
    Row(
        "cases:mediation-accept",
        "post",
        "/cases/mediation/{m}/accept/",
        then(READ_M, MEDIATE, 302),
        REC,
        data=_accept,
    ),
    Row(
        "cases:mediation-party",
        "post",
        "/cases/mediation/{ma}/party/",
        then(READ_M, MEDIATE, 302),
        REC,
        data={"side": "respondent", "name": "示例能源"},
    ),
    Row(
        "cases:mediation-session",
        "post",
        "/cases/mediation/{ma}/session/",
        then(READ_M, MEDIATE, 302),
        REC,
        data=_session_form,
    ),
    Row(
        "cases:mediation-agree",
        "post",
        "/cases/mediation/{ma}/agree/",
        then(READ_M, MEDIATE, 302),
        REC,
        data={"text": "双方达成协议。"},
    ),
    Row(
        "cases:mediation-fail",
        "post",
        "/cases/mediation/{ma}/fail/",
        then(READ_M, MEDIATE, 302),
        REC,
        data={"reason": "调解不成"},
    ),
    Row(
        "cases:mediation-decline",
        "post",
        "/cases/mediation/{m}/decline/",
        then(READ_M, MEDIATE, 302),
        REC,
        data={"reason": "不属于劳动争议"},
    ),
    Row(
        "cases:mediation-withdraw",
        "post",
        "/cases/mediation/{m}/withdraw/",
        then(READ_M, APPLICANT, 302),
        REC,
        data={"note": ""},
    ),
    Row("cases:mediation-agreement", "get", "/cases/mediation/{mg}/agreement/", read(READ_M), REC),
    Row(
        "cases:mediation-agreement-pdf",
        "get",
        "/cases/mediation/{mg}/agreement.pdf",
        read(READ_M),
        REC,
    ),
    # --- the knowledge base ----------------------------------------------------------------------
    Row("cases:knowledge-list", "get", "/cases/knowledge/", everyone(200)),
    Row(
        "cases:knowledge-suggest",
        "post",
        "/cases/knowledge/suggest/",
        everyone(200),
        anon=200,  # the anonymous box uses it: published answers only, no session read
        data={"text": "加班费"},
    ),
    Row("cases:knowledge-manage", "get", "/cases/knowledge/manage/", holders(CADRES)),
    Row("cases:knowledge-create", "get", "/cases/knowledge/new/", holders(CADRES)),
    Row(
        "cases:knowledge-create",
        "post",
        "/cases/knowledge/new/",
        holders(CADRES, ok=302),  # the entry belongs to the cadre's own unit
        data=KNOWLEDGE_FORM,
        name="cases:knowledge-create-post",
    ),
    Row("cases:knowledge-detail", "get", "/cases/knowledge/{entry}/", everyone(200), REC),
    Row(
        "cases:knowledge-edit",
        "get",
        "/cases/knowledge/{entry}/edit/",
        scoped(KNOWLEDGE, outside=403),
        REC,
    ),
    Row(
        "cases:knowledge-edit",
        "post",
        "/cases/knowledge/{entry}/edit/",
        scoped(KNOWLEDGE, ok=302, outside=403),
        REC,
        data=KNOWLEDGE_FORM | {"publish": "on"},
        name="cases:knowledge-edit-post",
    ),
    Row(
        "cases:knowledge-delete",
        "post",
        "/cases/knowledge/{entry}/delete/",
        scoped(KNOWLEDGE, ok=302, outside=403),
        REC,
    ),
    # === API =====================================================================================
    Row(
        "GET /api/v1/cases/grievances",
        "get",
        "/api/v1/cases/grievances",
        holders(CADRES | {"handler1"}),
    ),
    Row(
        "POST /api/v1/cases/grievances",
        "post",
        "/api/v1/cases/grievances",
        holders(MEMBERS, ok=201),
        data=GRIEVANCE_FORM,
    ),
    Row("GET /api/v1/cases/grievances/mine", "get", "/api/v1/cases/grievances/mine", everyone(200)),
    Row(
        "GET /api/v1/cases/grievances/{grievance_id}",
        "get",
        "/api/v1/cases/grievances/{g}",
        read(READ_G),
        REC,
    ),
    Row(
        "GET /api/v1/cases/grievances/{grievance_id}/timeline",
        "get",
        "/api/v1/cases/grievances/{g}/timeline",
        read(READ_G),
        REC,
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/assign",
        "post",
        "/api/v1/cases/grievances/{g}/assign",
        then(READ_G, HANDLE, 200),
        REC,
        data=_assign_api,
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/transfer",
        "post",
        "/api/v1/cases/grievances/{g}/transfer",
        then(READ_G, HANDLE, 200),
        REC,
        data=_transfer_api,
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/ask",
        "post",
        "/api/v1/cases/grievances/{g}/ask",
        then(READ_G, ANSWER, 201),
        REC,
        data={"text": "请补充工资条"},
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/answer",
        "post",
        "/api/v1/cases/grievances/{g}/answer",
        then(READ_G, ANSWER, 200),
        REC,
        data={"text": "已答复"},
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/info",
        "post",
        "/api/v1/cases/grievances/{g}/info",
        then(READ_G, SUBMITTER, 201),
        REC,
        data={"text": "补充材料"},
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/rate",
        "post",
        "/api/v1/cases/grievances/{ga}/rate",
        then(READ_G, SUBMITTER, 200),
        REC,
        data={"rating": "satisfied"},
    ),
    Row(
        "POST /api/v1/cases/grievances/{grievance_id}/withdraw",
        "post",
        "/api/v1/cases/grievances/{g}/withdraw",
        then(READ_G, SUBMITTER, 200),
        REC,
    ),
    Row(
        "POST /api/v1/cases/box",
        "post",
        "/api/v1/cases/box",
        everyone(201),
        data=_box_api,
        anon=201,
    ),
    Row(
        "POST /api/v1/cases/box/lookup",
        "post",
        "/api/v1/cases/box/lookup",
        everyone(200),
        data=_code,
        anon=200,
    ),
    Row(
        "POST /api/v1/cases/box/message",
        "post",
        "/api/v1/cases/box/message",
        everyone(201),
        data=_box_message,
        anon=201,
    ),
    Row(
        "POST /api/v1/cases/box/rate",
        "post",
        "/api/v1/cases/box/rate",
        everyone(201),
        data=_box_rate,
        anon=201,
    ),
    Row(
        "GET /api/v1/cases/mediations",
        "get",
        "/api/v1/cases/mediations",
        holders(CADRES | {"mediator1"}),
    ),
    Row(
        "POST /api/v1/cases/mediations",
        "post",
        "/api/v1/cases/mediations",
        holders(MEMBERS, ok=201),
        data=MEDIATION_FORM,
    ),
    Row("GET /api/v1/cases/mediations/mine", "get", "/api/v1/cases/mediations/mine", everyone(200)),
    Row(
        "GET /api/v1/cases/mediations/{case_id}",
        "get",
        "/api/v1/cases/mediations/{m}",
        read(READ_M),
        REC,
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/accept",
        "post",
        "/api/v1/cases/mediations/{m}/accept",
        then(READ_M, MEDIATE, 200),
        REC,
        data=_accept_api,
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/parties",
        "post",
        "/api/v1/cases/mediations/{ma}/parties",
        then(READ_M, MEDIATE, 201),
        REC,
        data={"side": "respondent", "name": "示例能源"},
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/sessions",
        "post",
        "/api/v1/cases/mediations/{ma}/sessions",
        then(READ_M, MEDIATE, 201),
        REC,
        data=_session_api,
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/agreement",
        "post",
        "/api/v1/cases/mediations/{ma}/agreement",
        then(READ_M, MEDIATE, 200),
        REC,
        data={"text": "双方达成协议。"},
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/failure",
        "post",
        "/api/v1/cases/mediations/{ma}/failure",
        then(READ_M, MEDIATE, 200),
        REC,
        data={"reason": "调解不成"},
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/decline",
        "post",
        "/api/v1/cases/mediations/{m}/decline",
        then(READ_M, MEDIATE, 200),
        REC,
        data={"reason": "不属于劳动争议"},
    ),
    Row(
        "POST /api/v1/cases/mediations/{case_id}/withdraw",
        "post",
        "/api/v1/cases/mediations/{m}/withdraw",
        then(READ_M, APPLICANT, 200),
        REC,
    ),
    Row("GET /api/v1/cases/knowledge", "get", "/api/v1/cases/knowledge?q=加班", everyone(200)),
    Row(
        "POST /api/v1/cases/knowledge",
        "post",
        "/api/v1/cases/knowledge",
        holders(CADRES, ok=201),
        data=KNOWLEDGE_FORM,
    ),
    Row(
        "POST /api/v1/cases/knowledge/suggest",
        "post",
        "/api/v1/cases/knowledge/suggest",
        everyone(200),
        data={"text": "加班费"},
    ),
    Row(
        "GET /api/v1/cases/knowledge/{entry_id}",
        "get",
        "/api/v1/cases/knowledge/{entry}",
        everyone(200),
        REC,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


def _json_body(row, response, status):
    """The API answers JSON, with the error body on a refusal."""
    if row.api:
        assert response["Content-Type"].startswith("application/json")
        if status >= 400:
            assert "detail" in response.json()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected, after=_json_body)


def test_the_table_covers_every_persona_and_the_sibling_rule():
    table = list(cases(ROWS))
    assert {c.values[1] for c in table} == set(ALL)
    by_key = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in table}
    # sibling branches never see each other's grievances or mediation cases
    assert by_key[("cases:grievance-detail-get", "branch1", "b2")] == 404
    assert by_key[("cases:grievance-detail-get", "branch2", "b1")] == 404
    assert by_key[("GET /api/v1/cases/mediations/{case_id}-get", "branch2", "b1")] == 404
    # the admin reads no case
    assert by_key[("GET /api/v1/cases/grievances/{grievance_id}-get", "admin", "b1")] == 404
    assert by_key[("cases:box-get", ANON, None)] == 200


def test_the_fingerprint_sees_a_changed_value(world, db):
    from zhijia.cases.models import MediationCase

    before = world.fingerprint()
    MediationCase.objects.filter(pk=world["ids"]["m"]["b1"]).update(claim="改")
    assert world.fingerprint() != before
