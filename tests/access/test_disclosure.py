"""Roles × every page and API operation of disclosure, on items of branch 1 ("b1"), branch 2
("b2") and the union committee ("u", addressed to everyone), and on a question asked on each.

The expectations come from DESIGN.md (disclosure; roles), written out as plain data:
  - a member sees the items whose audience contains their own unit: branch1, rep1 and worker1
    see "b1"; branch2 and worker2 "b2"; every member sees "u";
  - cadres see, manage (revise, withdraw, attach, read receipts) and answer for every item
    published in their subtree: the chair all, branch1 "b1", branch2 "b2"; an item outside
    both rules is 404 (the sibling branch's chair too), never 403;
  - asking takes being in the item's audience (403 for one who may only manage it);
  - a question is seen by its asker and its item's answerers (404 for anyone else); only
    answerers answer or close it, only the asker withdraws it (403 for the other side);
  - the catalogue board, the managed list and the question queue are for cadres (403 else);
  - the catalogue is readable by all; only the chair and the administrator change it;
  - an attached file is downloaded by those who see its item (404 for anyone else);
  - admin, handler1, counselor1 and mediator1 have no member record and no disclosure role.
A refused write changes nothing: items, revisions, questions, read receipts, the catalogue,
attachments, the workflow history, the audit log and notifications are compared.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from conftest import private_storages
from tests.access.framework import (
    ROW_ARGS,
    Row,
    cases,
    everyone,
    first_refusal,
    holders,
    row_cases,
    run_cases,
    scoped,
    union,
)
from tests.access.world_disclosure import build_world, photo

ITEMS = ("b1", "b2", "u")
AUDIENCE = {
    "branch1": {"b1", "u"},
    "rep1": {"b1", "u"},
    "worker1": {"b1", "u"},
    "branch2": {"b2", "u"},
    "worker2": {"b2", "u"},
    "chair": {"u"},
}
MANAGES = {"chair": {"b1", "b2", "u"}, "branch1": {"b1"}, "branch2": {"b2"}}
SEES = union(AUDIENCE, MANAGES)
CADRES = set(MANAGES)
CATALOGUE_EDITORS = {"chair", "admin"}
ASKER = {"worker1": {"b1", "u"}, "worker2": {"b2"}}
QUESTION_SEEN = union(ASKER, MANAGES)
UNIT = {"b1": "B1", "b2": "B2", "u": "U"}


def view(ok: int = 200):
    return scoped(SEES, ok=ok, outsiders=404)


def manage(ok: int):
    return first_refusal(view(), scoped(MANAGES, ok=ok, outside=403))


def ask(ok: int):
    return first_refusal(view(), scoped(AUDIENCE, ok=ok, outside=403))


def answer(ok: int):
    return first_refusal(scoped(QUESTION_SEEN, outsiders=404), scoped(MANAGES, ok=ok, outside=403))


def withdraw(ok: int):
    return first_refusal(scoped(QUESTION_SEEN, outsiders=404), scoped(ASKER, ok=ok, outside=403))


def _unit(w, t):
    return w["units"][UNIT[t]]


ROWS = [
    # --- pages: the board, items, questions --------------------------------------------------
    Row("disclosure:board", "get", "/disclosure/", everyone(200)),
    Row(
        "disclosure:board",
        "get",
        "/disclosure/?past=on",
        everyone(200),
        name="disclosure:board-past",
    ),
    Row("disclosure:item-detail", "get", "/disclosure/items/{item}/", view(), ITEMS),
    Row("disclosure:item-revisions", "get", "/disclosure/items/{item}/revisions/", view(), ITEMS),
    Row("disclosure:item-revision", "get", "/disclosure/items/{item}/revisions/1/", view(), ITEMS),
    Row(
        "disclosure:item-ask",
        "post",
        "/disclosure/items/{item}/ask/",
        ask(302),
        ITEMS,
        data={"text": "矩阵测试的问题"},
    ),
    Row("disclosure:item-publish", "get", "/disclosure/publish/", holders(CADRES)),
    Row(
        "disclosure:item-publish",
        "post",
        "/disclosure/publish/",
        # a unit outside the cadre's scope is not a choice of the form (400, re-shown)
        scoped(MANAGES, ok=302, outside=400),
        ITEMS,
        data=lambda w, t: {"unit": _unit(w, t), "title": "矩阵发布", "body": "正文"},
        scope=MANAGES,
        name="disclosure:item-publish-post",
    ),
    Row("disclosure:item-revise", "get", "/disclosure/items/{item}/revise/", manage(200), ITEMS),
    Row(
        "disclosure:item-revise",
        "post",
        "/disclosure/items/{item}/revise/",
        manage(302),
        ITEMS,
        data={"title": "矩阵修订", "body": "新的正文", "reason": "矩阵测试"},
        name="disclosure:item-revise-post",
    ),
    Row(
        "disclosure:item-withdraw",
        "post",
        "/disclosure/items/{item}/withdraw/",
        manage(302),
        ITEMS,
        data={"reason": "矩阵测试"},
    ),
    Row("disclosure:manage-board", "get", "/disclosure/manage/", holders(CADRES)),
    Row("disclosure:manage-items", "get", "/disclosure/manage/items/", holders(CADRES)),
    Row("disclosure:question-queue", "get", "/disclosure/questions/", holders(CADRES)),
    Row(
        "disclosure:question-detail",
        "get",
        "/disclosure/questions/{question}/",
        scoped(QUESTION_SEEN, outsiders=404),
        ITEMS,
    ),
    Row(
        "disclosure:question-answer",
        "post",
        "/disclosure/questions/{question}/answer/",
        answer(302),
        ITEMS,
        data={"answer": "矩阵答复", "public": "on"},
    ),
    Row(
        "disclosure:question-close",
        "post",
        "/disclosure/questions/{question}/close/",
        answer(302),
        ITEMS,
        data={"reason": "矩阵关闭"},
    ),
    Row(
        "disclosure:question-withdraw",
        "post",
        "/disclosure/questions/{question}/withdraw/",
        withdraw(302),
        ITEMS,
    ),
    # --- pages: the catalogue ------------------------------------------------------------------
    Row("disclosure:catalogue", "get", "/disclosure/catalogue/", everyone(200)),
    Row(
        "disclosure:catalogue-create",
        "get",
        "/disclosure/catalogue/new/",
        holders(CATALOGUE_EDITORS),
    ),
    Row(
        "disclosure:catalogue-defaults",
        "post",
        "/disclosure/catalogue/defaults/",
        holders(CATALOGUE_EDITORS, ok=302),
    ),
    Row(
        "disclosure:catalogue-edit",
        "get",
        "/disclosure/catalogue/{entry}/edit/",
        holders(CATALOGUE_EDITORS),
    ),
    # --- files: an item's attachment; an unknown file --------------------------------------------
    Row("files:attachment-download", "get", "/files/{file}/", view(), ITEMS),
    Row(
        "files:attachment-download",
        "get",
        "/files/00000000-0000-0000-0000-000000000007/",
        everyone(404),
        name="files:attachment-download-unknown",
    ),
    # === API =====================================================================================
    Row("GET /api/v1/disclosure/items", "get", "/api/v1/disclosure/items", everyone(200)),
    Row(
        "GET /api/v1/disclosure/items/{item_id}",
        "get",
        "/api/v1/disclosure/items/{item}",
        view(),
        ITEMS,
    ),
    Row(
        "POST /api/v1/disclosure/items/{item_id}/read",
        "post",
        "/api/v1/disclosure/items/{item}/read",
        view(),
        ITEMS,
    ),
    Row(
        "GET /api/v1/disclosure/items/{item_id}/revisions",
        "get",
        "/api/v1/disclosure/items/{item}/revisions",
        view(),
        ITEMS,
    ),
    Row(
        "GET /api/v1/disclosure/items/{item_id}/questions",
        "get",
        "/api/v1/disclosure/items/{item}/questions",
        view(),
        ITEMS,
    ),
    Row(
        "POST /api/v1/disclosure/items/{item_id}/questions",
        "post",
        "/api/v1/disclosure/items/{item}/questions",
        ask(201),
        ITEMS,
        data={"text": "矩阵测试的问题"},
    ),
    Row(
        "GET /api/v1/disclosure/items/{item_id}/receipts",
        "get",
        "/api/v1/disclosure/items/{item}/receipts",
        manage(200),
        ITEMS,
    ),
    Row(
        "POST /api/v1/disclosure/items",
        "post",
        "/api/v1/disclosure/items",
        scoped(MANAGES, ok=201),
        ITEMS,
        data=lambda w, t: {"unit_id": _unit(w, t), "title": "矩阵发布", "body": "正文"},
    ),
    Row(
        "POST /api/v1/disclosure/items/{item_id}/revisions",
        "post",
        "/api/v1/disclosure/items/{item}/revisions",
        manage(201),
        ITEMS,
        data={"title": "矩阵修订", "body": "新的正文", "reason": "矩阵测试"},
    ),
    Row(
        "POST /api/v1/disclosure/items/{item_id}/attachments",
        "post",
        "/api/v1/disclosure/items/{item}/attachments",
        manage(201),
        ITEMS,
        data=lambda w, t: {"reason": "矩阵附件", "files": [photo("added.png")]},
        multipart=True,
    ),
    Row(
        "POST /api/v1/disclosure/items/{item_id}/withdraw",
        "post",
        "/api/v1/disclosure/items/{item}/withdraw",
        manage(200),
        ITEMS,
        data={"reason": "矩阵测试"},
    ),
    Row("GET /api/v1/disclosure/board", "get", "/api/v1/disclosure/board", holders(CADRES)),
    Row(
        "GET /api/v1/disclosure/manage/items",
        "get",
        "/api/v1/disclosure/manage/items",
        holders(CADRES),
    ),
    Row("GET /api/v1/disclosure/questions", "get", "/api/v1/disclosure/questions", holders(CADRES)),
    Row(
        "GET /api/v1/disclosure/questions/{question_id}",
        "get",
        "/api/v1/disclosure/questions/{question}",
        scoped(QUESTION_SEEN, outsiders=404),
        ITEMS,
    ),
    Row(
        "POST /api/v1/disclosure/questions/{question_id}/answer",
        "post",
        "/api/v1/disclosure/questions/{question}/answer",
        answer(200),
        ITEMS,
        data={"answer": "矩阵答复", "public": True},
    ),
    Row(
        "POST /api/v1/disclosure/questions/{question_id}/close",
        "post",
        "/api/v1/disclosure/questions/{question}/close",
        answer(200),
        ITEMS,
        data={"reason": "矩阵关闭"},
    ),
    Row(
        "POST /api/v1/disclosure/questions/{question_id}/withdraw",
        "post",
        "/api/v1/disclosure/questions/{question}/withdraw",
        withdraw(200),
        ITEMS,
    ),
    Row("GET /api/v1/disclosure/catalogue", "get", "/api/v1/disclosure/catalogue", everyone(200)),
    Row(
        "POST /api/v1/disclosure/catalogue",
        "post",
        "/api/v1/disclosure/catalogue",
        holders(CATALOGUE_EDITORS, ok=201),
        data={"code": "matrix-entry", "title": "矩阵", "level": "team", "cadence": "event"},
    ),
    Row(
        "PATCH /api/v1/disclosure/catalogue/{entry_id}",
        "patch",
        "/api/v1/disclosure/catalogue/{entry}",
        holders(CATALOGUE_EDITORS),
        data={"remind_days": 4},
    ),
]


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Uploads of the module (the world's and the rows') in a private temporary directory."""
    location = tmp_path_factory.mktemp("disclosure-uploads")
    with override_settings(STORAGES=private_storages(location)):
        yield location


@pytest.fixture(scope="module")
def world(storage, module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)


def test_the_sibling_branch_and_the_worker_rules():
    by_key = {(c.values[0].key, c.values[1], c.values[2]): c.values[3] for c in cases(ROWS)}
    assert by_key[("disclosure:item-detail-get", "branch1", "b2")] == 404
    assert by_key[("disclosure:item-detail-get", "branch2", "b1")] == 404
    assert by_key[("disclosure:item-detail-get", "worker2", "b1")] == 404
    assert by_key[("disclosure:item-detail-get", "worker1", "u")] == 200
    assert by_key[("disclosure:item-revise-get", "branch1", "u")] == 403
