"""Pages of bargaining rounds: the worker's demand form (phone) and the cadre's desk. Thin:
parse, call one query or action, render. 403 without the role, 404 outside the scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhijia.bargaining import exports, rules
from zhijia.bargaining.actions import rounds as actions
from zhijia.bargaining.actions.common import cite
from zhijia.bargaining.forms.rounds import (
    DelegationsForm,
    DemandForm,
    RoundForm,
    SessionForm,
    SignMinutesForm,
    parse_people,
)
from zhijia.bargaining.models import Delegate
from zhijia.bargaining.queries import rounds as queries
from zhijia.bargaining.views.common import managed_units, require_manager, require_member
from zhijia.bargaining.workflows import ROUND
from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view

STEP_CONFIRM = {
    "send_request": gettext_lazy("提出后开始计算对方 20 日的书面回应期限。"),
    "record_answer": gettext_lazy("登记后进入协商阶段，不能再征集意见。"),
    "conclude": gettext_lazy("结束后本轮协商不能再添加会议。"),
    "abandon": gettext_lazy("终止后本轮协商不能恢复。"),
}


# --- the worker's --------------------------------------------------------------------------------


def _demand_page(request, round_, form, status=200):
    return render(
        request,
        "bargaining/demand.html",
        {
            "title": round_.title,
            "round": round_,
            "form": form,
            "mine": list(queries.my_demands(request.user, round_)),
            "open": round_.in_state(ROUND.states.collecting),
        },
        status=status,
    )


@login_required
def demand(request, round_id: int):
    require_member(request)
    round_ = queries.access_round_for_demand(request.user, round_id)
    if request.method != "POST":
        return _demand_page(request, round_, DemandForm())
    form = DemandForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_submit_demand(
            actor=request.user, round=round_, topic=d["topic"], text=d["text"]
        ),
        on_error=lambda f, status: _demand_page(request, round_, f, status),
        success_url=reverse("bargaining:demand", args=[round_.pk]),
        message=_("您的意见已提交，工会将在协商中统筹考虑"),
    )


# --- the desk ------------------------------------------------------------------------------------


@login_required
def round_new(request):
    require_manager(request)
    form = RoundForm(request.POST or None, units=managed_units(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        round_, status = run_action(
            form,
            lambda: actions.do_create_round(
                actor=request.user,
                org_unit=d["org_unit"],
                kind=d["kind"],
                title=d["title"],
                employer_name=d["employer_name"],
                demands_until=d["demands_until"],
                union_basis=d["union_basis"],
                max_delegates=d["max_delegates"],
            ),
        )
        if status == 200:
            messages.success(request, _("协商轮次已建立，职工可以提交意见"))
            return redirect("bargaining:round", round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "bargaining/form.html", {"title": _("发起集体协商"), "form": form}, status=status
    )


def _round_page(request, round_, *, forms=None, status=200):
    forms = forms or {}
    union = queries.delegates_of(round_, Delegate.Side.UNION)
    employer = queries.delegates_of(round_, Delegate.Side.EMPLOYER)
    initial = {
        "union_basis": round_.union_basis,
        "union": "\n".join(f"{d.name} {d.position}".strip() for d in union),
        "union_chief": next((d.name for d in union if d.is_chief), ""),
        "employer": "\n".join(f"{d.name} {d.position}".strip() for d in employer),
        "employer_chief": next((d.name for d in employer if d.is_chief), ""),
    }
    steps = []
    for step in available_transitions(ROUND, round_, request.user):
        form = forms.get(step.name) or (step.get_form()() if step.form else NoInput())
        steps.append((step, form, STEP_CONFIRM.get(step.name, "")))
    return render(
        request,
        "bargaining/round.html",
        {
            "title": round_.title,
            "round": round_,
            "state_label": ROUND.state_label(round_.state),
            "summary": queries.demand_summary(round_),
            "survey_topics": queries.survey_topics(round_),
            "demands": paginate(request, queries.demands_of(round_)),
            "union": union,
            "employer": employer,
            "sessions": list(queries.sessions_of(round_)),
            "steps": steps,
            "delegations_form": forms.get("delegations") or DelegationsForm(initial=initial),
            "session_form": forms.get("session") or SessionForm(),
            "sign_form": forms.get("sign") or NoInput(),
            "history": history_view(round_, request.user),
            "bargaining": round_.in_state(ROUND.states.bargaining),
            "open": not round_.in_state(ROUND.states.concluded, ROUND.states.abandoned),
            "article_answer": cite(rules.ART_ANSWER),
            "article_delegation": cite(rules.ART_DELEGATION),
            "contracts": list(round_.contracts.all()),
        },
        status=status,
    )


@login_required
def round_detail(request, round_id: int):
    require_manager(request)
    return _round_page(request, queries.access_managed_round(request.user, round_id))


@login_required
def demands_export(request, round_id: int):
    require_manager(request)
    round_ = queries.access_managed_round(request.user, round_id)
    sheets = exports.demand_sheets(
        round_, queries.demands_of(round_).iterator(), queries.demand_summary(round_)
    )
    return excel.xlsx_response(_("职工协商意见.xlsx"), *sheets)


@login_required
@require_POST
def delegations(request, round_id: int):
    require_manager(request)
    round_ = queries.access_managed_round(request.user, round_id)
    form = DelegationsForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_set_delegations(
            actor=request.user,
            round=round_,
            union=parse_people(d["union"], d["union_chief"]),
            employer=parse_people(d["employer"], d["employer_chief"]),
            union_basis=d["union_basis"],
        ),
        on_error=lambda f, status: _round_page(
            request, round_, forms={"delegations": f}, status=status
        ),
        success_url=reverse("bargaining:round", args=[round_.pk]),
        message=_("协商代表已确定"),
    )


@login_required
@require_POST
def session_new(request, round_id: int):
    require_manager(request)
    round_ = queries.access_managed_round(request.user, round_id)
    form = SessionForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_add_session(
            actor=request.user,
            round=round_,
            held_on=d["held_on"],
            place=d["place"],
            minutes=d["minutes"],
        ),
        on_error=lambda f, status: _round_page(
            request, round_, forms={"session": f}, status=status
        ),
        success_url=reverse("bargaining:round", args=[round_.pk]),
        message=_("协商会议记录已保存，请双方首席代表签字"),
    )


@login_required
@require_POST
def session_sign(request, session_id: int):
    require_manager(request)
    session = queries.access_managed_session(request.user, session_id)
    round_ = session.round
    return step_view(
        request,
        form=SignMinutesForm(request.POST),
        call=lambda d: actions.do_sign_minutes(actor=request.user, session=session, side=d["side"]),
        on_error=lambda f, status: _round_page(request, round_, forms={"sign": f}, status=status),
        success_url=reverse("bargaining:round", args=[round_.pk]),
        message=_("已记录签字"),
    )


@login_required
@require_POST
def round_step(request, round_id: int, action: str):
    require_manager(request)
    round_ = queries.access_managed_round(request.user, round_id)
    if action not in ("send_request", "record_answer", "conclude", "abandon"):
        raise Http404
    return transition_step(
        request,
        ROUND,
        action,
        record=round_,
        record_arg="round",
        on_error=lambda f, status: _round_page(request, round_, forms={action: f}, status=status),
        success_url=reverse("bargaining:round", args=[round_.pk]),
        message=_("已办理"),
    )
