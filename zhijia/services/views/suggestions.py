"""Pages of the rationalisation suggestions: the member's (phone: my suggestions, submit, a
suggestion with its timeline and rating) and the desk (department handlers, experts,
finance, cadres: the list, a suggestion's steps, the yearly figures, the configuration).
Thin: parse, call one query or action, render. Roles without access get 403; records outside
the caller's scope get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhijia.core import dateranges, excel
from zhijia.core.forms import SatisfactionForm, run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services.actions import suggestions as actions
from zhijia.services.forms.suggestions import (
    AdoptForm,
    CertifyForm,
    ConfigForm,
    ExpertsForm,
    MilestoneDoneForm,
    MilestoneForm,
    NoteForm,
    ReasonForm,
    ScoreForm,
    SuggestionForm,
    split_numbers,
)
from zhijia.services.models import Suggestion
from zhijia.services.queries import suggestions as queries
from zhijia.services.workflows import RATABLE_STATES, SUGGESTION, SUGGESTION_MILESTONE

STEP_FORMS = {
    "review": NoteForm,
    "reject": ReasonForm,
    "adopt": AdoptForm,
    "implement": NoteForm,
    "certify": CertifyForm,
    "reward": NoteForm,
}
# What each step does, said before it is sent (the page asks; tests/confirmations.py).
STEP_CONFIRM = {
    "review": gettext_lazy("建议将交专家评审，提出人会收到通知。"),
    "reject": gettext_lazy("建议将不予采纳并办结，理由会告知提出人。"),
    "adopt": gettext_lazy("建议将被采纳并进入实施，提出人会收到通知。"),
    "implement": gettext_lazy("确认实施完成后，由财务部门认定经济效益。"),
    "certify": gettext_lazy("认定的经济效益将用于确定奖励等级，提交后不能修改。"),
    "reward": gettext_lazy("将按奖励等级记录奖金并办结，提交后不能修改。"),
}


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_desk(request) -> None:
    if not queries.may_use_desk(request.user):
        raise PermissionDenied


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- the member's pages ---------------------------------------------------------------------------


@login_required
def home(request):
    _require_member(request)
    return render(
        request,
        "services/suggestions/home.html",
        {
            "title": _("合理化建议"),
            "suggestions": paginate(request, queries.my_suggestions(request.user)),
        },
    )


@login_required
def mine_export(request):
    """The member's own suggestions (and co-authored ones) as Excel."""
    _require_member(request)
    rows = (
        (
            s.submitted_at,
            s.title,
            s.get_category_display(),
            s.team_name,
            s.department.name,
            SUGGESTION.state_label(s.state),
            s.score,
            s.certified_benefit,
            s.reward_tier,
            s.reward_amount,
        )
        for s in queries.my_suggestions(request.user).iterator()
    )
    sheet = excel.Sheet(
        _("我的合理化建议"),
        [
            excel.Column(_("提交时间"), date=True),
            _("标题"),
            _("类别"),
            _("团队"),
            _("涉及部门"),
            _("状态"),
            excel.Column(_("评审得分"), number_format="0.0"),
            excel.Column(_("认定效益（元）"), money=True),
            _("奖励等级"),
            excel.Column(_("奖金（元）"), money=True),
        ],
        rows,
    )
    return excel.xlsx_response("my-suggestions.xlsx", sheet, stream=True)


def _coauthors(request, form) -> list | None:
    users = []
    for number in split_numbers(form.cleaned_data.get("coauthors", "")):
        user = queries.member_user(request.user, number)
        if user is None:
            form.add_error("coauthors", _("没有工号为 %(no)s 的在册会员") % {"no": number})
            return None
        users.append(user)
    return users


@login_required
def new(request):
    _require_member(request)
    form = SuggestionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            coauthors = _coauthors(request, form)
            if coauthors is not None:
                suggestion, status = run_action(
                    form,
                    lambda: actions.do_submit_suggestion(
                        actor=request.user,
                        title=d["title"],
                        category=d["category"],
                        problem=d["problem"],
                        proposal=d["proposal"],
                        expected_benefit=d["expected_benefit"],
                        department=d["department"],
                        team_name=d["team_name"],
                        coauthors=coauthors,
                        files=d["attachments"],
                    ),
                )
                if status == 200:
                    messages.success(request, _("建议已提交，部门审查后会通知您"))
                    return redirect("services:suggestions-detail", suggestion.pk)
    similar = []
    if request.method == "POST":
        similar = queries.similar_for_member(
            request.user,
            request.POST.get("title", ""),
            request.POST.get("problem", ""),
            request.POST.get("proposal", ""),
        )
    return render(
        request,
        "services/suggestions/new.html",
        {"title": _("提交合理化建议"), "form": form, "similar": similar},
        status=status,
    )


@login_required
@require_GET
def similar(request):
    """The similar earlier suggestions while a member writes (an htmx fragment)."""
    _require_member(request)
    rows = queries.similar_for_member(
        request.user,
        request.GET.get("title", "")[:100],
        request.GET.get("problem", "")[:5000],
        request.GET.get("proposal", "")[:5000],
    )
    return render(request, "services/suggestions/_similar.html", {"similar": rows})


def _detail_page(request, suggestion: Suggestion, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    steps = available_transitions(SUGGESTION, suggestion, user)
    step_forms = [
        (step, forms.get(step.name) or STEP_FORMS[step.name](), STEP_CONFIRM[step.name])
        for step in steps
        if step.name in STEP_FORMS
    ]
    manages = queries.manages(user, suggestion)
    reviews = queries.reviews(user, suggestion)
    expert = queries.is_expert(user, suggestion)
    staff = manages or reviews or expert or not queries.is_author(user, suggestion)
    scoring = suggestion.in_state("scoring")
    adopted = suggestion.in_state("adopted")
    milestones = list(queries.milestones_of(suggestion))
    ratable = (
        queries.is_author(user, suggestion)
        and suggestion.in_state(*RATABLE_STATES)
        and suggestion.rated_at is None
    )
    return render(
        request,
        "services/suggestions/detail.html",
        {
            "title": suggestion.title,
            "s": suggestion,
            "state_label": SUGGESTION.state_label(suggestion.state),
            "staff": staff,
            "manages": manages,
            "coauthors": list(suggestion.coauthors.all()),
            "attachments": queries.attachments_of(suggestion),
            "history": history_view(suggestion, user),
            "step_forms": step_forms,
            "similar": queries.similar_to(user, suggestion) if staff else [],
            "experts": list(queries.experts_of(suggestion)) if staff else [],
            "criteria": queries.criteria_of(suggestion),
            "experts_form": (forms.get("experts") or ExpertsForm())
            if manages and scoring
            else None,
            "score_form": (
                forms.get("score")
                or ScoreForm(
                    criteria=queries.criteria_of(suggestion),
                    initial_marks=queries.my_marks(user, suggestion),
                )
            )
            if expert and scoring
            else None,
            "milestones": milestones,
            "milestone_form": (forms.get("milestone") or MilestoneForm())
            if adopted and (manages or reviews)
            else None,
            "milestone_done_form": forms.get("milestone_done") or MilestoneDoneForm(),
            "may_complete": adopted and (manages or reviews),
            "tier": queries.tier_preview(suggestion) if suggestion.in_state("certified") else None,
            "rating_form": (forms.get("rating") or SatisfactionForm()) if ratable else None,
            "milestone_states": SUGGESTION_MILESTONE,
        },
        status=status,
    )


@login_required
def detail(request, suggestion_id: int):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    return _detail_page(request, suggestion)


def _back(suggestion: Suggestion) -> str:
    return reverse("services:suggestions-detail", args=[suggestion.pk])


@login_required
@require_POST
def step(request, suggestion_id: int, step: str):
    if step not in STEP_FORMS:
        raise Http404
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    return transition_step(
        request,
        SUGGESTION,
        step,
        record=suggestion,
        record_arg="suggestion",
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={step: form}, status=status
        ),
        success_url=_back(suggestion),
    )


@login_required
@require_POST
def experts(request, suggestion_id: int):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    form = ExpertsForm(request.POST)

    def call(d):
        users = []
        for number in split_numbers(d["employee_nos"]):
            user = queries.member_user(request.user, number)
            if user is None:
                raise actions.SuggestionError(
                    _("没有工号为 %(no)s 的在册会员") % {"no": number}, field="employee_nos"
                )
            users.append(user)
        return actions.do_appoint_suggestion_experts(
            actor=request.user, suggestion=suggestion, experts=users
        )

    return step_view(
        request,
        form=form,
        call=call,
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={"experts": form}, status=status
        ),
        success_url=_back(suggestion),
        message=_("已指定评审专家"),
    )


@login_required
@require_POST
def score(request, suggestion_id: int):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    form = ScoreForm(request.POST, criteria=queries.criteria_of(suggestion))
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_score_suggestion(
            actor=request.user, suggestion=suggestion, marks=form.marks(), comment=d["comment"]
        ),
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={"score": form}, status=status
        ),
        success_url=_back(suggestion),
        message=_("评分已保存"),
    )


@login_required
@require_POST
def milestone_new(request, suggestion_id: int):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    form = MilestoneForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_add_suggestion_milestone(
            actor=request.user, suggestion=suggestion, title=d["title"], workdays=d["workdays"]
        ),
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={"milestone": form}, status=status
        ),
        success_url=_back(suggestion),
        message=_("实施节点已添加"),
    )


@login_required
@require_POST
def milestone_complete(request, milestone_id: int):
    milestone = queries.access_milestone(request.user, milestone_id)
    suggestion = milestone.suggestion
    form = MilestoneDoneForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_complete_suggestion_milestone(
            actor=request.user, milestone=milestone, note=d["note"]
        ),
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={"milestone_done": form}, status=status
        ),
        success_url=_back(suggestion),
        message=_("实施节点已完成"),
    )


@login_required
@require_POST
def rate(request, suggestion_id: int):
    suggestion = queries.access_suggestion(request.user, suggestion_id)
    form = SatisfactionForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_rate_suggestion(
            actor=request.user, suggestion=suggestion, rating=d["rating"]
        ),
        on_error=lambda form, status: _detail_page(
            request, suggestion, forms={"rating": form}, status=status
        ),
        success_url=_back(suggestion),
        message=_("感谢您的评价"),
    )


# --- the desk -------------------------------------------------------------------------------------


def _filters(request) -> dict:
    queue = request.GET.get("queue", "")
    state = request.GET.get("state", "")
    year = request.GET.get("year", "")
    unit = request.GET.get("unit", "")
    return {
        "queue": queue if queue in queries.QUEUES else "",
        "state": state if state in SUGGESTION.states else "",
        "year": int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
        "q": request.GET.get("q", "")[:100],
        # The dashboard's drill-down: the unit's subtree, submitted ?from=&to=.
        "unit_id": int(unit) if unit.isdigit() and 0 < int(unit) < 2**63 else None,
        "submitted": dateranges.parse(request.GET),
    }


@login_required
def desk(request):
    _require_desk(request)
    filters = _filters(request)
    return render(
        request,
        "services/suggestions/desk.html",
        {
            "title": _("合理化建议办理"),
            "suggestions": paginate(request, queries.desk_list(request.user, **filters)),
            "filters": filters,
            "daterange": filters["submitted"],
            "states": SUGGESTION.state_choices,
            "may_manage": queries.may_manage(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def desk_export(request):
    _require_desk(request)
    filters = _filters(request)
    rows = (
        (
            s.pk,
            s.submitted_at,
            s.title,
            s.get_category_display(),
            s.author_label,
            s.org_unit.name,
            s.department.name,
            SUGGESTION.state_label(s.state),
            s.score,
            s.certified_benefit,
            s.reward_tier,
            s.reward_amount,
        )
        for s in queries.desk_list(request.user, **filters).iterator()
    )
    sheet = excel.Sheet(
        _("合理化建议"),
        [
            _("编号"),
            excel.Column(_("提交时间"), date=True),
            _("标题"),
            _("类别"),
            _("提出人"),
            _("所属工会"),
            _("涉及部门"),
            _("状态"),
            excel.Column(_("评审得分"), number_format="0.0"),
            excel.Column(_("认定效益（元）"), money=True),
            _("奖励等级"),
            excel.Column(_("奖金（元）"), money=True),
        ],
        rows,
    )
    return excel.xlsx_response("suggestions.xlsx", sheet, stream=True)


def _figures_unit(request):
    units = queries.figure_units(request.user)
    unit_id = request.GET.get("unit_id", "")
    if unit_id:
        return queries.access_figure_unit(request.user, unit_id)
    unit = units.first()
    if unit is None:
        raise PermissionDenied
    return unit


@login_required
def figures(request):
    _require_manager(request)
    year = _year(request)
    unit = _figures_unit(request)
    return render(
        request,
        "services/suggestions/figures.html",
        {
            "title": _("合理化建议年度统计"),
            "year": year,
            "unit": unit,
            "units": queries.figure_units(request.user),
            "rows": queries.figures_rows(unit, year),
        },
    )


@login_required
def figures_export(request):
    _require_manager(request)
    year = _year(request)
    unit = _figures_unit(request)
    rows = (
        (
            u.name,
            f.counts.workers,
            f.counts.submitted,
            f.per_100,
            f.decided,
            f.counts.adopted,
            f.adoption_rate,
            f.counts.implemented,
            f.implementation_rate,
            f.counts.benefit,
        )
        for u, f in queries.figures_rows(unit, year)
    )
    sheet = excel.Sheet(
        _("年度统计"),
        [
            _("工会"),
            _("在册会员"),
            _("建议数"),
            excel.Column(_("每百人建议数"), number_format="0.0"),
            _("已决定"),
            _("已采纳"),
            excel.Column(_("采纳率（%）"), number_format="0.0"),
            _("已实施"),
            excel.Column(_("实施率（%）"), number_format="0.0"),
            excel.Column(_("认定效益（元）"), money=True),
        ],
        rows,
        heading=[[_("%(year)d 年合理化建议统计（%(unit)s）") % {"year": year, "unit": unit.name}]],
    )
    return excel.xlsx_response(f"suggestions-{year}.xlsx", sheet)


def _config_text(unit) -> tuple[str, str]:
    criteria = "\n".join(f"{c.name} {c.weight}" for c in queries.criteria_for(unit))
    tiers = "\n".join(
        f"{t.name} {t.min_benefit:f} {t.min_score:f} {t.amount:f}" for t in queries.tiers_for(unit)
    )
    return criteria, tiers


@login_required
def config(request):
    _require_manager(request)
    units = queries.figure_units(request.user)
    if request.method == "POST":
        form = ConfigForm(request.POST, units=units)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            _result, status = run_action(
                form,
                lambda: actions.do_set_suggestion_config(
                    actor=request.user,
                    org_unit=d["org_unit"],
                    criteria=d["criteria"],
                    tiers=d["tiers"],
                ),
            )
            if status == 200:
                messages.success(request, _("评分标准与奖励等级已保存"))
                return redirect(
                    reverse("services:suggestions-config") + f"?unit_id={d['org_unit'].pk}"
                )
    else:
        unit_id = request.GET.get("unit_id", "")
        unit = queries.access_figure_unit(request.user, unit_id) if unit_id else units.first()
        criteria, tiers = _config_text(unit) if unit else ("", "")
        form = ConfigForm(
            initial={"org_unit": unit, "criteria": criteria, "tiers": tiers}, units=units
        )
        status = 200
    return render(
        request,
        "services/suggestions/config.html",
        {"title": _("评分标准与奖励等级"), "form": form, "step_form": NoInput()},
        status=status,
    )
