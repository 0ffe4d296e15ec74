"""Roles × every page and API operation of activities and interest groups (services).

From DESIGN.md and issue #13 item 1:
  - members (chair, branch1, branch2, rep1, worker1, worker2 have member records) see the
    activities of their audience (a unit covers its subtree) and register; the admin, the
    handler, the counselor and the mediator have no member record: 403;
  - an activity outside the member's audience is 404 (rep1 and worker1 are in branch 1,
    worker2 and branch2 in branch 2); the chair, a member of the committee (above both
    branches), is outside both audiences but may open both as their manager; registering
    is refused to the chair with 403 and a Chinese message (not in the audience);
  - a registration is its member's: another member's is 404 ("own": worker1's, "other":
    worker2's);
  - managing (list, create, publish, cancel, draw, roster, check-in, exports) is for the
    cadres over the organising unit: the chair both, branch1 b1, branch2 b2; the sibling
    branch's activity is 404; every other role 403;
  - an interest group is seen by the members of units under its unit; its leaders (worker1
    for b1, worker2 for b2) and the cadres over it decide join requests; only cadres name
    leaders.
A refused write changes nothing: activities, registrations, groups and memberships, the audit
log and notifications are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    B1,
    B2,
    BOTH,
    CADRE_SCOPE,
    OWN,
    REC,
    ROW_ARGS,
    Row,
    holders,
    per_persona,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_activities import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = set(CADRE_SCOPE)
# Who opens an activity (or a group) of b1 / b2: its audience and its managers.
AUDIENCE = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1, "worker1": B1, "worker2": B2}
# Who manages a group: the cadres over it and its leader.
GROUP_MANAGERS = {**CADRE_SCOPE, "worker1": B1, "worker2": B2}


def only(target: str, ok: int, other: int = 404):
    return lambda p, t: ok if t == target else other


def own_registration(ok: int):
    """worker1's registration ("own") is worker1's, worker2's ("other") worker2's; another
    member gets 404; a user without a member record 403."""
    return per_persona(
        {
            "worker1": only("own", ok),
            "worker2": only("other", ok),
            **{p: 404 for p in MEMBERS - {"worker1", "worker2"}},
        },
        default=403,
    )


def register(ok: int):
    """The audience registers (ok), the one already registered gets 409, the chair 403."""
    return per_persona(
        {
            "chair": 403,
            "branch1": only("b1", ok),
            "rep1": only("b1", ok),
            "worker1": only("b1", 409),
            "branch2": only("b2", ok),
            "worker2": only("b2", 409),
        },
        default=403,
    )


def join(ok: int):
    """Members under the group's unit ask to join; a member already in or asking gets 409;
    the chair (above the unit) 403; outside the unit 404."""
    return per_persona(
        {
            "chair": 403,
            "branch1": only("b1", ok),
            "rep1": only("b1", 409),
            "worker1": only("b1", 409),
            "branch2": only("b2", 409),
            "worker2": only("b2", 409),
        },
        default=403,
    )


def leave(ok: int):
    """A member or a pending request leaves; one who is neither gets 409."""
    return per_persona(
        {
            "chair": 409,
            "branch1": only("b1", 409),
            "rep1": only("b1", ok),
            "worker1": only("b1", ok),
            "branch2": only("b2", ok),
            "worker2": only("b2", ok),
        },
        default=403,
    )


def name_leader(ok: int):
    """Only cadres name leaders: a leader is refused (403) on their own group."""
    return per_persona(
        {
            "chair": ok,
            "branch1": only("b1", ok),
            "branch2": only("b2", ok),
            "worker1": only("b1", 403),
            "worker2": only("b2", 403),
        },
        default=403,
    )


# Both targets where a page shows a record (the sibling branch's is 404 for a cadre, the
# other member's for a member); one target on the writes and exports, where branch2 (b1 is
# its sibling's), worker2 (not in b1's audience) and every other member still meet the refusal.
B1_ONLY = ("b1",)
OWN_ONLY = ("own",)

P = "/services/activities"
A = "/api/v1/services/activities"
M = f"{P}/manage/{{activity}}"
AM = f"{A}/manage/{{activity}}"


def _token(w, t):
    return {"token": w["token"][t]}


def _new_activity(w, t):
    return {
        "title": "迎新春长跑",
        "kind": "sports",
        "starts_at": "2030-01-10T09:00:00+08:00",
        "ends_at": "2030-01-10T11:00:00+08:00",
        "place": "厂区体育场",
        "org_unit_id": w["b1_unit"],
        "capacity": 30,
        "opens_at": "2029-12-20T09:00:00+08:00",
        "closes_at": "2030-01-09T18:00:00+08:00",
    }


ROWS = [
    # --- pages: the member's ----------------------------------------------------------------
    Row("services:activities-home", "get", f"{P}/", holders(MEMBERS)),
    Row("services:activities-mine", "get", f"{P}/mine/", holders(MEMBERS)),
    Row("services:activities-detail", "get", f"{P}/{{activity}}/", scoped(AUDIENCE), REC),
    Row(
        "services:activities-register",
        "post",
        f"{P}/{{activity}}/register/",
        register(302),
        B1_ONLY,
    ),
    Row(
        "services:activities-ticket",
        "get",
        f"{P}/registrations/{{reg}}/",
        own_registration(200),
        OWN,
    ),
    Row(
        "services:activities-registration-cancel",
        "post",
        f"{P}/registrations/{{reg}}/cancel/",
        own_registration(302),
        OWN_ONLY,
    ),
    Row(
        "services:activities-offer-confirm",
        "post",
        f"{P}/registrations/{{reg}}/confirm/",
        own_registration(409),  # no offer to confirm: refused after the access check
        OWN_ONLY,
    ),
    Row(
        "services:activities-offer-decline",
        "post",
        f"{P}/registrations/{{reg}}/decline/",
        own_registration(409),
        OWN_ONLY,
    ),
    Row(
        "services:activities-rate",
        "post",
        f"{P}/registrations/{{reg}}/rate/",
        own_registration(409),  # not finished yet
        OWN_ONLY,
        data={"rating": "satisfied"},
    ),
    # --- pages: the cadres' -----------------------------------------------------------------
    Row("services:activities-manage", "get", f"{P}/manage/", holders(CADRES)),
    Row("services:activities-manage-export", "get", f"{P}/manage/export/", holders(CADRES)),
    Row("services:activities-new", "get", f"{P}/manage/new/", holders(CADRES)),
    Row("services:activities-manage-detail", "get", f"{M}/", scoped(CADRE_SCOPE), REC),
    Row("services:activities-edit", "get", f"{M}/edit/", scoped(CADRE_SCOPE), B1_ONLY),
    Row("services:activities-publish", "post", f"{M}/publish/", scoped(CADRE_SCOPE, 409), B1_ONLY),
    Row("services:activities-close", "post", f"{M}/close/", scoped(CADRE_SCOPE, 302), B1_ONLY),
    Row("services:activities-finish", "post", f"{M}/finish/", scoped(CADRE_SCOPE, 409), B1_ONLY),
    Row(
        "services:activities-cancel",
        "post",
        f"{M}/cancel/",
        scoped(CADRE_SCOPE, 302),
        B1_ONLY,
        data={"reason": "场地维修"},
    ),
    Row("services:activities-draw", "post", f"{M}/draw/", scoped(CADRE_SCOPE, 409), B1_ONLY),
    Row(
        "services:activities-photos",
        "post",
        f"{M}/photos/",
        scoped(CADRE_SCOPE, 409),  # it has not started: no photos yet
        B1_ONLY,
    ),
    Row(
        "services:activities-registrations-export",
        "get",
        f"{M}/registrations.xlsx",
        scoped(CADRE_SCOPE),
        B1_ONLY,
    ),
    Row(
        "services:activities-attendance-export",
        "get",
        f"{M}/attendance.xlsx",
        scoped(CADRE_SCOPE),
        B1_ONLY,
    ),
    Row("services:activities-checkin", "get", f"{M}/checkin/", scoped(CADRE_SCOPE), B1_ONLY),
    Row(
        "services:activities-checkin",
        "post",
        f"{M}/checkin/",
        scoped(CADRE_SCOPE, 302),
        B1_ONLY,
        data=_token,
        name="services:activities-checkin-post",
    ),
    Row(
        "services:activities-checkin-tick",
        "post",
        f"{M}/checkin/{{reg}}/",
        scoped(CADRE_SCOPE, 302),
        B1_ONLY,
    ),
    # --- pages: interest groups -------------------------------------------------------------
    Row("services:clubs-home", "get", f"{P}/clubs/", holders(MEMBERS)),
    Row("services:clubs-detail", "get", f"{P}/clubs/{{club}}/", scoped(AUDIENCE), REC),
    Row("services:clubs-join", "post", f"{P}/clubs/{{club}}/join/", join(302), B1_ONLY),
    Row("services:clubs-leave", "post", f"{P}/clubs/{{club}}/leave/", leave(302), B1_ONLY),
    Row("services:clubs-manage", "get", f"{P}/clubs/manage/", holders(set(GROUP_MANAGERS))),
    Row(
        "services:clubs-manage-list-export",
        "get",
        f"{P}/clubs/manage/export/",
        holders(set(GROUP_MANAGERS)),
    ),
    Row("services:clubs-new", "get", f"{P}/clubs/manage/new/", holders(CADRES)),
    Row(
        "services:clubs-manage-detail",
        "get",
        f"{P}/clubs/manage/{{club}}/",
        scoped(GROUP_MANAGERS),
        B1_ONLY,
    ),
    Row(
        "services:clubs-manage-export",
        "get",
        f"{P}/clubs/manage/{{club}}/members.xlsx",
        scoped(GROUP_MANAGERS),
        B1_ONLY,
    ),
    Row(
        "services:clubs-decide",
        "post",
        f"{P}/clubs/manage/memberships/{{request}}/approve/",
        scoped(GROUP_MANAGERS, 302),
        B1_ONLY,
    ),
    Row(
        "services:clubs-leader",
        "post",
        f"{P}/clubs/manage/memberships/{{leader}}/leader/",
        name_leader(302),
        B1_ONLY,
        data={"leader": "0"},
    ),
    # === API ===================================================================================
    Row(f"GET {A}", "get", A, holders(MEMBERS)),
    Row(f"GET {A}/{{activity_id}}", "get", f"{A}/{{activity}}", scoped(AUDIENCE), REC),
    Row(
        f"POST {A}/{{activity_id}}/register",
        "post",
        f"{A}/{{activity}}/register",
        register(201),
        B1_ONLY,
    ),
    Row(f"GET {A}/registrations", "get", f"{A}/registrations", holders(MEMBERS)),
    Row(
        f"GET {A}/registrations/{{registration_id}}",
        "get",
        f"{A}/registrations/{{reg}}",
        own_registration(200),
        OWN,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/cancel",
        "post",
        f"{A}/registrations/{{reg}}/cancel",
        own_registration(200),
        OWN_ONLY,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/confirm",
        "post",
        f"{A}/registrations/{{reg}}/confirm",
        own_registration(409),
        OWN_ONLY,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/decline",
        "post",
        f"{A}/registrations/{{reg}}/decline",
        own_registration(409),
        OWN_ONLY,
    ),
    Row(
        f"POST {A}/registrations/{{registration_id}}/rate",
        "post",
        f"{A}/registrations/{{reg}}/rate",
        own_registration(409),
        OWN_ONLY,
        data={"rating": "satisfied"},
    ),
    Row(f"GET {A}/manage", "get", f"{A}/manage", holders(CADRES)),
    Row(
        f"POST {A}/manage",
        "post",
        f"{A}/manage",
        per_persona({"chair": 201, "branch1": 201, "branch2": 404}),  # a B1 activity
        data=_new_activity,
    ),
    Row(f"GET {A}/manage/{{activity_id}}", "get", AM, scoped(CADRE_SCOPE), REC),
    Row(
        f"POST {A}/manage/{{activity_id}}/publish",
        "post",
        f"{AM}/publish",
        scoped(CADRE_SCOPE, 409),
        B1_ONLY,
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/close",
        "post",
        f"{AM}/close",
        scoped(CADRE_SCOPE),
        B1_ONLY,
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/finish",
        "post",
        f"{AM}/finish",
        scoped(CADRE_SCOPE, 409),
        B1_ONLY,
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/cancel",
        "post",
        f"{AM}/cancel",
        scoped(CADRE_SCOPE),
        B1_ONLY,
        data={"reason": "场地维修"},
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/draw",
        "post",
        f"{AM}/draw",
        scoped(CADRE_SCOPE, 409),
        B1_ONLY,
    ),
    Row(
        f"GET {A}/manage/{{activity_id}}/registrations",
        "get",
        f"{AM}/registrations",
        scoped(CADRE_SCOPE),
        B1_ONLY,
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/checkin",
        "post",
        f"{AM}/checkin",
        scoped(CADRE_SCOPE),
        B1_ONLY,
        data=_token,
    ),
    Row(
        f"POST {A}/manage/{{activity_id}}/registrations/{{registration_id}}/checkin",
        "post",
        f"{AM}/registrations/{{reg}}/checkin",
        scoped(CADRE_SCOPE),
        B1_ONLY,
    ),
    Row(f"GET {A}/clubs", "get", f"{A}/clubs", holders(MEMBERS)),
    Row(f"GET {A}/clubs/{{club_id}}", "get", f"{A}/clubs/{{club}}", scoped(AUDIENCE), B1_ONLY),
    Row(f"POST {A}/clubs/{{club_id}}/join", "post", f"{A}/clubs/{{club}}/join", join(201), B1_ONLY),
    Row(
        f"POST {A}/clubs/{{club_id}}/leave",
        "post",
        f"{A}/clubs/{{club}}/leave",
        leave(200),
        B1_ONLY,
    ),
    Row(
        f"GET {A}/clubs/{{club_id}}/memberships",
        "get",
        f"{A}/clubs/{{club}}/memberships",
        scoped(GROUP_MANAGERS),
        B1_ONLY,
    ),
    Row(
        f"POST {A}/clubs/memberships/{{membership_id}}/decide",
        "post",
        f"{A}/clubs/memberships/{{request}}/decide",
        scoped(GROUP_MANAGERS),
        B1_ONLY,
        data={"approve": True},
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
