"""API of volunteering and donation drives, mounted at /api/v1/services/volunteering. Same
queries and actions, so the same rules, as the pages.

Members:  GET /projects, GET /projects/{id}, POST /shifts/{id}/signup, GET /signups,
          POST /signups/{id}/withdraw, GET /hours?year=, GET /drives, GET /drives/{id}
          (total raised and the thank-you list), POST /drives/{id}/pledge
Cadres:   /desk/projects (GET, POST), /desk/projects/{id}/shifts (POST), /{id}/publish,
          /{id}/finish, /{id}/cancel, /desk/shifts/{id}/signups (GET), /desk/signups/{id}/hours,
          /desk/signups/{id}/confirm, /desk/shifts/{id}/confirm (all at once),
          /desk/hours?year=&unit_id=, /desk/drives (GET, POST),
          /desk/drives/{id}/close, /desk/drives/{id}/donations (GET, POST),
          /desk/donations/{id}/confirm, /desk/donations/{id}/cancel
A project's leader uses the project, shift and hours routes of the desk for their project.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.org.models import OrgUnit
from zhijia.services.actions import volunteering as actions
from zhijia.services.models import (
    Donation,
    DonationDrive,
    VolunteerProject,
    VolunteerShift,
    VolunteerSignup,
)
from zhijia.services.queries import volunteering as queries
from zhijia.services.workflows import DONATION_DRIVE, VOLUNTEER_PROJECT

router = Router(tags=["services-volunteering"])


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


def _require_desk(user) -> None:
    if not queries.may_use_desk(user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


def _desk_project(user, project_id) -> VolunteerProject:
    _require_desk(user)
    return queries.access_managed_project(user, project_id)


def _desk_drive(user, drive_id) -> DonationDrive:
    _require_manager(user)
    return queries.access_managed_drive(user, drive_id)


# --- schemas --------------------------------------------------------------------------------------


class VolunteerShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    note: str
    places: int
    places_left: int
    signed_up: bool
    signup_id: int | None


class VolunteerProjectOut(Schema):
    id: int
    title: str
    description: str
    org_unit_id: int
    org_unit_name: str
    leader_name: str
    contact: str
    state: str
    state_label: str


class VolunteerProjectDetail(VolunteerProjectOut):
    shifts: list[VolunteerShiftOut]


class VolunteerSignupOut(Schema):
    id: int
    shift_id: int
    project_id: int
    project_title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str
    status_label: str
    hours: Decimal | None
    hours_status: str
    hours_status_label: str
    can_withdraw: bool


class VolunteerHoursOut(Schema):
    year: int
    confirmed: Decimal
    pending: Decimal


class VolunteerProjectIn(Schema):
    title: str = Field(..., max_length=100)
    description: str = Field("", max_length=5000)
    org_unit_id: Id
    audience_unit_ids: list[Id] = Field(default_factory=list, max_length=200)
    leader_employee_no: str = Field("", max_length=32)
    contact: str = Field("", max_length=100)


class VolunteerShiftIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = Field(..., max_length=200)
    places: int = Field(..., ge=1, le=500)
    note: str = Field("", max_length=300)


class VolunteerReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class VolunteerHoursIn(Schema):
    hours: Decimal | None = Field(None, ge=0, le=24, max_digits=3, decimal_places=1)
    reason: str = Field("", max_length=200)


class DeskSignupOut(VolunteerSignupOut):
    worker_name: str
    employee_no: str
    default_hours: Decimal
    hours_reason: str


class VolunteerYearRowOut(Schema):
    worker_id: int
    employee_no: str
    name: str
    org_unit_name: str
    shifts: int
    hours: Decimal


class ThankYouOut(Schema):
    name: str
    amount: Decimal | None
    goods: list[str]


class DonationDriveOut(Schema):
    id: int
    title: str
    purpose: str
    org_unit_id: int
    org_unit_name: str
    starts_on: dt.date
    ends_on: dt.date
    accepts_money: bool
    accepts_goods: bool
    show_amounts: bool
    state: str
    state_label: str
    raised: Decimal


class DonationDriveDetail(DonationDriveOut):
    open_for_donations: bool
    thank_you: list[ThankYouOut]


class DonationOut(Schema):
    id: int
    drive_id: int
    kind: str
    kind_label: str
    donor_name: str
    amount: Decimal | None
    goods: str
    donated_on: dt.date
    display: str
    status: str
    status_label: str
    ledger_entry_id: int | None


class PledgeIn(Schema):
    kind: Literal["money", "goods"]
    amount: Decimal | None = Field(None, gt=0, max_digits=10, decimal_places=2)
    goods: str = Field("", max_length=300)
    display: Literal["full", "masked", "hidden"] = "full"


class DonationIn(PledgeIn):
    donor_employee_no: str = Field("", max_length=32)
    donor_name: str = Field("", max_length=100)
    donated_on: Date | None = None


class DonationConfirmIn(Schema):
    received_on: Date | None = None


class DonationDriveIn(Schema):
    title: str = Field(..., max_length=100)
    purpose: str = Field(..., max_length=2000)
    org_unit_id: Id
    audience_unit_ids: list[Id] = Field(default_factory=list, max_length=200)
    starts_on: Date
    ends_on: Date
    accepts_money: bool = True
    accepts_goods: bool = False
    show_amounts: bool = False
    fund_id: Id | None = None


class HoursListParams(PageParams):
    year: Year | None = None
    unit_id: Id | None = None


# --- shaping --------------------------------------------------------------------------------------


def _project(p: VolunteerProject) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "description": p.description,
        "org_unit_id": p.org_unit_id,
        "org_unit_name": p.org_unit.name,
        "leader_name": p.leader.get_full_name() if p.leader is not None else "",
        "contact": p.contact,
        "state": p.state,
        "state_label": p.state_label,
    }


def _project_detail(user, p: VolunteerProject) -> dict:
    shifts = []
    for s in queries.shifts_of(p):
        signup = queries.active_signup(user, s)
        shifts.append(
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "place": s.place,
                "note": s.note,
                "places": s.places,
                "places_left": queries.places_left(s),
                "signed_up": signup is not None,
                "signup_id": signup.pk if signup else None,
            }
        )
    return {**_project(p), "shifts": shifts}


def _signup(s: VolunteerSignup) -> dict:
    shift = s.shift
    return {
        "id": s.pk,
        "shift_id": shift.pk,
        "project_id": shift.project_id,
        "project_title": shift.project.title,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "place": shift.place,
        "status": s.status,
        "status_label": s.get_status_display(),
        "hours": s.hours,
        "hours_status": s.hours_status,
        "hours_status_label": s.get_hours_status_display(),
        "can_withdraw": queries.can_withdraw(s),
    }


def _desk_signup(s: VolunteerSignup) -> dict:
    member = getattr(s.worker, "member_record", None)
    return {
        **_signup(s),
        "worker_name": member.name if member else s.worker.get_full_name(),
        "employee_no": member.employee_no if member else "",
        "default_hours": queries.default_hours(s.shift),
        "hours_reason": s.hours_reason,
    }


def _drive(d: DonationDrive) -> dict:
    return {
        "id": d.pk,
        "title": d.title,
        "purpose": d.purpose,
        "org_unit_id": d.org_unit_id,
        "org_unit_name": d.org_unit.name,
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
        "accepts_money": d.accepts_money,
        "accepts_goods": d.accepts_goods,
        "show_amounts": d.show_amounts,
        "state": d.state,
        "state_label": d.state_label,
        "raised": queries.raised(d),
    }


def _drive_detail(user, d: DonationDrive) -> dict:
    return {
        **_drive(d),
        "open_for_donations": queries.is_open_for_donations(d),
        "thank_you": [
            {
                "name": line.name,
                "amount": line.total if d.show_amounts else None,
                "goods": list(line.goods),
            }
            for line in queries.thank_you_list(d)
        ],
    }


def _donation(d: Donation) -> dict:
    return {
        "id": d.pk,
        "drive_id": d.drive_id,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "donor_name": d.donor_name,
        "amount": d.amount,
        "goods": d.goods,
        "donated_on": d.donated_on,
        "display": d.display,
        "status": d.status,
        "status_label": d.get_status_display(),
        "ledger_entry_id": d.ledger_entry_ref,
    }


def _scope_units(user):
    return queries.scope_units(user)


def _units(user, payload) -> tuple[OrgUnit, list[OrgUnit]]:
    units = _scope_units(user)
    org_unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    audience = [record_in_body(units, i, "audience_unit_ids") for i in payload.audience_unit_ids]
    return org_unit, audience


# --- members --------------------------------------------------------------------------------------


@router.get("/projects", response=page_schema(VolunteerProjectOut, name="VolunteerProjectPage"))
def list_projects(request, paging: Query[PageParams]):
    """Recruiting projects open to the caller's unit."""
    _require_member(request)
    return api_page(
        queries.projects_for_worker(request.user),
        paging.page,
        paging.per_page,
        transform=_project,
    )


@router.get("/projects/{int:project_id}", response=VolunteerProjectDetail)
def get_project(request, project_id: Id):
    _require_reader(request)
    project = queries.access_project(request.user, project_id)
    return _project_detail(request.user, project)


@router.post("/shifts/{int:shift_id}/signup", response={201: VolunteerSignupOut})
def sign_up(request, shift_id: Id):
    _require_member(request)
    shift = queries.access_shift_for_worker(request.user, shift_id)
    signup = actions.do_sign_up_volunteer(actor=request.user, shift=shift)
    return Status(201, _signup(queries.access_own_signup(request.user, signup.pk)))


@router.get("/signups", response=page_schema(VolunteerSignupOut, name="VolunteerSignupPage"))
def my_signups(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        queries.my_signups(request.user), paging.page, paging.per_page, transform=_signup
    )


@router.post("/signups/{int:signup_id}/withdraw", response=VolunteerSignupOut)
def withdraw(request, signup_id: Id):
    signup = queries.access_own_signup(request.user, signup_id)
    actions.do_withdraw_volunteer(actor=request.user, signup=signup)
    return _signup(queries.access_own_signup(request.user, signup_id))


@router.get("/hours", response=VolunteerHoursOut)
def my_hours(request, year: Year | None = None):
    """The caller's volunteer hours of a year: confirmed, and pending confirmation."""
    _require_member(request)
    year = year or timezone.localdate().year
    return {
        "year": year,
        "confirmed": queries.yearly_hours(request.user, year),
        "pending": queries.pending_hours(request.user, year),
    }


@router.get("/drives", response=page_schema(DonationDriveOut, name="DonationDrivePage"))
def list_drives(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        queries.drives_for_worker(request.user), paging.page, paging.per_page, transform=_drive
    )


@router.get("/drives/{int:drive_id}", response=DonationDriveDetail)
def get_drive(request, drive_id: Id):
    """A drive with the total raised and its public thank-you list."""
    _require_reader(request)
    return _drive_detail(request.user, queries.access_drive(request.user, drive_id))


@router.post("/drives/{int:drive_id}/pledge", response={201: DonationOut})
def pledge(request, drive_id: Id, payload: PledgeIn):
    _require_member(request)
    drive = queries.access_drive(request.user, drive_id)
    donation = actions.do_pledge_donation(
        actor=request.user,
        drive=drive,
        kind=payload.kind,
        amount=payload.amount,
        goods=payload.goods,
        display=payload.display,
    )
    return Status(201, _donation(donation))


# --- the desk: projects and hours -----------------------------------------------------------------


@router.get(
    "/desk/projects", response=page_schema(VolunteerProjectOut, name="VolunteerDeskProjectPage")
)
def desk_projects(request, paging: Query[PageParams]):
    _require_desk(request.user)
    return api_page(
        queries.managed_projects(request.user), paging.page, paging.per_page, transform=_project
    )


@router.post("/desk/projects", response={201: VolunteerProjectDetail})
def create_project(request, payload: VolunteerProjectIn):
    _require_manager(request.user)
    org_unit, audience = _units(request.user, payload)
    leader = None
    if payload.leader_employee_no.strip():
        leader = queries.member_user(request.user, payload.leader_employee_no)
        if leader is None:
            raise actions.VolunteeringError(
                _("本单位范围内没有该工号的在册会员"), field="leader_employee_no", status=404
            )
    project = actions.do_create_volunteer_project(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        org_unit=org_unit,
        audience_units=audience,
        leader=leader,
        contact=payload.contact,
    )
    return Status(201, _project_detail(request.user, project))


@router.post("/desk/projects/{int:project_id}/shifts", response={201: VolunteerShiftOut})
def add_shift(request, project_id: Id, payload: VolunteerShiftIn):
    project = _desk_project(request.user, project_id)
    shift = actions.do_add_volunteer_shift(actor=request.user, project=project, **payload.dict())
    return Status(
        201,
        {
            "id": shift.pk,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "place": shift.place,
            "note": shift.note,
            "places": shift.places,
            "places_left": shift.places,
            "signed_up": False,
            "signup_id": None,
        },
    )


add_step_routes(
    router,
    VOLUNTEER_PROJECT,
    path="/desk/projects/{int:project_id}",
    access=_desk_project,
    record_arg="project",
    response=VolunteerProjectDetail,
    result=_project_detail,
    names=["publish", "finish", "cancel"],
    schemas={"publish": None, "finish": None, "cancel": VolunteerReasonIn},
    function_names={
        "publish": "publish_project",
        "finish": "finish_project",
        "cancel": "cancel_project",
    },
)


def _desk_shift(user, shift_id) -> VolunteerShift:
    _require_desk(user)
    return queries.access_managed_shift(user, shift_id)


def _managed_signup(user, signup_id) -> VolunteerSignup:
    _require_desk(user)
    return queries.access_managed_signup(user, signup_id)


@router.get(
    "/desk/shifts/{int:shift_id}/signups",
    response=page_schema(DeskSignupOut, name="VolunteerDeskSignupPage"),
)
def desk_shift_signups(request, shift_id: Id, paging: Query[PageParams]):
    shift = _desk_shift(request.user, shift_id)
    return api_page(queries.signups_of(shift), paging.page, paging.per_page, transform=_desk_signup)


class ShiftConfirmedOut(Schema):
    confirmed: int


@router.post("/desk/shifts/{int:shift_id}/confirm", response=ShiftConfirmedOut)
def confirm_shift_hours(request, shift_id: Id):
    """Confirm every volunteer's hours of an ended shift (unrecorded ones: the shift's
    length); answers how many were confirmed."""
    shift = _desk_shift(request.user, shift_id)
    return {"confirmed": actions.do_confirm_shift_hours(actor=request.user, shift=shift)}


@router.post("/desk/signups/{int:signup_id}/hours", response=DeskSignupOut)
def record_hours(request, signup_id: Id, payload: VolunteerHoursIn):
    """Record the hours served (none given: the shift's length; another figure needs a
    reason); they stay pending until confirmed."""
    signup = _managed_signup(request.user, signup_id)
    actions.do_record_volunteer_hours(
        actor=request.user, signup=signup, hours=payload.hours, reason=payload.reason
    )
    return _desk_signup(_managed_signup(request.user, signup_id))


@router.post("/desk/signups/{int:signup_id}/confirm", response=DeskSignupOut)
def confirm_hours(request, signup_id: Id):
    signup = _managed_signup(request.user, signup_id)
    actions.do_confirm_volunteer_hours(actor=request.user, signup=signup)
    return _desk_signup(_managed_signup(request.user, signup_id))


@router.get("/desk/hours", response=page_schema(VolunteerYearRowOut, name="VolunteerHoursPage"))
def desk_hours(request, params: Query[HoursListParams]):
    """Confirmed hours per worker of the caller's scope in a year (or of one unit's subtree)."""
    _require_manager(request.user)
    unit = None
    if params.unit_id is not None:
        unit = record_in_body(_scope_units(request.user), params.unit_id, "unit_id")
    year = params.year or timezone.localdate().year
    return api_page(
        queries.yearly_hours_list(request.user, year, unit),
        params.page,
        params.per_page,
        transform=lambda r: {
            "worker_id": r["worker_id"],
            "employee_no": r["worker__member_record__employee_no"] or "",
            "name": r["worker__member_record__name"] or "",
            "org_unit_name": r["worker__member_record__org_unit__name"] or "",
            "shifts": r["shifts"],
            "hours": r["total"],
        },
    )


# --- the desk: drives -----------------------------------------------------------------------------


@router.get("/desk/drives", response=page_schema(DonationDriveOut, name="DonationDeskDrivePage"))
def desk_drives(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_drives(request.user), paging.page, paging.per_page, transform=_drive
    )


@router.post("/desk/drives", response={201: DonationDriveDetail})
def create_drive(request, payload: DonationDriveIn):
    _require_manager(request.user)
    org_unit, audience = _units(request.user, payload)
    drive = actions.do_create_donation_drive(
        actor=request.user,
        title=payload.title,
        purpose=payload.purpose,
        org_unit=org_unit,
        audience_units=audience,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        accepts_money=payload.accepts_money,
        accepts_goods=payload.accepts_goods,
        show_amounts=payload.show_amounts,
        fund_id=payload.fund_id,
    )
    return Status(201, _drive_detail(request.user, drive))


add_step_routes(
    router,
    DONATION_DRIVE,
    path="/desk/drives/{int:drive_id}",
    access=_desk_drive,
    record_arg="drive",
    response=DonationDriveDetail,
    result=_drive_detail,
    names=["close"],
    schemas={"close": None},
    function_names={"close": "close_drive"},
)


@router.get(
    "/desk/drives/{int:drive_id}/donations",
    response=page_schema(DonationOut, name="DonationPage"),
)
def desk_donations(request, drive_id: Id, paging: Query[PageParams]):
    drive = _desk_drive(request.user, drive_id)
    return api_page(queries.donations_of(drive), paging.page, paging.per_page, transform=_donation)


@router.post("/desk/drives/{int:drive_id}/donations", response={201: DonationOut})
def record_donation(request, drive_id: Id, payload: DonationIn):
    """A donation received: money is booked in the drive's assistance fund at once."""
    drive = _desk_drive(request.user, drive_id)
    donor = None
    if payload.donor_employee_no.strip():
        donor = queries.member_user(request.user, payload.donor_employee_no)
        if donor is None:
            raise actions.VolunteeringError(
                _("本单位范围内没有该工号的在册会员"), field="donor_employee_no", status=404
            )
    donation = actions.do_record_donation(
        actor=request.user,
        drive=drive,
        kind=payload.kind,
        donor=donor,
        donor_name=payload.donor_name,
        amount=payload.amount,
        goods=payload.goods,
        donated_on=payload.donated_on,
        display=payload.display,
    )
    return Status(201, _donation(donation))


def _desk_donation(user, donation_id) -> Donation:
    _require_manager(user)
    return queries.access_managed_donation(user, donation_id)


@router.post("/desk/donations/{int:donation_id}/confirm", response=DonationOut)
def confirm_donation(request, donation_id: Id, payload: DonationConfirmIn):
    """A pledge received: money is booked in the drive's assistance fund, once."""
    donation = _desk_donation(request.user, donation_id)
    actions.do_confirm_donation(
        actor=request.user, donation=donation, received_on=payload.received_on
    )
    return _donation(_desk_donation(request.user, donation_id))


@router.post("/desk/donations/{int:donation_id}/cancel", response=DonationOut)
def cancel_donation(request, donation_id: Id):
    donation = _desk_donation(request.user, donation_id)
    actions.do_cancel_donation(actor=request.user, donation=donation)
    return _donation(_desk_donation(request.user, donation_id))
