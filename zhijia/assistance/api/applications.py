"""API of campaigns, applications, the public notice board and objections.

The notice endpoints answer only the masked name, unit, campaign, category, amount and period:
never the situation, the answers, documents, household or medical details.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.assistance import permissions as perms
from zhijia.assistance import privacy
from zhijia.assistance.actions import applications as actions
from zhijia.assistance.models import Application
from zhijia.assistance.queries import applications as queries_applications
from zhijia.assistance.queries import common as queries
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.assistance.workflows import APPLICATION
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, DeprecatedId, Id, RenamedQuery
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.workflow import available_transitions, history_view
from zhijia.org.queries.members import own_member

router = Router(tags=["assistance"])


# --- campaigns ----------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit_id: Id
    unit: str
    fund_id: Id
    year: int
    opens_on: dt.date | None
    closes_on: dt.date | None
    amount_cap: Decimal | None
    eligible_categories: list[str]
    required_documents: list[str]
    form_fields: list[dict]
    notice_workdays: int | None
    description: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.org_unit_id

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.org_unit.name


class FormFieldIn(Schema):
    key: str = Field(..., max_length=32)
    label: str = Field(..., max_length=50)
    kind: str = Field("text", max_length=8)
    required: bool = False


class CampaignPatch(Schema):
    name: str | None = Field(None, max_length=100)
    opens_on: Date | None = None
    closes_on: Date | None = None
    amount_cap: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    eligible_categories: list[str] | None = None
    required_documents: list[str] | None = None
    form_fields: list[FormFieldIn] | None = None
    notice_workdays: int | None = Field(None, ge=1, le=30)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = None


class CampaignIn(CampaignPatch):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16)
    unit_id: Id
    year: int | None = Field(None, ge=2000, le=2100)
    fund_id: Id | None = Field(None, description="已有资金；为空则为本活动新设专项资金")


@router.get("/campaigns", response=page_schema(CampaignOut, name="AssistanceCampaignPage"))
def list_campaigns(request, paging: Query[PageParams]):
    """Campaigns the caller works with (cadres) or may apply to now (members)."""
    found = {c.pk: c for c in queries_applications.campaigns_for_cadre(request.user)}
    for c in queries_applications.campaigns_open_to(own_member(request.user)):
        found.setdefault(c.pk, c)
    rows = sorted(found.values(), key=lambda c: (-c.year, c.name))
    return api_page(rows, paging.page, paging.per_page)


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request, payload: CampaignIn):
    units = queries.units_in_scope(request.user, perms.MANAGE_CAMPAIGN)
    if not units.exists():
        raise PermissionDenied
    unit = record_in_body(units, payload.unit_id, "unit_id")
    values = payload.model_dump(exclude_unset=True)
    values.pop("unit_id", None)
    fund_id = values.pop("fund_id", None)
    fund = None
    if fund_id is not None:
        fund = record_in_body(queries_ledger.funds_visible_to(request.user), fund_id, "fund_id")
    campaign = actions.do_create_campaign(actor=request.user, org_unit=unit, fund=fund, **values)
    return Status(201, campaign)


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: Id):
    return queries_applications.access_campaign(request.user, campaign_id)


@router.patch("/campaigns/{campaign_id}", response=CampaignOut)
def update_campaign(request, campaign_id: Id, payload: CampaignPatch):
    campaign = queries_applications.access_campaign(request.user, campaign_id)
    if not queries_applications.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    values = payload.model_dump(exclude_unset=True)
    actions.do_update_campaign(actor=request.user, campaign=campaign, values=values)
    return queries_applications.access_campaign(request.user, campaign_id)


# --- applications -------------------------------------------------------------------------------


class ApplicationFields(Schema):
    id: int
    number: str
    campaign_id: Id
    campaign: str
    member_id: Id
    member_name: str
    unit: str
    state: str
    state_label: str
    category: str
    amount_requested: Decimal
    amount_approved: Decimal | None
    submitted_at: dt.datetime
    on_behalf: bool
    notice_starts_at: dt.datetime | None
    notice_ends_at: dt.datetime | None
    paid_at: dt.datetime | None


class AssistanceApplicationOut(ApplicationFields):
    @staticmethod
    def resolve_number(obj) -> str:
        return obj.number or ""

    @staticmethod
    def resolve_campaign(obj) -> str:
        return obj.campaign.name

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.org_unit.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return APPLICATION.state_label(obj.state)


def _summary(a: Application) -> dict:
    return {
        "id": a.pk,
        "number": a.number or "",
        "campaign_id": a.campaign_id,
        "campaign": a.campaign.name,
        "member_id": a.member_id,
        "member_name": a.member.name,
        "unit": a.org_unit.name,
        "state": a.state,
        "state_label": APPLICATION.state_label(a.state),
        "category": a.category,
        "amount_requested": a.amount_requested,
        "amount_approved": a.amount_approved,
        "submitted_at": a.submitted_at,
        "on_behalf": a.on_behalf,
        "notice_starts_at": a.notice_starts_at,
        "notice_ends_at": a.notice_ends_at,
        "paid_at": a.paid_at,
    }


class DocumentOut(Schema):
    name: str
    file_name: str
    url: str


class StepOut(Schema):
    transition: str
    label: str
    state: str
    at: dt.datetime
    actor: str
    note: str


class VisitBrief(Schema):
    id: int
    visited_on: dt.date | None
    visitors: str
    findings: str


class ObjectionOut(Schema):
    id: int
    text: str
    anonymous: bool
    submitted_by: str | None
    received_on: dt.date
    status: str
    resolution: str
    resolution_note: str

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return str(obj.submitted_by) if obj.submitted_by_id else None


class ApplicationDetailOut(ApplicationFields):
    situation: str
    answers: dict[str, Any]
    documents: list[DocumentOut]
    history: list[StepOut]
    actions: list[str]
    visits: list[VisitBrief] | None
    objections: list[ObjectionOut] | None


def _detail(user, application: Application) -> dict:
    cadre = has_perm(user, perms.VIEW_HARDSHIP, unit=application.org_unit)
    # The workflow's history rule: an applicant reads no cadre's name, only refusals' reasons.
    steps = [
        {
            "transition": row.transition,
            "label": row.label,
            "state": row.to_state,
            "at": row.at,
            "actor": row.actor,
            "note": row.note,
        }
        for row in history_view(application, user, workflow=APPLICATION)
    ]
    manage_notice = has_perm(user, perms.MANAGE_NOTICE, unit=application.org_unit)
    return {
        **_summary(application),
        "situation": application.situation,
        "answers": application.answers,
        "documents": [
            {
                "name": d.name,
                "file_name": d.attachment.original_name,
                "url": reverse("files:attachment-download", args=[d.attachment_id]),
            }
            for d in queries_applications.documents_of(application)
        ],
        "history": steps,
        "actions": [t.name for t in available_transitions(APPLICATION, application, user)],
        "visits": (
            [
                {
                    "id": v.pk,
                    "visited_on": v.visited_on,
                    "visitors": v.visitors,
                    "findings": v.findings,
                }
                for v in queries_applications.visits_of_application(application)
            ]
            if cadre
            else None
        ),
        "objections": (
            list(queries_applications.objections_of(application)) if manage_notice else None
        ),
    }


class ApplicationQuery(RenamedQuery):
    renamed = {"campaign": "campaign_id"}

    state: str = Field("", max_length=16)
    campaign_id: Id | None = None
    campaign: DeprecatedId = None
    q: str = Field("", max_length=64)


@router.get(
    "/applications",
    response=page_schema(AssistanceApplicationOut, name="AssistanceApplicationPage"),
)
def list_applications(request, filters: Query[ApplicationQuery], paging: Query[PageParams]):
    """Applications in the caller's scope (cadres; newest first)."""
    if not has_perm(request.user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    f = queries_applications.ApplicationFilters(
        state=filters.state, campaign=filters.campaign_id, q=filters.q
    )
    rows = queries_applications.list_applications_for_user(request.user, f)
    return api_page(rows, paging.page, paging.per_page)


@router.get(
    "/applications/mine",
    response=page_schema(AssistanceApplicationOut, name="AssistanceApplicationPage"),
)
def my_applications(request, paging: Query[PageParams]):
    """The caller's own applications."""
    rows = queries_applications.own_applications(request.user)
    return api_page(rows, paging.page, paging.per_page)


class ApplicationForm(Schema):
    campaign_id: Id
    member_id: Id | None = Field(None, description="代为申请时填写职工；本人申请留空")
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    situation: str = Field(..., max_length=2000)
    answers: str = Field("{}", max_length=10000, description="活动附加项，JSON 对象")


@router.post("/applications", response={201: ApplicationDetailOut})
def submit_application(
    request,
    payload: Form[ApplicationForm],
    documents: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """Apply (multipart/form-data): for oneself, or for a member (cadres, `member_id`). Upload
    one file per required document of the campaign, in the campaign's order."""
    try:
        answers = json.loads(payload.answers or "{}")
    except ValueError:
        answers = None
    if not isinstance(answers, dict):
        raise ActionRefused(_("answers 须为 JSON 对象"), field="answers", status=422)
    if payload.member_id is None:
        campaign = queries_applications.campaign_for_applicant(request.user, payload.campaign_id)
        member = own_member(request.user)
        if member is None:
            raise Http404
    else:
        if not has_perm(request.user, perms.APPLY_ON_BEHALF):
            raise PermissionDenied
        campaign = queries_applications.access_campaign(request.user, payload.campaign_id)
        member = record_in_body(
            queries_applications.members_for_on_behalf(request.user, campaign),
            payload.member_id,
            "member_id",
        )
    application = actions.do_submit_application(
        actor=request.user,
        campaign=campaign,
        member=member,
        amount=payload.amount,
        situation=payload.situation,
        answers=answers,
        documents=list(documents or []),
    )
    return Status(201, _detail(request.user, application))


@router.get("/applications/{application_id}", response=ApplicationDetailOut)
def get_application(request, application_id: Id):
    application = queries_applications.access_application(request.user, application_id)
    privacy.record_application_read(request.user, application)
    return _detail(request.user, application)


class ApplicationReviewIn(Schema):
    visited_on: Date
    visitors: str = Field(..., max_length=200)
    findings: str = Field(..., max_length=4000)
    category: str = Field(..., max_length=16)
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=1000)


class AssistanceReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class PublishIn(Schema):
    notice_unit_id: Id | None = Field(None, description="公示范围；默认申请人所在分工会")
    workdays: int | None = Field(None, ge=1, le=30)


class AssistanceApproveIn(Schema):
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=1000)


def _publish_arguments(application: Application, payload: PublishIn) -> dict[str, Any]:
    """The notice's unit loaded by id (unknown: 404 naming the field); the action refuses a
    unit that does not contain the applicant's."""
    unit = (
        record_in_body(queries.all_units(), payload.notice_unit_id, "notice_unit_id")
        if payload.notice_unit_id is not None
        else None
    )
    return {"notice_unit": unit, "workdays_count": payload.workdays}


# The workflow's steps (review with its home-visit record, decline, publish, the committee's
# approve/reject after the notice period, the applicant's withdraw): the declared actions with
# the declared schemas, answering the application's detail.
add_step_routes(
    router,
    APPLICATION,
    path="/applications/{application_id}",
    access=queries_applications.access_application,
    record_arg="application",
    response=ApplicationDetailOut,
    result=_detail,
    names=["review", "decline", "publish", "approve", "reject", "withdraw"],
    arguments={"publish": _publish_arguments},
    function_names={
        "review": "review_application",
        "decline": "decline_application",
        "publish": "publish_notice",
        "approve": "approve_application",
        "reject": "reject_application",
        "withdraw": "withdraw_application",
    },
)


class AssistanceRatingIn(Schema):
    rating: Satisfaction = Field(..., description="satisfied / basically / dissatisfied")


@router.post("/applications/{int:application_id}/rate", response=ApplicationDetailOut)
def rate_application(request, application_id: Id, payload: AssistanceRatingIn):
    """The applicant rates the help once it is paid, once (the union's satisfaction index)."""
    application = queries_applications.access_application(request.user, application_id)
    actions.do_rate_application(actor=request.user, application=application, rating=payload.rating)
    return _detail(
        request.user, queries_applications.access_application(request.user, application_id)
    )


# --- the notice board and objections --------------------------------------------------------------


class NoticeOut(Schema):
    """The public notice: exactly these fields."""

    id: int
    masked_name: str
    unit: str
    campaign: str
    category: str
    amount: Decimal
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    running: bool


@router.get("/notices", response=page_schema(NoticeOut, name="AssistanceNoticePage"))
def list_notices(request, paging: Query[PageParams]):
    """The notice board of the caller's units."""
    return api_page(
        queries_applications.notices_visible_to(request.user),
        paging.page,
        paging.per_page,
        transform=queries_applications.notice_row,
    )


@router.get("/notices/{application_id}", response=NoticeOut)
def get_notice(request, application_id: Id):
    return queries_applications.notice_row(
        queries_applications.access_notice(request.user, application_id)
    )


class ObjectionIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    anonymous: bool = False


class ObjectionCreated(Schema):
    id: int
    anonymous: bool


@router.post("/notices/{application_id}/objections", response={201: ObjectionCreated})
def submit_objection(request, application_id: Id, payload: ObjectionIn):
    """Object to an application under notice; `anonymous` keeps nothing of the sender."""
    application = queries_applications.access_notice(request.user, application_id)
    objection = actions.do_submit_objection(
        actor=request.user,
        application=application,
        text=payload.text,
        anonymous=payload.anonymous,
    )
    return Status(201, {"id": objection.pk, "anonymous": objection.anonymous})


class ObjectionRow(ObjectionOut):
    application_id: Id


class ObjectionQuery(Schema):
    status: str = Field("open", max_length=16)


@router.get("/objections", response=page_schema(ObjectionRow, name="AssistanceObjectionPage"))
def list_objections(request, filters: Query[ObjectionQuery], paging: Query[PageParams]):
    if not has_perm(request.user, perms.MANAGE_NOTICE):
        raise PermissionDenied
    qs = queries_applications.objections_for_handler(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return api_page(qs, paging.page, paging.per_page)


class ResolveIn(Schema):
    resolution: str = Field(..., max_length=16, description="upheld / dismissed")
    note: str = Field(..., min_length=1, max_length=500)


@router.post("/objections/{objection_id}/resolve", response=ObjectionRow)
def resolve_objection(request, objection_id: Id, payload: ResolveIn):
    objection = queries_applications.access_objection(request.user, objection_id)
    return actions.do_resolve_objection(
        actor=request.user,
        objection=objection,
        resolution=payload.resolution,
        note=payload.note,
    )
