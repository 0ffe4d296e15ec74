"""Reads of bargaining rounds. Who sees what (404 for anything else):

the desk (demands, request, delegations, sessions)   cadres holding bargaining.manage over the
                                                       round's unit
a round collecting demands                            the members on the roll of its unit
                                                       subtree (they may submit a demand; they
                                                       never read the others' demands)
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhijia.bargaining import rules
from zhijia.bargaining.models import BargainingSession, Delegate, Demand, Round
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries.common import is_member, pk_or_404
from zhijia.bargaining.workflows import ROUND
from zhijia.core.hooks import consultation_topics
from zhijia.core.permissions import scope_q


def managed_rounds(user) -> QuerySet[Round]:
    return (
        Round.objects.filter(scope_q(user, MANAGE, path_field="org_unit__path"))
        .select_related("org_unit")
        .order_by("-created_at", "-id")
    )


def access_managed_round(user, round_id) -> Round:
    round_ = managed_rounds(user).filter(pk=pk_or_404(round_id)).first()
    if round_ is None:
        raise Http404
    return round_


def collecting_for(user) -> QuerySet[Round]:
    """Rounds collecting demands that the member may answer: their unit and above."""
    if not is_member(user):
        return Round.objects.none()
    prefixes = user.member_record.org_unit.path_prefixes()
    return Round.objects.filter(
        state=ROUND.states.collecting, org_unit__path__in=prefixes
    ).order_by("-created_at", "-id")


def unanswered_rounds(user) -> QuerySet[Round]:
    """Rounds collecting demands over the member's unit to which they gave none yet."""
    return collecting_for(user).exclude(demands__submitter=user)


def may_submit_demand(user, round_: Round) -> bool:
    return is_member(user) and round_.org_unit.path in user.member_record.org_unit.path_prefixes()


def access_round_for_demand(user, round_id) -> Round:
    pk = pk_or_404(round_id)
    round_ = Round.objects.select_related("org_unit").filter(pk=pk).first()
    if round_ is None or not may_submit_demand(user, round_):
        raise Http404
    return round_


def my_demands(user, round_: Round) -> QuerySet[Demand]:
    return Demand.objects.filter(round=round_, submitter=user).order_by("-submitted_at")


def demands_of(round_: Round) -> QuerySet[Demand]:
    return Demand.objects.filter(round=round_).order_by("topic", "-submitted_at", "-id")


def demand_summary(round_: Round) -> list[tuple[str, str, int]]:
    """(topic, label, count), most raised first."""
    labels = dict(Demand.Topic.choices)
    topics = demands_of(round_).values_list("topic", flat=True)
    return [(t, str(labels.get(t, t)), n) for t, n in rules.demand_counts(topics)]


def survey_topics(round_: Round):
    """What members suggested in the unit's consultation surveys (module services, through
    zhijia.core.hooks.consultation_topics): (topic, count, survey title)."""
    return consultation_topics(round_.org_unit)


def delegates_of(round_: Round, side: str) -> list[Delegate]:
    return list(round_.delegates.filter(side=side).order_by("-is_chief", "id"))


def delegations_complete(round_: Round) -> bool:
    union = [d.is_chief for d in round_.delegates.filter(side=Delegate.Side.UNION)]
    employer = [d.is_chief for d in round_.delegates.filter(side=Delegate.Side.EMPLOYER)]
    return not rules.check_delegations(union, employer, max_per_side=round_.max_delegates)


def sessions_of(round_: Round) -> QuerySet[BargainingSession]:
    return round_.sessions.order_by("held_on", "id")


def access_managed_session(user, session_id) -> BargainingSession:
    session = (
        BargainingSession.objects.filter(
            scope_q(user, MANAGE, path_field="round__org_unit__path"), pk=pk_or_404(session_id)
        )
        .select_related("round__org_unit")
        .first()
    )
    if session is None:
        raise Http404
    return session
