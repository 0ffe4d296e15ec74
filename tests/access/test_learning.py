"""Roles × every page and API operation of learning (services: 培训).

From DESIGN.md (services; roles: a cadre manages their unit's subtree, never a sibling
branch) and issue 12:
  - members (chair, branch1, branch2, rep1, worker1, worker2) read the published courses of
    their unit's subtree ("b1": branch1's courses, open to branch1's subtree; "b2":
    branch2's); another branch's course is 404; roles without a member record (admin,
    handler1, counselor1, mediator1) are refused (403);
  - a member enrols only on a course of her subtree (the chair, whose unit is the committee,
    reads a branch's course as its cadre but is refused 403); her enrolment, attempts and
    certificates are hers alone (404 for anyone else);
  - the certificate verification page is public: anyone with the token, signed in or not;
  - the desk (courses, sessions, check-in, banks, assignment, certificates, plans, report)
    is for cadres over their unit's subtree: branch1 on b1, branch2 on b2, the chair on
    both; a sibling branch's record is 404; everyone else 403.
A refused write changes nothing (courses, sessions, enrolments, attendance, questions,
attempts, certificates, plans, ratings, the audit log, notifications, workflow events).
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
    everyone,
    holders,
    per_persona,
    row_cases,
    run_cases,
    scoped,
    union,
)
from tests.access.world_learning import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
CADRES = {"chair", "branch1", "branch2"}
AUDIENCE = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
READ = union(AUDIENCE, CADRE_SCOPE)
ENROLLED = {"worker1": B1, "worker2": B2}  # on the test course, the material course (not
# completed) and the classroom course; the attempts are theirs
COMPLETED = {"rep1": B1, "branch2": B2}  # the material course, with a certificate


def read(ok: int = 200):
    return scoped(READ, ok=ok)


def desk(ok: int = 200):
    return scoped(CADRE_SCOPE, ok=ok)


def enrol(ok: int):
    """The audience enrols; one already enrolled is a conflict; the chair (not of the
    audience) is refused."""

    def rule(p, t):
        if p == "chair":
            return 403
        if t in ENROLLED.get(p, ()):
            return 409
        return read(ok)(p, t)

    return rule


def own(who: dict, ok: int, conflict: dict | None = None):
    """ok for the owner of the record; `conflict` (409) for those whose enrolment is in the
    wrong state; 404 for any other member; 403 for roles without a member record."""

    def rule(p, t):
        if p not in MEMBERS:
            return 403
        if t in who.get(p, ()):
            return ok
        if conflict and t in conflict.get(p, ()):
            return 409
        return 404

    return rule


def create(ok: int, outside: int):
    return per_persona({"chair": ok, "branch1": ok, "branch2": outside})


P = "/services/learning"
A = "/api/v1/services/learning"
V = "services:learning"


def _course_form(w, t):
    return {
        "title": "新课程",
        "kind": "online",
        "org_unit": w["unit"]["b1"],
        "hours": "2",
        "test_questions": 0,
        "test_minutes": 30,
        "test_attempts": 3,
        "pass_mark": 60,
    }


def _plan_form(w, t):
    return {
        "org_unit": w["unit"]["b1"],
        "year": 2031,
        "title": "干部培训",
        "audience": "cadres",
        "hours_target": "16",
    }


def _plan_api(w, t):
    return {**_plan_form(w, t), "org_unit_id": w["unit"]["b1"]}


RATE = {"rating": "satisfied"}

ROWS = [
    # --- pages: the member's --------------------------------------------------------------------
    Row(f"{V}-home", "get", f"{P}/", holders(MEMBERS)),
    Row(f"{V}-record", "get", f"{P}/record/", holders(MEMBERS)),
    Row(f"{V}-course", "get", f"{P}/courses/{{course}}/", read(), REC),
    Row(f"{V}-enrol", "post", f"{P}/courses/{{course}}/enrol/", enrol(302), REC),
    Row(
        f"{V}-material-done",
        "post",
        f"{P}/courses/{{mcourse}}/done/",
        own(ENROLLED, 302, COMPLETED),
        REC,
    ),
    Row(f"{V}-test-start", "post", f"{P}/courses/{{course}}/test/", own(ENROLLED, 302), REC),
    Row(
        f"{V}-rate",
        "post",
        f"{P}/courses/{{mcourse}}/rate/",
        own(COMPLETED, 302, ENROLLED),
        REC,
        data=RATE,
    ),
    Row(f"{V}-attempt", "get", f"{P}/attempts/{{attempt}}/", own(ENROLLED, 200), REC),
    Row(
        f"{V}-attempt-submit",
        "post",
        f"{P}/attempts/{{attempt}}/submit/",
        own(ENROLLED, 302),
        REC,
    ),
    Row(
        f"{V}-certificate-pdf",
        "get",
        f"{P}/certificates/{{certificate}}/pdf/",
        own(COMPLETED, 200),
        REC,
    ),
    Row(f"{V}-verify", "get", f"{P}/verify/{{token}}/", everyone(200), REC, anon=200),
    # --- pages: the desk ------------------------------------------------------------------------
    Row(f"{V}-desk", "get", f"{P}/desk/", holders(CADRES)),
    Row(f"{V}-desk-export", "get", f"{P}/desk/export/", holders(CADRES)),
    Row(f"{V}-desk-course-new", "get", f"{P}/desk/courses/new/", holders(CADRES)),
    Row(
        f"{V}-desk-course-new",
        "post",
        f"{P}/desk/courses/new/",
        create(302, 400),
        data=_course_form,
        name=f"{V}-desk-course-new-post",
    ),
    Row(f"{V}-desk-course", "get", f"{P}/desk/courses/{{course}}/", desk(), REC),
    Row(
        f"{V}-desk-course-step",
        "post",
        f"{P}/desk/courses/{{course}}/step/close/",
        desk(302),
        REC,
    ),
    Row(
        f"{V}-desk-session-new",
        "post",
        f"{P}/desk/courses/{{ccourse}}/sessions/new/",
        desk(302),
        REC,
        data=lambda w, t: w["new_session"],
    ),
    # no file: the form's error (400) once the access checks pass
    Row(f"{V}-desk-material", "post", f"{P}/desk/courses/{{mcourse}}/material/", desk(400), REC),
    Row(
        f"{V}-desk-questions-import",
        "post",
        f"{P}/desk/courses/{{course}}/questions/",
        desk(400),
        REC,
    ),
    Row(f"{V}-desk-questions-template", "get", f"{P}/desk/questions/template/", holders(CADRES)),
    Row(
        f"{V}-desk-assign",
        "post",
        f"{P}/desk/courses/{{mcourse}}/assign/",
        desk(302),
        REC,
        data=lambda w, t: {"org_unit": w["unit"][t]},
    ),
    Row(
        f"{V}-desk-enrolments-export",
        "get",
        f"{P}/desk/courses/{{course}}/export/",
        desk(),
        REC,
    ),
    Row(f"{V}-desk-session", "get", f"{P}/desk/sessions/{{session}}/", desk(), REC),
    Row(
        f"{V}-desk-checkin",
        "post",
        f"{P}/desk/sessions/{{session}}/checkin/",
        desk(302),
        REC,
        data=lambda w, t: {"token": w["checkin"][t]},
    ),
    Row(
        f"{V}-desk-attend",
        "post",
        f"{P}/desk/sessions/{{session}}/attend/{{enrolment}}/",
        desk(302),
        REC,
    ),
    Row(
        f"{V}-desk-revoke",
        "post",
        f"{P}/desk/certificates/{{certificate}}/revoke/",
        desk(302),
        REC,
        data={"reason": "学时记录有误"},
    ),
    Row(f"{V}-desk-plans", "get", f"{P}/desk/plans/", holders(CADRES)),
    Row(
        f"{V}-desk-plans",
        "post",
        f"{P}/desk/plans/",
        create(302, 400),
        data=_plan_form,
        name=f"{V}-desk-plans-post",
    ),
    Row(f"{V}-desk-plans-export", "get", f"{P}/desk/plans/export/", holders(CADRES)),
    Row(f"{V}-desk-report", "get", f"{P}/desk/report/", holders(CADRES)),
    Row(f"{V}-desk-report-export", "get", f"{P}/desk/report/export/", holders(CADRES)),
    # --- API: the member's ----------------------------------------------------------------------
    Row(f"GET {A}/courses", "get", f"{A}/courses", holders(MEMBERS)),
    Row(f"GET {A}/courses/{{course_id}}", "get", f"{A}/courses/{{course}}", read(), REC),
    Row(
        f"POST {A}/courses/{{course_id}}/enrol",
        "post",
        f"{A}/courses/{{course}}/enrol",
        enrol(201),
        REC,
    ),
    Row(
        f"POST {A}/courses/{{course_id}}/done",
        "post",
        f"{A}/courses/{{mcourse}}/done",
        own(ENROLLED, 200, COMPLETED),
        REC,
    ),
    Row(
        f"POST {A}/courses/{{course_id}}/rate",
        "post",
        f"{A}/courses/{{mcourse}}/rate",
        own(COMPLETED, 200, ENROLLED),
        REC,
        data=RATE,
    ),
    Row(f"GET {A}/enrolments", "get", f"{A}/enrolments", holders(MEMBERS)),
    Row(f"GET {A}/record", "get", f"{A}/record", holders(MEMBERS)),
    Row(
        f"POST {A}/courses/{{course_id}}/attempts",
        "post",
        f"{A}/courses/{{course}}/attempts",
        own(ENROLLED, 201),
        REC,
    ),
    Row(
        f"GET {A}/attempts/{{attempt_id}}",
        "get",
        f"{A}/attempts/{{attempt}}",
        own(ENROLLED, 200),
        REC,
    ),
    Row(
        f"POST {A}/attempts/{{attempt_id}}/answer",
        "post",
        f"{A}/attempts/{{attempt}}/answer",
        own(ENROLLED, 200),
        REC,
        data=lambda w, t: {"question_id": w["question"][t], "answer": "A"},
    ),
    Row(
        f"POST {A}/attempts/{{attempt_id}}/submit",
        "post",
        f"{A}/attempts/{{attempt}}/submit",
        own(ENROLLED, 200),
        REC,
    ),
    # --- API: the desk --------------------------------------------------------------------------
    Row(f"GET {A}/desk/courses", "get", f"{A}/desk/courses", holders(CADRES)),
    Row(
        f"POST {A}/desk/courses",
        "post",
        f"{A}/desk/courses",
        create(201, 404),
        data=lambda w, t: {**_course_form(w, t), "org_unit_id": w["unit"]["b1"]},
    ),
    Row(
        f"POST {A}/desk/courses/{{course_id}}/publish",
        "post",
        f"{A}/desk/courses/{{course}}/publish",
        desk(409),  # already published: a conflict, after the access check
        REC,
    ),
    Row(
        f"POST {A}/desk/courses/{{course_id}}/close",
        "post",
        f"{A}/desk/courses/{{course}}/close",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/courses/{{course_id}}/sessions",
        "post",
        f"{A}/desk/courses/{{ccourse}}/sessions",
        desk(201),
        REC,
        data=lambda w, t: w["new_session_api"],
    ),
    Row(
        f"POST {A}/desk/courses/{{course_id}}/assign",
        "post",
        f"{A}/desk/courses/{{mcourse}}/assign",
        desk(),
        REC,
        data=lambda w, t: {"org_unit_id": w["unit"][t]},
    ),
    Row(
        f"GET {A}/desk/courses/{{course_id}}/enrolments",
        "get",
        f"{A}/desk/courses/{{course}}/enrolments",
        desk(),
        REC,
    ),
    Row(
        f"POST {A}/desk/sessions/{{session_id}}/checkin",
        "post",
        f"{A}/desk/sessions/{{session}}/checkin",
        desk(),
        REC,
        data=lambda w, t: {"token": w["checkin"][t]},
    ),
    Row(
        f"POST {A}/desk/sessions/{{session_id}}/attend",
        "post",
        f"{A}/desk/sessions/{{session}}/attend",
        desk(),
        REC,
        data=lambda w, t: {"enrolment_id": w["enrolment"][t]},
    ),
    Row(
        f"POST {A}/desk/certificates/{{certificate_id}}/revoke",
        "post",
        f"{A}/desk/certificates/{{certificate}}/revoke",
        desk(),
        REC,
        data={"reason": "学时记录有误"},
    ),
    Row(f"GET {A}/desk/plans", "get", f"{A}/desk/plans", holders(CADRES)),
    Row(f"POST {A}/desk/plans", "post", f"{A}/desk/plans", create(201, 404), data=_plan_api),
    Row(f"GET {A}/desk/report", "get", f"{A}/desk/report", holders(CADRES)),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
