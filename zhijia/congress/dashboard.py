"""What congress declares for the dashboards and reports (zhijia.core.figures): proposals
submitted in the period by status, answered on time, and the proposers' satisfaction (counted
by the proposer's unit); the sessions held (by the congress's unit, also 建家 evidence).
Imported by CongressConfig.ready()."""

from __future__ import annotations

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import Proposal, Session
from zhijia.congress.permissions import VIEW_PROPOSAL
from zhijia.congress.queries import proposals as queries
from zhijia.congress.queries.sessions import VIEW as VIEW_TERM
from zhijia.congress.workflows import PROPOSAL
from zhijia.core import dateranges, figures, searchables
from zhijia.core.figures import Figure, Scope
from zhijia.core.satisfaction import percent, satisfaction_rate

# Drafts collecting co-signers and withdrawn proposals were never before the committee.
NOT_SUBMITTED = ("draft", "withdrawn")
DONE_STATES = ("answered", "closed")


def _submitted(scope: Scope):
    lo, hi = scope.bounds()
    return Proposal.objects.filter(
        proposer_unit__path__startswith=scope.unit_path, submitted_at__gte=lo, submitted_at__lt=hi
    ).exclude(state__in=NOT_SUBMITTED)


def proposals_submitted(scope: Scope) -> int:
    return _submitted(scope).count()


def proposals_by_status(scope: Scope) -> figures.Rows:
    counts = dict(_submitted(scope).values_list("state").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [
        (PROPOSAL.state_label(code), counts.get(code, 0))
        for code in PROPOSAL.states
        if code not in NOT_SUBMITTED
    ]


def proposals_on_time_rate(scope: Scope) -> float | None:
    """Of the proposals answered or closed: the share never escalated nor supervised."""
    counts = (
        _submitted(scope)
        .filter(state__in=DONE_STATES)
        .aggregate(
            n=Count("pk"),
            late=Count("pk", filter=Q(escalation_level__gt=0) | Q(manual_supervisions__gt=0)),
        )
    )
    return figures.rate(counts["n"] - counts["late"], counts["n"])


def proposals_satisfaction(scope: Scope) -> int | None:
    ratings = dict(
        _submitted(scope)
        .exclude(rating="")
        .values_list("rating")
        .order_by()
        .annotate(n=Count("pk"))  # type: ignore[arg-type]
    )
    return percent(satisfaction_rate(ratings))


def _queue(scope: Scope) -> str:
    """The proposals of the scope's units submitted within its days."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('congress:proposal-queue')}?unit={scope.unit_id}&{period}"


figures.register(
    Figure(
        key="congress.proposals_submitted",
        label=_("职代会提案"),
        module="congress",
        sources=("congress.proposal",),
        compute=proposals_submitted,
        unit=_("件"),
        order=10,
        link=_queue,
        link_perm=VIEW_PROPOSAL,
        breakdown=proposals_by_status,
        chart="bar",
        description=_("本期提交的提案，按办理状态"),
    )
)
figures.register(
    Figure(
        key="congress.proposals_on_time_rate",
        label=_("提案按期办复率"),
        module="congress",
        sources=("congress.proposal",),
        compute=proposals_on_time_rate,
        unit="%",
        order=20,
        link=_queue,  # the proposals of the period, the answered among them counted
        link_perm=VIEW_PROPOSAL,
        chart="percent",
        description=_("已答复或办结的提案中未超期、未督办的比例"),
    )
)
figures.register(
    Figure(
        key="congress.proposals_satisfaction",
        label=_("提案办理满意率"),
        module="congress",
        sources=("congress.proposal",),
        compute=proposals_satisfaction,
        unit="%",
        order=30,
        link=_queue,  # the proposals of the period, the rated among them counted
        link_perm=VIEW_PROPOSAL,
        chart="percent",
    )
)


def _sessions_held(scope: Scope) -> int:
    return Session.objects.filter(
        term__unit__path__startswith=scope.unit_path,
        state=Session.State.CLOSED,
        date__range=(scope.start, scope.end),
    ).count()


figures.register(
    Figure(
        key="congress.sessions_held",
        label=_("召开职工代表大会"),
        module="congress",
        sources=("congress.session", "congress.term"),
        compute=_sessions_held,
        unit=_("次"),
        order=10,
        link=lambda scope: reverse("congress:term-list"),  # the terms with their sessions
        link_perm=VIEW_TERM,
        description=_("会议日期在期间内且已闭会的职代会会议"),
    )
)


def _visible_q(user) -> Q:
    visible = queries.proposals_visible_to(user).annotate(search_id=Cast("pk", CharField()))
    return Q(target_id__in=visible.values("search_id"))


def _visible(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(queries.proposals_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _entries():
    for p in Proposal.objects.select_related("proposer_unit").order_by("pk"):
        text = "\n".join([p.cause, p.reasons, p.measures])
        yield searchables.Entry(p.pk, p.title, text, p.proposer_unit.path)


searchables.register(
    searchables.Searchable(
        type=queries.SEARCH_TYPE,
        label=_("提案"),
        module="congress",
        extra_scope=_visible_q,
        recheck=_visible,
        url=lambda target_id: reverse("congress:proposal-detail", args=[target_id]),
        reindex=_entries,
        order=35,
    )
)
