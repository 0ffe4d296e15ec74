"""Pages of proposals (提案). Thin: parse, call one query or action, render.

Representatives (mobile): my proposals, co-sign requests, new proposal, the proposal page with
co-sign / submit / rate. Cadres (desk): the queue (filters, late first), the committee's
decision page with likely duplicates, assignment, 督办 and carry-over. Handlers: their
departments' proposals and the answer form. Out-of-scope records are 404 (access_proposal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions import proposals as actions
from zhijia.congress.forms.proposals import (
    AcceptForm,
    AnswerForm,
    AssignForm,
    CarryOverForm,
    InviteForm,
    MergeForm,
    NoteForm,
    OpinionForm,
    ProposalForm,
    QueueFilterForm,
    RateForm,
    ReassignForm,
    RejectForm,
)
from zhijia.congress.models import Proposal
from zhijia.congress.queries import proposals as queries
from zhijia.congress.queries.proposals import Similar
from zhijia.congress.workflows import PROPOSAL, min_cosigners
from zhijia.core import dateranges
from zhijia.core.pagination import paginate
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.core.workflow import available_transitions, history_view

PAGE_SIZE = 50


@dataclass(eq=False)
class ProposalRow(Row[Proposal]):
    state_label: str = ""


def _with_state_label(proposal: Proposal) -> ProposalRow:
    return ProposalRow(proposal, state_label=PROPOSAL.state_label(proposal.state))


@dataclass(eq=False)
class SimilarRow(Row[Similar]):
    proposal: ProposalRow | None = None


def _representatives(proposal=None, user=None):
    """Representatives who may be invited to co-sign."""
    if proposal is not None:
        return queries.cosigner_choices(proposal.proposer, proposal)
    return queries.cosigner_choices(user)


def _detail_context(request, proposal, **forms):
    user = request.user
    names = {t.name for t in available_transitions(PROPOSAL, proposal, user)}
    invitation = queries.invitation_of(proposal, user)
    handler_departments = queries.handler_departments(user, proposal)
    co_departments = queries.co_departments_of(proposal)
    is_lead_handler = bool(
        proposal.lead_department_id
        and handler_departments
        and handler_departments[0].pk == proposal.lead_department_id
    )
    opinion_departments = [d for d in handler_departments if d in co_departments]
    context = {
        "title": proposal.title,
        "proposal": proposal,
        "state_label": PROPOSAL.state_label(proposal.state),
        "cosigners": queries.cosigners_of(proposal),
        "signed": queries.signed_count(proposal),
        "min_cosigners": min_cosigners(),
        "answers": queries.answers_of(proposal),
        "ratings": queries.ratings_of(proposal),
        "attachments": queries.attachments_of(proposal),
        "carry_overs": queries.carry_overs_of(proposal),
        "co_departments": co_departments,
        "merged_here": queries.merged_into_this(proposal),
        "timeline": history_view(proposal, request.user, workflow=PROPOSAL),
        "is_proposer": proposal.proposer_id == user.pk,
        "invitation": invitation,
        "can": names,
        "can_review": queries.can_review(user, proposal),
        "can_supervise": queries.can_supervise(user, proposal),
        "is_lead_handler": is_lead_handler,
        "can_carry_over": queries.can_supervise(user, proposal)
        and proposal.state in queries.CARRY_OVER_STATES,
    }
    if proposal.in_state("draft") and context["is_proposer"]:
        invitable = _representatives(proposal)
        context["invite_form"] = forms.get("invite_form") or InviteForm(representatives=invitable)
        # What stands between the draft and its submission, said before the button is there.
        context["cosign_missing"] = max(context["min_cosigners"] - context["signed"], 0)
        context["cosign_awaiting"] = queries.awaiting_count(proposal)
        context["can_invite"] = invitable.exists()
    if {"reopen", "rate"} & names:
        context["rate_form"] = forms.get("rate_form") or RateForm()
    if "supervise" in names:
        context["supervise_form"] = forms.get("supervise_form") or NoteForm()
    if "reassign" in names:
        context["reassign_form"] = forms.get("reassign_form") or ReassignForm(
            initial={"lead_department": proposal.lead_department_id}
        )
    if "assign" in names:
        context["assign_form"] = forms.get("assign_form") or AssignForm()
    if context["can_carry_over"]:
        context["carry_over_form"] = forms.get("carry_over_form") or CarryOverForm(
            sessions=queries.later_sessions(proposal)
        )
    if opinion_departments and proposal.is_handling:
        context["opinion_form"] = forms.get("opinion_form") or OpinionForm(
            departments=opinion_departments
        )
    if forms.get("error"):
        context["error"] = forms["error"]
    return context


def _detail(request, proposal, status=200, **forms):
    return render(
        request,
        "congress/proposal_detail.html",
        _detail_context(request, proposal, **forms),
        status=status,
    )


def _step(request, proposal, *, form, call, on_error, message):
    """A proposal's step through core.views_workflow.step_view: on success, back to the
    proposal with `message` (a text, or a function of the proposal the action returned)."""

    def success_url(result) -> str:
        target = result if isinstance(result, Proposal) else proposal
        messages.success(request, message(target) if callable(message) else message)
        return target.get_absolute_url()

    return step_view(request, form=form, call=call, on_error=on_error, success_url=success_url)


# --- representatives --------------------------------------------------------------------------


@login_required
def mine(request):
    user = request.user
    if not queries.is_representative(user) and not queries.my_proposals(user).exists():
        raise PermissionDenied
    proposals = paginate(request, queries.my_proposals(user))
    proposals.items = [_with_state_label(p) for p in proposals.items]
    return render(
        request,
        "congress/proposal_mine.html",
        {
            "title": _("我的提案"),
            "proposals": proposals,
            "requests": queries.cosign_requests(user).count(),
            "cosigned": paginate(request, queries.cosigned_by(user), param="cosigned"),
            "can_create": queries.sessions_for_proposals(user).exists(),
        },
    )


@login_required
def cosign_requests(request):
    if not queries.is_representative(request.user):
        raise PermissionDenied
    return render(
        request,
        "congress/proposal_cosign_requests.html",
        {
            "title": _("附议请求"),
            "requests": paginate(request, queries.cosign_requests(request.user)),
        },
    )


@login_required
def create(request):
    user = request.user
    if not queries.is_representative(user):
        raise PermissionDenied
    sessions = queries.sessions_for_proposals(user)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        sessions=sessions,
        representatives=_representatives(user=user),
    )

    def page(form, status=200):
        return render(
            request,
            "congress/proposal_form.html",
            {"title": _("提出提案"), "form": form, "min_cosigners": min_cosigners()},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return _step(
        request,
        None,
        form=form,
        call=lambda data: actions.do_create_proposal(
            actor=user,
            session=data["session"],
            title=data["title"],
            category=data["category"],
            cause=data["cause"],
            reasons=data["reasons"],
            measures=data["measures"],
            cosigners=list(data["cosigners"]),
            files=data["attachments"],
        ),
        on_error=page,
        message=_("提案草稿已保存。有足够代表附议后即可提交。"),
    )


@login_required
def edit(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    if proposal.proposer_id != request.user.pk or not proposal.in_state("draft"):
        raise PermissionDenied
    fields = ["title", "category", "cause", "reasons", "measures"]
    form = ProposalForm(
        request.POST or None,
        initial={f: getattr(proposal, f) for f in fields},
        sessions=None,
        representatives=None,
        editing=True,
    )

    def page(form, status=200):
        return render(
            request,
            "congress/proposal_form.html",
            {"title": _("修改提案"), "form": form, "proposal": proposal},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return _step(
        request,
        proposal,
        form=form,
        call=lambda data: actions.do_update_proposal(
            actor=request.user, proposal=proposal, **{f: data[f] for f in fields}
        ),
        on_error=page,
        message=_("提案已修改"),
    )


@login_required
def detail(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    return _detail(request, proposal)


def _simple_post(request, proposal_id, call, success):
    """POST without a form: run `call(proposal)`, redirect, or show the refusal."""
    proposal = queries.access_proposal(request.user, proposal_id)
    return _step(
        request,
        proposal,
        form=None,
        call=lambda data: call(proposal),
        on_error=lambda form, status: _detail(
            request, proposal, status=status, error=first_error(form)
        ),
        message=success,
    )


@login_required
@require_POST
def invite(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    if proposal.proposer_id != request.user.pk:
        raise PermissionDenied
    return _step(
        request,
        proposal,
        form=InviteForm(request.POST, representatives=_representatives(proposal)),
        call=lambda data: actions.do_invite_cosigners(
            actor=request.user, proposal=proposal, users=list(data["cosigners"])
        ),
        on_error=lambda form, status: _detail(request, proposal, status=status, invite_form=form),
        message=_("已邀请附议"),
    )


@login_required
@require_POST
def cosign(request, proposal_id: int):
    return _simple_post(
        request,
        proposal_id,
        lambda p: actions.do_cosign_proposal(actor=request.user, proposal=p),
        _("您已附议该提案"),
    )


@login_required
@require_POST
def decline(request, proposal_id: int):
    return _simple_post(
        request,
        proposal_id,
        lambda p: actions.do_decline_cosign(actor=request.user, proposal=p),
        _("您已谢绝附议"),
    )


@login_required
@require_POST
def submit(request, proposal_id: int):
    return _simple_post(
        request,
        proposal_id,
        lambda p: actions.do_submit_proposal(actor=request.user, proposal=p),
        _("提案已提交提案工作委员会审查"),
    )


@login_required
@require_POST
def withdraw(request, proposal_id: int):
    return _simple_post(
        request,
        proposal_id,
        lambda p: actions.do_withdraw_proposal(actor=request.user, proposal=p),
        _("提案已撤回"),
    )


@login_required
@require_POST
def rate(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    return _step(
        request,
        proposal,
        form=RateForm(request.POST),
        call=lambda data: actions_proposal_handling.do_rate_proposal(
            actor=request.user, proposal=proposal, rating=data["rating"], comment=data["comment"]
        ),
        on_error=lambda form, status: _detail(request, proposal, status=status, rate_form=form),
        message=lambda result: (
            _("已反馈不满意，提案退回承办部门重新办理")
            if result.in_state("handling")
            else _("感谢您的评价，提案已办结")
        ),
    )


# --- the committee --------------------------------------------------------------------------------


@login_required
def queue(request):
    user = request.user
    if not queries.may_use_queue(user):
        raise PermissionDenied
    form = QueueFilterForm(
        request.GET or None,
        states=[(k, v) for k, v in PROPOSAL.state_choices if k != "draft"],
        sessions=queries.sessions_visible_for_queue(user),
    )
    filters = queries.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.QueueFilters(
            state=data["state"],
            session_id=data["session"].pk if data["session"] else None,
            department_id=data["department"].pk if data["department"] else None,
            category=data["category"],
            late_only=data["late"],
            q=data["q"],
            unit_id=data["unit"],
            submitted=dateranges.from_form(form),
        )
    page = paginate(request, queries.queue(user, filters), PAGE_SIZE)
    for p in page.items:
        p.state_label = PROPOSAL.state_label(p.state)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "congress/proposal_queue.html",
        {
            "title": _("提案管理"),
            "form": form,
            "page": page,
            "querystring": querystring.urlencode(),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _decide_context(request, proposal, **forms):
    similar = [
        SimilarRow(s, proposal=_with_state_label(s.proposal))
        for s in queries.similar_proposals(proposal)
    ]
    return {
        "title": _("提案审查：%(title)s") % {"title": proposal.title},
        "proposal": proposal,
        "state_label": PROPOSAL.state_label(proposal.state),
        "cosigners": [c for c in queries.cosigners_of(proposal) if c.status == "signed"],
        "similar": similar,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "can": {t.name for t in available_transitions(PROPOSAL, proposal, request.user)},
    }


def _decide_page(request, proposal, status=200, **forms):
    return render(
        request,
        "congress/proposal_decide.html",
        _decide_context(request, proposal, **forms),
        status=status,
    )


def _reviewable(request, proposal_id):
    proposal = queries.access_proposal(request.user, proposal_id)
    if not queries.can_review(request.user, proposal):
        raise PermissionDenied
    return proposal


@login_required
def decide(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)
    return _decide_page(request, proposal)


@login_required
@require_POST
def accept(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)
    return _step(
        request,
        proposal,
        form=AcceptForm(request.POST),
        call=lambda data: actions_proposal_handling.do_accept_proposal(
            actor=request.user,
            proposal=proposal,
            note=data["note"],
            lead_department=data["lead_department"],
            co_departments=list(data["co_departments"]),
            workdays=data["workdays"],
        ),
        on_error=lambda form, status: _decide_page(
            request, proposal, status=status, accept_form=form
        ),
        message=lambda result: (
            _("提案已立案并交办")
            if result.in_state("handling")
            else _("提案已立案，请交办承办部门")
        ),
    )


@login_required
@require_POST
def reject(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)
    return _step(
        request,
        proposal,
        form=RejectForm(request.POST),
        call=lambda data: actions_proposal_handling.do_reject_proposal(
            actor=request.user, proposal=proposal, reason=data["reason"]
        ),
        on_error=lambda form, status: _decide_page(
            request, proposal, status=status, reject_form=form
        ),
        message=_("提案不予立案，已通知提案人"),
    )


@login_required
@require_POST
def merge(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)

    def on_error(form, status):
        if status == 400 and "into" in form.errors:
            form.add_error(None, _("请选择要并入的提案"))
        return _decide_page(request, proposal, status=status, merge_form=form)

    return _step(
        request,
        proposal,
        form=MergeForm(request.POST),
        call=lambda data: actions_proposal_handling.do_merge_proposal(
            actor=request.user,
            proposal=proposal,
            into=queries.access_merge_target(request.user, proposal, data["into"]),
            note=data["note"],
        ),
        on_error=on_error,
        message=_("已并案"),
    )


@login_required
@require_POST
def assign(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)
    return _step(
        request,
        proposal,
        form=AssignForm(request.POST),
        call=lambda data: actions_proposal_handling.do_assign_proposal(
            actor=request.user,
            proposal=proposal,
            lead_department=data["lead_department"],
            co_departments=list(data["co_departments"]),
            workdays=data["workdays"],
            note=data["note"],
        ),
        on_error=lambda form, status: _detail(request, proposal, status=status, assign_form=form),
        message=_("提案已交办"),
    )


@login_required
@require_POST
def reassign(request, proposal_id: int):
    proposal = _reviewable(request, proposal_id)
    return _step(
        request,
        proposal,
        form=ReassignForm(request.POST),
        call=lambda data: actions_proposal_handling.do_reassign_proposal(
            actor=request.user,
            proposal=proposal,
            lead_department=data["lead_department"],
            co_departments=list(data["co_departments"]),
            workdays=data["workdays"],
            reason=data["reason"],
        ),
        on_error=lambda form, status: _detail(request, proposal, status=status, reassign_form=form),
        message=_("提案已改派"),
    )


@login_required
@require_POST
def supervise(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    if not queries.can_supervise(request.user, proposal):
        raise PermissionDenied
    return _step(
        request,
        proposal,
        form=NoteForm(request.POST),
        call=lambda data: actions_proposal_handling.do_supervise_proposal(
            actor=request.user, proposal=proposal, note=data["note"]
        ),
        on_error=lambda form, status: _detail(
            request, proposal, status=status, supervise_form=form
        ),
        message=_("已督办，承办部门已收到通知"),
    )


@login_required
@require_POST
def carry_over(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    if not queries.can_supervise(request.user, proposal):
        raise PermissionDenied
    return _step(
        request,
        proposal,
        form=CarryOverForm(request.POST, sessions=queries.later_sessions(proposal)),
        call=lambda data: actions_proposal_handling.do_carry_over_proposal(
            actor=request.user, proposal=proposal, to_session=data["session"], note=data["note"]
        ),
        on_error=lambda form, status: _detail(
            request, proposal, status=status, carry_over_form=form
        ),
        message=_("提案已转入下次会议"),
    )


# --- handlers ------------------------------------------------------------------------------------


@login_required
def department(request):
    user = request.user
    if not queries.is_handler(user):
        raise PermissionDenied
    # ?state=open: only those still to be answered (the handlers' work queue).
    to_answer = request.GET.get("state") == "open"
    page = paginate(request, queries.department_proposals(user, to_answer=to_answer), PAGE_SIZE)
    for p in page.items:
        p.state_label = PROPOSAL.state_label(p.state)
    return render(
        request,
        "congress/proposal_department.html",
        {"title": _("承办提案"), "page": page, "to_answer": to_answer},
    )


@login_required
def answer(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    departments = queries.handler_departments(request.user, proposal)
    if not departments or departments[0].pk != proposal.lead_department_id:
        raise PermissionDenied
    form = AnswerForm(request.POST or None)

    def page(form, status=200):
        return render(
            request,
            "congress/proposal_answer.html",
            {
                "title": _("答复提案"),
                "proposal": proposal,
                "form": form,
                "answers": queries.answers_of(proposal),
                "ratings": queries.ratings_of(proposal),
                "can_answer": proposal.is_handling,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return _step(
        request,
        proposal,
        form=form,
        call=lambda data: actions_proposal_handling.do_answer_proposal(
            actor=request.user, proposal=proposal, text=data["text"], summary=data["summary"]
        ),
        on_error=page,
        message=_("答复已提交，等待提案人评价"),
    )


@login_required
@require_POST
def opinion(request, proposal_id: int):
    proposal = queries.access_proposal(request.user, proposal_id)
    departments = [
        d
        for d in queries.handler_departments(request.user, proposal)
        if d.pk != proposal.lead_department_id
    ]
    if not departments:
        raise PermissionDenied
    return _step(
        request,
        proposal,
        form=OpinionForm(request.POST, departments=departments),
        call=lambda data: actions_proposal_handling.do_add_cohandling_opinion(
            actor=request.user, proposal=proposal, department=data["department"], text=data["text"]
        ),
        on_error=lambda form, status: _detail(request, proposal, status=status, opinion_form=form),
        message=_("协办意见已提交"),
    )
