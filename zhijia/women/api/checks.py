"""API of the yearly women's health check, mounted at /api/v1/women.

Members:  GET /checks, POST /checks/{id}/signup
Managers: GET /desk/checks (with sign-up and completion counts), POST /desk/checks,
          GET /desk/checks/{id}/signups, POST /desk/checks/{id}/completion
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.women.actions import checks as actions
from zhijia.women.models import CheckCampaign, CheckSignup
from zhijia.women.permissions import MANAGE
from zhijia.women.queries import checks as queries
from zhijia.women.queries.common import is_woman_member, managed_units

router = Router(tags=["women-checks"])


class WomenCheckOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    year: int
    title: str
    signup_until: dt.date
    note: str
    signed_up: bool
    completed: bool


class WomenDeskCheckOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    year: int
    title: str
    signup_until: dt.date
    signups: int
    completed: int


class WomenCheckSignupOut(Schema):
    id: int
    member_id: int
    member_name: str
    employee_no: str
    org_unit_name: str
    signed_up_at: dt.datetime
    completed: bool


class WomenCheckIn(Schema):
    org_unit_id: Id
    year: Year
    title: str = Field(..., max_length=100)
    signup_until: Date
    note: str = Field("", max_length=500)


class WomenCompletionIn(Schema):
    signup_ids: list[Id] = Field(..., max_length=1000)
    done: bool = True


class WomenCompletionOut(Schema):
    changed: int


def _check(user, c: CheckCampaign) -> dict:
    signup = queries.my_signup(user, c)
    return {
        "id": c.pk,
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "year": c.year,
        "title": c.title,
        "signup_until": c.signup_until,
        "note": c.note,
        "signed_up": signup is not None,
        "completed": signup is not None and signup.completed_at is not None,
    }


def _desk_check(c) -> dict:
    return {
        "id": c.pk,
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "year": c.year,
        "title": c.title,
        "signup_until": c.signup_until,
        "signups": c.signup_count,
        "completed": c.done_count,
    }


def _signup(s: CheckSignup) -> dict:
    return {
        "id": s.pk,
        "member_id": s.member_id,
        "member_name": s.member.name,
        "employee_no": s.member.employee_no,
        "org_unit_name": s.member.org_unit.name,
        "signed_up_at": s.signed_up_at,
        "completed": s.completed_at is not None,
    }


def _require_manager(request) -> None:
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied(MANAGE)


@router.get("/checks", response=page_schema(WomenCheckOut, name="WomenCheckPage"))
def list_checks(request, paging: Query[PageParams]):
    if not is_woman_member(request.user):
        raise PermissionDenied
    return api_page(
        queries.campaigns_for_member(request.user).order_by("-year", "id"),
        paging.page,
        paging.per_page,
        transform=lambda c: _check(request.user, c),
    )


@router.post("/checks/{int:campaign_id}/signup", response={201: WomenCheckOut})
def sign_up(request, campaign_id: Id):
    if not is_woman_member(request.user):
        raise PermissionDenied
    campaign = queries.access_campaign(request.user, campaign_id)
    actions.do_sign_up_check(actor=request.user, campaign=campaign)
    return Status(201, _check(request.user, campaign))


@router.get("/desk/checks", response=page_schema(WomenDeskCheckOut, name="WomenDeskCheckPage"))
def desk_checks(request, paging: Query[PageParams]):
    _require_manager(request)
    return api_page(
        queries.managed_campaigns(request.user),
        paging.page,
        paging.per_page,
        transform=_desk_check,
    )


@router.post("/desk/checks", response={201: WomenDeskCheckOut})
def create_check(request, payload: WomenCheckIn):
    _require_manager(request)
    units = managed_units(request.user)
    unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    campaign = actions.do_create_check_campaign(
        actor=request.user,
        org_unit=unit,
        year=payload.year,
        title=payload.title,
        signup_until=payload.signup_until,
        note=payload.note,
    )
    return Status(201, _desk_check(queries.access_managed_campaign(request.user, campaign.pk)))


@router.get(
    "/desk/checks/{int:campaign_id}/signups",
    response=page_schema(WomenCheckSignupOut, name="WomenCheckSignupPage"),
)
def desk_signups(request, campaign_id: Id, paging: Query[PageParams]):
    campaign = queries.access_managed_campaign(request.user, campaign_id)
    return api_page(queries.signups(campaign), paging.page, paging.per_page, transform=_signup)


@router.post("/desk/checks/{int:campaign_id}/completion", response=WomenCompletionOut)
def record_completion(request, campaign_id: Id, payload: WomenCompletionIn):
    """Mark sign-ups done (or not done); ids of another campaign are skipped."""
    campaign = queries.access_managed_campaign(request.user, campaign_id)
    changed = actions.do_record_check_completion(
        actor=request.user, campaign=campaign, signup_ids=payload.signup_ids, done=payload.done
    )
    return {"changed": changed}
