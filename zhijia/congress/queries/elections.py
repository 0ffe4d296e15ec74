"""Queries of the representative elections (选举职工代表): who manages and sees which
election, its candidates and voters, the base of "more than half", and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhijia.congress.models import (
    Candidate,
    RepElection,
    Term,
)
from zhijia.congress.queries.sessions import ELECTIONS, _authenticated, parse_id
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Member, OrgUnit
from zhijia.voting import queries as voting_queries
from zhijia.voting.errors import ResultsNotPublished

# --- representative elections -------------------------------------------------------------------


def elections_managed_by(user) -> QuerySet[RepElection]:
    if not _authenticated(user):
        return RepElection.objects.none()
    return RepElection.objects.filter(
        scope_q(user, ELECTIONS, path_field="unit__path")
    ).select_related("term", "term__unit", "unit", "poll")


def elections_visible_to(user) -> QuerySet[RepElection]:
    """Elections the user runs, plus those of the electoral unit the user belongs to."""
    if not _authenticated(user):
        return RepElection.objects.none()
    member = (
        Member.objects.filter(user=user, status=Member.Status.ACTIVE)
        .select_related("org_unit")
        .first()
    )
    q = scope_q(user, ELECTIONS, path_field="unit__path")
    if not q:  # global scope
        q = Q(pk__isnull=False)
    if member is not None:
        # The member's own unit and every unit above it: the electoral units that include them.
        ancestor_ids = [int(p) for p in member.org_unit.path.strip("/").split("/") if p]
        q |= Q(unit_id__in=ancestor_ids)
    return (
        RepElection.objects.filter(q)
        .select_related("term", "term__unit", "unit", "poll")
        .order_by("-created_at", "-id")
    )


def access_election(user, election_id: Any) -> RepElection:
    pk = parse_id(election_id)
    election = elections_visible_to(user).filter(pk=pk).first() if pk else None
    if election is None:
        raise Http404
    return election


def access_managed_election(user, election_id: Any) -> RepElection:
    pk = parse_id(election_id)
    election = elections_managed_by(user).filter(pk=pk).first() if pk else None
    if election is None:
        raise Http404
    return election


def can_manage_election(user, election: RepElection) -> bool:
    return has_perm(user, ELECTIONS, unit=election.unit)


def terms_for_elections(user) -> QuerySet[Term]:
    """Terms whose electoral units the user may hold elections in (current and future)."""
    if not _authenticated(user):
        return Term.objects.none()
    units = OrgUnit.objects.filter(scope_q(user, ELECTIONS, path_field="path"))
    # A term is eligible when one of the user's units lies within the term's unit.
    term_ids = [
        t.pk
        for t in Term.objects.select_related("unit")
        if any(u.path.startswith(t.unit.path) or t.unit.path.startswith(u.path) for u in units)
    ]
    return Term.objects.filter(pk__in=term_ids).select_related("unit").order_by("-start_date")


def election_units_for(user, term: Term) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        scope_q(user, ELECTIONS, path_field="path"), path__startswith=term.unit.path
    ).order_by("path")


def candidates_of(election: RepElection) -> QuerySet[Candidate]:
    return election.candidates.select_related("member", "member__org_unit").order_by(
        "position", "id"
    )


def own_candidacy(user, election: RepElection) -> Candidate | None:
    if not _authenticated(user):
        return None
    return election.candidates.filter(member__user=user).first()


def may_self_nominate(user, election: RepElection) -> bool:
    if election.state != RepElection.State.NOMINATING or not _authenticated(user):
        return False
    if election.poll_id is not None:  # prepared: nominations are closed
        return False
    member = Member.objects.filter(user=user, status=Member.Status.ACTIVE).first()
    return bool(
        member
        and member.org_unit.path.startswith(election.unit.path)
        and not election.candidates.filter(member=member).exists()
    )


def unit_voters(election: RepElection):
    """Who may vote ONLINE in the election: active accounts of the in-register members of the
    electoral unit. Not the base: see election_base."""
    return voting_queries.eligible_members_of_unit(election.unit)


def unit_member_count(unit: OrgUnit) -> int:
    """In-register members of the electoral unit and its subtree, with or without account."""
    return Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path
    ).count()


def election_base(election: RepElection, present_count: int | None = None) -> int:
    """The unit's voters, the base of "more than half": its in-register members, or the
    members present at its meeting as entered (`present_count` overrides the stored one)."""
    if election.base == RepElection.Base.PRESENT:
        count = present_count if present_count is not None else election.present_count
        return int(count or 0)
    return unit_member_count(election.unit)


@dataclass(frozen=True)
class ElectionResult:
    election: RepElection
    result: voting_queries.PollResult | None
    refused: str
    elected: list[Candidate]
    tied: list[Candidate]
    unfilled: int
    votes: dict[int, int]  # candidate id -> votes
    threshold: int | None
    base: int


def election_result(election: RepElection) -> ElectionResult:
    candidates = list(candidates_of(election))
    poll = election.poll
    if poll is None:
        return ElectionResult(election, None, _("尚未投票"), [], [], election.seats, {}, None, 0)
    try:
        result = voting_queries.results_for(poll)
    except ResultsNotPublished as exc:
        return ElectionResult(
            election, None, exc.message, [], [], election.seats, {}, None, poll.majority_base or 0
        )
    by_key = {c.poll_key: c for c in candidates if c.poll_key}
    outcome = result.election
    votes = {by_key[o.key].pk: o.votes for o in result.options if o.key in by_key}
    elected = [by_key[k] for k in (outcome.elected if outcome else ()) if k in by_key]
    tied = [by_key[k] for k in (outcome.tied if outcome else ()) if k in by_key]
    return ElectionResult(
        election,
        result,
        "",
        elected,
        tied,
        outcome.unfilled if outcome else election.seats,
        votes,
        outcome.threshold if outcome else None,
        result.base,
    )


def members_for_candidates(election: RepElection, q: str = "") -> QuerySet[Member]:
    qs = Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=election.unit.path
    ).exclude(pk__in=election.candidates.values("member_id"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employee_no=q) | Q(name__startswith=q) | Q(name_pinyin__startswith=q))
    return qs.select_related("org_unit").order_by("employee_no")
