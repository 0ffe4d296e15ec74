"""Pages of the 建家 rounds: the list and the form that opens a round, a round's standings
(ranking, suggested titles, Excel), its title tiers and its close with the titles; the yearly
comparison across branches (Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import step_view
from zhijia.homes import exports, rules
from zhijia.homes.actions import rounds as actions
from zhijia.homes.actions.criteria import ensure_default_set
from zhijia.homes.forms.rounds import CloseForm, RoundForm, TiersForm
from zhijia.homes.queries import rounds as queries
from zhijia.homes.queries.common import require_manager


def _round_form(user, data=None):
    units, sets, branches = queries.round_choices(user)
    for unit in units:
        ensure_default_set(unit=unit, actor=user)
    return RoundForm(
        data,
        units=units,
        sets=sets,
        branches=branches,
        initial={
            "year": timezone.localdate().year,
            "tiers": rules.DEFAULT_TIERS,
            "title": _("%(y)d年度职工之家建设评比") % {"y": timezone.localdate().year},
        },
    )


@login_required
def rounds(request):
    require_manager(request.user)
    form = _round_form(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            created, status = run_action(
                form,
                lambda: actions.do_open_round(
                    actor=request.user,
                    unit=d["unit"],
                    year=d["year"],
                    title=d["title"],
                    criteria_set=d["criteria_set"],
                    due_on=d["due_on"],
                    branches=d["branches"],
                    tiers=d["tiers"],
                ),
            )
            if status == 200:
                messages.success(request, _("评比已开始，各分工会可以填报自评"))
                return redirect("homes:round", created.pk)
    return render(
        request,
        "homes/rounds.html",
        {
            "title": _("建家评比"),
            "rounds": paginate(request, queries.visible_rounds(request.user)),
            "form": form if form.fields["unit"].queryset.exists() else None,  # type: ignore[attr-defined]
        },
        status=status,
    )


def _round_page(request, round_, *, tiers_form=None, close_form=None, status=200):
    user = request.user
    standings = queries.standings(user, round_)
    committee = queries.is_committee(user, round_)
    tier_names = [t.name for t in rules.parse_tiers(round_.tiers)]
    if committee and not round_.is_closed:
        tiers_form = tiers_form or TiersForm(initial={"tiers": round_.tiers})
        close_form = close_form or CloseForm(
            standings=[s for s in standings if s.assessment.review_total is not None],
            tier_names=tier_names,
        )
    return render(
        request,
        "homes/round.html",
        {
            "title": round_.title,
            "round": round_,
            "standings": paginate(request, standings),
            "committee": committee,
            "tiers_form": tiers_form,
            "close_form": close_form,
        },
        status=status,
    )


@login_required
def round_detail(request, round_id: int):
    return _round_page(request, queries.access_round(request.user, round_id))


@login_required
def round_export(request, round_id: int):
    round_ = queries.access_round(request.user, round_id)
    return excel.xlsx_response(
        f"homes-round-{round_.pk}.xlsx", exports.round_sheet(request.user, round_)
    )


@login_required
@require_POST
def round_tiers(request, round_id: int):
    round_ = queries.access_committee_round(request.user, round_id)
    return step_view(
        request,
        form=TiersForm(request.POST),
        call=lambda d: actions.do_set_round_tiers(
            actor=request.user, round_=round_, tiers=d["tiers"]
        ),
        on_error=lambda f, status: _round_page(request, round_, tiers_form=f, status=status),
        success_url=reverse("homes:round", args=[round_.pk]),
        message=_("称号分数线已保存"),
    )


@login_required
@require_POST
def round_close(request, round_id: int):
    round_ = queries.access_committee_round(request.user, round_id)
    standings = [
        s for s in queries.standings(request.user, round_) if s.assessment.review_total is not None
    ]
    form = CloseForm(
        request.POST,
        standings=standings,
        tier_names=[t.name for t in rules.parse_tiers(round_.tiers)],
    )
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_close_round(
            actor=request.user,
            round_=round_,
            titles=form.titles(),
            awarding_body=d["awarding_body"],
        ),
        on_error=lambda f, status: _round_page(request, round_, close_form=f, status=status),
        success_url=reverse("homes:round", args=[round_.pk]),
        message=_("评比已结束，称号已授予"),
    )


@login_required
def comparison(request):
    require_manager(request.user)
    data = queries.comparison(request.user)
    return render(
        request,
        "homes/comparison.html",
        {
            "title": _("建家历年对比"),
            "years": data.years,
            "lines": paginate(request, data.lines),
        },
    )


@login_required
def comparison_export(request):
    require_manager(request.user)
    return excel.xlsx_response("homes-comparison.xlsx", exports.comparison_sheet(request.user))
