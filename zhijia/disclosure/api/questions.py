"""API of workers' questions: the cadres' queue, answering, closing, withdrawing."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhijia.core.api_types import DeprecatedId, Id, RenamedQuery
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.disclosure.api.items import QuestionOut, _question, question_out
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.workflows import QUESTION

router = Router(tags=["disclosure"])


class AnswerIn(Schema):
    answer: str = Field(..., max_length=10_000)
    public: bool = True


class CloseIn(Schema):
    reason: str = Field(..., max_length=1000)


class QueueQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    state: str = Field("open", max_length=32)
    unit_id: Id | None = None
    unit: DeprecatedId = None


@router.get("/questions", response=page_schema(QuestionOut, name="DisclosureQuestionQueuePage"))
def question_queue(request, filters: Query[QueueQuery]):
    """Questions on items of the caller's scope; `state=open` (default), a state, or "" for all."""
    if filters.state not in ("", "open", *QUESTION.states):
        raise ActionRefused(_("未知的状态"), field="state")
    unit = None
    if filters.unit_id is not None:
        unit = queries.get_unit(filters.unit_id)
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


# answer {"answer", "public"}, close {"reason"}, withdraw (the asker): the declared actions.
add_step_routes(
    router,
    QUESTION,
    path="/questions/{question_id}",
    access=queries_questions.access_question,
    record_arg="question",
    response=QuestionOut,
    result=question_out,
    names=["withdraw", "answer", "close"],
    function_names={
        "withdraw": "question_withdraw",
        "answer": "question_answer",
        "close": "question_close",
    },
)
