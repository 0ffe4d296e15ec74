"""Roles × every page and API operation of volunteering and donation drives (services).

From DESIGN.md (services: volunteering and public welfare; roles: a cadre manages their
unit's subtree, never a sibling branch):
  - members (chair, branch1, branch2, rep1, worker1, worker2) read the projects and drives
    of their audience units ("b1": branch1's, open to branch1's subtree; "b2": branch2's);
    another branch's record is 404; roles without a member record (admin, handler1,
    counselor1, mediator1) are refused (403);
  - a member signs up only for a project of their audience (the chair, whose own unit is the
    committee, is refused 403 on a branch's project), withdraws their own sign-up only;
  - the desk (projects, shifts, hours, drives, donations) is for cadres over their unit's
    subtree: branch1 on b1, branch2 on b2, the chair on both; a sibling branch's record is
    404; everyone else 403.
A refused write changes nothing: projects, shifts, sign-ups, drives, donations, the fund and
its ledger, the audit log, notifications and workflow events are compared before and after.
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
from tests.access.world_volunteering import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
AUDIENCE = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
READ = union(AUDIENCE, CADRE_SCOPE)
SIGNED_UP = {"worker1": B1, "worker2": B2}  # their sign-ups and pledges


def read(ok: int = 200):
    return scoped(READ, ok=ok)


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def sign_up(ok: int):
    """Audience members get in; one already signed up is a conflict; the chair, who reads the
    project as its cadre but is not of its audience, is refused."""

    def rule(p, t):
        if p == "chair":
            return 403
        if t in SIGNED_UP.get(p, ()):
            return 409
        return read(ok)(p, t)

    return rule


def create(ok: int, outside: int):
    """A new record for branch1's unit: the chair and branch1 may; branch2's scope lacks it."""
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


P = "/services/volunteering"
A = "/api/v1/services/volunteering"
V = "services:volunteering"


def _project_form(w, t):
    return {"title": "新项目", "org_unit": w["unit"]["b1"], "contact": "1"}


def _drive_api(w, t):
    return {
        "title": "新活动",
        "purpose": "用途",
        "org_unit_id": w["unit"]["b1"],
        "starts_on": "2026-01-01",
        "ends_on": "2099-12-31",
        "accepts_money": False,
        "accepts_goods": True,
    }


GOODS = {"kind": "goods", "donor_name": "某超市", "goods": "大米 10 袋", "display": "full"}

ROWS = [
    # --- pages: the member's --------------------------------------------------------------------
    Row(f"{V}-home", "get", f"{P}/", holders(MEMBERS)),
    Row(f"{V}-mine", "get", f"{P}/mine/", holders(MEMBERS)),
    Row(f"{V}-project", "get", f"{P}/projects/{{project}}/", read(), REC),
    Row(f"{V}-signup", "post", f"{P}/shifts/{{shift}}/signup/", sign_up(302), REC),
    Row(
        f"{V}-withdraw",
        "post",
        f"{P}/signups/{{signup}}/withdraw/",
        scoped(SIGNED_UP, ok=302, outsiders=404),
        REC,
    ),
    Row(f"{V}-drive", "get", f"{P}/drives/{{drive}}/", read(), REC),
    Row(
        f"{V}-pledge",
        "post",
        f"{P}/drives/{{drive}}/pledge/",
        read(302),
        REC,
        data={"kind": "money", "amount": "50", "display": "masked"},
    ),
    # --- pages: the desk ------------------------------------------------------------------------
    Row(f"{V}-desk", "get", f"{P}/desk/", holders(CADRES)),
    Row(f"{V}-desk-project-new", "get", f"{P}/desk/projects/new/", holders(CADRES)),
    Row(
        f"{V}-desk-project-new",
        "post",
        f"{P}/desk/projects/new/",
        create(302, 400),
        data=_project_form,
        name=f"{V}-desk-project-new-post",
    ),
    Row(f"{V}-desk-project", "get", f"{P}/desk/projects/{{project}}/", desk(), REC),
    Row(
        f"{V}-desk-shift-new",
        "post",
        f"{P}/desk/projects/{{project}}/shifts/new/",
        desk(302),
        REC,
        data=lambda w, t: w["new_shift"],
    ),
    Row(
        f"{V}-desk-project-step",
        "post",
        f"{P}/desk/projects/{{project}}/finish/",
        desk(302),
        REC,
    ),
    Row(
        f"{V}-desk-project-step",
        "post",
        f"{P}/desk/projects/{{project}}/cancel/",
        desk(302),
        REC,
        data={"reason": "天气原因"},
        name=f"{V}-desk-project-step-cancel",
    ),
    Row(f"{V}-desk-shift", "get", f"{P}/desk/shifts/{{past_shift}}/", desk(), REC),
    Row(
        f"{V}-desk-shift-confirm",
        "post",
        f"{P}/desk/shifts/{{past_shift}}/confirm/",
        desk(302),
        REC,
    ),
    Row(
        f"{V}-desk-hours-record",
        "post",
        f"{P}/desk/signups/{{past_signup}}/hours/",
        desk(302),
        REC,
        data={"hours": "2.5", "reason": "提前离开"},
    ),
    Row(
        f"{V}-desk-hours-confirm",
        "post",
        f"{P}/desk/signups/{{past_signup}}/confirm/",
        desk(302),
        REC,
    ),
    Row(f"{V}-desk-hours", "get", f"{P}/desk/hours/", holders(CADRES)),
    Row(f"{V}-desk-hours-export", "get", f"{P}/desk/hours/export/", holders(CADRES)),
    Row(f"{V}-desk-drives", "get", f"{P}/desk/drives/", holders(CADRES)),
    Row(f"{V}-desk-drive-new", "get", f"{P}/desk/drives/new/", holders(CADRES)),
    Row(f"{V}-desk-drive", "get", f"{P}/desk/drives/{{drive}}/", desk(), REC),
    Row(f"{V}-desk-drive-close", "post", f"{P}/desk/drives/{{drive}}/close/", desk(302), REC),
    Row(
        f"{V}-desk-donation-new",
        "post",
        f"{P}/desk/drives/{{drive}}/donations/",
        desk(302),
        REC,
        data=GOODS,
    ),
    Row(f"{V}-desk-drive-export", "get", f"{P}/desk/drives/{{drive}}/export/", desk(), REC),
    Row(
        f"{V}-desk-donation-confirm",
        "post",
        f"{P}/desk/donations/{{pledge}}/confirm/",
        desk(302),
        REC,
    ),
    Row(
        f"{V}-desk-donation-cancel",
        "post",
        f"{P}/desk/donations/{{pledge}}/cancel/",
        desk(302),
        REC,
    ),
    # --- API: the member's ----------------------------------------------------------------------
    Row(f"GET {A}/projects", "get", f"{A}/projects", holders(MEMBERS)),
    Row(f"GET {A}/projects/{{project_id}}", "get", f"{A}/projects/{{project}}", read(), REC),
    Row(
        f"POST {A}/shifts/{{shift_id}}/signup",
        "post",
        f"{A}/shifts/{{shift}}/signup",
        sign_up(201),
        REC,
    ),
    Row(f"GET {A}/signups", "get", f"{A}/signups", holders(MEMBERS)),
    Row(
        f"POST {A}/signups/{{signup_id}}/withdraw",
        "post",
        f"{A}/signups/{{signup}}/withdraw",
        scoped(SIGNED_UP, outsiders=404),
        REC,
    ),
    Row(f"GET {A}/hours", "get", f"{A}/hours", holders(MEMBERS)),
    Row(f"GET {A}/drives", "get", f"{A}/drives", holders(MEMBERS)),
    Row(f"GET {A}/drives/{{drive_id}}", "get", f"{A}/drives/{{drive}}", read(), REC),
    Row(
        f"POST {A}/drives/{{drive_id}}/pledge",
        "post",
        f"{A}/drives/{{drive}}/pledge",
        read(201),
        REC,
        data={"kind": "goods", "goods": "书 5 本", "display": "hidden"},
    ),
    # --- API: the desk --------------------------------------------------------------------------
    Row(f"GET {A}/desk/projects", "get", f"{A}/desk/projects", holders(CADRES)),
    Row(
        f"POST {A}/desk/projects",
        "post",
        f"{A}/desk/projects",
        create(201, 404),
        data=lambda w, t: {"title": "新项目", "org_unit_id": w["unit"]["b1"]},
    ),
    Row(
        f"POST {A}/desk/projects/{{project_id}}/shifts",
        "post",
        f"{A}/desk/projects/{{project}}/shifts",
        desk(201),
        REC,
        data=lambda w, t: w["new_shift_api"],
    ),
    Row(
        f"POST {A}/desk/projects/{{project_id}}/publish",
        "post",
        f"{A}/desk/projects/{{project}}/publish",
        desk(409),  # already recruiting: a conflict, after the access check
        REC,
    ),
    Row(
        f"POST {A}/desk/projects/{{project_id}}/finish",
        "post",
        f"{A}/desk/projects/{{project}}/finish",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/projects/{{project_id}}/cancel",
        "post",
        f"{A}/desk/projects/{{project}}/cancel",
        desk(),
        REC,
        data={"reason": "天气原因"},
    ),
    Row(
        f"GET {A}/desk/shifts/{{shift_id}}/signups",
        "get",
        f"{A}/desk/shifts/{{past_shift}}/signups",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/shifts/{{shift_id}}/confirm",
        "post",
        f"{A}/desk/shifts/{{past_shift}}/confirm",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/signups/{{signup_id}}/hours",
        "post",
        f"{A}/desk/signups/{{past_signup}}/hours",
        desk(),
        REC,
        data={},
    ),
    Row(
        f"POST {A}/desk/signups/{{signup_id}}/confirm",
        "post",
        f"{A}/desk/signups/{{past_signup}}/confirm",
        desk(),
        REC,
    ),
    Row(f"GET {A}/desk/hours", "get", f"{A}/desk/hours", holders(CADRES)),
    Row(f"GET {A}/desk/drives", "get", f"{A}/desk/drives", holders(CADRES)),
    Row(f"POST {A}/desk/drives", "post", f"{A}/desk/drives", create(201, 404), data=_drive_api),
    Row(
        f"POST {A}/desk/drives/{{drive_id}}/close",
        "post",
        f"{A}/desk/drives/{{drive}}/close",
        desk(),
        REC,
    ),
    Row(
        f"GET {A}/desk/drives/{{drive_id}}/donations",
        "get",
        f"{A}/desk/drives/{{drive}}/donations",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/drives/{{drive_id}}/donations",
        "post",
        f"{A}/desk/drives/{{drive}}/donations",
        desk(201),
        REC,
        data=GOODS,
    ),
    Row(
        f"POST {A}/desk/donations/{{donation_id}}/confirm",
        "post",
        f"{A}/desk/donations/{{pledge}}/confirm",
        desk(),
        REC,
        data={},
    ),
    Row(
        f"POST {A}/desk/donations/{{donation_id}}/cancel",
        "post",
        f"{A}/desk/donations/{{pledge}}/cancel",
        desk(),
        REC,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
