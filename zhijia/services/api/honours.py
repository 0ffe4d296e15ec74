"""API of the honours registry and 劳模 care, mounted at /api/v1/services/honours (the "五型"
assessment and the studios: api/honours_teams.py, on the same prefix). Same queries and
actions, so the same rules, as the pages.

Members:  GET /mine (the caller's honours in force)
Cadres:   /honours (GET ?q=&kind=&level=&year=&unit_id=&state=, POST), /honours/{id} (GET,
          PATCH), /honours/{id}/documents (POST, multipart), /honours/{id}/revoke;
          /care?year=&unit_id= (GET), /care/records (POST), /care/items (GET; POST: the top
          unit's cadres)
Kind and level codes: zhijia.services.honour_rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import honours as actions
from zhijia.services.models import (
    Honour,
    HonourCareItem,
)
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR

router = Router(tags=["services-honours"])

KindCode = Literal[
    "model_worker",
    "great_craftsman",
    "craftsman",
    "may_day_medal",
    "pioneer",
    "five_type_team",
    "advanced_individual",
    "advanced_collective",
    "technical_expert",
    "competition_place",
]
LevelCode = Literal["national", "provincial", "city", "enterprise"]


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


def require_configurer(user) -> None:
    if not queries.may_configure(user):
        raise PermissionDenied


def _honour_access(user, honour_id) -> Honour:
    require_manager(user)
    return queries.access_honour(user, honour_id)


def member_by_employee_no(user, employee_no: str, field: str):
    member = queries.member_in_scope(user, employee_no)
    if member is None:
        raise actions.HonourError(_("本单位范围内没有该工号的在册会员"), field=field, status=404)
    return member


# --- schemas --------------------------------------------------------------------------------------


class HonourOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: str
    level_label: str
    year: int
    title: str
    awarding_body: str
    org_unit_id: int
    org_unit_name: str
    member_id: int | None
    holder_name: str
    team_name: str
    source_label: str
    source_url: str
    state: str
    state_label: str


class HonourDetail(HonourOut):
    note: str
    revoke_reason: str
    documents: list[str]


class HonourIn(Schema):
    kind: KindCode
    level: LevelCode
    year: Year
    title: str = Field(..., max_length=200)
    awarding_body: str = Field(..., max_length=200)
    org_unit_id: Id
    member_employee_no: str = Field("", max_length=32)
    team_name: str = Field("", max_length=100)
    source_label: str = Field("", max_length=200)
    source_url: str = Field("", max_length=500)


class HonourPatch(Schema):
    kind: KindCode | None = None
    level: LevelCode | None = None
    year: Year | None = None
    title: str | None = Field(None, max_length=200)
    awarding_body: str | None = Field(None, max_length=200)
    team_name: str | None = Field(None, max_length=100)
    source_label: str | None = Field(None, max_length=200)
    source_url: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=2000)


class HonourReasonIn(Schema):
    reason: str = Field(..., max_length=300)


class HonourListParams(PageParams):
    q: str = Field("", max_length=200)
    kind: KindCode | None = None
    level: LevelCode | None = None
    year: Year | None = None
    unit_id: Id | None = None
    state: Literal["active", "revoked"] | None = None


class HonourCareItemOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    due_month: int
    active: bool


class HonourCareItemIn(Schema):
    name: str = Field(..., max_length=100)
    kind: KindCode = "model_worker"
    level: LevelCode | Literal[""] = ""
    due_month: int = Field(..., ge=1, le=12)


class HonourCareStatusOut(Schema):
    item_id: int
    item_name: str
    due_month: int
    status: str
    done_on: dt.date | None
    note: str


class HonourCareLineOut(Schema):
    member_id: int
    employee_no: str
    name: str
    org_unit_name: str
    honours: list[str]
    items: list[HonourCareStatusOut]


class HonourCareParams(PageParams):
    year: Year | None = None
    unit_id: Id | None = None


class HonourCareRecordIn(Schema):
    member_id: Id
    item_id: Id
    year: Year
    done_on: Date
    note: str = Field("", max_length=300)


class HonourCareRecordOut(Schema):
    member_id: int
    item_id: int
    year: int
    done_on: dt.date
    note: str


# --- shaping --------------------------------------------------------------------------------------


def _honour(h: Honour) -> dict:
    return {
        "id": h.pk,
        "kind": h.kind,
        "kind_label": h.get_kind_display(),
        "level": h.level,
        "level_label": h.get_level_display(),
        "year": h.year,
        "title": h.title,
        "awarding_body": h.awarding_body,
        "org_unit_id": h.org_unit_id,
        "org_unit_name": h.org_unit.name,
        "member_id": h.member_id,
        "holder_name": h.holder_name,
        "team_name": h.team_name,
        "source_label": h.source_label,
        "source_url": h.source_url,
        "state": h.state,
        "state_label": h.state_label,
    }


def _honour_detail(user, h: Honour) -> dict:
    from zhijia.core import attachments

    return {
        **_honour(h),
        "note": h.note,
        "revoke_reason": h.revoke_reason,
        "documents": [a.original_name for a in attachments.attachments_for(h)],
    }


def _care_item(i: HonourCareItem) -> dict:
    return {
        "id": i.pk,
        "name": i.name,
        "kind": i.kind,
        "level": i.level,
        "due_month": i.due_month,
        "active": i.active,
    }


# --- the member's ---------------------------------------------------------------------------------


@router.get("/mine", response=page_schema(HonourOut, name="HonourMinePage"))
def my_honours(request, paging: Query[PageParams]):
    """The caller's honours in force (a revoked one is not listed)."""
    _require_member(request)
    return api_page(
        queries.my_honours(request.user).select_related("org_unit", "member"),
        paging.page,
        paging.per_page,
        transform=_honour,
    )


# --- the registry ---------------------------------------------------------------------------------


@router.get("/honours", response=page_schema(HonourOut, name="HonourPage"))
def list_honours(request, params: Query[HonourListParams]):
    """The registry of the caller's scope; `q` searches its text (within the scope only)."""
    require_manager(request.user)
    unit = None
    if params.unit_id is not None:
        unit = record_in_body(queries.scope_units(request.user), params.unit_id, "unit_id")
    filters = queries.HonourFilters(
        q=params.q,
        kind=params.kind or "",
        level=params.level or "",
        year=params.year,
        unit=unit,
        state=params.state or "",
    )
    return api_page(
        queries.filtered_honours(request.user, filters),
        params.page,
        params.per_page,
        transform=_honour,
    )


@router.post("/honours", response={201: HonourDetail})
def record_honour(request, payload: HonourIn):
    require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    member = None
    if payload.member_employee_no.strip():
        member = member_by_employee_no(
            request.user, payload.member_employee_no, "member_employee_no"
        )
    honour = actions.do_record_honour(
        actor=request.user,
        kind=payload.kind,
        level=payload.level,
        year=payload.year,
        title=payload.title,
        awarding_body=payload.awarding_body,
        unit=unit,
        member=member,
        team_name=payload.team_name,
        source_label=payload.source_label,
        source_url=payload.source_url,
    )
    return Status(201, _honour_detail(request.user, honour))


@router.get("/honours/{int:honour_id}", response=HonourDetail)
def get_honour(request, honour_id: Id):
    return _honour_detail(request.user, _honour_access(request.user, honour_id))


@router.patch("/honours/{int:honour_id}", response=HonourDetail)
def update_honour(request, honour_id: Id, payload: HonourPatch):
    """Correct an honour in force: the fields given replace the current ones."""
    honour = _honour_access(request.user, honour_id)
    fields = {
        f: getattr(honour, f)
        for f in (
            "kind",
            "level",
            "year",
            "title",
            "awarding_body",
            "team_name",
            "source_label",
            "source_url",
            "note",
        )
    }
    fields.update(payload.dict(exclude_none=True))
    actions.do_update_honour(actor=request.user, honour=honour, **fields)
    return _honour_detail(request.user, _honour_access(request.user, honour_id))


@router.post("/honours/{int:honour_id}/documents", response={201: HonourDetail})
def add_documents(request, honour_id: Id, files: File[list[UploadedFile]]):
    """Documents of an honour (multipart, `files`: images, PDF, Office), kept for good."""
    honour = _honour_access(request.user, honour_id)
    actions.do_add_honour_documents(actor=request.user, honour=honour, files=files)
    return Status(201, _honour_detail(request.user, honour))


add_step_routes(
    router,
    HONOUR,
    path="/honours/{int:honour_id}",
    access=_honour_access,
    record_arg="honour",
    response=HonourDetail,
    result=_honour_detail,
    names=["revoke"],
    schemas={"revoke": HonourReasonIn},
    function_names={"revoke": "revoke_honour"},
)


# --- care -----------------------------------------------------------------------------------------


@router.get("/care", response=page_schema(HonourCareLineOut, name="HonourCarePage"))
def care_overview(request, params: Query[HonourCareParams]):
    """Each model worker of the caller's scope with her care items of a year (done, pending,
    or overdue)."""
    from django.utils import timezone

    require_manager(request.user)
    unit = None
    if params.unit_id is not None:
        unit = record_in_body(queries.scope_units(request.user), params.unit_id, "unit_id")
    year = params.year or timezone.localdate().year
    lines = queries.care_lines(request.user, year, unit=unit)
    return api_page(
        lines,
        params.page,
        params.per_page,
        transform=lambda line: {
            "member_id": line.member.pk,
            "employee_no": line.member.employee_no,
            "name": line.member.name,
            "org_unit_name": line.member.org_unit.name,
            "honours": [f"{h.year} {h.title}" for h in line.honours],
            "items": [
                {
                    "item_id": item.pk,
                    "item_name": item.name,
                    "due_month": item.due_month,
                    "status": state,
                    "done_on": rec.done_on if rec else None,
                    "note": rec.note if rec else "",
                }
                for item, state, rec in line.items
            ],
        },
    )


@router.post("/care/records", response=HonourCareRecordOut)
def record_care(request, payload: HonourCareRecordIn):
    """A care item done (saved again for the same person, item and year: corrected)."""
    require_manager(request.user)
    member = record_in_body(queries.members_in_scope(request.user), payload.member_id, "member_id")
    item = record_in_body(queries.care_items(), payload.item_id, "item_id")
    care = actions.do_record_honour_care(
        actor=request.user,
        member=member,
        item=item,
        year=payload.year,
        done_on=payload.done_on,
        note=payload.note,
    )
    return {
        "member_id": care.member_id,
        "item_id": care.item_id,
        "year": care.year,
        "done_on": care.done_on,
        "note": care.note,
    }


@router.get("/care/items", response=page_schema(HonourCareItemOut, name="HonourCareItemPage"))
def care_items(request, paging: Query[PageParams]):
    require_manager(request.user)
    return api_page(queries.care_items(), paging.page, paging.per_page, transform=_care_item)


class HonourActiveIn(Schema):
    active: bool


@router.patch("/care/items/{int:item_id}", response=HonourCareItemOut)
def set_care_item_active(request, item_id: Id, payload: HonourActiveIn):
    """Retire a care item (no longer due nor reminded; its records stay) or use it again."""
    require_configurer(request.user)
    item = queries.access_config_care_item(request.user, item_id)
    item = actions.do_set_honour_care_item_active(
        actor=request.user, item=item, active=payload.active
    )
    return _care_item(item)


@router.post("/care/items", response={201: HonourCareItemOut})
def create_care_item(request, payload: HonourCareItemIn):
    require_configurer(request.user)
    item = actions.do_create_honour_care_item(actor=request.user, **payload.dict())
    return Status(201, _care_item(item))
