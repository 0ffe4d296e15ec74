"""API of the honours registry, 劳模 care, the "五型"班组 assessment and innovation studios,
mounted at /api/v1/services/honours. Same queries and actions, so the same rules, as the pages.

Members:  GET /mine (the caller's honours in force)
Cadres:   /honours (GET ?q=&kind=&level=&year=&unit_id=&state=, POST), /honours/{id} (GET,
          PATCH), /honours/{id}/revoke; /care?year=&unit_id= (GET), /care/records (POST),
          /care/items (GET, POST: the top unit's cadres); /criteria (GET, POST), /pass-mark
          (PUT); /assessments (GET, POST), /assessments/{id} (GET), /assessments/{id}/scores
          (PUT), /assessments/{id}/submit, /assessments/{id}/review; /studios (GET, POST),
          /studios/{id} (GET), /studios/{id}/members, /studios/{id}/projects,
          /studios/projects/{id} (PATCH), /studios/{id}/results
Kind and level codes: zhijia.services.honour_rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import honours as actions
from zhijia.services.models import (
    Honour,
    HonourAssessment,
    HonourCareItem,
    HonourStudio,
    HonourStudioProject,
)
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR, HONOUR_ASSESSMENT

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
TeamTypeCode = Literal["learning", "safety", "clean", "thrift", "harmony"]


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


def _require_configurer(user) -> None:
    if not queries.may_configure(user):
        raise PermissionDenied


def _honour_access(user, honour_id) -> Honour:
    _require_manager(user)
    return queries.access_honour(user, honour_id)


def _assessment_access(user, assessment_id) -> HonourAssessment:
    _require_manager(user)
    return queries.access_assessment(user, assessment_id)


def _studio_access(user, studio_id) -> HonourStudio:
    _require_manager(user)
    return queries.access_studio(user, studio_id)


def _member(user, employee_no: str, field: str):
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


class HonourCriterionOut(Schema):
    id: int
    team_type: str
    team_type_label: str
    title: str
    max_points: Decimal


class HonourCriterionIn(Schema):
    team_type: TeamTypeCode
    title: str = Field(..., max_length=200)
    max_points: Decimal = Field(..., gt=0, le=1000, max_digits=5, decimal_places=1)


class HonourPassMarkIn(Schema):
    pass_percent: Decimal = Field(..., gt=0, le=100, max_digits=4, decimal_places=1)


class HonourPassMarkOut(Schema):
    pass_percent: Decimal


class HonourScoreOut(Schema):
    criterion_id: int
    team_type: str
    title: str
    max_points: Decimal
    self_points: Decimal | None
    evidence: str
    review_points: Decimal | None


class HonourAssessmentOut(Schema):
    id: int
    team_name: str
    org_unit_id: int
    org_unit_name: str
    year: int
    state: str
    state_label: str
    self_total: Decimal | None
    review_total: Decimal | None
    review_rate: Decimal | None
    pass_percent: Decimal | None
    honour_id: int | None


class HonourAssessmentDetail(HonourAssessmentOut):
    summary: str
    review_note: str
    scores: list[HonourScoreOut]


class HonourAssessmentIn(Schema):
    team_name: str = Field(..., max_length=100)
    org_unit_id: Id
    year: Year
    summary: str = Field("", max_length=5000)


class HonourScoreIn(Schema):
    criterion_id: Id
    points: Decimal | None = Field(None, ge=0, le=1000, max_digits=5, decimal_places=1)
    evidence: str = Field("", max_length=2000)


class HonourSelfAssessmentIn(Schema):
    scores: list[HonourScoreIn] = Field(..., max_length=200)
    summary: str | None = Field(None, max_length=5000)


class HonourReviewScoreIn(Schema):
    criterion_id: Id
    points: Decimal = Field(..., ge=0, le=1000, max_digits=5, decimal_places=1)


class HonourReviewIn(Schema):
    scores: list[HonourReviewScoreIn] = Field(..., max_length=200)
    note: str = Field("", max_length=500)
    record_honour: bool = False
    awarding_body: str = Field("", max_length=200)


class HonourStudioOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    lead_member_id: int
    lead_name: str
    org_unit_id: int
    org_unit_name: str
    founded_on: dt.date | None


class HonourStudioMemberOut(Schema):
    member_id: int
    name: str
    role: str
    joined_on: dt.date


class HonourStudioProjectOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    started_on: dt.date
    ended_on: dt.date | None
    description: str


class HonourStudioResultOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    benefit: str
    achieved_on: dt.date
    project_id: int | None


class HonourStudioDetail(HonourStudioOut):
    description: str
    members: list[HonourStudioMemberOut]
    projects: list[HonourStudioProjectOut]
    results: list[HonourStudioResultOut]


class HonourStudioIn(Schema):
    name: str = Field(..., max_length=100)
    kind: Literal["model_worker", "craftsman"]
    org_unit_id: Id
    lead_employee_no: str = Field(..., max_length=32)
    founded_on: Date | None = None
    description: str = Field("", max_length=5000)


class HonourStudioMemberIn(Schema):
    employee_no: str = Field(..., max_length=32)
    role: str = Field("", max_length=100)


class HonourStudioProjectIn(Schema):
    title: str = Field(..., max_length=200)
    started_on: Date
    ended_on: Date | None = None
    description: str = Field("", max_length=5000)


class HonourStudioProjectPatch(Schema):
    status: Literal["ongoing", "completed", "suspended"]
    ended_on: Date | None = None


class HonourStudioResultIn(Schema):
    title: str = Field(..., max_length=200)
    kind: Literal["patent", "method", "qc", "innovation", "other"]
    achieved_on: Date
    benefit: str = Field("", max_length=300)
    project_id: Id | None = None


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


def _assessment(a: HonourAssessment) -> dict:
    return {
        "id": a.pk,
        "team_name": a.team_name,
        "org_unit_id": a.org_unit_id,
        "org_unit_name": a.org_unit.name,
        "year": a.year,
        "state": a.state,
        "state_label": a.state_label,
        "self_total": a.self_total,
        "review_total": a.review_total,
        "review_rate": a.review_rate,
        "pass_percent": a.pass_percent,
        "honour_id": a.honour_id,
    }


def _assessment_detail(user, a: HonourAssessment) -> dict:
    return {
        **_assessment(a),
        "summary": a.summary,
        "review_note": a.review_note,
        "scores": [
            {
                "criterion_id": c.pk,
                "team_type": c.team_type,
                "title": c.title,
                "max_points": c.max_points,
                "self_points": s.self_points if s else None,
                "evidence": s.evidence if s else "",
                "review_points": s.review_points if s else None,
            }
            for c, s in queries.score_rows(a)
        ],
    }


def _studio(s: HonourStudio) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "lead_member_id": s.lead_id,
        "lead_name": s.lead.name,
        "org_unit_id": s.org_unit_id,
        "org_unit_name": s.org_unit.name,
        "founded_on": s.founded_on,
    }


def _project(p: HonourStudioProject) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "status": p.status,
        "status_label": p.get_status_display(),
        "started_on": p.started_on,
        "ended_on": p.ended_on,
        "description": p.description,
    }


def _studio_detail(s: HonourStudio) -> dict:
    return {
        **_studio(s),
        "description": s.description,
        "members": [
            {
                "member_id": m.member_id,
                "name": m.member.name,
                "role": m.role,
                "joined_on": m.joined_on,
            }
            for m in s.members.select_related("member")
        ],
        "projects": [_project(p) for p in s.projects.all()],
        "results": [
            {
                "id": r.pk,
                "title": r.title,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "benefit": r.benefit,
                "achieved_on": r.achieved_on,
                "project_id": r.project_id,
            }
            for r in s.results.all()
        ],
    }


def _care_item(i: HonourCareItem) -> dict:
    return {"id": i.pk, "name": i.name, "kind": i.kind, "level": i.level, "due_month": i.due_month}


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
    _require_manager(request.user)
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
    _require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    member = None
    if payload.member_employee_no.strip():
        member = _member(request.user, payload.member_employee_no, "member_employee_no")
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

    _require_manager(request.user)
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
    _require_manager(request.user)
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
    _require_manager(request.user)
    return api_page(queries.care_items(), paging.page, paging.per_page, transform=_care_item)


@router.post("/care/items", response={201: HonourCareItemOut})
def create_care_item(request, payload: HonourCareItemIn):
    _require_configurer(request.user)
    item = actions.do_create_honour_care_item(actor=request.user, **payload.dict())
    return Status(201, _care_item(item))


# --- the "五型" assessment ------------------------------------------------------------------------


def _criterion(c) -> dict:
    return {
        "id": c.pk,
        "team_type": c.team_type,
        "team_type_label": c.get_team_type_display(),
        "title": c.title,
        "max_points": c.max_points,
    }


@router.get("/criteria", response=page_schema(HonourCriterionOut, name="HonourCriterionPage"))
def list_criteria(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(queries.criteria(), paging.page, paging.per_page, transform=_criterion)


@router.post("/criteria", response={201: HonourCriterionOut})
def add_criterion(request, payload: HonourCriterionIn):
    _require_configurer(request.user)
    criterion = actions.do_add_honour_criterion(actor=request.user, **payload.dict())
    return Status(201, _criterion(criterion))


@router.put("/pass-mark", response=HonourPassMarkOut)
def set_pass_mark(request, payload: HonourPassMarkIn):
    """The assessment's pass mark: a percentage of the points available."""
    _require_configurer(request.user)
    config = actions.do_set_honour_pass_percent(
        actor=request.user, pass_percent=payload.pass_percent
    )
    return {"pass_percent": config.pass_percent}


@router.get("/assessments", response=page_schema(HonourAssessmentOut, name="HonourAssessmentPage"))
def list_assessments(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_assessments(request.user),
        paging.page,
        paging.per_page,
        transform=_assessment,
    )


@router.post("/assessments", response={201: HonourAssessmentDetail})
def create_assessment(request, payload: HonourAssessmentIn):
    _require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    assessment = actions.do_create_honour_assessment(
        actor=request.user,
        team_name=payload.team_name,
        org_unit=unit,
        year=payload.year,
        summary=payload.summary,
    )
    return Status(201, _assessment_detail(request.user, assessment))


@router.get("/assessments/{int:assessment_id}", response=HonourAssessmentDetail)
def get_assessment(request, assessment_id: Id):
    return _assessment_detail(request.user, _assessment_access(request.user, assessment_id))


@router.put("/assessments/{int:assessment_id}/scores", response=HonourAssessmentDetail)
def save_self_assessment(request, assessment_id: Id, payload: HonourSelfAssessmentIn):
    """The team's own points and evidence per criterion, while a draft."""
    assessment = _assessment_access(request.user, assessment_id)
    actions.do_save_honour_self_assessment(
        actor=request.user,
        assessment=assessment,
        scores={s.criterion_id: s.points for s in payload.scores},
        evidence={s.criterion_id: s.evidence for s in payload.scores},
        summary=payload.summary,
    )
    return _assessment_detail(request.user, _assessment_access(request.user, assessment_id))


add_step_routes(
    router,
    HONOUR_ASSESSMENT,
    path="/assessments/{int:assessment_id}",
    access=_assessment_access,
    record_arg="assessment",
    response=HonourAssessmentDetail,
    result=_assessment_detail,
    names=["submit"],
    schemas={"submit": None},
    function_names={"submit": "submit_assessment"},
)


# Written by hand, not by add_step_routes: the review's target (pass or fail) is not chosen by
# the caller but computed from the scores it sends.
@router.post("/assessments/{int:assessment_id}/review", response=HonourAssessmentDetail)
def review_assessment(request, assessment_id: Id, payload: HonourReviewIn):
    """The union's review: points per criterion; passed when the score rate reaches the pass
    mark, else failed; a pass may record the "五型"班组 honour at once."""
    assessment = _assessment_access(request.user, assessment_id)
    actions.do_review_honour_assessment(
        actor=request.user,
        assessment=assessment,
        scores={s.criterion_id: s.points for s in payload.scores},
        note=payload.note,
        record_honour=payload.record_honour,
        awarding_body=payload.awarding_body,
    )
    return _assessment_detail(request.user, _assessment_access(request.user, assessment_id))


# --- studios --------------------------------------------------------------------------------------


@router.get("/studios", response=page_schema(HonourStudioOut, name="HonourStudioPage"))
def list_studios(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_studios(request.user), paging.page, paging.per_page, transform=_studio
    )


@router.post("/studios", response={201: HonourStudioDetail})
def create_studio(request, payload: HonourStudioIn):
    _require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    lead = _member(request.user, payload.lead_employee_no, "lead_employee_no")
    studio = actions.do_create_honour_studio(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        lead=lead,
        org_unit=unit,
        founded_on=payload.founded_on,
        description=payload.description,
    )
    return Status(201, _studio_detail(studio))


@router.get("/studios/{int:studio_id}", response=HonourStudioDetail)
def get_studio(request, studio_id: Id):
    return _studio_detail(_studio_access(request.user, studio_id))


@router.post("/studios/{int:studio_id}/members", response={201: HonourStudioDetail})
def add_studio_member(request, studio_id: Id, payload: HonourStudioMemberIn):
    studio = _studio_access(request.user, studio_id)
    member = _member(request.user, payload.employee_no, "employee_no")
    actions.do_add_honour_studio_member(
        actor=request.user, studio=studio, member=member, role=payload.role
    )
    return Status(201, _studio_detail(studio))


@router.post("/studios/{int:studio_id}/projects", response={201: HonourStudioProjectOut})
def add_studio_project(request, studio_id: Id, payload: HonourStudioProjectIn):
    studio = _studio_access(request.user, studio_id)
    project = actions.do_add_honour_studio_project(
        actor=request.user, studio=studio, **payload.dict()
    )
    return Status(201, _project(project))


@router.patch("/studios/projects/{int:project_id}", response=HonourStudioProjectOut)
def update_studio_project(request, project_id: Id, payload: HonourStudioProjectPatch):
    """A project's status (ongoing, completed, suspended), set again at will."""
    _require_manager(request.user)
    project = queries.access_studio_project(request.user, project_id)
    actions.do_set_honour_studio_project_status(
        actor=request.user, project=project, status=payload.status, ended_on=payload.ended_on
    )
    return _project(project)


@router.post("/studios/{int:studio_id}/results", response={201: HonourStudioResultOut})
def add_studio_result(request, studio_id: Id, payload: HonourStudioResultIn):
    studio = _studio_access(request.user, studio_id)
    project = None
    if payload.project_id is not None:
        project = record_in_body(studio.projects.all(), payload.project_id, "project_id")
    result = actions.do_add_honour_studio_result(
        actor=request.user,
        studio=studio,
        title=payload.title,
        kind=payload.kind,
        achieved_on=payload.achieved_on,
        benefit=payload.benefit,
        project=project,
    )
    return Status(
        201,
        {
            "id": result.pk,
            "title": result.title,
            "kind": result.kind,
            "kind_label": result.get_kind_display(),
            "benefit": result.benefit,
            "achieved_on": result.achieved_on,
            "project_id": result.project_id,
        },
    )
