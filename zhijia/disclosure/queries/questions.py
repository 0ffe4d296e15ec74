"""Reads of workers' questions about disclosed items: who may answer, the queue, one's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Q,
    QuerySet,
)
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.disclosure.models import (
    Item,
    Question,
)
from zhijia.disclosure.permissions import (
    ANSWER_QUESTION,
)
from zhijia.disclosure.queries.items import _authenticated, parse_id
from zhijia.disclosure.workflows import OPEN_STATES
from zhijia.org.models import OrgUnit


def may_answer(user, item: Item) -> bool:
    return has_perm(user, ANSWER_QUESTION, unit=item.org_unit)


def questions_for_item(user, item: Item) -> list[Question]:
    """All questions for the item's answerers; else the user's own and the public answers."""
    qs = item.questions.select_related("asker", "answered_by", "asker_unit")
    if may_answer(user, item):
        return list(qs.order_by("-created_at", "-id"))
    own = Q(asker=user) if _authenticated(user) else Q(pk__in=[])
    return list(qs.filter(own | Q(public=True, state="answered")).order_by("-created_at", "-id"))


@dataclass(frozen=True)
class QuestionFilters:
    state: str = "open"  # "open" (asked or escalated), a state, or "" for all
    unit: OrgUnit | None = None


def question_queue(user, filters: QuestionFilters | None = None) -> QuerySet[Question]:
    """Questions on items of the user's disclosure.answer_question scope, oldest deadline first."""
    filters = filters or QuestionFilters()
    if not has_perm(user, ANSWER_QUESTION):
        raise PermissionDenied(ANSWER_QUESTION)
    qs = Question.objects.filter(scope_q(user, ANSWER_QUESTION, path_field="org_unit__path"))
    if filters.state == "open":  # allow: state the queue filter's "open", not a record's state
        qs = qs.filter(state__in=OPEN_STATES)
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.unit.path)
    return qs.select_related("item", "org_unit", "asker", "asker_unit").order_by(
        "deadline_at", "created_at", "id"
    )


def open_questions_of(item: Item) -> list[Question]:
    return list(item.questions.filter(state__in=OPEN_STATES).select_related("asker"))


def open_question_count(user) -> int:
    if not has_perm(user, ANSWER_QUESTION):
        return 0
    return question_queue(user).count()


def access_question(user, question_id: Any) -> Question:
    """A question for its asker or for an answerer of its item's unit; else 404."""
    pk = parse_id(question_id)
    if pk is None or not _authenticated(user):
        raise Http404
    question = (
        Question.objects.select_related("item", "item__org_unit", "org_unit", "asker")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    if question.asker_id == user.pk or has_perm(user, ANSWER_QUESTION, unit=question.org_unit):
        return question
    raise Http404


def my_questions(user) -> QuerySet[Question]:
    if not _authenticated(user):
        return Question.objects.none()
    return Question.objects.filter(asker=user).select_related("item").order_by("-created_at")
