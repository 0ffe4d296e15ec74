"""API of the rationalisation suggestions, mounted at /api/v1/services/suggestions. Same
queries and actions, so the same rules, as the pages.

Members:  GET /mine, POST "" (submit), GET /similar
          (?title=&problem=&proposal=: the most similar of the caller's union, title and state
          only), GET /{id} (with the timeline), POST /{id}/rating
Desk:     GET /desk (?queue=review|score|certify|decide, state, year), GET /{id}/similar,
          POST /{id}/review, /reject, /adopt, /implement, /certify, /reward (the declared
          steps, core.api_workflow.add_step_routes), POST /{id}/experts, POST /{id}/scores,
          POST /{id}/milestones, POST /milestones/{id}/complete, GET /figures?year=&unit_id=,
          GET /config?unit_id=, PUT /config
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id, Year
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services import suggestion_rules as rules
from zhijia.services.actions import suggestions as actions
from zhijia.services.models import Suggestion, SuggestionMilestone
from zhijia.services.queries import suggestions as queries
from zhijia.services.workflows import RATABLE_STATES, SUGGESTION

router = Router(tags=["services-suggestions"])


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_desk(user) -> None:
    if not queries.may_use_desk(user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


# --- schemas --------------------------------------------------------------------------------------


class SuggestionOut(Schema):
    id: int
    title: str
    category: str
    category_label: str
    author_name: str
    team_name: str
    org_unit_id: int
    org_unit_name: str
    department_id: int
    department_name: str
    submitted_at: dt.datetime
    year: int
    state: str
    state_label: str
    deadline_at: dt.datetime | None
    score: Decimal | None
    certified_benefit: Decimal | None
    reward_tier: str
    reward_amount: Decimal | None


class SuggestionHistoryOut(Schema):
    at: dt.datetime
    label: str
    state_label: str
    actor: str
    note: str


class SuggestionMilestoneOut(Schema):
    id: int
    title: str
    workdays: int
    deadline_at: dt.datetime | None
    state: str
    state_label: str
    escalation_level: int
    done_note: str


class SuggestionExpertOut(Schema):
    user_id: int
    name: str
    scored: bool
    comment: str


class SuggestionCriterionOut(Schema):
    name: str
    weight: int


class SuggestionAttachmentOut(Schema):
    id: uuid.UUID
    name: str
    url: str


class SuggestionDetail(SuggestionOut):
    attachments: list[SuggestionAttachmentOut]
    problem: str
    proposal: str
    expected_benefit: str
    coauthor_names: list[str]
    review_note: str
    decision_reason: str
    finance_department_id: int | None
    certified_note: str
    criteria: list[SuggestionCriterionOut]
    experts: list[SuggestionExpertOut]
    my_marks: dict[str, int]
    milestones: list[SuggestionMilestoneOut]
    history: list[SuggestionHistoryOut]
    steps: list[str]
    can_rate: bool
    rating: str


class SuggestionSimilarOut(Schema):
    id: int
    title: str
    state: str
    state_label: str
    score: float
    percent: int
    readable: bool


class SuggestionIn(Schema):
    title: str = Field(..., max_length=100)
    category: str = Field(..., max_length=20)
    problem: str = Field(..., max_length=5000)
    proposal: str = Field(..., max_length=5000)
    expected_benefit: str = Field("", max_length=2000)
    department_id: Id
    team_name: str = Field("", max_length=100)
    coauthor_employee_nos: list[str] = Field(default_factory=list, max_length=20)


class SuggestionNoteIn(Schema):
    note: str = Field("", max_length=2000)


class SuggestionReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class SuggestionAdoptIn(Schema):
    finance_department_id: Id
    note: str = Field("", max_length=2000)


class SuggestionCertifyIn(Schema):
    benefit: Decimal = Field(..., ge=0, le=1000000000, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=2000)


class SuggestionExpertsIn(Schema):
    employee_nos: list[str] = Field(..., min_length=1, max_length=10)


class SuggestionScoreIn(Schema):
    marks: dict[str, int] = Field(..., max_length=10)
    comment: str = Field("", max_length=2000)


class SuggestionMilestoneIn(Schema):
    title: str = Field(..., max_length=100)
    workdays: int = Field(..., ge=1, le=250)


class SuggestionMilestoneDoneIn(Schema):
    note: str = Field("", max_length=300)


class SuggestionRatingIn(Schema):
    rating: str = Field(..., max_length=20)


class SuggestionDeskParams(PageParams):
    queue: str = Field("", max_length=20, description="review | score | certify | decide")
    state: str = Field("", max_length=32)
    year: Year | None = None
    q: str = Field("", max_length=100, description="关键词：标题、问题与建议内容")


class SuggestionSimilarParams(Schema):
    title: str = Field("", max_length=100)
    problem: str = Field("", max_length=5000)
    proposal: str = Field("", max_length=5000)


class SuggestionFiguresRowOut(Schema):
    org_unit_id: int
    org_unit_name: str
    workers: int
    submitted: int
    per_100: Decimal | None
    decided: int
    adopted: int
    adoption_rate: Decimal | None
    implemented: int
    implementation_rate: Decimal | None
    certified_benefit: Decimal


class SuggestionFiguresOut(Schema):
    year: int
    org_unit_id: int
    rows: list[SuggestionFiguresRowOut]


class SuggestionTierOut(Schema):
    name: str = Field(..., max_length=20)
    min_benefit: Decimal = Field(..., ge=0, le=100000000, max_digits=14, decimal_places=2)
    min_score: Decimal = Field(..., ge=0, le=100, max_digits=4, decimal_places=1)
    amount: Decimal = Field(..., ge=0, le=100000000, max_digits=12, decimal_places=2)


class SuggestionCriterionIn(Schema):
    name: str = Field(..., max_length=20)
    weight: int = Field(..., ge=1, le=100)


class SuggestionConfigOut(Schema):
    org_unit_id: int
    own: bool
    criteria: list[SuggestionCriterionOut]
    tiers: list[SuggestionTierOut]


class SuggestionConfigIn(Schema):
    org_unit_id: Id
    criteria: list[SuggestionCriterionIn] = Field(..., max_length=10)
    tiers: list[SuggestionTierOut] = Field(..., max_length=10)


# --- rows -----------------------------------------------------------------------------------------


def _out(s: Suggestion) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "category": s.category,
        "category_label": s.get_category_display(),
        "author_name": s.author.get_full_name(),
        "team_name": s.team_name,
        "org_unit_id": s.org_unit_id,
        "org_unit_name": s.org_unit.name,
        "department_id": s.department_id,
        "department_name": s.department.name,
        "submitted_at": s.submitted_at,
        "year": s.year,
        "state": s.state,
        "state_label": SUGGESTION.state_label(s.state),
        "deadline_at": s.deadline_at,
        "score": s.score,
        "certified_benefit": s.certified_benefit,
        "reward_tier": s.reward_tier,
        "reward_amount": s.reward_amount,
    }


def _milestone(m: SuggestionMilestone) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "workdays": m.workdays,
        "deadline_at": m.deadline_at,
        "state": m.state,
        "state_label": m.state_label,
        "escalation_level": m.escalation_level,
        "done_note": m.done_note,
    }


def _detail(user, s: Suggestion) -> dict:
    staff = not queries.is_author(user, s) or queries.manages(user, s) or queries.reviews(user, s)
    return {
        **_out(s),
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "url": reverse("files:attachment-download", args=[a.pk]),
            }
            for a in queries.attachments_of(s)
        ],
        "problem": s.problem,
        "proposal": s.proposal,
        "expected_benefit": s.expected_benefit,
        "coauthor_names": [u.get_full_name() for u in s.coauthors.all()],
        "review_note": s.review_note,
        "decision_reason": s.decision_reason,
        "finance_department_id": s.finance_department_id,
        "certified_note": s.certified_note,
        "criteria": [{"name": c.name, "weight": c.weight} for c in queries.criteria_of(s)],
        "experts": [
            {
                "user_id": e.expert_id,
                "name": e.expert.get_full_name(),
                "scored": e.scored_at is not None,
                "comment": e.comment,
            }
            for e in queries.experts_of(s)
        ]
        if staff
        else [],
        "my_marks": queries.my_marks(user, s),
        "milestones": [_milestone(m) for m in queries.milestones_of(s)],
        "history": [
            {
                "at": r.at,
                "label": r.label,
                "state_label": r.state_label,
                "actor": r.actor,
                "note": r.note,
            }
            for r in history_view(s, user)
        ],
        "steps": [t.name for t in available_transitions(SUGGESTION, s, user)],
        "can_rate": queries.is_author(user, s)
        and s.in_state(*RATABLE_STATES)
        and s.rated_at is None,
        "rating": s.rating,
    }


def _similar(m: queries.Similar) -> dict:
    return {
        "id": m.suggestion.pk,
        "title": m.suggestion.title,
        "state": m.suggestion.state,
        "state_label": SUGGESTION.state_label(m.suggestion.state),
        "score": m.score,
        "percent": m.percent,
        "readable": m.readable,
    }


def _bounded(rows: list) -> dict:
    """A bounded answer (the nearest few, not a page) in the envelope of every list."""
    return api_page(rows, 1, max(1, len(rows)), transform=_similar)


def _users(actor, numbers: list[str], field: str) -> list:
    users = []
    for number in numbers:
        user = queries.member_user(actor, number)
        if user is None:
            raise actions.SuggestionError(
                _("没有工号为 %(no)s 的在册会员") % {"no": number}, field=field
            )
        users.append(user)
    return users


# --- members --------------------------------------------------------------------------------------


@router.get("/mine", response=page_schema(SuggestionOut, name="SuggestionPage"))
def my_suggestions(request, paging: Query[PageParams]):
    """The caller's suggestions and those they co-authored, newest first."""
    _require_member(request)
    return api_page(
        queries.my_suggestions(request.user), paging.page, paging.per_page, transform=_out
    )


@router.post("", response={201: SuggestionDetail})
def submit_suggestion(request, payload: SuggestionIn):
    _require_member(request)
    department = record_in_body(queries.departments(), payload.department_id, "department_id")
    suggestion = actions.do_submit_suggestion(
        actor=request.user,
        title=payload.title,
        category=payload.category,
        problem=payload.problem,
        proposal=payload.proposal,
        expected_benefit=payload.expected_benefit,
        department=department,
        team_name=payload.team_name,
        coauthors=_users(request.user, payload.coauthor_employee_nos, "coauthor_employee_nos"),
    )
    return Status(
        201, _detail(request.user, queries.access_suggestion(request.user, suggestion.pk))
    )


@router.get("/similar", response=page_schema(SuggestionSimilarOut, name="SuggestionSimilarPage"))
def similar_while_writing(request, params: Query[SuggestionSimilarParams]):
    """The earlier suggestions of the caller's union most like the text being written (at
    most similarity.TOP, best first): title and state only; `readable` says which the caller
    may open."""
    _require_member(request)
    return _bounded(
        queries.similar_for_member(request.user, params.title, params.problem, params.proposal)
    )


@router.get("/desk", response=page_schema(SuggestionOut, name="SuggestionDeskPage"))
def desk(request, params: Query[SuggestionDeskParams]):
    """What the caller handles as a department handler, expert, finance handler or cadre."""
    _require_desk(request.user)
    return api_page(
        queries.desk_list(
            request.user,
            queue=params.queue if params.queue in queries.QUEUES else "",
            state=params.state,
            year=params.year,
            q=params.q,
        ),
        params.page,
        params.per_page,
        transform=_out,
    )


@router.get("/figures", response=SuggestionFiguresOut)
def figures(request, year: Year | None = None, unit_id: Id | None = None):
    """Yearly figures of a unit's subtree and of each of its child units (see the page)."""
    _require_manager(request.user)
    year = year or timezone.localdate().year
    if unit_id is not None:
        unit = queries.access_figure_unit(request.user, unit_id)
    else:
        first = queries.figure_units(request.user).first()
        if first is None:
            raise PermissionDenied
        unit = first
    return {
        "year": year,
        "org_unit_id": unit.pk,
        "rows": [
            {
                "org_unit_id": u.pk,
                "org_unit_name": u.name,
                "workers": f.counts.workers,
                "submitted": f.counts.submitted,
                "per_100": f.per_100,
                "decided": f.decided,
                "adopted": f.counts.adopted,
                "adoption_rate": f.adoption_rate,
                "implemented": f.counts.implemented,
                "implementation_rate": f.implementation_rate,
                "certified_benefit": f.counts.benefit,
            }
            for u, f in queries.figures_rows(unit, year)
        ],
    }


def _config(unit) -> dict:
    own_criteria, own_tiers = queries.has_own_config(unit)
    return {
        "org_unit_id": unit.pk,
        "own": own_criteria or own_tiers,
        "criteria": [{"name": c.name, "weight": c.weight} for c in queries.criteria_for(unit)],
        "tiers": [
            {
                "name": t.name,
                "min_benefit": t.min_benefit,
                "min_score": t.min_score,
                "amount": t.amount,
            }
            for t in queries.tiers_for(unit)
        ],
    }


@router.get("/config", response=SuggestionConfigOut)
def get_config(request, unit_id: Id | None = None):
    """The criteria and tiers in force for a unit (its own, else the nearest above, else the
    defaults)."""
    _require_manager(request.user)
    if unit_id is not None:
        unit = queries.access_figure_unit(request.user, unit_id)
    else:
        first = queries.figure_units(request.user).first()
        if first is None:
            raise PermissionDenied
        unit = first
    return _config(unit)


@router.put("/config", response=SuggestionConfigOut)
def set_config(request, payload: SuggestionConfigIn):
    _require_manager(request.user)
    unit = record_in_body(queries.figure_units(request.user), payload.org_unit_id, "org_unit_id")
    actions.do_set_suggestion_config(
        actor=request.user,
        org_unit=unit,
        criteria=[rules.Criterion(c.name.strip(), c.weight) for c in payload.criteria],
        tiers=[
            rules.Tier(t.name.strip(), t.min_benefit, t.min_score, t.amount) for t in payload.tiers
        ],
    )
    return _config(unit)


@router.post("/milestones/{int:milestone_id}/complete", response=SuggestionMilestoneOut)
def complete_milestone(request, milestone_id: Id, payload: SuggestionMilestoneDoneIn):
    milestone = queries.access_milestone(request.user, milestone_id)
    actions.do_complete_suggestion_milestone(
        actor=request.user, milestone=milestone, note=payload.note
    )
    return _milestone(queries.access_milestone(request.user, milestone_id))


@router.get("/{int:suggestion_id}", response=SuggestionDetail)
def get_suggestion(request, suggestion_id: Id):
    return _detail(request.user, queries.access_suggestion(request.user, suggestion_id))


@router.get(
    "/{int:suggestion_id}/similar",
    response=page_schema(SuggestionSimilarOut, name="SuggestionReviewSimilarPage"),
)
def similar(request, suggestion_id: Id):
    """The earlier suggestions most like this one among those the caller may read (at most
    similarity.TOP, best first)."""
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    return _bounded(queries.similar_to(request.user, suggestion))


@router.post("/{int:suggestion_id}/rating", response=SuggestionDetail)
def rate(request, suggestion_id: Id, payload: SuggestionRatingIn):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    actions.do_rate_suggestion(actor=request.user, suggestion=suggestion, rating=payload.rating)
    return _detail(request.user, queries.access_suggestion(request.user, suggestion_id))


@router.post("/{int:suggestion_id}/attachments", response={201: SuggestionDetail})
def attach_files(request, suggestion_id: Id, files: File[list[UploadedFile]]):
    """The author adds files (multipart, `files`: images, PDF, Office, text) until the
    department's review."""
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    actions.do_attach_suggestion_files(actor=request.user, suggestion=suggestion, files=files)
    return Status(
        201, _detail(request.user, queries.access_suggestion(request.user, suggestion_id))
    )


@router.post("/{int:suggestion_id}/experts", response=SuggestionDetail)
def appoint_experts(request, suggestion_id: Id, payload: SuggestionExpertsIn):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    actions.do_appoint_suggestion_experts(
        actor=request.user,
        suggestion=suggestion,
        experts=_users(request.user, payload.employee_nos, "employee_nos"),
    )
    return _detail(request.user, queries.access_suggestion(request.user, suggestion_id))


@router.post("/{int:suggestion_id}/scores", response=SuggestionDetail)
def score(request, suggestion_id: Id, payload: SuggestionScoreIn):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    actions.do_score_suggestion(
        actor=request.user, suggestion=suggestion, marks=payload.marks, comment=payload.comment
    )
    return _detail(request.user, queries.access_suggestion(request.user, suggestion_id))


@router.post("/{int:suggestion_id}/milestones", response={201: SuggestionMilestoneOut})
def add_milestone(request, suggestion_id: Id, payload: SuggestionMilestoneIn):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    milestone = actions.do_add_suggestion_milestone(
        actor=request.user, suggestion=suggestion, title=payload.title, workdays=payload.workdays
    )
    return Status(201, _milestone(milestone))


add_step_routes(
    router,
    SUGGESTION,
    path="/{int:suggestion_id}",
    access=queries.access_suggestion,
    record_arg="suggestion",
    response=SuggestionDetail,
    result=_detail,
    arguments={
        "adopt": lambda record, payload: {
            "finance_department": record_in_body(
                queries.departments(), payload.finance_department_id, "finance_department_id"
            ),
            "note": payload.note,
        },
    },
    function_names={
        "review": "review_suggestion",
        "reject": "reject_suggestion",
        "adopt": "adopt_suggestion",
        "implement": "implement_suggestion",
        "certify": "certify_suggestion_benefit",
        "reward": "reward_suggestion",
    },
)
