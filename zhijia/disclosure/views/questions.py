"""Pages of workers' questions: the cadres' queue, answering, closing; the asker's withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import paginate
from zhijia.core.permissions import require
from zhijia.core.workflow import TransitionError, available_transitions, history_view
from zhijia.disclosure.actions import questions as actions_questions
from zhijia.disclosure.forms.questions import (
    AnswerForm,
    CloseQuestionForm,
    QuestionFilterForm,
)
from zhijia.disclosure.permissions import ANSWER_QUESTION
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.views.items import _add_errors, _pick_unit, _querystring
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


def _question_step(request, question, call, form, key: str):
    try:
        call()
    except TransitionError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        form.add_error(None, exc.message)
    except (ValidationError, ActionRefused) as exc:
        _add_errors(form, exc)
    else:
        return None
    context = _question_context(request, question, **{key: form})
    return render(request, "disclosure/question_detail.html", context, status=400)


@login_required
@require_POST
def question_answer(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        context = _question_context(request, question, answer_form=form)
        return render(request, "disclosure/question_detail.html", context, status=400)
    d = form.cleaned_data
    failed = _question_step(
        request,
        question,
        lambda: actions_questions.do_answer_question(
            actor=request.user, question=question, answer=d["answer"], public=d["public"]
        ),
        form,
        "answer_form",
    )
    if failed is not None:
        return failed
    messages.success(request, _("已答复"))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def question_close(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    form = CloseQuestionForm(request.POST)
    if not form.is_valid():
        context = _question_context(request, question, close_form=form)
        return render(request, "disclosure/question_detail.html", context, status=400)
    failed = _question_step(
        request,
        question,
        lambda: actions_questions.do_close_question(
            actor=request.user, question=question, reason=form.cleaned_data["reason"]
        ),
        form,
        "close_form",
    )
    if failed is not None:
        return failed
    messages.success(request, _("已关闭"))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def question_withdraw(request, question_id: int):
    question = queries_questions.access_question(request.user, question_id)
    try:
        actions_questions.do_withdraw_question(actor=request.user, question=question)
    except TransitionError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("提问已撤回"))
    return redirect(f"{question.item.get_absolute_url()}#q{question.pk}")
