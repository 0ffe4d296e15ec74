"""API of the congress bodies between sessions, mounted at /api/v1/congress/bodies.

Working groups: GET /groups (visible), GET /groups/{group_id}, POST /groups/{group_id}/tasks
(the congress office), POST /tasks/{task_id}/complete (the office or a member of the group).
Duty reports (述职): GET /reports (visible: the office's, her own, her constituents'),
POST /reports (the representative, for the current term year), GET /reports/{report_id},
POST /reports/{report_id}/rating (a constituent, once).
Supervisors' observations: GET /observations (visible), POST /observations (the supervisor),
GET /observations/{observation_id}, POST /observations/{observation_id}/answer|close.
Out-of-scope records are 404; errors are {"detail": ...}.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhijia.congress.actions import bodies as actions
from zhijia.congress.queries import bodies as queries
from zhijia.congress.workflows import GROUP_TASK, OBSERVATION
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.workflow import available_transitions

router = Router(tags=["congress-bodies"])


class CongressGroupSummary(Schema):
    id: int
    term_id: Id
    kind: str
    kind_label: str
    name: str
    head_name: str


class CongressGroupTaskOut(Schema):
    id: int
    title: str
    due_date: dt.date
    state: str
    state_label: str
    result: str
    escalation_level: int
    actions: list[str]


class CongressGroupDetail(CongressGroupSummary):
    duties: str
    members: list[str]
    tasks: list[CongressGroupTaskOut]
    can_manage: bool


class CongressGroupTaskIn(Schema):
    title: str
    due_date: Date


class CongressGroupTaskResultIn(Schema):
    result: str


class CongressDutyReportOut(Schema):
    id: int
    representative_id: Id
    representative_name: str
    unit_name: str
    year_start: dt.date
    text: str
    filed_at: datetime
    may_rate: bool
    my_rating: str


class CongressDutyReportIn(Schema):
    representative_id: Id
    text: str


class CongressDutyRatingIn(Schema):
    rating: Satisfaction
    comment: str = ""


class CongressObservationOut(Schema):
    id: int
    appointment_id: Id
    supervisor_name: str
    unit_name: str
    subject: str
    text: str
    place: str
    observed_on: dt.date
    state: str
    state_label: str
    answer: str
    deadline_at: datetime | None
    actions: list[str]


class CongressObservationIn(Schema):
    appointment_id: Id
    subject: str
    text: str
    place: str = ""
    observed_on: Date


class CongressObservationAnswerIn(Schema):
    answer: str


# --- serialisation -------------------------------------------------------------------------------


def _group(g) -> dict:
    return {
        "id": g.pk,
        "term_id": g.term_id,
        "kind": g.kind,
        "kind_label": g.get_kind_display(),
        "name": g.name,
        "head_name": g.head.member.name if g.head else "",
    }


def _group_detail(user, group) -> dict:
    group = queries.access_group(user, group.pk)
    return {
        **_group(group),
        "duties": group.duties,
        "members": [m.representative.member.name for m in queries.members_of(group)],
        "tasks": [
            {
                "id": t.pk,
                "title": t.title,
                "due_date": t.due_date,
                "state": t.state,
                "state_label": GROUP_TASK.state_label(t.state),
                "result": t.result,
                "escalation_level": t.escalation_level,
                "actions": [x.name for x in available_transitions(GROUP_TASK, t, user)],
            }
            for t in queries.tasks_of(group)
        ],
        "can_manage": queries.can_manage(user, group.org_unit),
    }


def _report(user, r) -> dict:
    rating = queries.rating_of(user, r)
    return {
        "id": r.pk,
        "representative_id": r.representative_id,
        "representative_name": r.representative.member.name,
        "unit_name": str(r.org_unit),
        "year_start": r.year_start,
        "text": r.text,
        "filed_at": r.filed_at,
        "may_rate": rating is None and queries.may_rate(user, r),
        "my_rating": rating.rating if rating else "",
    }


def _observation(user, o) -> dict:
    return {
        "id": o.pk,
        "appointment_id": o.appointment_id,
        "supervisor_name": o.appointment.member.name,
        "unit_name": str(o.org_unit),
        "subject": o.subject,
        "text": o.text,
        "place": o.place,
        "observed_on": o.observed_on,
        "state": o.state,
        "state_label": OBSERVATION.state_label(o.state),
        "answer": o.answer,
        "deadline_at": o.deadline_at,
        "actions": [t.name for t in available_transitions(OBSERVATION, o, user)],
    }


# --- working groups -------------------------------------------------------------------------------


@router.get("/groups", response=page_schema(CongressGroupSummary, name="CongressGroupPage"))
def list_congress_groups(request, paging: Query[PageParams]):
    return api_page(
        queries.groups_visible_to(request.user), paging.page, paging.per_page, transform=_group
    )


@router.get("/groups/{int:group_id}", response=CongressGroupDetail)
def get_congress_group(request, group_id: Id):
    return _group_detail(request.user, queries.access_group(request.user, group_id))


@router.post("/groups/{int:group_id}/tasks", response={201: CongressGroupDetail})
def add_congress_group_task(request, group_id: Id, payload: CongressGroupTaskIn):
    group = queries.access_group(request.user, group_id)
    actions.do_add_group_task(
        actor=request.user, group=group, title=payload.title, due_date=payload.due_date
    )
    return Status(201, _group_detail(request.user, group))


add_step_routes(
    router,
    GROUP_TASK,
    path="/tasks/{int:task_id}",
    access=queries.access_task,
    record_arg="task",
    response=CongressGroupDetail,
    result=lambda user, task: _group_detail(user, task.group),
    names=["complete"],
    schemas={"complete": CongressGroupTaskResultIn},
    function_names={"complete": "complete_congress_group_task"},
)


# --- duty reports ---------------------------------------------------------------------------------


@router.get("/reports", response=page_schema(CongressDutyReportOut, name="CongressDutyReportPage"))
def list_congress_duty_reports(request, paging: Query[PageParams]):
    user = request.user
    return api_page(
        queries.reports_visible_to(user).order_by("-year_start", "-id"),
        paging.page,
        paging.per_page,
        transform=lambda r: _report(user, r),
    )


@router.post("/reports", response={201: CongressDutyReportOut})
def file_congress_duty_report(request, payload: CongressDutyReportIn):
    user = request.user
    seat = record_in_body(
        queries.my_seats(user), payload.representative_id, "representative_id", _("代表不存在")
    )
    report = actions.do_file_duty_report(actor=user, representative=seat, text=payload.text)
    return Status(201, _report(user, queries.access_report(user, report.pk)))


@router.get("/reports/{int:report_id}", response=CongressDutyReportOut)
def get_congress_duty_report(request, report_id: Id):
    return _report(request.user, queries.access_report(request.user, report_id))


@router.post("/reports/{int:report_id}/rating", response={201: CongressDutyReportOut})
def rate_congress_duty_report(request, report_id: Id, payload: CongressDutyRatingIn):
    report = queries.access_report(request.user, report_id)
    actions.do_rate_duty_report(
        actor=request.user, report=report, rating=str(payload.rating), comment=payload.comment
    )
    return Status(201, _report(request.user, report))


# --- supervisors' observations --------------------------------------------------------------------


@router.get(
    "/observations", response=page_schema(CongressObservationOut, name="CongressObservationPage")
)
def list_congress_observations(request, paging: Query[PageParams]):
    user = request.user
    return api_page(
        queries.observations_visible_to(user).order_by("-created_at", "-id"),
        paging.page,
        paging.per_page,
        transform=lambda o: _observation(user, o),
    )


@router.post("/observations", response={201: CongressObservationOut})
def file_congress_observation(request, payload: CongressObservationIn):
    user = request.user
    appointment = record_in_body(
        queries.my_appointments(user), payload.appointment_id, "appointment_id", _("任命不存在")
    )
    observation = actions.do_file_observation(
        actor=user,
        appointment=appointment,
        subject=payload.subject,
        text=payload.text,
        place=payload.place,
        observed_on=payload.observed_on,
    )
    return Status(201, _observation(user, queries.access_observation(user, observation.pk)))


@router.get("/observations/{int:observation_id}", response=CongressObservationOut)
def get_congress_observation(request, observation_id: Id):
    return _observation(request.user, queries.access_observation(request.user, observation_id))


add_step_routes(
    router,
    OBSERVATION,
    path="/observations/{int:observation_id}",
    access=queries.access_observation,
    record_arg="observation",
    response=CongressObservationOut,
    result=lambda user, o: _observation(user, queries.access_observation(user, o.pk)),
    names=["answer", "close"],
    schemas={"answer": CongressObservationAnswerIn, "close": None},
    function_names={
        "answer": "answer_congress_observation",
        "close": "close_congress_observation",
    },
)
