"""Roles × every page and API operation of the honours registry (services).

From DESIGN.md (services: honours; roles: a cadre manages their unit's subtree, never a
sibling branch) and issue 12:
  - a member (chair, branch1, branch2, rep1, worker1, worker2) reads her own honours
    (我的荣誉); roles without a member record (admin, handler1, counselor1, mediator1) are
    refused (403);
  - the registry, one honour, the care overview, the "五型" assessments and the studios are
    for the cadres over their unit's subtree: branch1 on b1, branch2 on b2, the chair on both;
    a sibling branch's record is 404, everyone else 403;
  - the configuration (care items, criteria, pass mark) is the union's: the chair's only.
Uploads go to a private temporary directory. A refused write changes nothing: every honours
table, the attachments, the search index, the audit log, notifications and workflow events
are compared before and after.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from conftest import private_storages
from tests.access.framework import (
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
from tests.access.world_disclosure import photo
from tests.access.world_honours import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def create(ok: int, outside: int):
    """A new record for branch1's unit: the chair and branch1 may; branch2's scope lacks it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


def config(ok: int):
    """The union's configuration: the chair (over the top unit); other cadres and all 403."""
    return per_persona({"chair": ok})


P = "/services/honours"
A = "/api/v1/services/honours"
H = "services:honours"


def _honour_form(w, t):
    return {
        "kind": "model_worker",
        "level": "enterprise",
        "year": w["year"],
        "title": "新登记劳模",
        "awarding_body": "集团公司",
        "org_unit": w["unit"]["b1"],
        "member_employee_no": w["employee_no"]["b1"],
    }


def _honour_api(w, t):
    form = _honour_form(w, t)
    return {
        **{k: v for k, v in form.items() if k != "org_unit"},
        "org_unit_id": w["unit"]["b1"],
    }


EDIT = {"kind": "model_worker", "level": "city", "year": 2024, "title": "改", "awarding_body": "市"}


def _care(w, t):
    return {
        "member_id": w["member"][t],
        "item_id": w["care_item"],
        "year": w["year"],
        "done_on": w["today"],
        "note": "已完成",
    }


def _scores(w, t):
    return {f"c{pk}": "9" for pk in w["criteria"]}


def _scores_api(w, t):
    return {"scores": [{"criterion_id": pk, "points": 9} for pk in w["criteria"]]}


def _studio_form(w, t):
    return {
        "name": "新工作室",
        "kind": "craftsman",
        "org_unit": w["unit"]["b1"],
        "lead_employee_no": w["employee_no"]["b1"],
    }


def _studio_api(w, t):
    form = _studio_form(w, t)
    return {**{k: v for k, v in form.items() if k != "org_unit"}, "org_unit_id": w["unit"]["b1"]}


PROJECT = {"title": "新项目", "started_on": "2026-01-05"}
RESULT = {"title": "一种新型工装", "kind": "patent", "achieved_on": "2026-03-01", "benefit": "省时"}
CARE_ITEM = {"name": "生日慰问", "kind": "model_worker", "level": "", "due_month": 6}
CRITERION = {"team_type": "harmony", "title": "班组民主管理", "max_points": "5"}

ROWS = [
    # --- pages: the worker's --------------------------------------------------------------------
    Row(f"{H}-mine", "get", f"{P}/", holders(MEMBERS)),
    # --- pages: the registry --------------------------------------------------------------------
    Row(f"{H}-desk", "get", f"{P}/desk/", holders(CADRES)),
    Row(f"{H}-desk-export", "get", f"{P}/desk/export/", holders(CADRES)),
    Row(f"{H}-desk-new", "get", f"{P}/desk/new/", holders(CADRES)),
    Row(
        f"{H}-desk-new",
        "post",
        f"{P}/desk/new/",
        create(302, 400),
        data=_honour_form,
        name=f"{H}-desk-new-post",
    ),
    Row(f"{H}-desk-honour", "get", f"{P}/desk/{{honour}}/", desk(), REC),
    Row(f"{H}-desk-honour-edit", "get", f"{P}/desk/{{honour}}/edit/", desk(), REC),
    Row(
        f"{H}-desk-honour-edit",
        "post",
        f"{P}/desk/{{honour}}/edit/",
        desk(302),
        REC,
        data=EDIT,
        name=f"{H}-desk-honour-edit-post",
    ),
    Row(
        f"{H}-desk-honour-revoke",
        "post",
        f"{P}/desk/{{honour}}/revoke/",
        desk(302),
        REC,
        data={"reason": "经复核撤销"},
    ),
    Row(
        f"{H}-desk-honour-documents",
        "post",
        f"{P}/desk/{{honour}}/documents/",
        desk(302),
        REC,
        data=lambda w, t: {"documents": [photo("certificate.png")]},
    ),
    # --- pages: care ----------------------------------------------------------------------------
    Row(f"{H}-care", "get", f"{P}/care/", holders(CADRES)),
    Row(f"{H}-care-export", "get", f"{P}/care/export/", holders(CADRES)),
    Row(f"{H}-care-record", "post", f"{P}/care/record/", desk(302), REC, data=_care),
    Row(f"{H}-care-items", "get", f"{P}/care/items/", config(200)),
    Row(
        f"{H}-care-items",
        "post",
        f"{P}/care/items/",
        config(302),
        data=CARE_ITEM,
        name=f"{H}-care-items-post",
    ),
    # --- pages: "五型"班组 ----------------------------------------------------------------------
    Row(
        f"{H}-care-item-active",
        "post",
        f"{P}/care/items/{{care_item}}/active/",
        config(302),
        data={"active": "0"},
    ),
    Row(f"{H}-assessments", "get", f"{P}/teams/", holders(CADRES)),
    Row(f"{H}-assessments-export", "get", f"{P}/teams/export/", holders(CADRES)),
    Row(
        f"{H}-assessment-new",
        "post",
        f"{P}/teams/new/",
        create(302, 400),
        data=lambda w, t: {"team_name": "丙班组", "org_unit": w["unit"]["b1"], "year": w["year"]},
    ),
    Row(f"{H}-criteria", "get", f"{P}/teams/criteria/", config(200)),
    Row(
        f"{H}-criteria",
        "post",
        f"{P}/teams/criteria/",
        config(302),
        data=CRITERION,
        name=f"{H}-criteria-post",
    ),
    Row(
        f"{H}-criterion-active",
        "post",
        f"{P}/teams/criteria/{{criterion}}/active/",
        config(302),
        data={"active": "0"},
    ),
    Row(f"{H}-assessment", "get", f"{P}/teams/{{draft}}/", desk(), REC),
    Row(
        f"{H}-assessment",
        "get",
        f"{P}/teams/{{submitted}}/",
        desk(),
        REC,
        name=f"{H}-assessment-submitted-get",
    ),
    Row(
        f"{H}-assessment-scores",
        "post",
        f"{P}/teams/{{draft}}/scores/",
        desk(302),
        REC,
        data=_scores,
    ),
    Row(
        f"{H}-assessment-documents",
        "post",
        f"{P}/teams/{{draft}}/documents/",
        desk(302),
        REC,
        data=lambda w, t: {"documents": [photo("evidence.png")]},
    ),
    Row(f"{H}-assessment-submit", "post", f"{P}/teams/{{draft}}/submit/", desk(302), REC),
    Row(
        f"{H}-assessment-review",
        "post",
        f"{P}/teams/{{submitted}}/review/",
        desk(302),
        REC,
        data=_scores,
    ),
    # --- pages: studios -------------------------------------------------------------------------
    Row(f"{H}-studios", "get", f"{P}/studios/", holders(CADRES)),
    Row(f"{H}-studios-export", "get", f"{P}/studios/export/", holders(CADRES)),
    Row(f"{H}-studio-new", "get", f"{P}/studios/new/", holders(CADRES)),
    Row(
        f"{H}-studio-new",
        "post",
        f"{P}/studios/new/",
        create(302, 400),
        data=_studio_form,
        name=f"{H}-studio-new-post",
    ),
    Row(f"{H}-studio", "get", f"{P}/studios/{{studio}}/", desk(), REC),
    Row(f"{H}-studio-export", "get", f"{P}/studios/{{studio}}/export/", desk(), REC),
    Row(
        f"{H}-studio-member-add",
        "post",
        f"{P}/studios/{{studio}}/members/",
        desk(302),
        REC,
        data=lambda w, t: {"employee_no": w["other_no"][t], "role": "骨干"},
    ),
    Row(
        f"{H}-studio-project-add",
        "post",
        f"{P}/studios/{{studio}}/projects/",
        desk(302),
        REC,
        data=PROJECT,
    ),
    Row(
        f"{H}-studio-project-status",
        "post",
        f"{P}/studios/projects/{{project}}/status/",
        desk(302),
        REC,
        data={"status": "suspended"},
    ),
    Row(
        f"{H}-studio-result-add",
        "post",
        f"{P}/studios/{{studio}}/results/",
        desk(302),
        REC,
        data=RESULT,
    ),
    # --- API: the worker's ----------------------------------------------------------------------
    Row(f"GET {A}/mine", "get", f"{A}/mine", holders(MEMBERS)),
    # --- API: the registry ----------------------------------------------------------------------
    Row(f"GET {A}/honours", "get", f"{A}/honours", holders(CADRES)),
    Row(f"POST {A}/honours", "post", f"{A}/honours", create(201, 404), data=_honour_api),
    Row(f"GET {A}/honours/{{honour_id}}", "get", f"{A}/honours/{{honour}}", desk(), REC),
    Row(
        f"PATCH {A}/honours/{{honour_id}}",
        "patch",
        f"{A}/honours/{{honour}}",
        desk(),
        REC,
        data={"title": "更正后的称号"},
    ),
    Row(
        f"POST {A}/honours/{{honour_id}}/documents",
        "post",
        f"{A}/honours/{{honour}}/documents",
        desk(201),
        REC,
        data=lambda w, t: {"files": [photo("certificate.png")]},
        multipart=True,
    ),
    Row(
        f"POST {A}/honours/{{honour_id}}/revoke",
        "post",
        f"{A}/honours/{{honour}}/revoke",
        desk(),
        REC,
        data={"reason": "经复核撤销"},
    ),
    # --- API: care ------------------------------------------------------------------------------
    Row(f"GET {A}/care", "get", f"{A}/care", holders(CADRES)),
    Row(f"POST {A}/care/records", "post", f"{A}/care/records", desk(), REC, data=_care),
    Row(f"GET {A}/care/items", "get", f"{A}/care/items", holders(CADRES)),
    Row(f"POST {A}/care/items", "post", f"{A}/care/items", config(201), data=CARE_ITEM),
    Row(
        f"PATCH {A}/care/items/{{item_id}}",
        "patch",
        f"{A}/care/items/{{care_item}}",
        config(200),
        data={"active": False},
    ),
    # --- API: "五型"班组 ------------------------------------------------------------------------
    Row(f"GET {A}/criteria", "get", f"{A}/criteria", holders(CADRES)),
    Row(f"POST {A}/criteria", "post", f"{A}/criteria", config(201), data=CRITERION),
    Row(
        f"PATCH {A}/criteria/{{criterion_id}}",
        "patch",
        f"{A}/criteria/{{criterion}}",
        config(200),
        data={"active": False},
    ),
    Row(f"PUT {A}/pass-mark", "put", f"{A}/pass-mark", config(200), data={"pass_percent": 75}),
    Row(f"GET {A}/assessments", "get", f"{A}/assessments", holders(CADRES)),
    Row(
        f"POST {A}/assessments",
        "post",
        f"{A}/assessments",
        create(201, 404),
        data=lambda w, t: {
            "team_name": "丙班组",
            "org_unit_id": w["unit"]["b1"],
            "year": w["year"],
        },
    ),
    Row(
        f"GET {A}/assessments/{{assessment_id}}",
        "get",
        f"{A}/assessments/{{draft}}",
        desk(),
        REC,
    ),
    Row(
        f"PUT {A}/assessments/{{assessment_id}}/scores",
        "put",
        f"{A}/assessments/{{draft}}/scores",
        desk(),
        REC,
        data=_scores_api,
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/documents",
        "post",
        f"{A}/assessments/{{draft}}/documents",
        desk(201),
        REC,
        data=lambda w, t: {"files": [photo("evidence.png")]},
        multipart=True,
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/submit",
        "post",
        f"{A}/assessments/{{draft}}/submit",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/assessments/{{assessment_id}}/review",
        "post",
        f"{A}/assessments/{{submitted}}/review",
        desk(),
        REC,
        data=_scores_api,
    ),
    # --- API: studios ---------------------------------------------------------------------------
    Row(f"GET {A}/studios", "get", f"{A}/studios", holders(CADRES)),
    Row(f"POST {A}/studios", "post", f"{A}/studios", create(201, 404), data=_studio_api),
    Row(f"GET {A}/studios/{{studio_id}}", "get", f"{A}/studios/{{studio}}", desk(), REC),
    Row(
        f"POST {A}/studios/{{studio_id}}/members",
        "post",
        f"{A}/studios/{{studio}}/members",
        desk(201),
        REC,
        data=lambda w, t: {"employee_no": w["other_no"][t], "role": "骨干"},
    ),
    Row(
        f"POST {A}/studios/{{studio_id}}/projects",
        "post",
        f"{A}/studios/{{studio}}/projects",
        desk(201),
        REC,
        data=PROJECT,
    ),
    Row(
        f"PATCH {A}/studios/projects/{{project_id}}",
        "patch",
        f"{A}/studios/projects/{{project}}",
        desk(),
        REC,
        data=lambda w, t: {"status": "completed", "ended_on": w["today"]},
    ),
    Row(
        f"POST {A}/studios/{{studio_id}}/results",
        "post",
        f"{A}/studios/{{studio}}/results",
        desk(201),
        REC,
        data=RESULT,
    ),
]


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Uploads of the module's rows in a private temporary directory."""
    location = tmp_path_factory.mktemp("honours-uploads")
    with override_settings(STORAGES=private_storages(location)):
        yield location


@pytest.fixture(scope="module")
def world(storage, module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
