"""Roles × endpoints: every persona (and a visitor who is not signed in) against every page and
API endpoint of module cases, on a branch1 grievance ("b1": worker1's, handled by branch1 and
assigned to 人力资源部, handler1's department), a branch2 grievance ("b2": worker2's, at
branch2), and worker1's mediation request ("m1").

The expectations are written out from DESIGN.md as plain data (not read from the registry):
  - cadres see the grievances of their subtree (the chair: all; a branch chair: their branch),
    and act for the level responsible; a sibling branch's record is 404;
  - a handler sees and answers only what is assigned to their department;
  - a worker sees their own grievances only; adds information, rates and withdraws them;
  - mediators run mediation; cadres read it; the applicant reads their own;
  - representatives, counselors and the admin hold nothing in cases (the admin reads no case:
    there is nothing anonymous to see and nothing of a worker's grievance is theirs);
  - the anonymous box and the published knowledge base are open to every signed-in user, and
    the box to visitors too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import PERSONAS
from zhijia.cases.actions import grievances as actions_grievances
from zhijia.cases.actions import knowledge as actions_knowledge
from zhijia.cases.actions import mediation as actions_mediation
from zhijia.cases.tests.support import department, unit

CADRES = {"chair", "branch1", "branch2"}
MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
READ = {
    "b1": {"chair", "branch1", "worker1", "handler1"},
    "b2": {"chair", "branch2", "worker2"},
    "m1": {"chair", "branch1", "worker1", "mediator1"},
}
HANDLE = {"b1": {"chair", "branch1"}, "b2": {"chair", "branch2"}}
ANSWER = {"b1": {"chair", "branch1", "handler1"}, "b2": {"chair", "branch2"}}
SUBMITTER = {"b1": "worker1", "b2": "worker2", "m1": "worker1"}
MEDIATION_READERS = CADRES | {"mediator1"}
MEDIATORS = {"mediator1"}


def read(p, t, ok=200):
    return ok if p in READ[t] else 404


def then(rule_set, ok):
    """Readable: `ok` when the persona is in the rule's set, else 403; unreadable: 404."""

    def expect(p, t):
        if p not in READ[t]:
            return 404
        return ok if p in rule_set[t] else 403

    return expect


def submitter_only(ok):
    def expect(p, t):
        if p not in READ[t]:
            return 404
        return ok if p == SUBMITTER[t] else 403

    return expect


def holders(group, ok=200):
    return lambda p, t: ok if p in group else 403


def everyone(ok=200):
    return lambda p, t: ok


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "page" or "api"
    method: str
    path: str  # {id} is the target's id
    expect: object
    targets: tuple = ()
    data: object = None
    open_to_visitors: int | None = None  # the status a visitor gets, when not the login wall


G = ("b1", "b2")
M = ("m1",)

ENDPOINTS = [
    # worker pages
    Endpoint("mine", "page", "get", "/cases/", everyone()),
    Endpoint("create", "page", "get", "/cases/new/", holders(MEMBERS)),
    Endpoint("box", "page", "get", "/cases/box/", everyone(), open_to_visitors=200),
    Endpoint("box-follow", "page", "get", "/cases/box/follow/", everyone(), open_to_visitors=200),
    Endpoint("knowledge", "page", "get", "/cases/knowledge/", everyone()),
    Endpoint("mediation-create", "page", "get", "/cases/mediation/new/", holders(MEMBERS)),
    # staff pages
    Endpoint("queue", "page", "get", "/cases/queue/", holders(CADRES)),
    Endpoint("department", "page", "get", "/cases/department/", holders({"handler1"})),
    Endpoint("routing", "page", "get", "/cases/routing/", holders(CADRES)),
    Endpoint("mediation-list", "page", "get", "/cases/mediation/", holders(MEDIATION_READERS)),
    Endpoint("knowledge-manage", "page", "get", "/cases/knowledge/manage/", holders(CADRES)),
    Endpoint("knowledge-new", "page", "get", "/cases/knowledge/new/", holders(CADRES)),
    # one grievance
    Endpoint("detail", "page", "get", "/cases/{id}/", read, G),
    Endpoint("publish", "page", "get", "/cases/{id}/publish/", then(HANDLE, 200), G),
    Endpoint(
        "assign",
        "page",
        "post",
        "/cases/{id}/assign/",
        then(HANDLE, 302),
        G,
        data=lambda ctx: {"department": ctx["D-PROD"], "note": "矩阵"},
    ),  # fmt: skip
    Endpoint(
        "transfer",
        "page",
        "post",
        "/cases/{id}/transfer/",
        then(HANDLE, 302),
        G,
        data=lambda ctx: {"unit": ctx["U"], "note": "矩阵"},
    ),  # fmt: skip
    Endpoint("ask", "page", "post", "/cases/{id}/ask/", then(ANSWER, 302), G, {"text": "请说明"}),
    Endpoint(
        "answer", "page", "post", "/cases/{id}/answer/", then(ANSWER, 302), G, {"text": "答复"}
    ),
    Endpoint("info", "page", "post", "/cases/{id}/info/", submitter_only(302), G, {"text": "补充"}),
    Endpoint("withdraw", "page", "post", "/cases/{id}/withdraw/", submitter_only(302), G, {}),
    # mediation
    Endpoint("mediation-detail", "page", "get", "/cases/mediation/{id}/", read, M),
    Endpoint(
        "mediation-accept",
        "page",
        "post",
        "/cases/mediation/{id}/accept/",
        then({"m1": MEDIATORS}, 302),
        M,
        data=lambda ctx: {"mediator": ctx["mediator1"]},
    ),  # fmt: skip
    Endpoint(
        "mediation-decline",
        "page",
        "post",
        "/cases/mediation/{id}/decline/",
        then({"m1": MEDIATORS}, 302),
        M,
        {"reason": "不属于劳动争议"},
    ),  # fmt: skip
    Endpoint(
        "mediation-withdraw",
        "page",
        "post",
        "/cases/mediation/{id}/withdraw/",
        then({"m1": {"worker1"}}, 302),
        M,
        {},
    ),  # fmt: skip
    # API
    Endpoint(
        "api-queue", "api", "get", "/api/v1/cases/grievances", holders(CADRES | {"handler1"})
    ),  # fmt: skip
    Endpoint("api-mine", "api", "get", "/api/v1/cases/grievances/mine", everyone()),
    Endpoint(
        "api-submit",
        "api",
        "post",
        "/api/v1/cases/grievances",
        holders(MEMBERS, 201),
        data={"category": "wages", "text": "矩阵测试"},
    ),  # fmt: skip
    Endpoint("api-detail", "api", "get", "/api/v1/cases/grievances/{id}", read, G),
    Endpoint("api-timeline", "api", "get", "/api/v1/cases/grievances/{id}/timeline", read, G),
    Endpoint(
        "api-assign",
        "api",
        "post",
        "/api/v1/cases/grievances/{id}/assign",
        then(HANDLE, 200),
        G,
        data=lambda ctx: {"department": ctx["D-PROD"], "note": "矩阵"},
    ),  # fmt: skip
    Endpoint(
        "api-answer",
        "api",
        "post",
        "/api/v1/cases/grievances/{id}/answer",
        then(ANSWER, 200),
        G,
        {"text": "答复"},
    ),  # fmt: skip
    Endpoint(
        "api-info",
        "api",
        "post",
        "/api/v1/cases/grievances/{id}/info",
        submitter_only(201),
        G,
        {"text": "补充"},
    ),  # fmt: skip
    Endpoint(
        "api-mediations", "api", "get", "/api/v1/cases/mediations", holders(MEDIATION_READERS)
    ),  # fmt: skip
    Endpoint("api-mediation", "api", "get", "/api/v1/cases/mediations/{id}", read, M),
    Endpoint(
        "api-mediation-fail",
        "api",
        "post",
        "/api/v1/cases/mediations/{id}/decline",
        then({"m1": MEDIATORS}, 200),
        M,
        {"reason": "不属于劳动争议"},
    ),  # fmt: skip
    Endpoint("api-knowledge", "api", "get", "/api/v1/cases/knowledge?q=加班", everyone()),
    Endpoint(
        "api-knowledge-create",
        "api",
        "post",
        "/api/v1/cases/knowledge",
        holders(CADRES, 201),
        data={"question": "加班费怎么算？", "answer": "按劳动法第四十四条。", "category": "wages"},
    ),  # fmt: skip
    Endpoint(
        "api-box",
        "api",
        "post",
        "/api/v1/cases/box",
        everyone(201),
        data=lambda ctx: {"category": "other", "org_unit": ctx["U"], "text": "匿名"},
        open_to_visitors=201,
    ),  # fmt: skip
]


def cases():
    for endpoint in ENDPOINTS:
        for persona in [*PERSONAS, "visitor"]:
            for target in endpoint.targets or (None,):
                if persona == "visitor":
                    expected = endpoint.open_to_visitors or (
                        302 if endpoint.kind == "page" else 401
                    )
                else:
                    expected = endpoint.expect(persona, target)
                yield pytest.param(
                    endpoint, persona, target, expected, id=f"{endpoint.name}-{persona}-{target}"
                )


def test_the_table_covers_every_endpoint_and_persona():
    table = list(cases())
    assert {c.values[0].name for c in table} == {e.name for e in ENDPOINTS}
    assert {c.values[1] for c in table} == {*PERSONAS, "visitor"}
    by_key = {(c.values[0].name, c.values[1], c.values[2]): c.values[3] for c in table}
    # sibling branches never see each other's grievances
    assert by_key[("detail", "branch1", "b2")] == 404
    assert by_key[("detail", "branch2", "b1")] == 404
    assert by_key[("api-detail", "admin", "b1")] == 404


# The demo union and the records above are built once for the module (conftest.module_db);
# each row runs in a savepoint and is rolled back to them.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas, demo_units):
    w1, w2 = personas["worker1"], personas["worker2"]
    b1 = actions_grievances.do_submit_grievance(
        actor=w1, kind="grievance", category="wages", text="夜班津贴没发"
    )
    actions_grievances.do_assign_grievance(
        actor=personas["branch1"], grievance=b1, department=department("D-HR")
    )
    b2 = actions_grievances.do_submit_grievance(
        actor=w2, kind="grievance", category="safety", text="安全帽不够"
    )
    m1 = actions_mediation.do_request_mediation(
        actor=w1, category="wages", respondent="示例能源集团有限公司", claim="拖欠加班费"
    )
    actions_knowledge.do_create_knowledge(
        actor=personas["chair"],
        org_unit=unit("U"),
        question="加班费怎么算？",
        answer="工作日加班不低于工资的 150%。",
        category="wages",
    )
    return {
        "b1": b1.pk,
        "b2": b2.pk,
        "m1": m1.pk,
        "D-PROD": department("D-PROD").pk,
        "U": unit("U").pk,
        "mediator1": personas["mediator1"].pk,
    }


@pytest.fixture
def ctx(world, db):
    return world


@pytest.mark.parametrize(("endpoint", "persona", "target", "expected"), list(cases()))
def test_matrix(endpoint, persona, target, expected, ctx, login, api_client, client):
    if persona == "visitor":
        c = client
    elif endpoint.kind == "page":
        c = login(persona)
    else:
        c = api_client(persona)
    path = endpoint.path.replace("{id}", str(ctx[target])) if target else endpoint.path
    data = endpoint.data(ctx) if callable(endpoint.data) else endpoint.data
    if endpoint.method == "get":
        response = c.get(path)
    elif endpoint.kind == "api":
        response = c.post(path, data or {}, content_type="application/json")
    else:
        response = c.post(path, data or {})
    assert response.status_code == expected, response.content.decode()[:300]
    if endpoint.kind == "api":
        assert response["Content-Type"].startswith("application/json")
        if expected >= 400:
            assert "detail" in response.json()
