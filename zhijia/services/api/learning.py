"""API of learning (培训), mounted at /api/v1/services/learning. Same queries and actions, so
the same rules, as the pages.

Members:  GET /courses, GET /courses/{id}, POST /courses/{id}/enrol, /done, /rate,
          GET /enrolments (my courses), GET /record (hours of the year against the target,
          certificates), POST /courses/{id}/attempts (start a test), GET /attempts/{id},
          POST /attempts/{id}/answer, POST /attempts/{id}/submit
Cadres:   /desk/courses (GET, POST), /desk/courses/{id}/publish, /close, /sessions (POST),
          /assign (POST), /enrolments (GET), /desk/sessions/{id}/checkin, /attend,
          /desk/certificates/{id}/revoke, /desk/plans (GET, POST), /desk/report?year=&unit_id=
The Excel files are the pages' (/services/learning/desk/.../export/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services import learning_rules as rules
from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.models import (
    LearningAttempt,
    LearningCertificate,
    LearningCourse,
    LearningEnrolment,
    LearningPlan,
    LearningSession,
)
from zhijia.services.queries import learning as queries
from zhijia.services.workflows import LEARNING_COURSE

router = Router(tags=["services-learning"])


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


# --- schemas -------------------------------------------------------------------------------------


class LearningSessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    capacity: int
    seats_left: int


class LearningCourseOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    org_unit_id: int
    org_unit_name: str
    hours: Decimal
    state: str
    state_label: str
    has_test: bool


class LearningEnrolmentOut(Schema):
    id: int
    course_id: int
    course_title: str
    session_id: int | None
    source: str
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    completed_how: str
    hours_credited: Decimal | None
    rating: str
    certificate_id: int | None
    worker_name: str


class LearningCourseDetail(LearningCourseOut):
    description: str
    material: str
    test_questions: int
    test_minutes: int
    test_attempts: int
    pass_mark: int
    sessions: list[LearningSessionOut]
    enrolment: LearningEnrolmentOut | None


class LearningQuestionOut(Schema):
    id: int
    kind: str
    text: str
    options: list[str]
    given: str
    # After submission only: the key, whether the answer was right, the explanation.
    answer: str | None = None
    correct: bool | None = None
    explanation: str | None = None


class LearningAttemptOut(Schema):
    id: int
    course_id: int
    number: int
    status: str
    started_at: dt.datetime
    deadline: dt.datetime
    submitted_at: dt.datetime | None
    closed_by: str
    score: int | None
    passed: bool | None
    questions: list[LearningQuestionOut]


class LearningCertificateOut(Schema):
    id: int
    number: str
    course_id: int
    course_title: str
    issued_on: dt.date
    revoked: bool
    revoke_reason: str


class LearningPlanOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    year: int
    title: str
    audience: str
    audience_label: str
    hours_target: Decimal


class LearningRecordOut(Schema):
    year: int
    hours: Decimal
    target: Decimal | None
    met: bool
    plans: list[LearningPlanOut]
    certificates: list[LearningCertificateOut]


class LearningReportRowOut(Schema):
    employee_no: str
    name: str
    unit: str
    enrolled: int
    completed: int
    hours: Decimal
    target: Decimal | None
    met: bool | None


class LearningEnrolIn(Schema):
    session_id: Id | None = None


class LearningRateIn(Schema):
    rating: str = Field(..., max_length=16)


class LearningAnswerIn(Schema):
    question_id: Id
    answer: str = Field("", max_length=200)


class LearningSubmitIn(Schema):
    answers: dict[str, str] = Field(default_factory=dict, max_length=100)


class LearningCourseIn(Schema):
    title: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16)
    org_unit_id: Id
    hours: Decimal = Field(..., gt=0, le=200, decimal_places=1)
    description: str = Field("", max_length=5000)
    material: str = Field("", max_length=50000)
    test_questions: int = Field(0, ge=0, le=100)
    test_minutes: int = Field(30, ge=1, le=300)
    test_attempts: int = Field(3, ge=1, le=20)
    pass_mark: int = Field(60, ge=1, le=100)


class LearningSessionIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = Field(..., max_length=200)
    capacity: int = Field(..., ge=1, le=1000)


class LearningAssignIn(Schema):
    org_unit_id: Id | None = None
    employee_nos: list[str] = Field(default_factory=list, max_length=1000)


class LearningAssignOut(Schema):
    assigned: int


class LearningTokenIn(Schema):
    token: str = Field(..., max_length=500)


class LearningAttendIn(Schema):
    enrolment_id: Id


class LearningRevokeIn(Schema):
    reason: str = Field(..., max_length=200)


class LearningPlanIn(Schema):
    org_unit_id: Id
    year: Year
    title: str = Field(..., max_length=100)
    audience: str = Field(..., max_length=16)
    hours_target: Decimal = Field(..., gt=0, le=1000, decimal_places=1)


# --- transforms ----------------------------------------------------------------------------------


def _course(c: LearningCourse) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "kind_label": str(c.get_kind_display()),
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "hours": c.hours,
        "state": c.state,
        "state_label": str(LEARNING_COURSE.state_label(c.state)),
        "has_test": c.has_test,
    }


def _enrolment(e: LearningEnrolment) -> dict:
    member = getattr(e.worker, "member_record", None)
    return {
        "id": e.pk,
        "course_id": e.course_id,
        "course_title": e.course.title,
        "session_id": e.session_id,
        "source": e.source,
        "enrolled_at": e.enrolled_at,
        "completed_at": e.completed_at,
        "completed_how": e.completed_how,
        "hours_credited": e.hours_credited,
        "rating": e.rating,
        "certificate_id": queries.certificate_id_of(e),
        "worker_name": member.name if member is not None else e.worker.get_username(),
    }


def _session(s: LearningSession) -> dict:
    taken = getattr(s, "taken", None)
    if taken is None:
        taken = s.enrolments.count()
    return {
        "id": s.pk,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "place": s.place,
        "capacity": s.capacity,
        "seats_left": max(0, s.capacity - taken),
    }


def _course_detail(user, c: LearningCourse) -> dict:
    enrolment = queries.enrolment_of(user, c)
    return {
        **_course(c),
        "description": c.description,
        "material": c.material,
        "test_questions": c.test_questions,
        "test_minutes": c.test_minutes,
        "test_attempts": c.test_attempts,
        "pass_mark": c.pass_mark,
        "sessions": [_session(s) for s in queries.sessions_of(c)],
        "enrolment": _enrolment(enrolment) if enrolment else None,
    }


def _attempt(a: LearningAttempt) -> dict:
    submitted = a.status == LearningAttempt.Status.SUBMITTED
    answers = a.answers or {}
    questions = []
    for q in queries.attempt_questions(a):
        given = answers.get(str(q.pk), "")
        item = {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options, "given": given}
        if submitted:
            item |= {
                "answer": q.answer,
                "correct": rules.is_correct(q.kind, q.answer, given),
                "explanation": q.explanation,
            }
        questions.append(item)
    return {
        "id": a.pk,
        "course_id": a.enrolment.course_id,
        "number": a.number,
        "status": a.status,
        "started_at": a.started_at,
        "deadline": a.deadline,
        "submitted_at": a.submitted_at,
        "closed_by": a.closed_by,
        "score": a.score,
        "passed": a.passed,
        "questions": questions,
    }


def _certificate(c: LearningCertificate) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "course_id": c.enrolment.course_id,
        "course_title": c.enrolment.course.title,
        "issued_on": c.issued_on,
        "revoked": c.revoked,
        "revoke_reason": c.revoke_reason,
    }


def _plan(p: LearningPlan) -> dict:
    return {
        "id": p.pk,
        "org_unit_id": p.org_unit_id,
        "org_unit_name": p.org_unit.name,
        "year": p.year,
        "title": p.title,
        "audience": p.audience,
        "audience_label": str(p.get_audience_display()),
        "hours_target": p.hours_target,
    }


def _own_enrolment(user, course) -> LearningEnrolment:
    enrolment = queries.enrolment_of(user, course)
    if enrolment is None:
        raise Http404
    return enrolment


def _scope_units(user):
    return queries.scope_unit_records(user)


# --- members -------------------------------------------------------------------------------------


@router.get("/courses", response=page_schema(LearningCourseOut, name="LearningCoursePage"))
def list_courses(request, paging: Query[PageParams]):
    """Published courses open to the caller's unit."""
    _require_member(request)
    return api_page(
        queries.courses_for_worker(request.user), paging.page, paging.per_page, transform=_course
    )


@router.get("/courses/{int:course_id}", response=LearningCourseDetail)
def get_course(request, course_id: Id):
    _require_reader(request)
    return _course_detail(request.user, queries.access_course(request.user, course_id))


@router.post("/courses/{int:course_id}/enrol", response={201: LearningEnrolmentOut})
def enrol(request, course_id: Id, payload: LearningEnrolIn):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    session = None
    if payload.session_id is not None:
        session = record_in_body(course.sessions.all(), payload.session_id, "session_id")
    enrolment = actions.do_enrol_learning(actor=request.user, course=course, session=session)
    return Status(201, _enrolment(enrolment))


@router.post("/courses/{int:course_id}/done", response=LearningEnrolmentOut)
def finish_material(request, course_id: Id):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request.user, course)
    actions.do_finish_learning_material(actor=request.user, enrolment=enrolment)
    return _enrolment(enrolment)


@router.post("/courses/{int:course_id}/rate", response=LearningEnrolmentOut)
def rate(request, course_id: Id, payload: LearningRateIn):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request.user, course)
    return _enrolment(
        actions.do_rate_learning_course(
            actor=request.user, enrolment=enrolment, rating=payload.rating
        )
    )


@router.get("/enrolments", response=page_schema(LearningEnrolmentOut, name="LearningEnrolmentPage"))
def my_enrolments(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        queries.my_enrolments(request.user), paging.page, paging.per_page, transform=_enrolment
    )


@router.get("/record", response=LearningRecordOut)
def my_record(request, year: Year | None = None):
    """The caller's hours of a year against the target of her plans, and her certificates."""
    _require_member(request)
    year = year or timezone.localdate().year
    plans = queries.plans_for(request.user, year)
    hours = queries.yearly_hours(request.user, year)
    target = rules.target_for(p.hours_target for p in plans)
    return {
        "year": year,
        "hours": hours,
        "target": target,
        "met": target is not None and hours >= target,
        "plans": [_plan(p) for p in plans],
        "certificates": [_certificate(c) for c in queries.my_certificates(request.user)],
    }


@router.post("/courses/{int:course_id}/attempts", response={201: LearningAttemptOut})
def start_attempt(request, course_id: Id):
    """Start the course's test (or return the attempt still running): its questions, its
    deadline."""
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request.user, course)
    attempt = test_actions.do_start_learning_attempt(actor=request.user, enrolment=enrolment)
    return Status(201, _attempt(attempt))


@router.get("/attempts/{int:attempt_id}", response=LearningAttemptOut)
def get_attempt(request, attempt_id: Id):
    """An attempt; one past its deadline is closed and scored by the server on this read."""
    _require_member(request)
    return _attempt(queries.access_own_attempt(request.user, attempt_id))


@router.post("/attempts/{int:attempt_id}/answer", response=LearningAttemptOut)
def answer(request, attempt_id: Id, payload: LearningAnswerIn):
    """Save one answer; refused (409) at and after the deadline."""
    _require_member(request)
    attempt = queries.access_own_attempt(request.user, attempt_id)
    attempt = test_actions.do_answer_learning_attempt(
        actor=request.user, attempt=attempt, question_id=payload.question_id, answer=payload.answer
    )
    return _attempt(attempt)


@router.post("/attempts/{int:attempt_id}/submit", response=LearningAttemptOut)
def submit(request, attempt_id: Id, payload: LearningSubmitIn):
    _require_member(request)
    attempt = queries.access_own_attempt(request.user, attempt_id)
    attempt = test_actions.do_submit_learning_attempt(
        actor=request.user, attempt=attempt, answers=payload.answers
    )
    return _attempt(attempt)


# --- the desk ------------------------------------------------------------------------------------


def _desk_course(user, course_id) -> LearningCourse:
    _require_manager(user)
    return queries.access_managed_course(user, course_id)


@router.get("/desk/courses", response=page_schema(LearningCourseOut, name="LearningDeskCoursePage"))
def desk_courses(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_courses(request.user), paging.page, paging.per_page, transform=_course
    )


@router.post("/desk/courses", response={201: LearningCourseDetail})
def create_course(request, payload: LearningCourseIn):
    _require_manager(request.user)
    org_unit = record_in_body(_scope_units(request.user), payload.org_unit_id, "org_unit_id")
    data = payload.dict()
    data.pop("org_unit_id")
    course = actions.do_create_learning_course(actor=request.user, org_unit=org_unit, **data)
    return Status(201, _course_detail(request.user, course))


add_step_routes(
    router,
    LEARNING_COURSE,
    path="/desk/courses/{int:course_id}",
    access=_desk_course,
    record_arg="course",
    response=LearningCourseDetail,
    result=_course_detail,
    names=["publish", "close"],
    schemas={"publish": None, "close": None},
    function_names={"publish": "publish_course", "close": "close_course"},
)


@router.post("/desk/courses/{int:course_id}/sessions", response={201: LearningSessionOut})
def add_session(request, course_id: Id, payload: LearningSessionIn):
    course = _desk_course(request.user, course_id)
    session = actions.do_add_learning_session(actor=request.user, course=course, **payload.dict())
    return Status(201, _session(session))


@router.post("/desk/courses/{int:course_id}/assign", response=LearningAssignOut)
def assign(request, course_id: Id, payload: LearningAssignIn):
    """Assign the course to a unit's subtree (org_unit_id) or to members by 工号."""
    course = _desk_course(request.user, course_id)
    if payload.org_unit_id is not None:
        unit = record_in_body(_scope_units(request.user), payload.org_unit_id, "org_unit_id")
        workers = queries.member_users(request.user, unit=unit)
    else:
        workers = queries.member_users(
            request.user, employee_nos=[n.strip()[:32] for n in payload.employee_nos]
        )
    created = actions.do_assign_learning(actor=request.user, course=course, workers=workers)
    return {"assigned": len(created)}


@router.get(
    "/desk/courses/{int:course_id}/enrolments",
    response=page_schema(LearningEnrolmentOut, name="LearningDeskEnrolmentPage"),
)
def course_enrolments(request, course_id: Id, paging: Query[PageParams]):
    course = _desk_course(request.user, course_id)
    return api_page(
        queries.enrolments_of(course), paging.page, paging.per_page, transform=_enrolment
    )


def _desk_session(user, session_id) -> LearningSession:
    _require_manager(user)
    return queries.access_managed_session(user, session_id)


@router.post("/desk/sessions/{int:session_id}/checkin", response=LearningEnrolmentOut)
def checkin(request, session_id: Id, payload: LearningTokenIn):
    """Check a member in by the token of her QR code (or the link it holds)."""
    session = _desk_session(request.user, session_id)
    enrolment, _new = actions.do_check_in_learning_token(
        actor=request.user, session=session, token=payload.token
    )
    return _enrolment(enrolment)


@router.post("/desk/sessions/{int:session_id}/attend", response=LearningEnrolmentOut)
def attend(request, session_id: Id, payload: LearningAttendIn):
    """Roll call: tick an enrolled member present."""
    session = _desk_session(request.user, session_id)
    enrolment, _new = actions.do_check_in_learning(
        actor=request.user, session=session, enrolment_id=payload.enrolment_id
    )
    return _enrolment(enrolment)


@router.post("/desk/certificates/{int:certificate_id}/revoke", response=LearningCertificateOut)
def revoke(request, certificate_id: Id, payload: LearningRevokeIn):
    _require_manager(request.user)
    certificate = queries.access_managed_certificate(request.user, certificate_id)
    return _certificate(
        actions.do_revoke_learning_certificate(
            actor=request.user, certificate=certificate, reason=payload.reason
        )
    )


@router.get("/desk/plans", response=page_schema(LearningPlanOut, name="LearningPlanPage"))
def plans(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_plans(request.user), paging.page, paging.per_page, transform=_plan
    )


@router.post("/desk/plans", response={201: LearningPlanOut})
def create_plan(request, payload: LearningPlanIn):
    _require_manager(request.user)
    org_unit = record_in_body(_scope_units(request.user), payload.org_unit_id, "org_unit_id")
    data = payload.dict()
    data.pop("org_unit_id")
    plan = actions.do_create_learning_plan(actor=request.user, org_unit=org_unit, **data)
    return Status(201, _plan(plan))


@router.get("/desk/report", response=page_schema(LearningReportRowOut, name="LearningReportPage"))
def report(request, paging: Query[PageParams], year: Year | None = None, unit_id: Id | None = None):
    """The completion report: per 在册 member of the caller's scope (or of a unit's subtree)
    who had joined by the year's end, courses enrolled on and completed in the year, hours
    credited, target, met."""
    _require_manager(request.user)
    year = year or timezone.localdate().year
    unit = None
    if unit_id is not None:
        unit = record_in_body(_scope_units(request.user), unit_id, "unit_id")
    members = queries.report_members(request.user, unit, year)
    envelope = api_page(members, paging.page, paging.per_page)
    envelope["items"] = [asdict(r) for r in queries.report_rows(envelope["items"], year)]
    return envelope
