"""API of surveys, mounted at /api/v1/services/surveys. Same queries and actions, so the same
rules, as the pages.

Members:  GET "" (my surveys, with `answered`), GET /{id} (with its questions),
          POST /{id}/answer {"answers": {"<question id>": value}} (once; values as in
          zhijia.services.survey_rules)
Cadres:   GET /manage, POST /manage/{id}/open, /close, /remind, GET /manage/{id}/results
Errors: 400 bad answer (the field is answers.<question id>), 403 the role may not, 404 not in
the audience or out of scope, 409 answered already, closed, not open yet; 422 malformed body.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from pydantic import Field

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.services.actions import surveys as actions
from zhijia.services.models import Survey, SurveyQuestion
from zhijia.services.permissions import MANAGE_SURVEYS
from zhijia.services.queries import surveys as queries
from zhijia.services.queries.counseling import is_member

router = Router(tags=["services-surveys"])


def _require_member(request):
    if not is_member(request.user):
        raise PermissionDenied


def _require_manager(request):
    if not has_perm(request.user, MANAGE_SURVEYS):
        raise PermissionDenied(MANAGE_SURVEYS)


# --- schemas --------------------------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    title: str
    intro: str
    kind: str
    kind_label: str
    anonymous: bool
    state: str
    state_label: str
    org_unit_id: int
    org_unit_name: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    answered: bool
    answerable: bool


class SurveyQuestionOut(Schema):
    id: int
    position: int
    kind: str
    kind_label: str
    text: str
    required: bool
    options: list[str]
    rows: list[str]
    min_picks: int
    max_picks: int
    scale: str


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]


AnswerValue = str | list[str] | dict[str, str] | None


class SurveyAnswerIn(Schema):
    answers: dict[str, AnswerValue] = Field(
        ...,
        description=(
            "题目 id → 回答：单选、评分、填空为字符串；多选为字符串数组；矩阵为 {行号: 选项号}"
        ),
        max_length=200,
    )


class SurveyManagedOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    anonymous: bool
    state: str
    state_label: str
    org_unit_id: int
    org_unit_name: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    respondents: int


class SurveyManagedFilters(PageParams):
    state: str = Field("", max_length=16)
    kind: str = Field("", max_length=16)
    q: str = Field("", max_length=100)


class SurveyRemindOut(Schema):
    reminded: int


class SurveyOptionCount(Schema):
    label: str
    count: int
    percent: int


class SurveyMatrixRow(Schema):
    label: str
    cells: list[SurveyOptionCount]


class SurveyWordCount(Schema):
    word: str
    count: int


class SurveyQuestionResult(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    options: list[SurveyOptionCount]
    average: float | None
    matrix: list[SurveyMatrixRow]
    texts: list[str]
    words: list[SurveyWordCount]
    topics: list[SurveyWordCount]


class SurveyResultsOut(Schema):
    survey_id: int
    respondents: int
    audience: int
    questions: list[SurveyQuestionResult]


# --- shaping --------------------------------------------------------------------------------------


def _base(s: Survey) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "intro": s.intro,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "anonymous": s.anonymous,
        "state": s.state,
        "state_label": s.get_state_display(),
        "org_unit_id": s.org_unit_id,
        "org_unit_name": s.org_unit.name,
        "opens_at": s.opens_at,
        "closes_at": s.closes_at,
    }


def _mine(s: Survey) -> dict:
    data = _base(s)
    answered = bool(getattr(s, "answered", False))
    data["answered"] = answered
    data["answerable"] = queries.accepts_answers(s) and not answered
    return data


def _question(q: SurveyQuestion) -> dict:
    return {
        "id": q.pk,
        "position": q.position,
        "kind": q.kind,
        "kind_label": q.get_kind_display(),
        "text": q.text,
        "required": q.required,
        "options": list(q.options or []),
        "rows": list(q.rows or []),
        "min_picks": q.min_picks,
        "max_picks": q.max_picks,
        "scale": q.scale,
    }


def _detail(s: Survey) -> dict:
    data = _mine(s)
    data["questions"] = [_question(q) for q in queries.questions_of(s)]
    return data


def _managed(s: Survey) -> dict:
    data = _base(s)
    data.pop("intro")
    data["respondents"] = getattr(s, "respondents", None) or queries.respondent_count(s)
    return data


def _counts(rows) -> list[dict]:
    return [{"label": o.label, "count": o.count, "percent": o.percent} for o in rows]


def _results(results: queries.SurveyResults) -> dict:
    return {
        "survey_id": results.survey.pk,
        "respondents": results.respondents,
        "audience": results.audience,
        "questions": [
            {
                "question_id": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "options": _counts(r.options),
                "average": r.average,
                "matrix": [{"label": label, "cells": _counts(c)} for label, c in r.matrix_rows],
                "texts": r.texts,
                "words": [{"word": w, "count": n} for w, n in r.words],
                "topics": [{"word": w, "count": n} for w, n in r.topics],
            }
            for r in results.questions
        ],
    }


# --- members --------------------------------------------------------------------------------------


@router.get("", response=page_schema(SurveyOut, name="SurveyPage"))
def list_my_surveys(request, paging: Query[PageParams]):
    """Surveys asked of the caller's unit (open and closed), with `answered`."""
    _require_member(request)
    return api_page(
        queries.surveys_for_member(request.user).select_related("org_unit"),
        paging.page,
        paging.per_page,
        transform=_mine,
    )


@router.get("/{int:survey_id}", response=SurveyDetailOut)
def get_survey(request, survey_id: Id):
    _require_member(request)
    return _detail(queries.access_survey_to_answer(request.user, survey_id))


@router.post("/{int:survey_id}/answer", response={201: SurveyOut})
def answer_survey(request, survey_id: Id, payload: SurveyAnswerIn):
    """Answer once. An anonymous survey's answer is linked to nobody: the answer says only
    that the caller has answered."""
    _require_member(request)
    survey = queries.access_survey_to_answer(request.user, survey_id)
    actions.do_answer_survey(actor=request.user, survey=survey, answers=payload.answers)
    return Status(201, _mine(queries.access_survey_to_answer(request.user, survey_id)))


# --- cadres ---------------------------------------------------------------------------------------


@router.get("/manage", response=page_schema(SurveyManagedOut, name="SurveyManagedPage"))
def list_managed_surveys(request, filters: Query[SurveyManagedFilters]):
    _require_manager(request)
    qs = queries.managed_surveys(request.user, state=filters.state, kind=filters.kind, q=filters.q)
    return api_page(qs, filters.page, filters.per_page, transform=_managed)


@router.post("/manage/{int:survey_id}/open", response=SurveyManagedOut)
def open_survey(request, survey_id: Id):
    survey = queries.access_managed_survey(request.user, survey_id)
    actions.do_open_survey(actor=request.user, survey=survey)
    return _managed(queries.access_managed_survey(request.user, survey_id))


@router.post("/manage/{int:survey_id}/close", response=SurveyManagedOut)
def close_survey(request, survey_id: Id):
    survey = queries.access_managed_survey(request.user, survey_id)
    actions.do_close_survey(actor=request.user, survey=survey)
    return _managed(queries.access_managed_survey(request.user, survey_id))


@router.post("/manage/{int:survey_id}/remind", response=SurveyRemindOut)
def remind_survey(request, survey_id: Id):
    """Remind a named survey's members who have not answered (anonymous surveys: 409)."""
    survey = queries.access_managed_survey(request.user, survey_id)
    return {"reminded": actions.do_remind_survey(actor=request.user, survey=survey)}


@router.get("/manage/{int:survey_id}/results", response=SurveyResultsOut)
def survey_results(request, survey_id: Id):
    survey = queries.access_managed_survey(request.user, survey_id)
    return _results(queries.results_for(survey))
