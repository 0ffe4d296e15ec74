"""Pages of surveys: the member's (phone: my surveys, answer, thank you) and the cadre's
(list, create/edit with questions, open/close, results, reminders, Excel). Thin: parse, call
one query or action, render. A survey outside the caller's audience or scope is 404; a role
that manages surveys nowhere gets 403 on the cadre pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.errors import ActionRefused
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import step_view
from zhijia.services import survey_exports as exports
from zhijia.services.actions import surveys as actions
from zhijia.services.forms.surveys import (
    AnswerForm,
    QuestionFormSet,
    SurveyForm,
    question_initial,
)
from zhijia.services.models import Survey
from zhijia.services.permissions import MANAGE_SURVEYS
from zhijia.services.queries import surveys as queries
from zhijia.services.queries.counseling import is_member

T = "services/surveys/"


@dataclass(eq=False)
class MySurveyRow(Row[Survey]):
    answerable: bool = False


def _require_member(request) -> None:
    if not is_member(request.user):
        raise PermissionDenied


def _require_manager(request) -> None:
    if not has_perm(request.user, MANAGE_SURVEYS):
        raise PermissionDenied(MANAGE_SURVEYS)


# --- the member's pages (phone) -------------------------------------------------------------------


@login_required
def mine(request):
    _require_member(request)
    page = paginate(request, queries.surveys_for_member(request.user))
    page.items = [MySurveyRow(s, answerable=queries.accepts_answers(s)) for s in page.items]
    return render(request, T + "mine.html", {"title": _("我的问卷"), "page": page})


def _answer_page(request, survey, form, status=200):
    answered = queries.has_answered(request.user, survey)
    return render(
        request,
        T + "answer.html",
        {
            "title": survey.title,
            "survey": survey,
            "form": form,
            "answered": answered,
            "answerable": queries.accepts_answers(survey) and not answered,
        },
        status=status,
    )


@login_required
def answer(request, survey_id: int):
    _require_member(request)
    survey = queries.access_survey_to_answer(request.user, survey_id)
    questions = queries.questions_of(survey)
    if request.method != "POST":
        return _answer_page(request, survey, AnswerForm(questions=questions))
    form = AnswerForm(request.POST, questions=questions)
    if not form.is_valid():
        return _answer_page(request, survey, form, 400)
    _result, status = run_action(
        form,
        lambda: actions.do_answer_survey(actor=request.user, survey=survey, answers=form.answers()),
    )
    if status != 200:
        return _answer_page(request, survey, form, status)
    return redirect("services:survey-thanks", survey.pk)


@login_required
def thanks(request, survey_id: int):
    _require_member(request)
    survey = queries.access_survey_to_answer(request.user, survey_id)
    if not queries.has_answered(request.user, survey):
        return redirect("services:survey-answer", survey.pk)
    return render(request, T + "thanks.html", {"title": _("感谢填写"), "survey": survey})


# --- the cadre's pages ----------------------------------------------------------------------------


def _filters(request) -> dict:
    return {
        "state": request.GET.get("state", ""),
        "kind": request.GET.get("kind", ""),
        "q": request.GET.get("q", "").strip(),
    }


@login_required
def manage_list(request):
    _require_manager(request)
    filters = _filters(request)
    page = paginate(request, queries.managed_surveys(request.user, **filters))
    return render(
        request,
        T + "list.html",
        {
            "title": _("问卷管理"),
            "page": page,
            "filters": filters,
            "states": Survey.State.choices,
            "kinds": Survey.Kind.choices,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def manage_export(request):
    _require_manager(request)
    surveys = queries.managed_surveys(request.user, **_filters(request))
    return excel.xlsx_response("surveys.xlsx", exports.list_sheet(surveys), stamp=True)


def _edit_page(request, survey, form, formset, status=200):
    return render(
        request,
        T + "form.html",
        {
            "title": _("编辑问卷") if survey else _("新建问卷"),
            "survey": survey,
            "form": form,
            "formset": formset,
        },
        status=status,
    )


def _place_errors(form, formset, exc: ActionRefused) -> None:
    """A refusal's messages next to their fields: `questions.<i>` on the i-th question."""
    placed = False
    for key, msgs in exc.errors.items():
        if key.startswith("questions."):
            index = int(key.split(".", 1)[1])
            if index < len(formset.forms):
                formset.forms[index].add_error(None, msgs)
                placed = True
        elif key in form.fields:
            form.add_error(key, msgs)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _save(request, survey):
    units = queries.units_for_manager(request.user)
    form = SurveyForm(request.POST, units=units, lock_unit=survey is not None)
    formset = QuestionFormSet(request.POST, prefix="q")
    if not (form.is_valid() and formset.is_valid()):
        return _edit_page(request, survey, form, formset, 400)
    questions = [q for q in (f.as_question() for f in formset.forms) if q is not None]
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "intro": data["intro"],
        "kind": data["kind"],
        "anonymous": data["anonymous"],
        "audience": list(data["audience"]),
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "questions": questions,
    }
    try:
        if survey is None:
            survey = actions.do_create_survey(
                actor=request.user, org_unit=data["org_unit"], **fields
            )
        else:
            survey = actions.do_edit_survey(actor=request.user, survey=survey, **fields)
    except ActionRefused as exc:
        _place_errors(form, formset, exc)
        return _edit_page(request, survey, form, formset, exc.status)
    messages.success(request, _("问卷已保存"))
    return redirect("services:survey-detail", survey.pk)


@login_required
def manage_create(request):
    _require_manager(request)
    if request.method == "POST":
        return _save(request, None)
    units = queries.units_for_manager(request.user)
    form = SurveyForm(units=units, initial={"org_unit": units.order_by("path").first()})
    return _edit_page(request, None, form, QuestionFormSet(prefix="q"))


@login_required
def manage_edit(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)
    if not survey.is_draft:
        messages.error(request, _("问卷已发布，题目不能再修改"))
        return redirect("services:survey-detail", survey.pk)
    if request.method == "POST":
        return _save(request, survey)
    units = queries.units_for_manager(request.user)
    form = SurveyForm(
        units=units,
        lock_unit=True,
        initial={
            "title": survey.title,
            "intro": survey.intro,
            "kind": survey.kind,
            "anonymous": survey.anonymous,
            "audience": list(survey.audience.all()),
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
        },
    )
    formset = QuestionFormSet(
        prefix="q", initial=[question_initial(q) for q in queries.questions_of(survey)]
    )
    return _edit_page(request, survey, form, formset)


def _detail_page(request, survey, *, form=None, status=200):
    return render(
        request,
        T + "detail.html",
        {
            "title": survey.title,
            "survey": survey,
            "questions": queries.questions_of(survey),
            "audience_units": list(survey.audience.order_by("path")),
            "respondents": queries.respondent_count(survey),
            "audience": queries.audience_size(survey),
            "accepts_answers": queries.accepts_answers(survey),
            "form": form,
        },
        status=status,
    )


@login_required
def manage_detail(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)
    return _detail_page(request, survey)


_STEPS = {
    "open": (actions.do_open_survey, _("问卷已发布")),
    "close": (actions.do_close_survey, _("问卷已结束")),
}


@login_required
@require_POST
def manage_step(request, survey_id: int, step: str):
    survey = queries.access_managed_survey(request.user, survey_id)
    if step not in _STEPS:
        raise Http404
    action, done = _STEPS[step]

    def call(data):
        action(actor=request.user, survey=survey)
        if survey.storage_compacted is False:
            messages.error(
                request,
                _(
                    "注意：数据库的预写日志（WAL）未能清空，其中可能仍保留填写过程中的数据页。"
                    "请联系系统管理员检查长时间打开的数据库连接，并在清空前不要复制数据库文件。"
                ),
            )

    return step_view(
        request,
        form=None,
        call=call,
        on_error=lambda bound, status: _detail_page(request, survey, form=bound, status=status),
        success_url=reverse("services:survey-detail", args=[survey.pk]),
        message=str(done),
    )


@login_required
@require_POST
def manage_remind(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)

    def call(data):
        count = actions.do_remind_survey(actor=request.user, survey=survey)
        messages.success(request, _("已提醒 %(n)d 名未填写的会员") % {"n": count})

    return step_view(
        request,
        form=None,
        call=call,
        on_error=lambda bound, status: _detail_page(request, survey, form=bound, status=status),
        success_url=reverse("services:survey-detail", args=[survey.pk]),
    )


@login_required
def manage_results(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)
    results = queries.results_for(survey)
    return render(
        request,
        T + "results.html",
        {"title": _("问卷结果"), "survey": survey, "results": results},
    )


@login_required
def manage_results_export(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)
    sheets = exports.results_sheets(queries.results_for(survey))
    return excel.xlsx_response(f"survey-{survey.pk}-results.xlsx", *sheets, stamp=True)


@login_required
def manage_responses_export(request, survey_id: int):
    survey = queries.access_managed_survey(request.user, survey_id)
    if survey.anonymous:
        raise Http404  # an anonymous survey's answers exist only counted
    return excel.xlsx_response(
        f"survey-{survey.pk}-responses.xlsx", exports.responses_sheet(survey), stamp=True
    )
