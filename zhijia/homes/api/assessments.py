"""API of a branch's 建家 assessment, mounted at /api/v1/homes.

GET  /assessments/{id}            the assessment, its scores and evidence figures
PUT  /assessments/{id}/scores     the branch saves its self-scores and evidence (draft)
POST /assessments/{id}/submit | return | review   the declared steps (core.api_workflow)
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Router, Schema

from zhijia.core.api_types import Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.homes.actions import assessments as actions
from zhijia.homes.models import Assessment
from zhijia.homes.queries import assessments as queries
from zhijia.homes.workflows import ASSESSMENT

router = Router(tags=["homes-assessments"])

Points = Decimal


class HomesEvidenceOut(Schema):
    key: str
    label: str
    value: float | None
    unit: str
    missing: bool


class HomesScoreOut(Schema):
    criterion_id: int
    heading: str
    title: str
    max_score: Decimal
    weight: Decimal
    evidence_hint: str
    self_score: Decimal | None
    evidence: str
    review_score: Decimal | None
    review_comment: str
    figures: list[HomesEvidenceOut]


class HomesAssessmentOut(Schema):
    id: int
    round_id: int
    round_title: str
    year: int
    org_unit_id: int
    org_unit_name: str
    state: str
    state_label: str
    self_total: Decimal | None
    review_total: Decimal | None
    review_note: str
    title: str
    scores: list[HomesScoreOut]


class HomesScoreIn(Schema):
    criterion_id: Id
    score: Decimal | None = Field(None, ge=-1000, le=1000, max_digits=8, decimal_places=3)
    text: str = Field("", max_length=2000)


class HomesScoresIn(Schema):
    scores: list[HomesScoreIn] = Field(..., max_length=200)


class HomesReviewIn(HomesScoresIn):
    note: str = Field("", max_length=500)


class HomesReturnIn(Schema):
    note: str = Field(..., max_length=500)


def _value(v) -> float | None:
    return None if v is None else float(v)


def detail(user, a: Assessment) -> dict:
    rows = []
    for s in queries.scores(a):
        c = s.criterion
        rows.append(
            {
                "criterion_id": c.pk,
                "heading": c.heading,
                "title": c.title,
                "max_score": c.max_score,
                "weight": c.weight,
                "evidence_hint": c.evidence_hint,
                "self_score": s.self_score,
                "evidence": s.evidence,
                "review_score": s.review_score,
                "review_comment": s.review_comment,
                "figures": [
                    {**e.__dict__, "value": _value(e.value)} for e in queries.evidence(a, c.keys())
                ],
            }
        )
    return {
        "id": a.pk,
        "round_id": a.round_id,
        "round_title": a.round.title,
        "year": a.round.year,
        "org_unit_id": a.org_unit_id,
        "org_unit_name": a.org_unit.name,
        "state": a.state,
        "state_label": a.state_label,
        "self_total": a.self_total,
        "review_total": a.review_total,
        "review_note": a.review_note,
        "title": a.title,
        "scores": rows,
    }


def _pairs(payload: HomesScoresIn) -> dict[int, tuple[object, str]]:
    return {s.criterion_id: (s.score, s.text) for s in payload.scores}


@router.get("/assessments/{int:assessment_id}", response=HomesAssessmentOut)
def get_assessment(request, assessment_id: Id):
    return detail(request.user, queries.access_assessment(request.user, assessment_id))


@router.put("/assessments/{int:assessment_id}/scores", response=HomesAssessmentOut)
def save_scores(request, assessment_id: Id, payload: HomesScoresIn):
    """The branch's self-scores (≤ each criterion's maximum) and evidence, while a draft."""
    record = queries.access_assessment(request.user, assessment_id)
    actions.do_save_self_assessment(actor=request.user, assessment=record, scores=_pairs(payload))
    return detail(request.user, queries.access_assessment(request.user, assessment_id))


add_step_routes(
    router,
    ASSESSMENT,
    path="/assessments/{int:assessment_id}",
    access=queries.access_assessment,
    record_arg="assessment",
    response=HomesAssessmentOut,
    result=detail,
    names=["submit", "return", "review"],
    schemas={"submit": None, "return": HomesReturnIn, "review": HomesReviewIn},
    arguments={
        "return": lambda record, payload: {"note": payload.note},
        "review": lambda record, payload: {"reviews": _pairs(payload), "note": payload.note},
    },
    function_names={
        "submit": "submit_assessment",
        "return": "return_assessment",
        "review": "review_assessment",
    },
)
