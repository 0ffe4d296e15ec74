"""API of pregnancy and birth registrations, mounted at /api/v1/women. Same queries and
actions, so the same rules, as the pages; a committee member's read of a registration's
details is audited here as on the page.

Her:        GET /registrations, POST /registrations, GET /registrations/{id},
            POST /registrations/{id}/birth, POST /registrations/{id}/department-consent,
            POST /registrations/{id}/withdraw
Committee:  GET /committee/registrations (who registered, without the health details)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_types import Date, Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.women import privacy
from zhijia.women.actions import registrations as actions
from zhijia.women.models import Registration
from zhijia.women.queries import registrations as queries
from zhijia.women.queries.common import is_woman_member

router = Router(tags=["women-registrations"])


class WomenLeaveOut(Schema):
    days: int
    start: dt.date
    end: dt.date
    holiday_days: int


class WomenRegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_unit_id: int
    org_unit_name: str
    province_id: int
    province_name: str
    kind: str
    kind_label: str
    babies: int
    difficult: bool
    expected_date: dt.date | None
    birth_date: dt.date | None
    miscarriage_date: dt.date | None
    months_pregnant: int | None
    leave: WomenLeaveOut | None
    no_night_shift_from: dt.date | None
    nursing_until: dt.date | None
    nursing_minutes_per_day: int | None
    consented_at: dt.datetime
    department_consent: bool


class WomenRegistrationListOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_unit_id: int
    org_unit_name: str
    created_at: dt.datetime


class WomenRegistrationIn(Schema):
    kind: Literal["pregnancy", "birth", "miscarriage"]
    province_id: Id
    consent: bool = Field(..., description="她本人对登记与使用的明确同意；须为 true")
    department_consent: bool = False
    babies: int = Field(1, ge=1, le=6)
    difficult: bool = False
    expected_date: Date | None = None
    birth_date: Date | None = None
    miscarriage_date: Date | None = None
    months_pregnant: int | None = Field(None, ge=1, le=10)


class WomenBirthIn(Schema):
    birth_date: Date
    babies: int = Field(1, ge=1, le=6)
    difficult: bool = False


class WomenConsentIn(Schema):
    consent: bool


def _registration(r: Registration) -> dict:
    details = r.get_details()
    ent = queries.entitlements_of(r, details)
    leave = ent.leave
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "member_name": r.member.name,
        "org_unit_id": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
        "province_id": r.province_id,
        "province_name": r.province.name,
        "kind": details.kind,
        "kind_label": details.kind_label,
        "babies": details.babies,
        "difficult": details.difficult,
        "expected_date": details.expected_date,
        "birth_date": details.birth_date,
        "miscarriage_date": details.miscarriage_date,
        "months_pregnant": details.months_pregnant,
        "leave": None
        if leave is None
        else {
            "days": leave.days,
            "start": leave.start,
            "end": leave.end,
            "holiday_days": leave.holiday_days,
        },
        "no_night_shift_from": ent.no_night_shift_from,
        "nursing_until": ent.nursing_until,
        "nursing_minutes_per_day": ent.nursing_minutes,
        "consented_at": r.consented_at,
        "department_consent": r.department_consent,
    }


def _list_row(r: Registration) -> dict:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "member_name": r.member.name,
        "org_unit_id": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
        "created_at": r.created_at,
    }


def _read(user, registration_id) -> Registration:
    registration = queries.access_registration(user, registration_id)
    privacy.record_registration_read(user, registration)
    return registration


def _require_woman(request) -> None:
    if not is_woman_member(request.user):
        raise PermissionDenied


@router.get(
    "/registrations",
    response=page_schema(WomenRegistrationOut, name="WomenRegistrationPage"),
)
def my_registrations(request, paging: Query[PageParams]):
    """The caller's own registrations with her entitlements."""
    _require_woman(request)
    return api_page(
        queries.my_registrations(request.user).select_related("member"),
        paging.page,
        paging.per_page,
        transform=_registration,
    )


@router.post("/registrations", response={201: WomenRegistrationOut})
def register(request, payload: WomenRegistrationIn):
    """She registers a pregnancy, a birth or a miscarriage, with her consent."""
    _require_woman(request)
    registration = actions.do_register_pregnancy(
        actor=request.user,
        kind=payload.kind,
        province=payload.province_id,
        consent=payload.consent,
        department_consent=payload.department_consent,
        babies=payload.babies,
        difficult=payload.difficult,
        expected_date=payload.expected_date,
        birth_date=payload.birth_date,
        miscarriage_date=payload.miscarriage_date,
        months_pregnant=payload.months_pregnant,
    )
    return Status(201, _registration(queries.access_registration(request.user, registration.pk)))


@router.get("/registrations/{int:registration_id}", response=WomenRegistrationOut)
def get_registration(request, registration_id: Id):
    """Hers, or one of the committee's units (the committee's read is audited)."""
    return _registration(_read(request.user, registration_id))


@router.post("/registrations/{int:registration_id}/birth", response=WomenRegistrationOut)
def record_birth(request, registration_id: Id, payload: WomenBirthIn):
    registration = queries.access_registration(request.user, registration_id)
    actions.do_record_birth(
        actor=request.user,
        registration=registration,
        birth_date=payload.birth_date,
        babies=payload.babies,
        difficult=payload.difficult,
    )
    return _registration(queries.access_registration(request.user, registration_id))


@router.post(
    "/registrations/{int:registration_id}/department-consent", response=WomenRegistrationOut
)
def department_consent(request, registration_id: Id, payload: WomenConsentIn):
    registration = queries.access_registration(request.user, registration_id)
    actions.do_set_department_consent(
        actor=request.user, registration=registration, consent=payload.consent
    )
    return _registration(queries.access_registration(request.user, registration_id))


@router.post("/registrations/{int:registration_id}/withdraw", response={204: None})
def withdraw(request, registration_id: Id):
    """She withdraws her consent: the registration is deleted."""
    registration = queries.access_registration(request.user, registration_id)
    actions.do_withdraw_registration(actor=request.user, registration=registration)
    return Status(204, None)


@router.get(
    "/committee/registrations",
    response=page_schema(WomenRegistrationListOut, name="WomenCommitteeRegistrationPage"),
)
def committee_registrations(request, paging: Query[PageParams]):
    """Who registered in the committee's units (no health details: open one to read them)."""
    if not queries.may_see_registrations(request.user):
        raise PermissionDenied
    return api_page(
        queries.visible_to(request.user), paging.page, paging.per_page, transform=_list_row
    )
