"""Reads of the rationalisation suggestions. Who sees what (404 for anything else):

a suggestion      its author and co-authors; the cadres holding services.manage_suggestions
                  over its unit (the author's union unit); the handlers holding
                  services.review_suggestion over its department; the handlers holding
                  services.certify_suggestion_benefit over its finance department, once
                  implemented; the experts appointed to it
similar ones      on the review page: the most similar suggestions the viewer may read; while
                  a member writes: the most similar of their union (the tree of their unit's
                  top union), shown by title and state only (no text, no author), linked only
                  when the member may read them
the desk list     what the viewer reads through a role (cadre, handler, finance, expert)
yearly figures    the cadres, for the units of their scope
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from zhijia.core import search, similarity
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import department_prefixes, has_perm, scope_q, unit_prefixes
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.services import suggestion_rules as rules
from zhijia.services.models import (
    Suggestion,
    SuggestionCriterion,
    SuggestionExpert,
    SuggestionMilestone,
    SuggestionRewardTier,
    SuggestionScore,
)
from zhijia.services.permissions import (
    CERTIFY_SUGGESTION_BENEFIT,
    MANAGE_SUGGESTIONS,
    REVIEW_SUGGESTION,
)
from zhijia.services.queries.common import pk_or_404 as _pk
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import (
    ADOPTED_STATES,
    IMPLEMENTED_STATES,
    SUGGESTION,
    SUGGESTION_MILESTONE,
)

SEARCH_TYPE = "services.suggestion"
# A text search ranks at most this many suggestions (the list then pages them, within the
# viewer's scope; a narrower search finds the rest).
SEARCH_HITS = 500
# The earlier suggestions compared with one (newest first): a bound, not a page.
SIMILAR_CANDIDATES = 2000
SIMILAR_TOP = similarity.TOP

__all__ = ["is_member"]


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scope(user, code: str, path_field: str) -> Q:
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


# --- who ----------------------------------------------------------------------------------------


def may_manage(user) -> bool:
    return has_perm(user, MANAGE_SUGGESTIONS)


def manages(user, suggestion: Suggestion) -> bool:
    return has_perm(user, MANAGE_SUGGESTIONS, unit=suggestion.org_unit)


def reviews(user, suggestion: Suggestion) -> bool:
    return has_perm(user, REVIEW_SUGGESTION, department=suggestion.department)


def is_expert(user, suggestion: Suggestion) -> bool:
    return (
        _authenticated(user)
        and SuggestionExpert.objects.filter(suggestion=suggestion, expert=user).exists()
    )


def is_author(user, suggestion: Suggestion) -> bool:
    return suggestion.author_id == getattr(user, "pk", None)


def may_use_desk(user) -> bool:
    """The desk: cadres, department and finance handlers, and appointed experts."""
    if not _authenticated(user):
        return False
    if (
        has_perm(user, MANAGE_SUGGESTIONS)
        or has_perm(user, REVIEW_SUGGESTION)
        or has_perm(user, CERTIFY_SUGGESTION_BENEFIT)
    ):
        return True
    return SuggestionExpert.objects.filter(expert=user).exists()


# --- lists --------------------------------------------------------------------------------------


def _role_q(user) -> Q:
    q = Q(pk__in=[])
    if unit_prefixes(user, MANAGE_SUGGESTIONS):
        q |= _scope(user, MANAGE_SUGGESTIONS, "org_unit__path")
    if department_prefixes(user, REVIEW_SUGGESTION):
        q |= _scope(user, REVIEW_SUGGESTION, "department__path")
    if department_prefixes(user, CERTIFY_SUGGESTION_BENEFIT):
        q |= Q(state__in=IMPLEMENTED_STATES) & _scope(
            user, CERTIFY_SUGGESTION_BENEFIT, "finance_department__path"
        )
    appointed = SuggestionExpert.objects.filter(suggestion=OuterRef("pk"), expert=user)
    return q | Q(Exists(appointed))


def _related(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    return qs.select_related("org_unit", "department", "author", "finance_department")


def visible_to(user) -> QuerySet[Suggestion]:
    if not _authenticated(user):
        return Suggestion.objects.none()
    coauthored = Suggestion.coauthors.through.objects.filter(
        suggestion_id=OuterRef("pk"), user_id=user.pk
    )
    return _related(
        Suggestion.objects.filter(Q(author=user) | Q(Exists(coauthored)) | _role_q(user))
    )


def desk_list(
    user,
    *,
    state: str = "",
    year: int | None = None,
    queue: str = "",
    q: str = "",
    unit_id: int | None = None,
    submitted: DateRange | None = None,
) -> QuerySet[Suggestion]:
    """What the viewer handles through a role, filtered (`q`: a text search over titles,
    problems and proposals; `unit_id` the unit's subtree and `submitted` the days submitted
    within: the dashboard's drill-down); newest first."""
    if not _authenticated(user):
        return Suggestion.objects.none()
    qs = _related(Suggestion.objects.filter(_role_q(user)))
    if state in SUGGESTION.states:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if submitted is not None:
        qs = submitted.apply(qs, "submitted_at")
    if queue:
        qs = qs.filter(pk__in=queue_of(user, queue).values("pk"))
    if q.strip():
        hits = search.search(q, types=[SEARCH_TYPE], limit=SEARCH_HITS)
        qs = qs.filter(pk__in=[int(h.target_id) for h in hits])
    return qs


def queue_of(user, queue: str) -> QuerySet[Suggestion]:
    """The work queues (core.queues and the desk's filters)."""
    states = SUGGESTION.states
    if queue == "review":
        return Suggestion.objects.filter(
            _scope(user, REVIEW_SUGGESTION, "department__path")
            if department_prefixes(user, REVIEW_SUGGESTION)
            else Q(pk__in=[]),
            state=states.submitted,
        )
    if queue == "score":
        mine = SuggestionExpert.objects.filter(
            suggestion=OuterRef("pk"), expert=user, scored_at__isnull=True
        )
        return Suggestion.objects.filter(Exists(mine), state=states.scoring)
    if queue == "certify":
        if not department_prefixes(user, CERTIFY_SUGGESTION_BENEFIT):
            return Suggestion.objects.none()
        return Suggestion.objects.filter(
            _scope(user, CERTIFY_SUGGESTION_BENEFIT, "finance_department__path"),
            state=states.implemented,
        )
    if queue == "decide":
        if not unit_prefixes(user, MANAGE_SUGGESTIONS):
            return Suggestion.objects.none()
        return Suggestion.objects.filter(
            _scope(user, MANAGE_SUGGESTIONS, "org_unit__path"),
            state__in=[states.scoring, states.adopted, states.certified],
        )
    return Suggestion.objects.none()


QUEUES = ("review", "score", "certify", "decide")


def my_suggestions(user) -> QuerySet[Suggestion]:
    """The member's own suggestions and those they co-authored, newest first."""
    if not _authenticated(user):
        return Suggestion.objects.none()
    return _related(
        Suggestion.objects.filter(Q(author=user) | Q(coauthors=user)).distinct()
    ).order_by("-submitted_at", "-id")


def access_suggestion(user, suggestion_id) -> Suggestion:
    suggestion = visible_to(user).filter(pk=_pk(suggestion_id)).first()
    if suggestion is None:
        raise Http404
    return suggestion


def access_milestone(user, milestone_id) -> SuggestionMilestone:
    milestone = (
        SuggestionMilestone.objects.filter(pk=_pk(milestone_id))
        .select_related("suggestion")
        .first()
    )
    if milestone is None:
        raise Http404
    access_suggestion(user, milestone.suggestion_id)
    return milestone


def departments() -> QuerySet[Department]:
    """The departments a suggestion may concern (open ones)."""
    return Department.objects.filter(closed_at__isnull=True).order_by("path")


def attachments_of(suggestion: Suggestion):
    from zhijia.core.attachments import attachments_for

    return attachments_for(suggestion)


def milestones_of(suggestion: Suggestion) -> QuerySet[SuggestionMilestone]:
    return suggestion.milestones.order_by("created_at", "id")


def open_milestones(suggestion: Suggestion) -> QuerySet[SuggestionMilestone]:
    return milestones_of(suggestion).filter(state=SUGGESTION_MILESTONE.states.open)


def experts_of(suggestion: Suggestion) -> QuerySet[SuggestionExpert]:
    return suggestion.experts.select_related("expert").order_by("appointed_at", "id")


def member_user(actor, employee_no: str):
    """The active account of the member on the roll with this 工号 (co-authors, experts);
    None otherwise."""
    member = (
        Member.objects.filter(
            employee_no=(employee_no or "").strip(),
            status=Member.Status.ACTIVE,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user", "org_unit")
        .first()
    )
    return member.user if member is not None else None


# --- scoring ------------------------------------------------------------------------------------


def _configured(model, unit: OrgUnit) -> tuple[str | None, list]:
    rows = model.objects.filter(org_unit__path__in=unit.path_prefixes()).select_related("org_unit")
    by_path: dict[str, list] = {}
    for row in rows:
        by_path.setdefault(row.org_unit.path, []).append(row)
    return rules.nearest_configured(unit.path_prefixes(), by_path)  # type: ignore[return-value]


def criteria_for(unit: OrgUnit) -> list[rules.Criterion]:
    """The unit's criteria, else the nearest configured unit's above it, else the defaults."""
    _path, rows = _configured(SuggestionCriterion, unit)
    if not rows:
        return list(rules.DEFAULT_CRITERIA)
    return [rules.Criterion(r.name, r.weight) for r in rows]


def tiers_for(unit: OrgUnit) -> list[rules.Tier]:
    _path, rows = _configured(SuggestionRewardTier, unit)
    if not rows:
        return list(rules.DEFAULT_TIERS)
    return [rules.Tier(r.name, r.min_benefit, r.min_score, r.amount) for r in rows]


def has_own_config(unit: OrgUnit) -> tuple[bool, bool]:
    return (
        SuggestionCriterion.objects.filter(org_unit=unit).exists(),
        SuggestionRewardTier.objects.filter(org_unit=unit).exists(),
    )


def criteria_of(suggestion: Suggestion) -> list[rules.Criterion]:
    """The criteria the suggestion is scored on (copied when scoring opened)."""
    return [rules.Criterion(c["name"], int(c["weight"])) for c in suggestion.criteria or []]


def marks_by_expert(suggestion: Suggestion) -> dict[int, dict[str, int]]:
    marks: dict[int, dict[str, int]] = {}
    for row in SuggestionScore.objects.filter(suggestion=suggestion):
        marks.setdefault(row.expert_id, {})[row.criterion] = row.value
    return marks


def my_marks(user, suggestion: Suggestion) -> dict[str, int]:
    return marks_by_expert(suggestion).get(getattr(user, "pk", 0), {})


def tier_preview(suggestion: Suggestion) -> rules.Tier | None:
    if suggestion.certified_benefit is None:
        return None
    return rules.tier_for(
        suggestion.certified_benefit, suggestion.score, tiers_for(suggestion.org_unit)
    )


# --- similar ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    suggestion: Suggestion
    score: float
    percent: int
    readable: bool


def text_of(title: str, problem: str = "", proposal: str = "") -> str:
    return similarity.document(title, problem, proposal)


def _rank(text: str, candidates: list[Suggestion], readable: set[int], top: int) -> list[Similar]:
    by_pk = {s.pk: s for s in candidates}
    matches = similarity.rank(
        text, [(s.pk, text_of(s.title, s.problem, s.proposal)) for s in candidates], top=top
    )
    return [
        Similar(by_pk[int(str(m.key))], m.score, m.percent, int(str(m.key)) in readable)
        for m in matches
    ]


def similar_to(user, suggestion: Suggestion, *, top: int = SIMILAR_TOP) -> list[Similar]:
    """The earlier suggestions most like this one among those the viewer may read."""
    candidates = list(
        visible_to(user)
        .exclude(pk=suggestion.pk)
        .order_by("-submitted_at", "-id")[:SIMILAR_CANDIDATES]
    )
    text = text_of(suggestion.title, suggestion.problem, suggestion.proposal)
    return _rank(text, candidates, {s.pk for s in candidates}, top)


def similar_for_member(
    user, title: str, problem: str = "", proposal: str = "", *, top: int = SIMILAR_TOP
) -> list[Similar]:
    """While a member writes: the most similar suggestions of their union (title and state
    only; `readable` says which they may open)."""
    if not is_member(user) or not (title or problem or proposal).strip():
        return []
    root = user.member_record.org_unit.path_prefixes()[0]
    candidates = list(
        Suggestion.objects.filter(org_unit__path__startswith=root).order_by("-submitted_at", "-id")[
            :SIMILAR_CANDIDATES
        ]
    )
    readable = set(
        visible_to(user).filter(pk__in=[s.pk for s in candidates]).values_list("pk", flat=True)
    )
    return _rank(text_of(title, problem, proposal), candidates, readable, top)


# --- yearly figures -----------------------------------------------------------------------------


def figure_units(user) -> QuerySet[OrgUnit]:
    """The units a cadre may see the figures of (their scope), top first."""
    return OrgUnit.objects.filter(
        _scope(user, MANAGE_SUGGESTIONS, "path") if may_manage(user) else Q(pk__in=[]),
        closed_at__isnull=True,
    ).order_by("path")


def year_counts(unit: OrgUnit, year: int) -> rules.YearCounts:
    """The counts of the unit's subtree for one year. Workers: the members on the roll (在册)
    of the subtree now; suggestions: those submitted in the year (by submission date)."""
    qs = Suggestion.objects.filter(org_unit__path__startswith=unit.path, year=year)
    return rules.YearCounts(
        workers=Member.objects.filter(
            org_unit__path__startswith=unit.path, status=Member.Status.ACTIVE
        ).count(),
        submitted=qs.count(),
        adopted=qs.filter(state__in=ADOPTED_STATES).count(),
        rejected=qs.filter(state=SUGGESTION.states.rejected).count(),
        implemented=qs.filter(state__in=IMPLEMENTED_STATES).count(),
        benefit=qs.aggregate(s=Sum("certified_benefit"))["s"] or Decimal("0"),
    )


def figures_rows(unit: OrgUnit, year: int) -> list[tuple[OrgUnit, rules.YearFigures]]:
    """The unit (its whole subtree) and each of its open child units (their subtrees)."""
    units = [unit, *unit.children.filter(closed_at__isnull=True).order_by("path")]
    return [(u, rules.year_figures(year_counts(u, year))) for u in units]


def access_figure_unit(user, unit_id) -> OrgUnit:
    unit = figure_units(user).filter(pk=_pk(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def to_rate(user) -> QuerySet[Suggestion]:
    """The author's suggestions closed or not adopted and not rated yet, newest first."""
    from zhijia.services.workflows import RATABLE_STATES

    if not _authenticated(user):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(
        author=user, state__in=RATABLE_STATES, rated_at__isnull=True
    ).order_by("-state_changed_at", "-id")
