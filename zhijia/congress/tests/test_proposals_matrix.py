"""Roles × endpoints for proposals and inspection tours: every persona (and an anonymous
caller) against every API endpoint and the main pages, each on a record in the state the
endpoint acts on.

The expectations are written out below from DESIGN.md, not read from the permission registry:
  - rep1 (a representative of branch 1) proposes: sees and acts on their own proposals;
  - the chair (committee cadre) decides, supervises and carries over; sees every submitted
    proposal; organises tours of the union committee;
  - branch1 (the cadre of rep1's branch) reads the proposals of its representatives (view)
    but decides nothing: 403 on the committee's endpoints; branch2 sees nothing of branch 1: 404;
  - handler1 (人力资源部) sees a proposal once assigned to their department and answers it;
    before the assignment it is 404 to them; rectification items of their department likewise;
  - workers, the admin, the counselor and the mediator hold nothing in proposals: 404 on
    records, 403 on role-gated lists;
  - drafts are seen by their author (and invited co-signers) only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client

from conftest import PERSONAS
from zhijia.congress.actions import inspections
from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions import proposals as actions
from zhijia.congress.tests.proposals_support import (
    TEXT,
    department,
    draft,
    handling,
    make_representative,
    make_session,
    make_term,
    submitted,
    unit,
)

API = "/api/v1/congress/proposals"
TOURS = "/api/v1/congress/inspections"
EVERYONE = [*PERSONAS, "anonymous"]


@dataclass
class World:
    personas: dict
    rep2: object
    session: object
    next_session: object
    records: dict = field(default_factory=dict)


def _answered(w: World):
    p = handling(w.personas["rep1"], w.session, w.rep2, w.personas["chair"])
    actions_proposal_handling.do_answer_proposal(
        actor=w.personas["handler1"], proposal=p, text="已办理"
    )
    return p


def _signed_draft(w: World):
    p = draft(w.personas["rep1"], w.session, [w.rep2])
    actions.do_cosign_proposal(actor=w.rep2, proposal=p)
    return p


def _tour(w: World):
    return inspections.do_create_tour(
        actor=w.personas["chair"],
        org_unit=unit("U"),
        title="劳动保护巡视",
        scope="劳保用品",
        start_date=dt.date(2026, 9, 21),
        end_date=dt.date(2026, 9, 22),
        participants=[w.personas["rep1"]],
    )


def _item(w: World, *, done: bool = False):
    tour = _tour(w)
    finding = inspections.do_add_finding(
        actor=w.personas["rep1"], tour=tour, title="安全帽超期", description="6 顶"
    )
    item = inspections.do_create_rectification(
        actor=w.personas["chair"], finding=finding, department=department("D-HR"), requirement="换"
    )
    if done:
        inspections.do_complete_rectification(
            actor=w.personas["handler1"], item=item, result="已更换"
        )
    return item


RECORDS: dict[str, Callable[[World], object]] = {
    "draft": _signed_draft,
    "submitted": lambda w: submitted(w.personas["rep1"], w.session, w.rep2),
    "handling": lambda w: handling(w.personas["rep1"], w.session, w.rep2, w.personas["chair"]),
    "answered": _answered,
    "tour": _tour,
    "item": _item,
    "item_done": lambda w: _item(w, done=True),
}

# Who sees a record in each state (everyone else: 404).
SEES = {
    "draft": {"rep1"},
    "submitted": {"rep1", "chair", "branch1"},
    "handling": {"rep1", "chair", "branch1", "handler1"},
    "answered": {"rep1", "chair", "branch1", "handler1"},
    "tour": {"rep1", "chair"},
    "item": {"rep1", "chair", "handler1"},
    "item_done": {"rep1", "chair", "handler1"},
}


def on_record(state: str, allowed: set[str], ok: int = 200):
    """ok for `allowed`, 403 for others who see the record, 404 for the rest."""

    def rule(persona: str) -> int:
        if persona in allowed:
            return ok
        return 403 if persona in SEES[state] else 404

    return rule


def everyone(ok: int = 200):
    return lambda persona: ok


def only(allowed: set[str], ok: int = 200, other: int = 403):
    return lambda persona: ok if persona in allowed else other


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "api" or "page"
    method: str
    path: str  # {id} is the record's id
    record: str | None
    expect: Callable[[str], int]
    data: Callable[[World], dict] | dict | None = None


CADRES = {"chair", "branch1", "branch2"}
TOUR_VIEWERS = {"chair", "branch1", "branch2", "rep1"}

ENDPOINTS = [
    # --- proposals API ---
    Endpoint("list", "api", "get", API, None, everyone()),
    Endpoint("list-queue", "api", "get", f"{API}?box=queue&late=true", None, everyone()),
    Endpoint("sessions", "api", "get", f"{API}/sessions", None, everyone()),
    Endpoint("candidates", "api", "get", f"{API}/cosigner-candidates", None, only({"rep1"})),
    Endpoint(
        "create",
        "api",
        "post",
        API,
        None,
        only({"rep1"}, ok=201),
        data=lambda w: {**TEXT, "session_id": w.session.pk},
    ),
    Endpoint("detail-draft", "api", "get", f"{API}/{{id}}", "draft", on_record("draft", {"rep1"})),
    Endpoint(
        "detail-handling",
        "api",
        "get",
        f"{API}/{{id}}",
        "handling",
        on_record("handling", SEES["handling"]),
    ),
    Endpoint(
        "edit-draft",
        "api",
        "patch",
        f"{API}/{{id}}",
        "draft",
        on_record("draft", {"rep1"}),
        data={"title": "新标题"},
    ),
    Endpoint(
        "submit", "api", "post", f"{API}/{{id}}/submit", "draft", on_record("draft", {"rep1"})
    ),
    Endpoint(
        "similar",
        "api",
        "get",
        f"{API}/{{id}}/similar",
        "submitted",
        on_record("submitted", {"chair"}),
    ),
    Endpoint(
        "accept",
        "api",
        "post",
        f"{API}/{{id}}/accept",
        "submitted",
        on_record("submitted", {"chair"}),
        data=lambda w: {"lead_department_id": department("D-HR").pk},
    ),
    Endpoint(
        "reject",
        "api",
        "post",
        f"{API}/{{id}}/reject",
        "submitted",
        on_record("submitted", {"chair"}),
        data={"reason": "不属于提案范围"},
    ),
    Endpoint(
        "answer",
        "api",
        "post",
        f"{API}/{{id}}/answer",
        "handling",
        on_record("handling", {"handler1"}),
        data={"text": "已办理"},
    ),
    Endpoint(
        "supervise",
        "api",
        "post",
        f"{API}/{{id}}/supervise",
        "handling",
        on_record("handling", {"chair"}),
        data={"note": "请加快"},
    ),
    Endpoint(
        "carry-over",
        "api",
        "post",
        f"{API}/{{id}}/carry-over",
        "handling",
        on_record("handling", {"chair"}),
        data=lambda w: {"session_id": w.next_session.pk},
    ),
    Endpoint(
        "rate",
        "api",
        "post",
        f"{API}/{{id}}/rate",
        "answered",
        on_record("answered", {"rep1"}),
        data={"rating": "satisfied"},
    ),
    # --- inspections API ---
    Endpoint("tours", "api", "get", TOURS, None, only(TOUR_VIEWERS)),
    Endpoint(
        "tour-create",
        "api",
        "post",
        TOURS,
        None,
        only({"chair"}, ok=201),
        data=lambda w: {
            "org_unit_id": unit("U").pk,
            "title": "巡视",
            "scope": "范围",
            "start_date": "2026-09-21",
            "end_date": "2026-09-22",
        },
    ),
    Endpoint("tour", "api", "get", f"{TOURS}/{{id}}", "tour", on_record("tour", SEES["tour"])),
    Endpoint(
        "finding",
        "api",
        "post",
        f"{TOURS}/{{id}}/findings",
        "tour",
        on_record("tour", {"chair", "rep1"}, ok=201),
        data={"title": "问题", "description": "描述"},
    ),
    Endpoint(
        "items",
        "api",
        "get",
        f"{TOURS}/rectifications",
        None,
        only(TOUR_VIEWERS | {"handler1"}),
    ),
    Endpoint(
        "item",
        "api",
        "get",
        f"{TOURS}/rectifications/{{id}}",
        "item",
        on_record("item", SEES["item"]),
    ),
    Endpoint(
        "item-begin",
        "api",
        "post",
        f"{TOURS}/rectifications/{{id}}/begin",
        "item",
        on_record("item", {"handler1"}),
    ),
    Endpoint(
        "item-verify",
        "api",
        "post",
        f"{TOURS}/rectifications/{{id}}/verify",
        "item_done",
        on_record("item_done", {"chair", "rep1"}),
        data={},
    ),
    # --- pages (anonymous callers are sent to the login page) ---
    Endpoint("page-mine", "page", "get", "/congress/proposals/", None, only({"rep1"})),
    Endpoint("page-new", "page", "get", "/congress/proposals/new/", None, only({"rep1"})),
    Endpoint("page-queue", "page", "get", "/congress/proposals/queue/", None, only(CADRES)),
    Endpoint(
        "page-department",
        "page",
        "get",
        "/congress/proposals/department/",
        None,
        only({"handler1"}),
    ),
    Endpoint(
        "page-detail",
        "page",
        "get",
        "/congress/proposals/{id}/",
        "handling",
        on_record("handling", SEES["handling"]),
    ),
    Endpoint(
        "page-decide",
        "page",
        "get",
        "/congress/proposals/{id}/decide/",
        "submitted",
        on_record("submitted", {"chair"}),
    ),
    Endpoint(
        "page-answer",
        "page",
        "get",
        "/congress/proposals/{id}/answer/",
        "handling",
        on_record("handling", {"handler1"}),
    ),
    Endpoint(
        "page-accept",
        "page",
        "post",
        "/congress/proposals/{id}/accept/",
        "submitted",
        on_record("submitted", {"chair"}, ok=302),
        data=lambda w: {"lead_department": department("D-HR").pk},
    ),
    Endpoint("page-tours", "page", "get", "/congress/inspections/", None, only(TOUR_VIEWERS)),
    Endpoint(
        "page-tour",
        "page",
        "get",
        "/congress/inspections/{id}/",
        "tour",
        on_record("tour", SEES["tour"]),
    ),
    Endpoint(
        "page-item",
        "page",
        "get",
        "/congress/inspections/rectifications/{id}/",
        "item",
        on_record("item", SEES["item"]),
    ),
]


def cases():
    for endpoint in ENDPOINTS:
        for persona in EVERYONE:
            if persona == "anonymous":
                expected = 302 if endpoint.kind == "page" else 401
            else:
                expected = endpoint.expect(persona)
            yield pytest.param(endpoint, persona, expected, id=f"{endpoint.name}-{persona}")


def test_the_table_covers_every_endpoint_and_persona():
    table = list(cases())
    assert {c.values[0].name for c in table} == {e.name for e in ENDPOINTS}
    assert {c.values[1] for c in table} == set(EVERYONE)
    by_key = {(c.values[0].name, c.values[1]): c.values[2] for c in table}
    # the rules the issue names, spelled out
    assert by_key[("accept", "branch2")] == 404 and by_key[("accept", "branch1")] == 403
    assert by_key[("answer", "handler1")] == 200 and by_key[("detail-draft", "handler1")] == 404


# The demo union, the term, its sessions and rep2 are built once for the module
# (conftest.module_db); each row builds its record in a savepoint and is rolled back.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def shared_world(personas):
    term = make_term()
    return World(
        personas=personas,
        rep2=make_representative("rep2", "B1", "钱进"),
        session=make_session(term, 1, dt.date(2026, 3, 2)),
        next_session=make_session(term, 2, dt.date(2027, 3, 1)),
    )


@pytest.fixture
def world(shared_world, db):
    return shared_world


def _client(persona: str, kind: str, login, api_client) -> Client:
    if persona == "anonymous":
        return Client()
    return api_client(persona) if kind == "api" else login(persona)


@pytest.mark.parametrize(("endpoint", "persona", "expected"), list(cases()))
def test_matrix(world, login, api_client, endpoint, persona, expected):
    path = endpoint.path
    if endpoint.record is not None:
        record = RECORDS[endpoint.record](world)
        path = path.replace("{id}", str(record.pk))
    data = endpoint.data(world) if callable(endpoint.data) else endpoint.data
    client = _client(persona, endpoint.kind, login, api_client)
    method = getattr(client, endpoint.method)
    if endpoint.method == "get":
        response = method(path)
    elif endpoint.kind == "api":
        response = method(path, data or {}, content_type="application/json")
    else:
        response = method(path, data or {})
    assert response.status_code == expected, response.content[:300]
