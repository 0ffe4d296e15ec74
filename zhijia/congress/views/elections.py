"""Pages of the representative elections: the list (cadres create, members find the
elections of their unit), the election page (candidates and statements, self-nomination,
nomination, opening and closing the ballot, the result with ties and unfilled seats, seating
the elected). Votes are cast on the voting module's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.congress.actions import elections as actions
from zhijia.congress.forms.sessions import (
    ElectionForm,
    ElectionOpenForm,
    NominateForm,
    SelfNominateForm,
)
from zhijia.congress.models import Candidate
from zhijia.congress.queries import elections as eq
from zhijia.congress.queries import sessions as q
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.voting import queries as voting_queries


@dataclass(eq=False)
class CandidateRow(Row[Candidate]):
    votes: int | None = None  # once the election is closed with a result


@login_required
@require_http_methods(["GET", "POST"])
def election_list(request):
    user = request.user
    terms = eq.terms_for_elections(user)
    form = None
    if terms.exists():
        term = terms.first()
        assert term is not None  # terms.exists()
        chosen = q.parse_id(request.POST.get("term")) if request.method == "POST" else None
        if chosen:
            term = terms.filter(pk=chosen).first() or term
        form = ElectionForm(
            request.POST or None, terms=terms, units=eq.election_units_for(user, term)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            election, _status = run_action(
                form,
                lambda: actions.do_create_election(
                    actor=user,
                    term=data["term"],
                    unit=data["unit"],
                    seats=data["seats"],
                    competitive=data["competitive"],
                    paper=data["is_paper"],
                    base=data["base"],
                    present_count=data.get("present_count"),
                ),
            )
            if election is not None:
                messages.success(request, _("已创建选举，请提名候选人"))
                return redirect("congress:election-detail", election_id=election.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "congress/election_list.html",
        {
            "title": _("职工代表选举"),
            "elections": paginate(request, eq.elections_visible_to(user)),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _election_context(request, election, **extra):
    user = request.user
    manage = eq.can_manage_election(user, election)
    outcome = eq.election_result(election) if election.state == election.State.CLOSED else None
    candidates = [
        CandidateRow(c, votes=outcome.votes.get(c.pk) if outcome and outcome.result else None)
        for c in eq.candidates_of(election)
    ]
    context = {
        "title": str(election),
        "election": election,
        "candidates": candidates,
        "can_manage": manage,
        "can_seat": has_perm(user, q.MANAGE, unit=election.term.unit),
        "own": eq.own_candidacy(user, election),
        "may_self_nominate": eq.may_self_nominate(user, election),
        "outcome": outcome,
        "turnout": voting_queries.turnout(election.poll) if manage and election.poll else None,
        "nominate_form": NominateForm(),
        "self_form": SelfNominateForm(),
        "voters": eq.unit_voters(election).count() if manage else None,
        "members": eq.unit_member_count(election.unit),
        "base_count": (election.poll.majority_base if election.poll else None)
        or eq.election_base(election),
        "open_form": ElectionOpenForm(initial={"present_count": election.present_count}),
        "key_ready": bool(
            election.poll
            and election.poll.encrypted
            and voting_queries.ceremony_complete(election.poll)
        ),
        # A prepared encrypted ballot's trustees, for where its key ceremony stands.
        "trustees": (
            voting_queries.trustees_of(election.poll)
            if manage and election.poll and election.poll.encrypted
            else []
        ),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def election_detail(request, election_id: int):
    election = eq.access_election(request.user, election_id)
    return render(request, "congress/election_detail.html", _election_context(request, election))


@login_required
@require_POST
def election_nominate(request, election_id: int):
    election = eq.access_managed_election(request.user, election_id)
    form = NominateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        member = q.member_by_employee_no(election.unit, data["employee_no"])
        if member is None:
            form.add_error("employee_no", _("本选举单位没有这个工号的在册会员"))
        else:
            _done, status = run_action(
                form,
                lambda: actions.do_nominate_candidate(
                    actor=request.user,
                    election=election,
                    member=member,
                    statement=data["statement"],
                    is_manager=data["is_manager"],
                    is_frontline=data["is_frontline"],
                ),
            )
            if status == 200:
                messages.success(request, _("已提名 %(name)s") % {"name": member.name})
                return redirect("congress:election-detail", election_id=election.pk)
    context = _election_context(request, election, nominate_form=form)
    return render(request, "congress/election_detail.html", context, status=400)


@login_required
@require_POST
def election_self_nominate(request, election_id: int):
    election = eq.access_election(request.user, election_id)
    form = SelfNominateForm(request.POST)
    if form.is_valid():
        _done, status = run_action(
            form,
            lambda: actions.do_self_nominate(
                actor=request.user,
                election=election,
                statement=form.cleaned_data["statement"],
                is_frontline=form.cleaned_data["is_frontline"],
            ),
        )
        if status == 200:
            messages.success(request, _("自荐已提交，您已列入候选人名单"))
            return redirect("congress:election-detail", election_id=election.pk)
    context = _election_context(request, election, self_form=form)
    return render(request, "congress/election_detail.html", context, status=400)


@login_required
@require_POST
def election_withdraw(request, election_id: int, candidate_id: int):
    election = eq.access_election(request.user, election_id)
    candidate = eq.candidates_of(election).filter(pk=candidate_id).first()
    if candidate is None:
        return redirect("congress:election-detail", election_id=election.pk)
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_withdraw_candidate(actor=request.user, candidate=candidate),
        on_error=lambda bound, status: _refused(request, election, bound, status),
        success_url=reverse("congress:election-detail", args=[election.pk]),
        message=_("已撤回候选人 %(name)s") % {"name": candidate.member.name},
    )


@login_required
@require_POST
def election_action(request, election_id: int, step: str):
    election = eq.access_managed_election(request.user, election_id)
    if step == "open":
        return _election_open(request, election)
    if step not in ("prepare", "close", "seat"):
        raise PermissionDenied

    def call(data):
        if step == "prepare":
            actions.do_prepare_election(actor=request.user, election=election)
            messages.success(
                request,
                _("已准备加密投票：请在表决页面指定 3 至 5 名监票人，他们生成密钥后再开始投票"),
            )
        elif step == "close":
            actions.do_close_election(actor=request.user, election=election)
            messages.success(request, _("投票已结束，结果已公布"))
        else:
            added = actions.do_add_elected_representatives(actor=request.user, election=election)
            messages.success(request, _("已将 %(n)d 名当选人列为本届职工代表") % {"n": len(added)})
        return True

    return step_view(
        request,
        form=None,
        call=call,
        on_error=lambda bound, status: _refused(request, election, bound, status),
        success_url=reverse("congress:election-detail", args=[election.pk]),
    )


def _refused(request, election, bound, status: int):
    """The election page again with a refused step's message, answered with its status."""
    messages.error(request, first_error(bound) or _("操作未完成"))
    election = eq.access_election(request.user, election.pk)
    context = _election_context(request, election)
    return render(request, "congress/election_detail.html", context, status=status)


def _election_open(request, election):
    """Open the vote (the count of those present, for a "present" base, from the form)."""

    def on_error(form, status):
        context = _election_context(request, election, open_form=form)
        return render(request, "congress/election_detail.html", context, status=status)

    return step_view(
        request,
        form=ElectionOpenForm(request.POST),
        call=lambda data: actions.do_open_election(
            actor=request.user, election=election, present_count=data.get("present_count")
        ),
        on_error=on_error,
        success_url=reverse("congress:election-detail", args=[election.pk]),
        message=_("投票已开始，已通知本选举单位的全体会员"),
    )
