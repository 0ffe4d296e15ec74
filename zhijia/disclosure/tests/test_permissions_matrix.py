"""Roles × endpoints: every persona against every disclosure page and API endpoint, on an item
of branch 1 (audience: branch 1), one of branch 2 and one of the union committee (everyone).

The expectations come from DESIGN.md, written out as plain data (not read from the registry
under test):
  - a member sees the items whose audience contains their own unit: rep1 and worker1 (branch 1
    group 1) and branch1 see "b1"; worker2 and branch2 "b2"; every member sees "u";
  - cadres see, manage and answer for every item published in their subtree: the chair all,
    branch1 "b1", branch2 "b2"; items outside both rules are 404, never 403;
  - asking a question takes being in the item's audience (else 403 for one who may see it);
  - the catalogue board, the managed list and the questions queue are for cadres (403 else);
  - the catalogue is readable by all; only the chair and the administrator change it;
  - admin, handler1, counselor1 and mediator1 have no member record and no disclosure role.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from conftest import PERSONAS
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.catalogue import ensure_default_catalogue
from zhijia.disclosure.models import CatalogueEntry, Item
from zhijia.disclosure.tests.conftest import at

pytestmark = pytest.mark.django_db

AUDIENCE = {
    "b1": {"branch1", "rep1", "worker1"},
    "b2": {"branch2", "worker2"},
    "u": {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"},
}
MANAGES = {"chair": {"b1", "b2", "u"}, "branch1": {"b1"}, "branch2": {"b2"}}
CADRES = set(MANAGES)
CATALOGUE_EDITORS = {"chair", "admin"}


def sees(p, target):
    return p in AUDIENCE[target] or target in MANAGES.get(p, set())


def view(ok=200):
    return lambda p, t: ok if sees(p, t) else 404


def manage(ok):
    def rule(p, t):
        if not sees(p, t):
            return 404
        return ok if t in MANAGES.get(p, set()) else 403

    return rule


def ask(ok):
    def rule(p, t):
        if not sees(p, t):
            return 404
        return ok if p in AUDIENCE[t] else 403

    return rule


def cadres(ok=200):
    return lambda p, t: ok if p in CADRES else 403


def everyone(ok=200):
    return lambda p, t: ok


def publish_b1(ok):
    """Publishing for branch 1: the chair and branch1; branch2 publishes elsewhere (B1 is out
    of its scope: 404); the rest hold no publishing permission (403)."""

    def rule(p, t):
        if p in {"chair", "branch1"}:
            return ok
        return 404 if p == "branch2" else 403

    return rule


def publish_page(p, t):
    return 200 if p in CADRES else 403


def catalogue_edit(ok):
    return lambda p, t: ok if p in CATALOGUE_EDITORS else 403


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "page" or "api"
    method: str
    path: str  # {id} is the target item's id
    expect: object  # callable(persona, target) -> status
    per_record: bool = True
    data: object = None  # dict or callable(ctx) -> dict
    json: bool = True


ENDPOINTS = [
    # pages
    Endpoint("board", "page", "get", "/disclosure/", everyone(), False),
    Endpoint("board-past", "page", "get", "/disclosure/?past=on", everyone(), False),
    Endpoint("item-detail", "page", "get", "/disclosure/items/{id}/", view()),
    Endpoint("item-revisions", "page", "get", "/disclosure/items/{id}/revisions/", view()),
    Endpoint("item-revision", "page", "get", "/disclosure/items/{id}/revisions/1/", view()),
    Endpoint(
        "item-ask",
        "page",
        "post",
        "/disclosure/items/{id}/ask/",
        ask(302),
        data={"text": "矩阵测试的问题"},
    ),
    Endpoint("item-publish", "page", "get", "/disclosure/publish/", publish_page, False),
    Endpoint(
        "item-publish-post",
        "page",
        "post",
        "/disclosure/publish/",
        lambda p, t: 302 if p in {"chair", "branch1"} else (400 if p in CADRES else 403),
        False,
        data=lambda ctx: {"unit": ctx["units"]["B1"].pk, "title": "矩阵发布", "body": "正文"},
    ),
    Endpoint("item-revise", "page", "get", "/disclosure/items/{id}/revise/", manage(200)),
    Endpoint(
        "item-revise-post",
        "page",
        "post",
        "/disclosure/items/{id}/revise/",
        manage(302),
        data={"title": "矩阵修订", "body": "新的正文", "reason": "矩阵测试"},
    ),
    Endpoint(
        "item-withdraw",
        "page",
        "post",
        "/disclosure/items/{id}/withdraw/",
        manage(302),
        data={"reason": "矩阵测试"},
    ),
    Endpoint("manage-board", "page", "get", "/disclosure/manage/", cadres(), False),
    Endpoint("manage-items", "page", "get", "/disclosure/manage/items/", cadres(), False),
    Endpoint("question-queue", "page", "get", "/disclosure/questions/", cadres(), False),
    Endpoint("catalogue", "page", "get", "/disclosure/catalogue/", everyone(), False),
    Endpoint(
        "catalogue-create", "page", "get", "/disclosure/catalogue/new/", catalogue_edit(200), False
    ),
    Endpoint(
        "catalogue-defaults",
        "page",
        "post",
        "/disclosure/catalogue/defaults/",
        catalogue_edit(302),
        False,
    ),
    Endpoint(
        "catalogue-edit",
        "page",
        "get",
        "/disclosure/catalogue/{entry}/edit/",
        catalogue_edit(200),
        False,
    ),
    # API
    Endpoint("api-board", "api", "get", "/api/v1/disclosure/items", everyone(), False),
    Endpoint("api-item", "api", "get", "/api/v1/disclosure/items/{id}", view()),
    Endpoint("api-read", "api", "post", "/api/v1/disclosure/items/{id}/read", view()),
    Endpoint("api-revisions", "api", "get", "/api/v1/disclosure/items/{id}/revisions", view()),
    Endpoint("api-questions", "api", "get", "/api/v1/disclosure/items/{id}/questions", view()),
    Endpoint(
        "api-ask",
        "api",
        "post",
        "/api/v1/disclosure/items/{id}/questions",
        ask(201),
        data={"text": "矩阵测试的问题"},
    ),
    Endpoint(
        "api-receipts",
        "api",
        "get",
        "/api/v1/disclosure/items/{id}/receipts",
        manage(200),
    ),
    Endpoint(
        "api-publish",
        "api",
        "post",
        "/api/v1/disclosure/items",
        publish_b1(201),
        False,
        data=lambda ctx: {"unit_id": ctx["units"]["B1"].pk, "title": "矩阵发布", "body": "正文"},
    ),
    Endpoint(
        "api-revise",
        "api",
        "post",
        "/api/v1/disclosure/items/{id}/revisions",
        manage(201),
        data={"title": "矩阵修订", "body": "新的正文", "reason": "矩阵测试"},
    ),
    Endpoint(
        "api-withdraw",
        "api",
        "post",
        "/api/v1/disclosure/items/{id}/withdraw",
        manage(200),
        data={"reason": "矩阵测试"},
    ),
    Endpoint("api-catalogue-board", "api", "get", "/api/v1/disclosure/board", cadres(), False),
    Endpoint("api-manage-items", "api", "get", "/api/v1/disclosure/manage/items", cadres(), False),
    Endpoint("api-question-queue", "api", "get", "/api/v1/disclosure/questions", cadres(), False),
    Endpoint("api-catalogue", "api", "get", "/api/v1/disclosure/catalogue", everyone(), False),
    Endpoint(
        "api-catalogue-create",
        "api",
        "post",
        "/api/v1/disclosure/catalogue",
        catalogue_edit(201),
        False,
        data={"code": "matrix-entry", "title": "矩阵", "level": "team", "cadence": "event"},
    ),
    Endpoint(
        "api-catalogue-patch",
        "api",
        "patch",
        "/api/v1/disclosure/catalogue/{entry}",
        catalogue_edit(200),
        False,
        data={"remind_days": 4},
    ),
]

TARGETS = ["b1", "b2", "u"]


def cases():
    for endpoint in ENDPOINTS:
        for persona in [*PERSONAS, "anonymous"]:
            for target in TARGETS if endpoint.per_record else [None]:
                if persona == "anonymous":
                    expected = 302 if endpoint.kind == "page" else 401
                else:
                    expected = endpoint.expect(persona, target)
                yield pytest.param(
                    endpoint, persona, target, expected, id=f"{endpoint.name}-{persona}-{target}"
                )


def test_expectation_table_is_complete():
    table = list(cases())
    assert {c.values[0].name for c in table} == {e.name for e in ENDPOINTS}
    assert {c.values[1] for c in table} == {*PERSONAS, "anonymous"}
    by_key = {(c.values[0].name, c.values[1], c.values[2]): c.values[3] for c in table}
    # the sibling-branch rule, both ways, and the worker rule
    assert by_key[("item-detail", "branch1", "b2")] == 404
    assert by_key[("item-detail", "branch2", "b1")] == 404
    assert by_key[("item-detail", "worker2", "b1")] == 404
    assert by_key[("item-detail", "worker1", "u")] == 200
    assert by_key[("item-revise", "branch1", "u")] == 403


# The demo union, the catalogue and the three items are built once for the module
# (conftest.module_db), at the pinned clock of `now`; each row runs in a savepoint and is
# rolled back to them, still at that clock.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas, demo_units):
    with time_machine.travel(at(2026, 11, 12, 10), tick=False):
        ensure_default_catalogue()
        catalogue = {e.code: e for e in CatalogueEntry.objects.all()}

        def make(code, by):
            return actions.do_publish_item(
                actor=personas[by], unit=demo_units[code], title=f"矩阵 {code}", body="正文"
            )

        targets = {
            "b1": make("B1", "branch1"),
            "b2": make("B2", "branch2"),
            "u": make("U", "chair"),
        }
    return {"catalogue": catalogue, "targets": targets}


@pytest.fixture
def catalogue(world, now):
    return world["catalogue"]


@pytest.fixture
def targets(world, catalogue):
    return world["targets"]


@pytest.mark.parametrize(("endpoint", "persona", "target", "expected"), list(cases()))
def test_matrix(
    endpoint, persona, target, expected, targets, catalogue, demo_units, login, api_client
):
    ctx = {"units": demo_units}
    path = endpoint.path
    if target is not None:
        path = path.replace("{id}", str(targets[target].pk))
    path = path.replace("{entry}", str(catalogue["team-bonus"].pk))
    if persona == "anonymous":
        client = Client()
    elif endpoint.kind == "page":
        client = login(persona)
    else:
        client = api_client(persona)
    data = endpoint.data(ctx) if callable(endpoint.data) else (endpoint.data or {})
    if endpoint.kind == "api" and endpoint.method in {"post", "patch"}:
        response = getattr(client, endpoint.method)(path, data, content_type="application/json")
    elif endpoint.method == "post":
        response = client.post(path, data)
    else:
        response = client.get(path)
    assert response.status_code == expected, response.content[:300]
    if endpoint.kind == "api" and response.status_code >= 400:
        assert "detail" in response.json()
    if expected in (403, 404) and endpoint.method != "get" and target is not None:
        item = Item.objects.get(pk=targets[target].pk)
        assert item.revision == 1 and item.status == "published"  # nothing changed
