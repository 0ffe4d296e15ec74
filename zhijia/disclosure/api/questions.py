"""API of workers' questions: the cadres' queue, answering, closing, withdrawing."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.disclosure.actions import questions as actions_questions
from zhijia.disclosure.api.items import QuestionOut, _question
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.workflows import QUESTION

router = Router(tags=["disclosure"])


class AnswerIn(Schema):
    answer: str = Field(..., max_length=10_000)
    public: bool = True


class CloseIn(Schema):
    reason: str = Field(..., max_length=1000)


class QueueQuery(PageParams):
    state: str = Field("open", max_length=32)
    unit: Id | None = None


@router.post("/questions/{question_id}/withdraw", response=QuestionOut)
def question_withdraw(request, question_id: Id):
    question = queries_questions.access_question(request.user, question_id)
    actions_questions.do_withdraw_question(actor=request.user, question=question)
    return _question(request, question)


@router.get("/questions", response=page_schema(QuestionOut, name="DisclosureQuestionQueuePage"))
def question_queue(request, filters: Query[QueueQuery]):
    """Questions on items of the caller's scope; `state=open` (default), a state, or "" for all."""
    if filters.state not in ("", "open", *QUESTION.states):
        raise HttpError(400, {"state": ["未知的状态"]})  # type: ignore[arg-type]
    unit = None
    if filters.unit is not None:
        unit = queries.get_unit(filters.unit)
        if unit is None:
            raise Http404
    return api_page(
        queries_questions.question_queue(
            request.user, queries_questions.QuestionFilters(filters.state, unit)
        ),
        filters.page,
        filters.per_page,
        transform=lambda q: _question(request, q),
    )


@router.get("/questions/{question_id}", response=QuestionOut)
def question_detail(request, question_id: Id):
    return _question(request, queries_questions.access_question(request.user, question_id))


@router.post("/questions/{question_id}/answer", response=QuestionOut)
def question_answer(request, question_id: Id, payload: AnswerIn):
    question = queries_questions.access_question(request.user, question_id)
    actions_questions.do_answer_question(
        actor=request.user, question=question, answer=payload.answer, public=payload.public
    )
    return _question(request, question)


@router.post("/questions/{question_id}/close", response=QuestionOut)
def question_close(request, question_id: Id, payload: CloseIn):
    question = queries_questions.access_question(request.user, question_id)
    actions_questions.do_close_question(
        actor=request.user, question=question, reason=payload.reason
    )
    return _question(request, question)
