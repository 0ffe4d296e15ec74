"""API of visits (走访慰问): plan, record, cancel, photos."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions import visits as actions
from zhijia.assistance.queries import visits as queries_visits
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm

router = Router(tags=["assistance"])


class PhotoOut(Schema):
    id: str
    name: str
    url: str


class VisitOut(Schema):
    id: int
    member_id: Id
    member_name: str
    unit: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    planned_on: dt.date | None
    visited_on: dt.date | None
    visitors: str
    gifts: str
    money: Decimal
    application_id: Id | None
    campaign_id: Id | None

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.org_unit.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class VisitDetailOut(VisitOut):
    findings: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(obj):
        return [
            {
                "id": str(a.pk),
                "name": a.original_name,
                "url": reverse("files:attachment-download", args=[a.pk]),
            }
            for a in queries_visits.photos_of(obj)
        ]


class VisitQuery(Schema):
    status: str = Field("", max_length=16)
    kind: str = Field("", max_length=16)


class VisitIn(Schema):
    member_id: Id
    kind: str = Field(..., max_length=16)
    planned_on: Date | None = None
    done: bool = False
    visited_on: Date | None = None
    visitors: str = Field("", max_length=200)
    gifts: str = Field("", max_length=200)
    money: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    findings: str = Field("", max_length=4000)


class CompleteIn(Schema):
    visited_on: Date
    visitors: str = Field(..., min_length=1, max_length=200)
    gifts: str = Field("", max_length=200)
    money: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    findings: str = Field("", max_length=4000)


@router.get("/visits", response=page_schema(VisitOut, name="AssistanceVisitPage"))
def list_visits(request, filters: Query[VisitQuery], paging: Query[PageParams]):
    if not has_perm(request.user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    f = queries_visits.VisitFilters(**filters.model_dump())
    rows = queries_visits.list_visits_for_user(request.user, f)
    return api_page(rows, paging.page, paging.per_page)


@router.post("/visits", response={201: VisitDetailOut})
def create_visit(request, payload: VisitIn):
    if not has_perm(request.user, perms.MANAGE_VISIT):
        raise PermissionDenied
    member = record_in_body(
        queries_visits.members_for_visits(request.user), payload.member_id, "member_id"
    )
    values = payload.model_dump()
    values.pop("member_id")
    visit = actions.do_create_visit(actor=request.user, member=member, **values)
    return Status(201, visit)


@router.get("/visits/{visit_id}", response=VisitDetailOut)
def get_visit(request, visit_id: Id):
    return queries_visits.access_visit(request.user, visit_id)


def _managed(request, visit_id: Id):
    visit = queries_visits.access_visit(request.user, visit_id)
    if not queries_visits.can_manage_visit(request.user, visit):
        raise PermissionDenied
    return visit


@router.post("/visits/{visit_id}/complete", response=VisitDetailOut)
def complete_visit(request, visit_id: Id, payload: CompleteIn):
    visit = _managed(request, visit_id)
    return actions.do_complete_visit(actor=request.user, visit=visit, **payload.model_dump())


@router.post("/visits/{visit_id}/cancel", response=VisitDetailOut)
def cancel_visit(request, visit_id: Id):
    visit = _managed(request, visit_id)
    return actions.do_cancel_visit(actor=request.user, visit=visit)


@router.post("/visits/{visit_id}/photos", response={201: PhotoOut})
def add_photo(request, visit_id: Id, photo: File[UploadedFile]):
    visit = _managed(request, visit_id)
    att = actions.do_add_visit_photo(actor=request.user, visit=visit, upload=photo)
    return Status(
        201,
        {
            "id": str(att.pk),
            "name": att.original_name,
            "url": reverse("files:attachment-download", args=[att.pk]),
        },
    )
