"""API of the "五型"班组 assessment and the innovation studios, mounted at
/api/v1/services/honours with the registry's routes (api/honours.py). Same queries and
actions, so the same rules, as the pages.

Cadres:   /criteria (GET, POST), /pass-mark (PUT) (the configuration: the top unit's cadres);
          /assessments (GET, POST), /assessments/{id} (GET), /assessments/{id}/scores (PUT),
          /assessments/{id}/documents (POST, multipart), /assessments/{id}/submit,
          /assessments/{id}/review; /studios (GET, POST), /studios/{id} (GET),
          /studios/{id}/members, /studios/{id}/projects, /studios/projects/{id} (PATCH),
          /studios/{id}/results
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core import attachments
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import honours_teams as team_actions
from zhijia.services.api.honours import member_by_employee_no, require_configurer, require_manager
from zhijia.services.models import HonourAssessment, HonourStudio, HonourStudioProject
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR_ASSESSMENT

router = Router(tags=["services-honours"])

TeamTypeCode = Literal["learning", "safety", "clean", "thrift", "harmony"]


def _assessment_access(user, assessment_id) -> HonourAssessment:
    require_manager(user)
    return queries.access_assessment(user, assessment_id)


def _studio_access(user, studio_id) -> HonourStudio:
    require_manager(user)
    return queries.access_studio(user, studio_id)


class HonourCriterionOut(Schema):
    id: int
    team_type: str
    team_type_label: str
    title: str
    max_points: Decimal
    active: bool


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
    documents: list[str]
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
        "documents": [d.original_name for d in attachments.attachments_for(a)],
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


# --- the "五型" assessment ------------------------------------------------------------------------


def _criterion(c) -> dict:
    return {
        "id": c.pk,
        "team_type": c.team_type,
        "team_type_label": c.get_team_type_display(),
        "title": c.title,
        "max_points": c.max_points,
        "active": c.active,
    }


@router.get("/criteria", response=page_schema(HonourCriterionOut, name="HonourCriterionPage"))
def list_criteria(request, paging: Query[PageParams]):
    require_manager(request.user)
    return api_page(queries.criteria(), paging.page, paging.per_page, transform=_criterion)


@router.post("/criteria", response={201: HonourCriterionOut})
def add_criterion(request, payload: HonourCriterionIn):
    require_configurer(request.user)
    criterion = team_actions.do_add_honour_criterion(actor=request.user, **payload.dict())
    return Status(201, _criterion(criterion))


class HonourCriterionActiveIn(Schema):
    active: bool


@router.patch("/criteria/{int:criterion_id}", response=HonourCriterionOut)
def set_criterion_active(request, criterion_id: Id, payload: HonourCriterionActiveIn):
    """Retire a criterion (new self-assessments no longer score it) or use it again."""
    require_configurer(request.user)
    criterion = team_actions.do_set_honour_criterion_active(
        actor=request.user, criterion=queries.access_criterion(criterion_id), active=payload.active
    )
    return _criterion(criterion)


@router.put("/pass-mark", response=HonourPassMarkOut)
def set_pass_mark(request, payload: HonourPassMarkIn):
    """The assessment's pass mark: a percentage of the points available."""
    require_configurer(request.user)
    config = team_actions.do_set_honour_pass_percent(
        actor=request.user, pass_percent=payload.pass_percent
    )
    return {"pass_percent": config.pass_percent}


@router.get("/assessments", response=page_schema(HonourAssessmentOut, name="HonourAssessmentPage"))
def list_assessments(request, paging: Query[PageParams]):
    require_manager(request.user)
    return api_page(
        queries.managed_assessments(request.user),
        paging.page,
        paging.per_page,
        transform=_assessment,
    )


@router.post("/assessments", response={201: HonourAssessmentDetail})
def create_assessment(request, payload: HonourAssessmentIn):
    require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    assessment = team_actions.do_create_honour_assessment(
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
    team_actions.do_save_honour_self_assessment(
        actor=request.user,
        assessment=assessment,
        scores={s.criterion_id: s.points for s in payload.scores},
        evidence={s.criterion_id: s.evidence for s in payload.scores},
        summary=payload.summary,
    )
    return _assessment_detail(request.user, _assessment_access(request.user, assessment_id))


@router.post("/assessments/{int:assessment_id}/documents", response={201: HonourAssessmentDetail})
def add_assessment_documents(request, assessment_id: Id, files: File[list[UploadedFile]]):
    """Evidence of the self-assessment (multipart, `files`), while a draft."""
    assessment = _assessment_access(request.user, assessment_id)
    team_actions.do_add_honour_assessment_documents(
        actor=request.user, assessment=assessment, files=files
    )
    return Status(201, _assessment_detail(request.user, assessment))


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
    team_actions.do_review_honour_assessment(
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
    require_manager(request.user)
    return api_page(
        queries.managed_studios(request.user), paging.page, paging.per_page, transform=_studio
    )


@router.post("/studios", response={201: HonourStudioDetail})
def create_studio(request, payload: HonourStudioIn):
    require_manager(request.user)
    unit = record_in_body(queries.scope_units(request.user), payload.org_unit_id, "org_unit_id")
    lead = member_by_employee_no(request.user, payload.lead_employee_no, "lead_employee_no")
    studio = team_actions.do_create_honour_studio(
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
    member = member_by_employee_no(request.user, payload.employee_no, "employee_no")
    team_actions.do_add_honour_studio_member(
        actor=request.user, studio=studio, member=member, role=payload.role
    )
    return Status(201, _studio_detail(studio))


@router.post("/studios/{int:studio_id}/projects", response={201: HonourStudioProjectOut})
def add_studio_project(request, studio_id: Id, payload: HonourStudioProjectIn):
    studio = _studio_access(request.user, studio_id)
    project = team_actions.do_add_honour_studio_project(
        actor=request.user, studio=studio, **payload.dict()
    )
    return Status(201, _project(project))


@router.patch("/studios/projects/{int:project_id}", response=HonourStudioProjectOut)
def update_studio_project(request, project_id: Id, payload: HonourStudioProjectPatch):
    """A project's status (ongoing, completed, suspended), set again at will."""
    require_manager(request.user)
    project = queries.access_studio_project(request.user, project_id)
    team_actions.do_set_honour_studio_project_status(
        actor=request.user, project=project, status=payload.status, ended_on=payload.ended_on
    )
    return _project(project)


@router.post("/studios/{int:studio_id}/results", response={201: HonourStudioResultOut})
def add_studio_result(request, studio_id: Id, payload: HonourStudioResultIn):
    studio = _studio_access(request.user, studio_id)
    project = None
    if payload.project_id is not None:
        project = record_in_body(studio.projects.all(), payload.project_id, "project_id")
    result = team_actions.do_add_honour_studio_result(
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
