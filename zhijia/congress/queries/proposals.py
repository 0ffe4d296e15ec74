"""Reads of proposals for pages and the API: who sees what, lists, the queue, duplicates.

Visibility (deny by default; `access_proposal` answers 404 for anything else):
  * the proposer, always; invited co-signers and co-signers, always;
  * the proposer of a proposal merged into this one (they follow it from there);
  * cadres and enterprise leaders holding congress.view_proposal (or review/supervise) over the
    congress's unit or the proposer's unit, once it is submitted (drafts stay private);
  * handlers holding congress.answer_proposal over the lead or a co-handling department, once
    it has been assigned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import RoleAssignment
from zhijia.congress.models import (
    Proposal,
    ProposalAnswer,
    ProposalCarryOver,
    ProposalCosigner,
    ProposalRating,
    Representative,
    Session,
)
from zhijia.congress.permissions import (
    ANSWER_PROPOSAL,
    REVIEW_PROPOSAL,
    SUBMIT_PROPOSAL,
    SUPERVISE_PROPOSAL,
    VIEW_PROPOSAL,
)
from zhijia.congress.queries import bodies
from zhijia.core import attachments, permissions, search, similarity
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Department, OrgUnit

SEARCH_TYPE = "congress.proposal"
# A text search ranks at most this many proposals (the list then pages them; a narrower
# search finds the rest). Not a page size: the search index knows no visibility.
SEARCH_HITS = 500
# The proposals compared with one for 并案 (same session, or still open), newest first.
SIMILAR_CANDIDATES = 2000
ASSIGNED_STATES = ("handling", "supervised", "answered", "closed")
# States the committee still has to act on, and states that count as unfinished.
REVIEW_STATES = ("submitted", "accepted")
OPEN_STATES = ("submitted", "accepted", "handling", "supervised", "answered")
CARRY_OVER_STATES = ("submitted", "accepted", "handling", "supervised")
MERGE_TARGET_STATES = ("submitted", "accepted", "handling", "supervised", "answered", "closed")


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scope(user, code: str, path_field: str) -> Q:
    """scope_q with the global scope as an explicit always-true Q (an empty Q() would vanish
    when OR-ed with other conditions)."""
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


def _cadre_q(user) -> Q:
    q = Q(pk__in=[])
    for code in (VIEW_PROPOSAL, REVIEW_PROPOSAL, SUPERVISE_PROPOSAL):
        q |= _scope(user, code, "org_unit__path") | _scope(user, code, "proposer_unit__path")
    # The term's 提案 working group reads what it reviews (queries.bodies).
    group_terms = bodies.proposal_group_term_ids(user)
    if group_terms:
        q |= Q(session__term_id__in=group_terms)
    return q & ~Q(state__in=["draft", "withdrawn"])


def _handler_q(user) -> Q:
    if not permissions.department_prefixes(user, ANSWER_PROPOSAL):
        return Q(pk__in=[])
    through = Proposal.co_departments.through
    co = through.objects.filter(
        Q(proposal_id=OuterRef("pk")) & _scope(user, ANSWER_PROPOSAL, "department__path")
    )
    return Q(state__in=ASSIGNED_STATES) & (
        _scope(user, ANSWER_PROPOSAL, "lead_department__path") | Q(Exists(co))
    )


def proposals_visible_to(user) -> QuerySet[Proposal]:
    if not _authenticated(user):
        return Proposal.objects.none()
    invited = ProposalCosigner.objects.filter(proposal=OuterRef("pk"), user=user)
    merged_mine = Proposal.objects.filter(merged_into=OuterRef("pk"), proposer=user)
    return Proposal.objects.filter(
        Q(proposer=user)
        | Q(Exists(invited))
        | Q(Exists(merged_mine))
        | _cadre_q(user)
        | _handler_q(user)
    ).select_related("session", "lead_department", "org_unit", "proposer_unit")


def access_proposal(user, proposal_id) -> Proposal:
    """The proposal if `user` may see it; 404 otherwise (also outside the user's scope)."""
    try:
        pk = int(proposal_id)
    except (TypeError, ValueError):
        raise Http404 from None
    proposal = proposals_visible_to(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def access_proposal_for_attachment(user, proposal_id):
    return access_proposal(user, proposal_id)


def late_q(now=None) -> Q:
    """Past its deadline now, or already escalated (督办) for lateness and not finished."""
    now = now or timezone.now()
    return Q(deadline_at__lt=now) | (
        Q(escalation_level__gt=0) & ~Q(state__in=["closed", "rejected", "merged"])
    )


def with_lateness(qs: QuerySet[Proposal], now=None) -> QuerySet[Proposal]:
    """Annotate `late` (see late_q)."""
    return qs.annotate(
        late=Case(
            When(late_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def late_first(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return with_lateness(qs).order_by(
        F("late").desc(), F("deadline_at").asc(nulls_last=True), "-id"
    )


# --- lists ---------------------------------------------------------------------------------------


def my_proposals(user) -> QuerySet[Proposal]:
    if not _authenticated(user):
        return Proposal.objects.none()
    return late_first(Proposal.objects.filter(proposer=user).select_related("session"))


def cosign_requests(user) -> QuerySet[ProposalCosigner]:
    """Invitations waiting for the user's answer, on proposals still collecting co-signers."""
    if not _authenticated(user):
        return ProposalCosigner.objects.none()
    return (
        ProposalCosigner.objects.filter(
            user=user, status=ProposalCosigner.Status.INVITED, proposal__state="draft"
        )
        .select_related("proposal", "proposal__session")
        .order_by("-invited_at")
    )


def cosigned_by(user) -> QuerySet[Proposal]:
    if not _authenticated(user):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(
            cosigners__user=user, cosigners__status=ProposalCosigner.Status.SIGNED
        )
        .exclude(proposer=user)
        .select_related("session")
        .order_by("-id")
    )


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    session_id: int | None = None
    department_id: int | None = None
    category: str = ""
    late_only: bool = False
    q: str = ""
    # The proposer's unit and its subtree, and submitted within (?unit=&from=&to=: the
    # dashboard's drill-down passes its unit and period).
    unit_id: int | None = None
    submitted: DateRange = field(default_factory=DateRange)


def search_ids(user, text: str, limit: int = SEARCH_HITS) -> list[int]:
    """Ids of proposals matching `text` (Chinese word search); re-checked by the caller's
    visibility filter, since visibility is decided per record."""
    hits = search.search(text, types=[SEARCH_TYPE], limit=limit)
    return [int(h.target_id) for h in hits if h.target_id.isdigit()]


def queue(
    user, filters: QueueFilters | None = None, *, own_drafts: bool = False
) -> QuerySet[Proposal]:
    """The desk list for cadres (and handlers): everything visible except drafts (but the
    user's own with `own_drafts`), late first."""
    f = filters or QueueFilters()
    drafts = Q(state="draft")
    if own_drafts and _authenticated(user):
        drafts &= ~Q(proposer=user)
    qs = proposals_visible_to(user).exclude(drafts)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.session_id:
        qs = qs.filter(session_id=f.session_id)
    if f.department_id:
        qs = qs.filter(
            Q(lead_department_id=f.department_id) | Q(co_departments__id=f.department_id)
        ).distinct()
    if f.category:
        qs = qs.filter(category=f.category)
    if f.q.strip():
        qs = qs.filter(pk__in=search_ids(user, f.q))
    if f.late_only:
        qs = qs.filter(late_q())
    if f.unit_id:
        unit = OrgUnit.objects.filter(pk=f.unit_id).first()
        qs = qs.filter(proposer_unit__path__startswith=unit.path) if unit else qs.none()
    return late_first(f.submitted.apply(qs, "submitted_at"))


# The states in which a handling department still owes its answer.
TO_ANSWER_STATES = ("handling", "supervised")


def department_proposals(user, *, to_answer: bool = False) -> QuerySet[Proposal]:
    """Proposals assigned to the handler's departments (lead or co-handling), late first;
    `to_answer`: only those still to be answered (办理中, 督办中)."""
    if not _authenticated(user):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(_handler_q(user))
    if to_answer:
        qs = qs.filter(state__in=TO_ANSWER_STATES)
    return late_first(qs.select_related("session", "lead_department")).distinct()


# --- details -------------------------------------------------------------------------------------


def cosigners_of(proposal: Proposal) -> list[ProposalCosigner]:
    return list(proposal.cosigners.all())


def signed_count(proposal: Proposal) -> int:
    return proposal.cosigners.filter(status=ProposalCosigner.Status.SIGNED).count()


def awaiting_count(proposal: Proposal) -> int:
    """Co-signers invited who have not answered yet."""
    return proposal.cosigners.filter(status=ProposalCosigner.Status.INVITED).count()


def invitation_of(proposal: Proposal, user) -> ProposalCosigner | None:
    if not _authenticated(user):
        return None
    return proposal.cosigners.filter(user=user).first()


def answers_of(proposal: Proposal) -> list[ProposalAnswer]:
    return list(proposal.answers.select_related("department"))


def ratings_of(proposal: Proposal) -> list[ProposalRating]:
    return list(proposal.ratings.all())


def carry_overs_of(proposal: Proposal) -> list[ProposalCarryOver]:
    return list(proposal.carry_overs.select_related("from_session", "to_session"))


def attachments_of(proposal: Proposal) -> list:
    return list(attachments.attachments_for(proposal))


def co_departments_of(proposal: Proposal) -> list[Department]:
    return list(proposal.co_departments.order_by("path"))


def merged_into_this(proposal: Proposal) -> list[Proposal]:
    return list(proposal.merged_proposals.order_by("serial", "id"))


def handler_departments(user, proposal: Proposal) -> list[Department]:
    """The proposal's departments (lead first) in which the user may answer."""
    depts: list[Department] = []
    if proposal.lead_department is not None:
        depts.append(proposal.lead_department)
    depts += co_departments_of(proposal)
    return [d for d in depts if has_perm(user, ANSWER_PROPOSAL, department=d)]


def can_review(user, proposal: Proposal) -> bool:
    """The proposal committee: cadres and the term's 提案 working group (the one place)."""
    return bodies.may_review_proposals(user, proposal.session.term)


def can_supervise(user, proposal: Proposal) -> bool:
    return has_perm(user, SUPERVISE_PROPOSAL, unit=proposal.org_unit)


def is_representative(user) -> bool:
    return _authenticated(user) and has_perm(user, SUBMIT_PROPOSAL)


def is_handler(user) -> bool:
    return _authenticated(user) and has_perm(user, ANSWER_PROPOSAL)


def may_use_queue(user) -> bool:
    """Cadres and leaders who read or decide proposals somewhere."""
    return _authenticated(user) and (
        any(has_perm(user, code) for code in (VIEW_PROPOSAL, REVIEW_PROPOSAL, SUPERVISE_PROPOSAL))
        or bool(bodies.proposal_group_term_ids(user))
    )


# --- choices for forms ---------------------------------------------------------------------------


def active_users() -> QuerySet:
    """Active accounts (a body's user ids are loaded from these: api_errors.record_in_body)."""
    return get_user_model().objects.filter(is_active=True)


def sessions() -> QuerySet[Session]:
    return Session.objects.select_related("term", "term__unit")


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("path")


def sessions_for_proposals(user) -> QuerySet[Session]:
    """Sessions the user may file a new proposal for: not yet closed, of a congress whose
    unit contains the user's union unit (newest first)."""
    from zhijia.congress.actions.proposals import proposer_unit_of

    if not is_representative(user):
        return Session.objects.none()
    unit = proposer_unit_of(user)
    if unit is None:
        return Session.objects.none()
    return (
        Session.objects.filter(term__unit__path__in=unit.path_prefixes())
        .exclude(state=Session.State.CLOSED)
        .select_related("term", "term__unit")
        .order_by("-date", "-pk")
    )


def sessions_visible_for_queue(user) -> QuerySet[Session]:
    """Sessions to filter the queue by: those of congresses whose proposals the user reads."""
    units = Proposal.objects.filter(_cadre_q(user) | _handler_q(user)).values("org_unit_id")
    return (
        Session.objects.filter(term__unit_id__in=units)
        .select_related("term", "term__unit")
        .order_by("-date", "-pk")
    )


def later_sessions(proposal: Proposal) -> QuerySet[Session]:
    """Sessions an unfinished proposal may be carried over to: later sessions (by date, then
    by creation) of the same congress unit, in order."""
    current = proposal.session
    return (
        Session.objects.filter(term__unit=proposal.org_unit)
        .filter(Q(date__gt=current.date) | Q(date=current.date, pk__gt=current.pk))
        .select_related("term")
        .order_by("date", "pk")
    )


def on_roster(session: Session, user) -> bool:
    """Whether `user` may act as a representative of the session's term: when the term keeps
    a roster (Representative records), they must be an active representative on it; a term
    without a roster relies on the representative role alone."""
    roster = Representative.objects.filter(term_id=session.term_id, active=True)
    if not roster.exists():
        return True
    return roster.filter(member__user=user).exists()


def representatives_in(unit: OrgUnit, *, q: str = "", exclude_ids=()) -> QuerySet:
    """Active accounts holding the representative role within `unit`'s subtree."""
    holders = RoleAssignment.objects.filter(
        Q(org_unit__path__startswith=unit.path) | Q(org_unit__isnull=True, department__isnull=True),
        role__in=sorted(permissions.registry()[SUBMIT_PROPOSAL].roles),
    ).values("user_id")
    qs = get_user_model().objects.filter(is_active=True, pk__in=holders)
    if exclude_ids:
        qs = qs.exclude(pk__in=list(exclude_ids))
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(full_name__icontains=text)
            | Q(username__icontains=text)
            | Q(member_record__employee_no=text)
            | Q(member_record__name_pinyin__startswith=text.lower())
            | Q(member_record__name_initials__startswith=text.lower())
        )
    return qs.order_by("full_name", "pk")


def cosigner_choices(user, proposal: Proposal | None = None, *, q: str = "") -> QuerySet:
    """Representatives `user` may invite to co-sign: of the proposal's congress, or (for a new
    proposal) of the whole union the user belongs to; not the user, not those already asked."""
    from zhijia.congress.actions.proposals import proposer_unit_of

    if proposal is not None:
        exclude = [proposal.proposer_id, *proposal.cosigners.values_list("user_id", flat=True)]
        return representatives_in(proposal.org_unit, q=q, exclude_ids=exclude)
    unit = proposer_unit_of(user) if _authenticated(user) else None
    if unit is None:
        return get_user_model().objects.none()
    root = OrgUnit.objects.filter(path=unit.path_prefixes()[0]).first() or unit
    return representatives_in(root, q=q, exclude_ids=[user.pk])


def committee_members(proposal: Proposal) -> list:
    """Who decides: holders of congress.review_proposal over the congress's unit and the
    members of the term's 提案 working group."""
    users = list(permissions.holders(REVIEW_PROPOSAL, proposal.org_unit))
    seen = {u.pk for u in users}
    for user in bodies.proposal_group_users(proposal.session.term):
        if user.pk not in seen:
            users.append(user)
            seen.add(user.pk)
    return users


def supervisors(proposal: Proposal) -> list:
    return permissions.holders(SUPERVISE_PROPOSAL, proposal.org_unit)


def department_handlers(department: Department | None) -> list:
    if department is None:
        return []
    return permissions.holders(ANSWER_PROPOSAL, department=department)


# --- duplicates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    proposal: Proposal
    score: float
    percent: int


def _text_of(p: Proposal) -> str:
    return similarity.document(p.title, p.cause, p.reasons, p.measures)


def merge_candidates(proposal: Proposal) -> QuerySet[Proposal]:
    """Proposals of the same congress this one could be merged into."""
    return (
        Proposal.objects.filter(org_unit=proposal.org_unit, state__in=MERGE_TARGET_STATES)
        .exclude(pk=proposal.pk)
        .exclude(merged_into=proposal)
        .select_related("session", "lead_department")
    )


def similar_proposals(proposal: Proposal, *, top: int = similarity.TOP) -> list[Similar]:
    """The likely duplicates of `proposal` among the proposals of the same session (and
    other unfinished ones of the same congress), best first, with their scores."""
    candidates = list(
        merge_candidates(proposal).filter(
            Q(session_id=proposal.session_id) | Q(state__in=OPEN_STATES)
        )[:SIMILAR_CANDIDATES]
    )
    by_pk = {p.pk: p for p in candidates}
    matches = similarity.rank(
        _text_of(proposal), [(p.pk, _text_of(p)) for p in candidates], top=top
    )
    return [Similar(by_pk[int(str(m.key))], m.score, m.percent) for m in matches]


def access_merge_target(user, proposal: Proposal, target_id) -> Proposal:
    """A proposal `proposal` may be merged into, visible to `user`; 404 otherwise."""
    target = access_proposal(user, target_id)
    if not merge_candidates(proposal).filter(pk=target.pk).exists():
        raise Http404
    return target
