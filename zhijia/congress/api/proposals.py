"""API of proposals, mounted at /api/v1/congress/proposals. Same queries and actions, so the
same permissions, as the pages; records out of the caller's scope are 404.

Representatives: GET "" (?box=mine|cosign), POST "", GET/PATCH /{id}, POST /{id}/cosigners,
/{id}/cosign, /{id}/decline, /{id}/submit, /{id}/withdraw, /{id}/rate; GET /sessions and
/cosigner-candidates for the forms.
Committee: GET "" (?box=queue, filters), GET /{id}/similar, POST /{id}/accept, /{id}/reject,
/{id}/merge, /{id}/assign, /{id}/reassign, /{id}/supervise, /{id}/carry-over.
Handlers: GET "" (?box=department), POST /{id}/answer, /{id}/opinion.
Filters of the list: session_id, department_id (the old names session, department still
work, deprecated). The workflow's steps are made by core.api_workflow.add_step_routes.
Errors (the one error body): 400 bad input, 403 not allowed, 404 unknown or out of scope (an id
in a body too, naming its field), 409 the proposal's state does not allow it, 422 malformed
body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions import proposals as actions
from zhijia.congress.models import Proposal
from zhijia.congress.queries import proposals as queries
from zhijia.congress.workflows import PROPOSAL
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import DeprecatedId, Id, RenamedQuery, Workdays
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.workflow import available_transitions, history_view

router = Router(tags=["congress-proposals"])


# --- schemas -------------------------------------------------------------------------------------


class ProposalSummary(Schema):
    id: int
    number: str
    title: str
    category: str
    state: str
    state_label: str
    session_id: Id
    session: str
    proposer_name: str
    lead_department: str | None
    deadline_at: datetime | None
    late: bool
    supervision_level: int
    submitted_at: datetime | None


class CosignerOut(Schema):
    user_id: Id
    name: str
    status: str


class AnswerOut(Schema):
    round: int
    department: str
    is_lead: bool
    summary: str
    text: str
    author_name: str
    created_at: datetime


class RatingOut(Schema):
    round: int
    rating: str
    comment: str
    reopened: bool
    created_at: datetime


class ProposalEventOut(Schema):
    at: datetime
    transition: str
    label: str
    actor: str
    to_state: str
    note: str


class CarryOverOut(Schema):
    from_session_id: Id
    to_session_id: Id
    from_serial: int | None
    state: str
    note: str
    created_at: datetime


class ProposalDetail(ProposalSummary):
    cause: str
    reasons: str
    measures: str
    proposer_unit: str
    co_departments: list[str]
    reject_reason: str
    merged_into_id: Id | None
    rating: str
    reopen_count: int
    cosigners: list[CosignerOut]
    answers: list[AnswerOut]
    ratings: list[RatingOut]
    history: list[ProposalEventOut]
    carry_overs: list[CarryOverOut]
    actions: list[str]


ProposalPage = page_schema(ProposalSummary, name="ProposalPage")


class ProposalIn(Schema):
    session_id: Id
    title: str
    category: str = Proposal.Category.OTHER
    cause: str
    reasons: str
    measures: str
    cosigner_ids: list[Id] = []


class ProposalPatch(Schema):
    title: str | None = None
    category: str | None = None
    cause: str | None = None
    reasons: str | None = None
    measures: str | None = None


class UsersIn(Schema):
    user_ids: list[Id]


class ProposalNoteIn(Schema):
    note: str = ""


class ProposalReasonIn(Schema):
    reason: str


class ProposalAssignIn(Schema):
    lead_department_id: Id | None = None
    co_department_ids: list[Id] = []
    workdays: Workdays | None = None
    note: str = ""


class ProposalReassignIn(ProposalAssignIn):
    reason: str


class ProposalMergeIn(Schema):
    into_id: Id
    note: str = ""


class ProposalAnswerIn(Schema):
    text: str
    summary: str = ""


class OpinionIn(Schema):
    department_id: Id
    text: str


class ProposalRateIn(Schema):
    rating: Satisfaction
    comment: str = ""


class CarryOverIn(Schema):
    session_id: Id
    note: str = ""


class SimilarOut(Schema):
    id: int
    number: str
    title: str
    state: str
    proposer_name: str
    score: float
    percent: int


class PersonOut(Schema):
    id: int
    name: str


class ProposalSessionOut(Schema):
    id: int
    name: str
    date: str
    state: str


class ProposalListFilters(PageParams, RenamedQuery):
    renamed = {"session": "session_id", "department": "department_id"}

    box: Literal["all", "mine", "cosign", "queue", "department"] = "all"
    state: str = ""
    session_id: Id | None = None
    department_id: Id | None = None
    session: DeprecatedId = None
    department: DeprecatedId = None
    category: str = ""
    late: bool = False
    q: str = ""


# --- serialisation -------------------------------------------------------------------------------


def _late(p: Proposal) -> bool:
    if hasattr(p, "late"):
        return bool(p.late)
    return p.is_overdue or (p.escalation_level > 0 and not p.is_final)


def _summary(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "number": p.number,
        "title": p.title,
        "category": p.category,
        "state": p.state,
        "state_label": PROPOSAL.state_label(p.state),
        "session_id": p.session_id,
        "session": str(p.session),
        "proposer_name": p.proposer_name,
        "lead_department": p.lead_department.name if p.lead_department is not None else None,
        "deadline_at": p.deadline_at,
        "late": _late(p),
        "supervision_level": p.supervision_level,
        "submitted_at": p.submitted_at,
    }


def _actions_for(user, p: Proposal) -> list[str]:
    names = [t.name for t in available_transitions(PROPOSAL, p, user)]
    invitation = queries.invitation_of(p, user)
    if invitation is not None and p.in_state("draft"):
        names += ["cosign", "decline"]
    if p.is_handling and any(
        d.pk != p.lead_department_id for d in queries.handler_departments(user, p)
    ):
        names.append("opinion")
    if p.state in queries.CARRY_OVER_STATES and queries.can_supervise(user, p):
        names.append("carry_over")
    return names


def _detail(user, p: Proposal) -> dict:
    p = queries.access_proposal(user, p.pk)  # fresh, and still visible after the action
    return {
        **_summary(p),
        "cause": p.cause,
        "reasons": p.reasons,
        "measures": p.measures,
        "proposer_unit": str(p.proposer_unit),
        "co_departments": [d.name for d in queries.co_departments_of(p)],
        "reject_reason": p.reject_reason,
        "merged_into_id": p.merged_into_id,
        "rating": p.rating,
        "reopen_count": p.reopen_count,
        "cosigners": [
            {"user_id": c.user_id, "name": c.name, "status": c.status}
            for c in queries.cosigners_of(p)
        ],
        "answers": [
            {
                "round": a.round,
                "department": a.department.name,
                "is_lead": a.is_lead,
                "summary": a.summary,
                "text": a.text,
                "author_name": a.author_name,
                "created_at": a.created_at,
            }
            for a in queries.answers_of(p)
        ],
        "ratings": [
            {
                "round": r.round,
                "rating": r.rating,
                "comment": r.comment,
                "reopened": r.reopened,
                "created_at": r.created_at,
            }
            for r in queries.ratings_of(p)
        ],
        "history": [
            {
                "at": e.at,
                "transition": e.transition,
                "label": e.label,
                "actor": e.actor,
                "to_state": e.to_state,
                "note": e.note,
            }
            for e in history_view(p, user, workflow=PROPOSAL)
        ],
        "carry_overs": [
            {
                "from_session_id": c.from_session_id,
                "to_session_id": c.to_session_id,
                "from_serial": c.from_serial,
                "state": c.state,
                "note": c.note,
                "created_at": c.created_at,
            }
            for c in queries.carry_overs_of(p)
        ],
        "actions": _actions_for(user, p),
    }


def _departments(lead_id, co_ids):
    """The departments a body names: an unknown id is a 404 naming its field."""
    departments = queries.departments()
    lead = None
    if lead_id is not None:
        lead = record_in_body(departments, lead_id, "lead_department_id", _("主办部门不存在"))
    co = [
        record_in_body(departments, pk, "co_department_ids", _("协办部门不存在"))
        for pk in dict.fromkeys(co_ids)
    ]
    return lead, sorted(co, key=lambda d: d.path)


def _users(ids) -> list:
    """The active accounts a body names: an unknown id is a 404 naming its field."""
    return users_in_body(ids, "cosigner_ids")


def users_in_body(ids, field: str) -> list:
    users = queries.active_users()
    return [record_in_body(users, pk, field, _("所选代表不存在")) for pk in dict.fromkeys(ids)]


# --- reads ----------------------------------------------------------------------------------------


@router.get("", response=ProposalPage)
def list_proposals(request, filters: Query[ProposalListFilters]):
    """Proposals visible to the caller, late ones first. `box`: mine (my own), cosign (waiting
    for my co-signature), queue (the committee's desk), department (assigned to my
    departments); "all" is everything the caller may see."""
    user = request.user
    f = filters
    if f.box == "mine":
        qs = queries.my_proposals(user)
    elif f.box == "cosign":
        ids = queries.cosign_requests(user).values("proposal_id")
        qs = queries.late_first(queries.proposals_visible_to(user).filter(pk__in=ids))
    elif f.box == "department":
        qs = queries.department_proposals(user)
    else:
        qs = queries.queue(
            user,
            queries.QueueFilters(
                state=f.state,
                session_id=f.session_id,
                department_id=f.department_id,
                category=f.category,
                late_only=f.late,
                q=f.q,
            ),
            own_drafts=f.box == "all",
        )
    if f.state and f.box in ("mine", "department", "cosign"):
        qs = qs.filter(state=f.state)
    return api_page(qs, f.page, f.per_page, transform=_summary)


@router.get("/sessions", response=page_schema(ProposalSessionOut, name="ProposalSessionPage"))
def sessions(request, paging: Query[PageParams]):
    """Sessions the caller may file a new proposal for."""
    return api_page(
        queries.sessions_for_proposals(request.user),
        paging.page,
        paging.per_page,
        transform=lambda s: {
            "id": s.pk,
            "name": str(s),
            "date": s.date.isoformat(),
            "state": s.state,
        },
    )


@router.get("/cosigner-candidates", response=page_schema(PersonOut, name="CosignerCandidatePage"))
def cosigner_candidates(
    request, paging: Query[PageParams], q: str = "", proposal_id: Id | None = None
):
    """Representatives the caller may invite to co-sign (a proposal of theirs, or a new one)."""
    if not queries.is_representative(request.user):
        raise PermissionDenied
    proposal = None
    if proposal_id is not None:
        proposal = queries.access_proposal(request.user, proposal_id)
        if proposal.proposer_id != request.user.pk:
            raise PermissionDenied
    qs = queries.cosigner_choices(request.user, proposal, q=q)
    return api_page(
        qs,
        paging.page,
        paging.per_page,
        transform=lambda u: {"id": u.pk, "name": u.get_full_name()},
    )


@router.get("/{int:proposal_id}", response=ProposalDetail)
def get_proposal(request, proposal_id: Id):
    return _detail(request.user, queries.access_proposal(request.user, proposal_id))


@router.get("/{int:proposal_id}/similar", response=page_schema(SimilarOut, name="SimilarPage"))
def similar(request, proposal_id: Id):
    """The proposals most like this one (for 并案; at most similarity.TOP, which is not
    a page but the nearest few), best first, with their scores; one page, in the envelope of
    every list."""
    proposal = queries.access_proposal(request.user, proposal_id)
    if not queries.can_review(request.user, proposal):
        raise PermissionDenied
    rows = queries.similar_proposals(proposal)
    return api_page(
        rows,
        1,
        max(1, len(rows)),
        transform=lambda s: {
            "id": s.proposal.pk,
            "number": s.proposal.number,
            "title": s.proposal.title,
            "state": s.proposal.state,
            "proposer_name": s.proposal.proposer_name,
            "score": s.score,
            "percent": s.percent,
        },
    )


# --- representatives ------------------------------------------------------------------------------


@router.post("", response={201: ProposalDetail})
def create_proposal(request, payload: ProposalIn):
    session = record_in_body(queries.sessions(), payload.session_id, "session_id", _("会议不存在"))
    proposal = actions.do_create_proposal(
        actor=request.user,
        session=session,
        title=payload.title,
        category=payload.category,
        cause=payload.cause,
        reasons=payload.reasons,
        measures=payload.measures,
        cosigners=_users(payload.cosigner_ids),
    )
    return Status(201, _detail(request.user, proposal))


@router.patch("/{int:proposal_id}", response=ProposalDetail)
def update_proposal(request, proposal_id: Id, payload: ProposalPatch):
    proposal = queries.access_proposal(request.user, proposal_id)
    actions.do_update_proposal(
        actor=request.user, proposal=proposal, **payload.dict(exclude_unset=True)
    )
    return _detail(request.user, proposal)


@router.post("/{int:proposal_id}/cosigners", response=ProposalDetail)
def invite_cosigners(request, proposal_id: Id, payload: UsersIn):
    proposal = queries.access_proposal(request.user, proposal_id)
    actions.do_invite_cosigners(
        actor=request.user, proposal=proposal, users=users_in_body(payload.user_ids, "user_ids")
    )
    return _detail(request.user, proposal)


def _simple(request, proposal_id: Id, action, **kwargs):
    proposal = queries.access_proposal(request.user, proposal_id)
    action(actor=request.user, proposal=proposal, **kwargs)
    return _detail(request.user, proposal)


@router.post("/{int:proposal_id}/cosign", response=ProposalDetail)
def cosign(request, proposal_id: Id):
    return _simple(request, proposal_id, actions.do_cosign_proposal)


@router.post("/{int:proposal_id}/decline", response=ProposalDetail)
def decline(request, proposal_id: Id):
    return _simple(request, proposal_id, actions.do_decline_cosign)


# --- the workflow's steps (core.api_workflow: one POST /{id}/<step> per transition) ---------------


def _reviewable(user, proposal_id: int) -> Proposal:
    """A proposal the caller decides as the proposal committee: 404 outside their scope, 403
    without the review permission over its congress."""
    proposal = queries.access_proposal(user, proposal_id)
    if not queries.can_review(user, proposal):
        raise PermissionDenied
    return proposal


def _supervisable(user, proposal_id: int) -> Proposal:
    proposal = queries.access_proposal(user, proposal_id)
    if not queries.can_supervise(user, proposal):
        raise PermissionDenied
    return proposal


def _assignment(payload) -> dict:
    lead, co = _departments(payload.lead_department_id, payload.co_department_ids)
    return {"lead_department": lead, "co_departments": co, "workdays": payload.workdays}


def _merge_target(proposal: Proposal, into_id: int) -> Proposal:
    # The committee reviewing `proposal` sees every proposal of its congress it may merge into.
    return record_in_body(
        queries.merge_candidates(proposal), into_id, "into_id", _("要并入的提案不存在或不能并入")
    )


_STEP: dict[str, Any] = {
    "path": "/{int:proposal_id}",
    "record_arg": "proposal",
    "response": ProposalDetail,
}

# the proposer's steps (the action checks who may)
add_step_routes(
    router,
    PROPOSAL,
    **_STEP,
    access=queries.access_proposal,
    result=_detail,
    names=["submit", "withdraw", "rate"],
    schemas={"submit": None, "withdraw": None, "rate": ProposalRateIn},
)

# the committee's decisions
add_step_routes(
    router,
    PROPOSAL,
    **_STEP,
    access=_reviewable,
    result=_detail,
    names=["accept", "reject", "merge", "assign", "reassign"],
    schemas={
        "accept": ProposalAssignIn,
        "reject": ProposalReasonIn,
        "merge": ProposalMergeIn,
        "assign": ProposalAssignIn,
        "reassign": ProposalReassignIn,
    },
    arguments={
        "accept": lambda proposal, payload: {**_assignment(payload), "note": payload.note},
        "merge": lambda proposal, payload: {
            "into": _merge_target(proposal, payload.into_id),
            "note": payload.note,
        },
        "assign": lambda proposal, payload: {**_assignment(payload), "note": payload.note},
        "reassign": lambda proposal, payload: {**_assignment(payload), "reason": payload.reason},
    },
)

# 督办 (the committee or the union's leadership)
add_step_routes(
    router,
    PROPOSAL,
    **_STEP,
    access=_supervisable,
    result=_detail,
    names=["supervise"],
    schemas={"supervise": ProposalNoteIn},
)

# the lead department's answer
add_step_routes(
    router,
    PROPOSAL,
    **_STEP,
    access=queries.access_proposal,
    result=_detail,
    names=["answer"],
    schemas={"answer": ProposalAnswerIn},
)


# --- the committee --------------------------------------------------------------------------------


@router.post("/{int:proposal_id}/carry-over", response=ProposalDetail)
def carry_over(request, proposal_id: Id, payload: CarryOverIn):
    proposal = _supervisable(request.user, proposal_id)
    session = record_in_body(queries.sessions(), payload.session_id, "session_id", _("会议不存在"))
    actions_proposal_handling.do_carry_over_proposal(
        actor=request.user, proposal=proposal, to_session=session, note=payload.note
    )
    return _detail(request.user, proposal)


# --- handlers -------------------------------------------------------------------------------------


@router.post("/{int:proposal_id}/opinion", response=ProposalDetail)
def opinion(request, proposal_id: Id, payload: OpinionIn):
    department = record_in_body(queries.departments(), payload.department_id, "department_id")
    return _simple(
        request,
        proposal_id,
        actions_proposal_handling.do_add_cohandling_opinion,
        department=department,
        text=payload.text,
    )
