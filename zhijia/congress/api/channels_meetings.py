"""API of the participation channels' meetings, mounted at /api/v1/congress/channels with
the reception days and hearings (api/channels.py).

Deliberation meetings and consultation talks (议事协商会议, the cadres'): GET/POST /meetings,
GET /meetings/{meeting_id}, POST /meetings/{meeting_id}/minutes (the minutes and the decisions
that become tracked items). Sitting in on management meetings (职工代表列席): GET/POST
/sit-ins (the office's and the representative's own), GET /sit-ins/missing-reports (the
office's), GET /sit-ins/{sitin_id}, POST /sit-ins/seats/{seat_id}/report (the representative
who sat in). Out-of-scope records are 404; errors are {"detail": ...}.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from zhijia.congress.actions import channels_meetings as actions
from zhijia.congress.queries import channels as queries
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["congress-channels"])


class CongressMeetingOut(Schema):
    id: int
    unit_id: Id
    unit_name: str
    kind: str
    kind_label: str
    title: str
    held_on: dt.date
    has_minutes: bool


class CongressMeetingDecisionOut(Schema):
    id: int
    title: str
    department_name: str
    state: str
    state_label: str


class CongressMeetingDetail(CongressMeetingOut):
    agenda: str
    participants: list[str]
    minutes: str
    decisions: list[CongressMeetingDecisionOut]


class CongressMeetingIn(Schema):
    unit_id: Id
    kind: Literal["deliberation", "consultation"]
    title: str
    held_on: Date
    agenda: str
    participant_ids: list[Id] = Field(default_factory=list, max_length=200)


class CongressMeetingDecisionIn(Schema):
    title: str
    department_id: Id


class CongressMinutesIn(Schema):
    minutes: str
    decisions: list[CongressMeetingDecisionIn] = Field(default_factory=list, max_length=50)


class CongressSitInOut(Schema):
    id: int
    unit_id: Id
    unit_name: str
    title: str
    held_on: dt.date
    body: str


class CongressSitInSeatOut(Schema):
    id: int
    sitin_id: Id
    member_name: str
    report: str
    reported: bool


class CongressSitInDetail(CongressSitInOut):
    seats: list[CongressSitInSeatOut]


class CongressSitInIn(Schema):
    unit_id: Id
    title: str
    held_on: Date
    body: str
    representative_ids: list[Id] = Field(..., min_length=1, max_length=200)


class CongressSitInReportIn(Schema):
    report: str


def _meeting(m) -> dict:
    return {
        "id": m.pk,
        "unit_id": m.org_unit_id,
        "unit_name": m.org_unit.name,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "title": m.title,
        "held_on": m.held_on,
        "has_minutes": m.minutes_at is not None,
    }


def _meeting_detail(m) -> dict:
    return {
        **_meeting(m),
        "agenda": m.agenda,
        "participants": [p.name for p in m.participants.order_by("pk")],
        "minutes": m.minutes,
        "decisions": [
            {
                "id": d.pk,
                "title": d.title,
                "department_name": d.department.name,
                "state": d.state,
                "state_label": d.state_label,
            }
            for d in m.decisions.select_related("department").order_by("pk")
        ],
    }


def _sitin(s) -> dict:
    return {
        "id": s.pk,
        "unit_id": s.org_unit_id,
        "unit_name": s.org_unit.name,
        "title": s.title,
        "held_on": s.held_on,
        "body": s.body,
    }


def _seat(seat) -> dict:
    return {
        "id": seat.pk,
        "sitin_id": seat.sitin_id,
        "member_name": seat.member.name,
        "report": seat.report,
        "reported": seat.reported_at is not None,
    }


def _sitin_detail(s) -> dict:
    return {**_sitin(s), "seats": [_seat(x) for x in s.seats.select_related("member")]}


def _manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _members(request, ids: list[int], field: str) -> list:
    members = queries.unit_members(request.user)
    return [record_in_body(members, pk, field) for pk in dict.fromkeys(ids)]


@router.get("/meetings", response=page_schema(CongressMeetingOut, name="CongressMeetingPage"))
def list_meetings(request, paging: Query[PageParams]):
    _manager(request)
    return api_page(
        queries.deliberations_managed(request.user),
        paging.page,
        paging.per_page,
        transform=_meeting,
    )


@router.post("/meetings", response={201: CongressMeetingDetail})
def plan_meeting(request, payload: CongressMeetingIn):
    _manager(request)
    unit = record_in_body(queries.manage_units(request.user), payload.unit_id, "unit_id")
    meeting = actions.do_plan_deliberation(
        actor=request.user,
        unit=unit,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        agenda=payload.agenda,
        participants=_members(request, payload.participant_ids, "participant_ids"),
    )
    return Status(201, _meeting_detail(meeting))


@router.get("/meetings/{int:meeting_id}", response=CongressMeetingDetail)
def get_meeting(request, meeting_id: Id):
    return _meeting_detail(queries.access_meeting(request.user, meeting_id))


@router.post("/meetings/{int:meeting_id}/minutes", response=CongressMeetingDetail)
def record_meeting_minutes(request, meeting_id: Id, payload: CongressMinutesIn):
    meeting = queries.access_meeting(request.user, meeting_id)
    decisions = [
        (d.title, record_in_body(queries.departments(), d.department_id, "decisions"))
        for d in payload.decisions
    ]
    actions.do_record_minutes(
        actor=request.user, meeting=meeting, minutes=payload.minutes, decisions=decisions
    )
    return _meeting_detail(queries.access_meeting(request.user, meeting_id))


@router.get("/sit-ins", response=page_schema(CongressSitInOut, name="CongressSitInPage"))
def list_sitins(request, paging: Query[PageParams]):
    return api_page(
        queries.sitins_visible_to(request.user), paging.page, paging.per_page, transform=_sitin
    )


@router.post("/sit-ins", response={201: CongressSitInDetail})
def plan_sitin(request, payload: CongressSitInIn):
    _manager(request)
    unit = record_in_body(queries.manage_units(request.user), payload.unit_id, "unit_id")
    sitin = actions.do_plan_sitin(
        actor=request.user,
        unit=unit,
        title=payload.title,
        held_on=payload.held_on,
        body=payload.body,
        representatives=_members(request, payload.representative_ids, "representative_ids"),
    )
    return Status(201, _sitin_detail(sitin))


@router.get(
    "/sit-ins/missing-reports",
    response=page_schema(CongressSitInSeatOut, name="CongressSitInSeatPage"),
)
def list_missing_reports(request, paging: Query[PageParams]):
    _manager(request)
    return api_page(
        queries.missing_reports(request.user).order_by("sitin__held_on", "pk"),
        paging.page,
        paging.per_page,
        transform=_seat,
    )


@router.get("/sit-ins/{int:sitin_id}", response=CongressSitInDetail)
def get_sitin(request, sitin_id: Id):
    return _sitin_detail(queries.access_sitin(request.user, sitin_id))


@router.post("/sit-ins/seats/{int:seat_id}/report", response=CongressSitInSeatOut)
def report_sitin(request, seat_id: Id, payload: CongressSitInReportIn):
    seat = queries.access_seat(request.user, seat_id)
    seat = actions.do_report_sitin(actor=request.user, seat=seat, report=payload.report)
    return _seat(seat)
