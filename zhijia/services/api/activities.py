"""API of activities and interest groups, mounted at /api/v1/services/activities (for the
mini-program). Same queries and actions, so the same rules, as the pages.

Members:  GET "" (open to me), GET /{id}, POST /{id}/register, GET /registrations (mine),
          GET /registrations/{id} (with the check-in token once registered),
          POST /registrations/{id}/cancel | /confirm | /decline | /rate
Cadres:   GET /manage, POST /manage, GET /manage/{id}, POST /manage/{id}/publish | /close |
          /cancel | /finish | /draw, GET /manage/{id}/registrations,
          POST /manage/{id}/checkin {token}, POST /manage/{id}/registrations/{rid}/checkin
Groups:   /clubs..., in api/clubs.py
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Code, Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import activities as actions
from zhijia.services.models import Activity, ActivityRegistration
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries

router = Router(tags=["services-activities"])

Capacity = Annotated[int, Field(ge=1, le=actions.MAX_CAPACITY)]
OfferHours = Annotated[int, Field(ge=1, le=actions.MAX_OFFER_HOURS)]


def _require_member(request) -> None:
    if queries.member_of(request.user) is None:
        raise PermissionDenied


# --- schemas --------------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    org_unit_id: int
    org_unit_name: str
    club_id: int | None
    audience: str
    capacity: int
    places_left: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    registration_open: bool
    fee: str
    draw: bool
    draw_seed: str
    drawn_at: dt.datetime | None
    offer_hours: int
    state: str
    state_label: str


class ActivityRegistrationOut(Schema):
    id: int
    activity_id: int
    activity_title: str
    starts_at: dt.datetime
    status: str
    status_label: str
    waiting_position: int | None
    offer_expires_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    rating: str
    checkin_token: str


class ActivityDetailOut(ActivityOut):
    registration: ActivityRegistrationOut | None


class ManagedActivityOut(ActivityOut):
    taken: int
    waiting: int
    applied: int
    attended: int


class ActivityRosterOut(Schema):
    id: int
    member_id: int
    member_name: str
    employee_no: str
    unit_name: str
    status: str
    status_label: str
    position: int | None
    registered_at: dt.datetime
    offer_expires_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    rating: str


class ActivityIn(Schema):
    title: str = Field(..., max_length=100)
    description: str = Field("", max_length=5000)
    kind: Literal["sports", "trip", "show", "lecture", "other"]
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = Field(..., max_length=200)
    org_unit_id: Id
    audience_unit_ids: list[Id] = Field(default_factory=list, max_length=200)
    club_id: Id | None = None
    capacity: Capacity
    opens_at: dt.datetime
    closes_at: dt.datetime
    fee: str = Field("", max_length=100)
    draw: bool = False
    offer_hours: OfferHours = 24


class ActivityCancelIn(Schema):
    reason: str = Field(..., max_length=200)


class ActivityRateIn(Schema):
    rating: Literal["satisfied", "basically", "dissatisfied"]


class ActivityCheckinIn(Schema):
    token: Code


class ActivityCheckinOut(Schema):
    registration_id: int
    member_name: str
    checked_in_at: dt.datetime
    already: bool
    attended: int


class ActivityDrawOut(Schema):
    seed: str
    winners: list[int]
    waiting: list[int]


# --- shaping --------------------------------------------------------------------------------------


def _activity(a: Activity) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "description": a.description,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "place": a.place,
        "org_unit_id": a.org_unit_id,
        "org_unit_name": a.org_unit.name,
        "club_id": a.club_id,
        "audience": queries.audience_label(a),
        "capacity": a.capacity,
        "places_left": queries.places_left(a),
        "opens_at": a.opens_at,
        "closes_at": a.closes_at,
        "registration_open": queries.registration_open(a),
        "fee": a.fee,
        "draw": a.draw,
        "draw_seed": a.draw_seed,
        "drawn_at": a.drawn_at,
        "offer_hours": a.offer_hours,
        "state": a.state,
        "state_label": a.state_label,
    }


def _managed(a: Activity) -> dict:
    return {**_activity(a), **queries.counts_of(a)}


def _registration(r: ActivityRegistration) -> dict:
    registered = r.status == ActivityRegistration.Status.REGISTERED
    return {
        "id": r.pk,
        "activity_id": r.activity_id,
        "activity_title": r.activity.title,
        "starts_at": r.activity.starts_at,
        "status": r.status,
        "status_label": r.get_status_display(),
        "waiting_position": queries.waiting_position(r),
        "offer_expires_at": r.offer_expires_at,
        "checked_in_at": r.checked_in_at,
        "rating": r.rating,
        "checkin_token": actions.checkin_token(r) if registered else "",
    }


def _roster(r: ActivityRegistration) -> dict:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "member_name": r.member.name,
        "employee_no": r.member.employee_no,
        "unit_name": r.member.org_unit.name,
        "status": r.status,
        "status_label": r.get_status_display(),
        "position": r.position,
        "registered_at": r.registered_at,
        "offer_expires_at": r.offer_expires_at,
        "checked_in_at": r.checked_in_at,
        "rating": r.rating,
    }


def _detail(request, a: Activity) -> dict:
    reg = queries.registration_of(request.user, a)
    return {**_activity(a), "registration": _registration(reg) if reg else None}


def _mine(request, registration_id: int) -> dict:
    return _registration(queries.access_my_registration(request.user, registration_id))


# --- members --------------------------------------------------------------------------------------


class ActivityListParams(PageParams):
    past: bool = False


@router.get("", response=page_schema(ActivityOut, name="ActivityPage"))
def list_activities(request, params: Query[ActivityListParams]):
    """Published activities open to the caller: upcoming first (past=true: the past ones)."""
    _require_member(request)
    return api_page(
        queries.activities_for_member(request.user, upcoming=not params.past),
        params.page,
        params.per_page,
        transform=_activity,
    )


@router.get("/registrations", response=page_schema(ActivityRegistrationOut))
def my_registrations(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        queries.my_registrations(request.user),
        paging.page,
        paging.per_page,
        transform=_registration,
    )


@router.get("/registrations/{int:registration_id}", response=ActivityRegistrationOut)
def get_registration(request, registration_id: Id):
    """One of the caller's registrations; once registered, its `checkin_token` is what the QR
    code shows."""
    return _mine(request, registration_id)


@router.post("/registrations/{int:registration_id}/cancel", response=ActivityRegistrationOut)
def cancel_registration(request, registration_id: Id):
    reg = queries.access_my_registration(request.user, registration_id)
    actions.do_cancel_activity_registration(actor=request.user, registration=reg)
    return _mine(request, registration_id)


@router.post("/registrations/{int:registration_id}/confirm", response=ActivityRegistrationOut)
def confirm_offer(request, registration_id: Id):
    reg = queries.access_my_registration(request.user, registration_id)
    actions.do_confirm_activity_offer(actor=request.user, registration=reg)
    return _mine(request, registration_id)


@router.post("/registrations/{int:registration_id}/decline", response=ActivityRegistrationOut)
def decline_offer(request, registration_id: Id):
    reg = queries.access_my_registration(request.user, registration_id)
    actions.do_decline_activity_offer(actor=request.user, registration=reg)
    return _mine(request, registration_id)


@router.post("/registrations/{int:registration_id}/rate", response=ActivityRegistrationOut)
def rate(request, registration_id: Id, payload: ActivityRateIn):
    reg = queries.access_my_registration(request.user, registration_id)
    actions.do_rate_activity(actor=request.user, registration=reg, rating=payload.rating)
    return _mine(request, registration_id)


# --- cadres ---------------------------------------------------------------------------------------


class ActivityManageParams(PageParams):
    state: Literal["", "draft", "published", "closed", "finished", "cancelled"] = ""
    q: str = Field("", max_length=50)


@router.get("/manage", response=page_schema(ManagedActivityOut))
def manage_list(request, params: Query[ActivityManageParams]):
    """The activities of the units in the cadre's scope."""
    return api_page(
        queries.managed_activities(request.user, state=params.state, q=params.q),
        params.page,
        params.per_page,
        transform=_managed,
    )


def _fields(request, payload: ActivityIn) -> dict:
    units = queries.manageable_units(request.user)
    data = payload.dict()
    org_unit = record_in_body(units, data.pop("org_unit_id"), "org_unit_id")
    audience = [
        record_in_body(units, pk, "audience_unit_ids") for pk in data.pop("audience_unit_ids")
    ]
    club_id = data.pop("club_id")
    club = (
        record_in_body(club_queries.manageable_clubs(request.user), club_id, "club_id")
        if club_id
        else None
    )
    return {**data, "org_unit": org_unit, "audience_units": audience, "club": club}


@router.post("/manage", response={201: ManagedActivityOut})
def create_activity(request, payload: ActivityIn):
    """Draft an activity (published by POST /manage/{id}/publish)."""
    if not queries.may_manage(request.user):
        raise PermissionDenied
    activity = actions.do_create_activity(actor=request.user, **_fields(request, payload))
    return Status(201, _managed(queries.access_managed_activity(request.user, activity.pk)))


@router.get("/manage/{int:activity_id}", response=ManagedActivityOut)
def manage_get(request, activity_id: Id):
    return _managed(queries.access_managed_activity(request.user, activity_id))


def _managed_step(request, activity_id: int, call) -> dict:
    activity = queries.access_managed_activity(request.user, activity_id)
    call(activity)
    return _managed(queries.access_managed_activity(request.user, activity_id))


@router.post("/manage/{int:activity_id}/publish", response=ManagedActivityOut)
def publish(request, activity_id: Id):
    return _managed_step(
        request,
        activity_id,
        lambda a: actions.do_publish_activity(actor=request.user, activity=a),
    )


@router.post("/manage/{int:activity_id}/close", response=ManagedActivityOut)
def close(request, activity_id: Id):
    return _managed_step(
        request,
        activity_id,
        lambda a: actions.do_close_activity_registration(actor=request.user, activity=a),
    )


@router.post("/manage/{int:activity_id}/finish", response=ManagedActivityOut)
def finish(request, activity_id: Id):
    return _managed_step(
        request,
        activity_id,
        lambda a: actions.do_finish_activity(actor=request.user, activity=a),
    )


@router.post("/manage/{int:activity_id}/cancel", response=ManagedActivityOut)
def cancel(request, activity_id: Id, payload: ActivityCancelIn):
    return _managed_step(
        request,
        activity_id,
        lambda a: actions.do_cancel_activity(actor=request.user, activity=a, reason=payload.reason),
    )


@router.post("/manage/{int:activity_id}/draw", response=ActivityDrawOut)
def draw(request, activity_id: Id):
    """Draw the places from the published seed (member ids, sorted, shuffled by the seed)."""
    activity = queries.access_managed_activity(request.user, activity_id)
    result = actions.do_draw_activity(actor=request.user, activity=activity)
    return {"seed": activity.draw_seed, "winners": result.winners, "waiting": result.waiting}


@router.get("/manage/{int:activity_id}/registrations", response=page_schema(ActivityRosterOut))
def registrations(request, activity_id: Id, paging: Query[PageParams]):
    activity = queries.access_managed_activity(request.user, activity_id)
    return api_page(
        queries.registrations_of(activity), paging.page, paging.per_page, transform=_roster
    )


def _checked(activity, result) -> dict:
    reg, new = result
    return {
        "registration_id": reg.pk,
        "member_name": reg.member.name,
        "checked_in_at": reg.checked_in_at,
        "already": not new,
        "attended": queries.attendance_of(activity).count(),
    }


@router.post("/manage/{int:activity_id}/checkin", response=ActivityCheckinOut)
def checkin(request, activity_id: Id, payload: ActivityCheckinIn):
    """Check in by the token of a member's QR code; the same token again records nothing more
    (`already`: true), so a client on a flaky network may retry."""
    activity = queries.access_managed_activity(request.user, activity_id)
    result = actions.do_check_in_activity_token(
        actor=request.user, activity=activity, token=payload.token
    )
    return _checked(activity, result)


@router.post(
    "/manage/{int:activity_id}/registrations/{int:registration_id}/checkin",
    response=ActivityCheckinOut,
)
def checkin_by_list(request, activity_id: Id, registration_id: Id):
    activity = queries.access_managed_activity(request.user, activity_id)
    result = actions.do_check_in_activity(
        actor=request.user, activity=activity, registration_id=registration_id
    )
    return _checked(activity, result)


# Last: "/{activity_id}" after the fixed paths above.


@router.get("/{int:activity_id}", response=ActivityDetailOut)
def get_activity(request, activity_id: Id):
    """An activity with the caller's registration, if any."""
    return _detail(request, queries.access_activity(request.user, activity_id))


@router.post("/{int:activity_id}/register", response={201: ActivityRegistrationOut})
def register(request, activity_id: Id):
    """Register: a place while there is one, else the waiting list; an application for a draw."""
    _require_member(request)
    activity = queries.access_activity(request.user, activity_id)
    reg = actions.do_register_activity(actor=request.user, activity=activity)
    return Status(201, _mine(request, reg.pk))
