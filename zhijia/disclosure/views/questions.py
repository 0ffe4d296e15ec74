"""Pages of workers' questions: the cadres' queue, answering, closing; the asker's withdrawal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.core.pagination import paginate
from zhijia.core.permissions import require
from zhijia.core.views_workflow import transition_step
from zhijia.core.workflow import available_transitions, history_view
from zhijia.disclosure.forms.questions import (
    AnswerForm,
    CloseQuestionForm,
    QuestionFilterForm,
)
from zhijia.disclosure.permissions import ANSWER_QUESTION
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.views.items import _pick_unit, _querystring
from zhijia.disclosure.workflows import QUESTION


@login_required
@require_GET
def question_queue(request):
    require(request.user, ANSWER_QUESTION)
    units = queries.units_in_scope(request.user, ANSWER_QUESTION)
    form = QuestionFilterForm(request.GET or None, units=units, states=QUESTION.state_choices)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries_questions.QuestionFilters(
        # No state in the query: the open ones; an empty state: all of them.
        state=data.get("state", "open") if "state" in request.GET else "open",
        unit=_pick_unit(units, data.get("unit")) if data.get("unit") else None,
    )
    page = paginate(request, queries_questions.question_queue(request.user, filters))
    for q in page.items:
        q.state_label = QUESTION.state_label(q.state)  # type: ignore[attr-defined]
    context = {
        "title": _("职工提问"),
        "form": form,
        "page": page,
        "questions": page.items,
        "querystring": _querystring(request),
    }
    return render(request, "disclosure/question_queue.html", context)


def _question_context(request, question, **extra) -> dict:
    names = {t.name for t in available_transitions(QUESTION, question, request.user)}
    context = {
        "title": _("职工提问"),
        "question": question,
        "item": question.item,
        "state_label": QUESTION.state_label(question.state),
        "can_answer": "answer" in names,
        "can_close": "close" in names,
        "can_withdraw": "withdraw" in names,
        "answer_form": AnswerForm(),
        "close_form": CloseQuestionForm(),
        # the workflow's history rule: the answering cadres only
        "events": history_view(question, request.user, workflow=QUESTION),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def question_detail(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    return render(request, "disclosure/question_detail.html", _question_context(request, question))


def _question_page(request, question, status: int, **forms):
    context = _question_context(request, question, **forms)
    return render(request, "disclosure/question_detail.html", context, status=status)


@login_required
@require_POST
def question_answer(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    return transition_step(
        request,
        QUESTION,
        "answer",
        record=question,
        record_arg="question",
        on_error=lambda form, status: _question_page(request, question, status, answer_form=form),
        success_url=question.get_absolute_url(),
        message=_("已答复"),
    )


@login_required
@require_POST
def question_close(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    return transition_step(
        request,
        QUESTION,
        "close",
        record=question,
        record_arg="question",
        on_error=lambda form, status: _question_page(request, question, status, close_form=form),
        success_url=question.get_absolute_url(),
        message=_("已关闭"),
    )


@login_required
@require_POST
def question_withdraw(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    return transition_step(
        request,
        QUESTION,
        "withdraw",
        record=question,
        record_arg="question",
        on_error=lambda form, status: _question_page(request, question, status, withdraw_form=form),
        success_url=f"{question.item.get_absolute_url()}#q{question.pk}",
        message=_("提问已撤回"),
    )
