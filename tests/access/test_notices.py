"""Roles × every page and API operation of notices, on a must-read notice of branch 1 ("b1")
and of the union committee ("u", addressed to everyone), their drafts, and their units'
service guides.

The expectations come from DESIGN.md (roles; notices) and the notices brief, as plain data:
  - a member sees the published notices whose audience holds their unit: branch1, rep1 and
    worker1 see "b1"; every member sees "u"; a draft is seen by its unit's cadres only;
  - cadres write, publish, withdraw and edit the notices of their subtree: the chair all,
    branch1 "b1"; anything outside sight is 404 (branch2 on "b1"), never 403;
  - read statistics, non-readers and reminders: a cadre whose subtree meets the audience
    (branch1 and branch2 on the committee's notice too, for their part of it); a member who
    sees the notice gets 403;
  - the service guides are read by everyone signed in; a unit's cadres (and those above) edit;
  - admin, handler1, counselor1 and mediator1 have no member record and no notices role.
A refused write changes nothing: notices, audiences, reads, reminders, guides, attachments,
the workflow history, the audit log and notifications are compared.
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
from tests.access.world_disclosure import photo
from tests.access.world_notices import TARGETS, build_world

AUDIENCE = {
    "branch1": {"b1", "u"},
    "rep1": {"b1", "u"},
    "worker1": {"b1", "u"},
    "branch2": {"u"},
    "worker2": {"u"},
    "chair": {"u"},
}
MANAGES = {"chair": {"b1", "u"}, "branch1": {"b1"}, "branch2": set()}
CADRES = {"chair", "branch1", "branch2"}
SEES = union(AUDIENCE, MANAGES)
READS = {"chair": {"b1", "u"}, "branch1": {"b1", "u"}, "branch2": {"u"}}
GUIDE_EDITORS = {"chair": {"b1", "u"}, "branch1": {"b1"}, "branch2": set()}


def view(ok: int = 200):
    return scoped(SEES, ok=ok, outsiders=404)


def manage(ok: int):
    return first_refusal(view(), scoped(MANAGES, ok=ok, outside=403, outsiders=403))


def reads(ok: int):
    return first_refusal(view(), scoped(READS, ok=ok, outside=403, outsiders=403))


def draft(ok: int):
    """A draft: seen (and published) by its unit's cadres only."""
    return scoped(MANAGES, ok=ok, outsiders=404)


def guide_edit(ok: int):
    return scoped(GUIDE_EDITORS, ok=ok, outside=403, outsiders=403)


def _unit(w, t):
    return w["unit"][t]


NOTICE_FORM = {"kind": "notice", "title": "矩阵修改", "body": "新的正文"}

ROWS = [
    # --- pages: the worker ------------------------------------------------------------------------
    Row("notices:notice-list", "get", "/notices/", everyone(200)),
    Row("notices:notice-detail", "get", "/notices/{notice}/", view(), TARGETS),
    Row("notices:guide", "get", "/notices/guide/", everyone(200)),
    Row("notices:guide-unit", "get", "/notices/guide/{unit}/", everyone(200), TARGETS),
    # --- pages: the cadres ------------------------------------------------------------------------
    Row("notices:manage", "get", "/notices/manage/", holders(CADRES)),
    Row("notices:manage-export", "get", "/notices/manage/export/", holders(CADRES)),
    Row("notices:notice-create", "get", "/notices/new/", holders(CADRES)),
    Row(
        "notices:notice-create",
        "post",
        "/notices/new/",
        # a unit outside the cadre's scope is not a choice of the form (400, re-shown)
        scoped(MANAGES, ok=302, outside=400),
        TARGETS,
        data=lambda w, t: {"org_unit": _unit(w, t), **NOTICE_FORM},
        scope=MANAGES,
        name="notices:notice-create-post",
    ),
    Row("notices:notice-edit", "get", "/notices/{notice}/edit/", manage(200), TARGETS),
    Row(
        "notices:notice-edit",
        "post",
        "/notices/{notice}/edit/",
        manage(302),
        TARGETS,
        data=NOTICE_FORM,
        name="notices:notice-edit-post",
    ),
    Row("notices:notice-publish", "post", "/notices/{draft}/publish/", draft(302), TARGETS),
    Row(
        "notices:notice-withdraw",
        "post",
        "/notices/{notice}/withdraw/",
        manage(302),
        TARGETS,
        data={"reason": "矩阵测试"},
    ),
    Row("notices:notice-reads", "get", "/notices/{notice}/reads/", reads(200), TARGETS),
    Row(
        "notices:notice-reads-export", "get", "/notices/{notice}/reads/export/", reads(200), TARGETS
    ),
    Row("notices:notice-remind", "post", "/notices/{notice}/remind/", reads(302), TARGETS),
    Row("notices:guide-edit", "get", "/notices/guide/{unit}/edit/", guide_edit(200), TARGETS),
    Row(
        "notices:guide-edit",
        "post",
        "/notices/guide/{unit}/edit/",
        guide_edit(302),
        TARGETS,
        data={"about": "<p>矩阵</p><script>x</script>", "hotlines": "12351 职工服务热线"},
        name="notices:guide-edit-post",
    ),
    # === API =====================================================================================
    Row("GET /api/v1/notices/notices", "get", "/api/v1/notices/notices", everyone(200)),
    Row(
        "GET /api/v1/notices/notices/{notice_id}",
        "get",
        "/api/v1/notices/notices/{notice}",
        view(),
        TARGETS,
    ),
    Row(
        "POST /api/v1/notices/notices/{notice_id}/read",
        "post",
        "/api/v1/notices/notices/{notice}/read",
        view(),
        TARGETS,
    ),
    Row(
        "GET /api/v1/notices/manage/notices",
        "get",
        "/api/v1/notices/manage/notices",
        holders(CADRES),
    ),
    Row(
        "POST /api/v1/notices/notices",
        "post",
        "/api/v1/notices/notices",
        scoped(MANAGES, ok=201, outside=403),
        TARGETS,
        data=lambda w, t: {"org_unit_id": _unit(w, t), "title": "矩阵", "body": "正文"},
    ),
    Row(
        "PATCH /api/v1/notices/notices/{notice_id}",
        "patch",
        "/api/v1/notices/notices/{notice}",
        manage(200),
        TARGETS,
        data={"title": "矩阵修改"},
    ),
    Row(
        "POST /api/v1/notices/notices/{notice_id}/attachments",
        "post",
        "/api/v1/notices/notices/{notice}/attachments",
        manage(201),
        TARGETS,
        data=lambda w, t: {"files": [photo("added.png")]},
        multipart=True,
    ),
    Row(
        "POST /api/v1/notices/notices/{notice_id}/publish",
        "post",
        "/api/v1/notices/notices/{draft}/publish",
        draft(200),
        TARGETS,
    ),
    Row(
        "POST /api/v1/notices/notices/{notice_id}/withdraw",
        "post",
        "/api/v1/notices/notices/{notice}/withdraw",
        manage(200),
        TARGETS,
        data={"reason": "矩阵测试"},
    ),
    Row(
        "GET /api/v1/notices/notices/{notice_id}/reads",
        "get",
        "/api/v1/notices/notices/{notice}/reads",
        reads(200),
        TARGETS,
    ),
    Row(
        "GET /api/v1/notices/notices/{notice_id}/non-readers",
        "get",
        "/api/v1/notices/notices/{notice}/non-readers",
        reads(200),
        TARGETS,
    ),
    Row(
        "POST /api/v1/notices/notices/{notice_id}/remind",
        "post",
        "/api/v1/notices/notices/{notice}/remind",
        reads(200),
        TARGETS,
    ),
    Row("GET /api/v1/notices/guides", "get", "/api/v1/notices/guides", everyone(200)),
    Row(
        "GET /api/v1/notices/guides/{unit_id}",
        "get",
        "/api/v1/notices/guides/{unit}",
        everyone(200),
        TARGETS,
    ),
    Row(
        "PUT /api/v1/notices/guides/{unit_id}",
        "put",
        "/api/v1/notices/guides/{unit}",
        guide_edit(200),
        TARGETS,
        data={"about": "<p>矩阵</p>", "hotlines": "12351 职工服务热线"},
    ),
]


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Uploads of the module's rows in a private temporary directory."""
    location = tmp_path_factory.mktemp("notices-uploads")
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
    assert by_key[("notices:notice-detail-get", "branch2", "b1")] == 404
    assert by_key[("notices:notice-detail-get", "worker2", "b1")] == 404
    assert by_key[("notices:notice-detail-get", "worker1", "u")] == 200
    assert by_key[("notices:notice-edit-get", "branch1", "u")] == 403
    assert by_key[("notices:notice-reads-get", "branch2", "u")] == 200
    assert by_key[("notices:notice-reads-get", "worker1", "b1")] == 403
    assert by_key[("notices:notice-publish-post", "worker1", "b1")] == 404
