"""Reads of module cases for pages and the API: who sees which grievance, mediation case and
knowledge entry; queues; timelines; routing lookups; receipt-code lookups.

Records outside the caller's scope answer 404 through the `access_<noun>` helpers; a user who
may read no case at all gets 403 on the staff lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.cases import rules
from zhijia.cases.models import (
    BoxItem,
    CaseMessage,
    Grievance,
    KnowledgeEntry,
    MediationCase,
    RoutingRule,
)
from zhijia.cases.permissions import (
    ANSWER_CASE,
    ASSIGN_CASE,
    CONFIGURE_ROUTING,
    MANAGE_KNOWLEDGE,
    MANAGE_MEDIATION,
    VIEW_CASE,
    VIEW_MEDIATION,
)
from zhijia.core import receipts, search
from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.workflow import history
from zhijia.org.models import Department, OrgUnit
from zhijia.org.queries.members import own_member, parse_id

KNOWLEDGE_TYPE = "cases.knowledge"
OPEN_STATES = ("submitted", "assigned", "answered")
PAGE_SIZE = 50
# A knowledge search ranks at most this many answers (the list pages them and says when a
# search found this many: a narrower search finds the rest).
KNOWLEDGE_SEARCH_LIMIT = 200


# --- grievances: scope --------------------------------------------------------------------------


def _staff_q(user) -> Q:
    """What the user sees as staff: cadres by the worker's unit or the responsible level,
    handlers by the department the grievance is assigned to."""
    q = Q(pk__in=[])
    if has_perm(user, VIEW_CASE):
        q |= scope_q(user, VIEW_CASE, path_field="org_unit__path")
        q |= scope_q(user, VIEW_CASE, path_field="handling_unit__path")
    if has_perm(user, ANSWER_CASE):
        q |= scope_q(user, ANSWER_CASE, path_field="department__path")
    return q


def is_staff_for_cases(user) -> bool:
    return has_perm(user, VIEW_CASE) or has_perm(user, ANSWER_CASE)


def grievances_visible_to(user) -> QuerySet[Grievance]:
    if not getattr(user, "is_authenticated", False):
        return Grievance.objects.none()
    return Grievance.objects.filter(Q(submitter=user) | _staff_q(user)).exclude(state="")


def access_grievance(user, grievance_id: Any) -> Grievance:
    pk = parse_id(grievance_id)
    if pk is None:
        raise Http404
    found = (
        grievances_visible_to(user)
        .select_related("org_unit", "handling_unit", "department", "submitter")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def is_submitter(user, grievance: Grievance) -> bool:
    return grievance.submitter_id is not None and grievance.submitter_id == user.pk


def may_handle(user, grievance: Grievance) -> bool:
    """Cadre of the responsible level (assign, transfer, ask, answer)."""
    return has_perm(user, ASSIGN_CASE, unit=grievance.handling_unit)


def may_answer_as_department(user, grievance: Grievance) -> bool:
    return (
        grievance.department_id is not None
        and grievance.state == "assigned"
        and has_perm(user, ANSWER_CASE, department=grievance.department)
    )


def may_ask(user, grievance: Grievance) -> bool:
    return grievance.state in ("submitted", "assigned") and (
        may_handle(user, grievance) or may_answer_as_department(user, grievance)
    )


# --- grievances: lists --------------------------------------------------------------------------


@dataclass
class QueueFilters:
    state: str = "open"  # "open", "all" or a state code
    category: str = ""
    kind: str = ""
    overdue: bool = False
    mine: bool = False  # only what the user's level is responsible for
    unit: int | None = None
    q: str = ""


def _apply_filters(qs: QuerySet[Grievance], user, f: QueueFilters) -> QuerySet[Grievance]:
    if f.state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.overdue:
        qs = qs.filter(deadline_at__lt=timezone.now())
    if f.mine:
        qs = qs.filter(scope_q(user, ASSIGN_CASE, path_field="handling_unit__path"))
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.q:
        qs = qs.filter(text__icontains=f.q.strip()[:100])
    return qs


def _queue_order(qs: QuerySet[Grievance]) -> QuerySet[Grievance]:
    # Overdue first (the earliest deadline is the most overdue), then by deadline; records
    # without a deadline (closed, withdrawn) last, newest first.
    return qs.order_by(F("deadline_at").asc(nulls_last=True), "-received_on", "pk")


def queue_for_user(user, filters: QueueFilters | None = None) -> QuerySet[Grievance]:
    """The cadres' queue: every grievance of their subtree."""
    if not has_perm(user, VIEW_CASE):
        raise PermissionDenied(VIEW_CASE)
    qs = Grievance.objects.filter(_staff_q(user)).exclude(state="")
    qs = _apply_filters(qs, user, filters or QueueFilters())
    return _queue_order(qs.select_related("org_unit", "handling_unit", "department"))


def department_queue(user, filters: QueueFilters | None = None) -> QuerySet[Grievance]:
    """The handlers' list: only what is assigned to their department(s)."""
    if not has_perm(user, ANSWER_CASE):
        raise PermissionDenied(ANSWER_CASE)
    qs = Grievance.objects.filter(scope_q(user, ANSWER_CASE, path_field="department__path"))
    qs = _apply_filters(qs.exclude(state=""), user, filters or QueueFilters())
    return _queue_order(qs.select_related("org_unit", "handling_unit", "department"))


def my_grievances(user) -> QuerySet[Grievance]:
    if not getattr(user, "is_authenticated", False):
        return Grievance.objects.none()
    return (
        Grievance.objects.filter(submitter=user)
        .exclude(state="")
        .select_related("handling_unit", "department")
        .order_by("-received_on", "-state_changed_at")
    )


# --- timeline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "event" or "message"
    label: str
    who: str
    text: str
    from_worker: bool = False


def timeline(grievance: Grievance, *, for_worker: bool = False) -> list[TimelineEntry]:
    """Every step and message, oldest first. Staff names are shown to the worker (they act for
    the union); the worker appears as 职工 / 匿名职工."""
    from zhijia.cases.workflows import GRIEVANCE

    worker_label = "匿名职工" if grievance.is_anonymous else (str(grievance.submitter or ""))
    entries: list[TimelineEntry] = []
    for e in history(grievance):
        if e.actor_id is not None and e.actor_id == grievance.submitter_id:
            who = worker_label
        elif e.actor_id is None:
            who = "系统" if e.transition != "start" or not grievance.is_anonymous else "匿名信箱"
        else:
            who = e.actor_label
        label = GRIEVANCE.transition_label(e.transition)
        entries.append(
            TimelineEntry(
                e.at,
                "event",
                f"{label} → {GRIEVANCE.state_label(e.to_state)}",
                who,
                e.note,
                from_worker=e.actor_id is not None and e.actor_id == grievance.submitter_id,
            )
        )
    for m in grievance.messages.all():
        who = worker_label if m.from_worker else m.author_label
        entries.append(
            TimelineEntry(m.created_at, "message", m.get_kind_display(), who, m.text, m.from_worker)
        )
    return sorted(entries, key=lambda e: e.at)


def messages_of(grievance: Grievance) -> QuerySet[CaseMessage]:
    return grievance.messages.all()


# --- people -------------------------------------------------------------------------------------


def _users_with_role_over(role: str, path: str, *, exact_first: bool = True) -> list[User]:
    """Users holding `role` over the org unit with `path`: those assigned at that very unit;
    when none, the nearest ancestor level that has some."""
    rows = RoleAssignment.objects.filter(role=role, org_unit__isnull=False).select_related(
        "user", "org_unit"
    )
    by_depth: dict[int, list[User]] = {}
    for a in rows:
        if path.startswith(a.org_unit.path) and a.user.is_active:  # type: ignore[union-attr]
            by_depth.setdefault(rules.path_depth(a.org_unit.path), []).append(a.user)  # type: ignore[union-attr]
    if not by_depth:
        return []
    return by_depth[max(by_depth)] if exact_first else [u for us in by_depth.values() for u in us]


def responsible_users(grievance: Grievance) -> list[User]:
    """Who should hear about a grievance now: the cadres of the responsible level and, while
    assigned, the handlers of the department."""
    users = _users_with_role_over(Role.CADRE, grievance.handling_unit.path)
    if grievance.state == "assigned" and grievance.department_id:
        dept_path = grievance.department.path  # type: ignore[union-attr]
        for a in RoleAssignment.objects.filter(
            role=Role.HANDLER, department__isnull=False
        ).select_related("user", "department"):
            if dept_path.startswith(a.department.path) and a.user.is_active:  # type: ignore[union-attr]
                users.append(a.user)
    return users


def member_unit(user) -> OrgUnit | None:
    member = own_member(user)
    return member.org_unit if member is not None else None


def may_raise(user) -> bool:
    """Named grievances and mediation requests come from workers with a member record."""
    return member_unit(user) is not None


def anonymous_unit_choices() -> QuerySet[OrgUnit]:
    """Where an anonymous worker may say they belong: the committee and the branch unions (a
    union group is small enough to point at a person)."""
    return OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.COMMITTEE, OrgUnit.Kind.BRANCH]).order_by(
        "path"
    )


def assignable_departments() -> QuerySet[Department]:
    return Department.objects.order_by("path")


def transfer_targets(user, grievance: Grievance) -> list[OrgUnit]:
    """Union organisations a grievance may be transferred to: the committee and branches in the
    user's scope, and the level above the responsible one (to hand it up)."""
    units = [
        u
        for u in anonymous_unit_choices()
        if has_perm(user, ASSIGN_CASE, unit=u) and u.pk != grievance.handling_unit_id
    ]
    parent = grievance.handling_unit.parent
    if parent is not None and parent not in units:
        units.insert(0, parent)
    return units


# --- routing ------------------------------------------------------------------------------------


def matching_rule(category: str, origin: OrgUnit) -> RoutingRule | None:
    candidates = list(
        RoutingRule.objects.filter(category__in=["", category]).select_related(
            "scope", "target_unit", "department"
        )
    )
    views = [rules.RuleView(r.pk, r.category, r.scope.path) for r in candidates]
    chosen = rules.choose_rule(views, category, origin.path)
    return next((r for r in candidates if chosen and r.pk == chosen.id), None)


def default_handling_unit(origin: OrgUnit) -> OrgUnit:
    path = rules.default_handling_path(origin.path)
    return OrgUnit.objects.filter(path=path).first() or origin


def routing_rules_for(user) -> QuerySet[RoutingRule]:
    if not has_perm(user, CONFIGURE_ROUTING):
        raise PermissionDenied(CONFIGURE_ROUTING)
    return RoutingRule.objects.filter(
        scope_q(user, CONFIGURE_ROUTING, path_field="scope__path")
    ).select_related("scope", "target_unit", "department")


def access_routing_rule(user, rule_id: Any) -> RoutingRule:
    pk = parse_id(rule_id)
    rule = routing_rules_for(user).filter(pk=pk).first() if pk else None
    if rule is None:
        raise Http404
    return rule


def routing_scope_units(user, code: str = CONFIGURE_ROUTING) -> list[OrgUnit]:
    return [u for u in OrgUnit.objects.order_by("path") if has_perm(user, code, unit=u)]


# --- the anonymous box --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLookup:
    grievance: Grievance | None = None
    sealed: BoxItem | None = None  # still in the box: not opened yet


def find_by_receipt(code: str) -> ReceiptLookup | None:
    """The anonymous grievance (or the sealed submission) a receipt code belongs to."""
    digest = receipts.receipt_digest(code)
    if not digest:
        return None
    g = (
        Grievance.objects.select_related("handling_unit", "department")
        .filter(receipt_digest=digest)
        .first()
    )
    if g is not None:
        return ReceiptLookup(grievance=g)
    item = BoxItem.objects.filter(receipt_digest=digest, kind=BoxItem.Kind.SUBMIT).first()
    return ReceiptLookup(sealed=item) if item is not None else None


def pending_box_items(grievance: Grievance) -> QuerySet[BoxItem]:
    """What the anonymous worker sent that waits for the next opening."""
    return BoxItem.objects.filter(grievance=grievance).order_by("kind")


# --- mediation ----------------------------------------------------------------------------------


def mediations_visible_to(user) -> QuerySet[MediationCase]:
    if not getattr(user, "is_authenticated", False):
        return MediationCase.objects.none()
    q = Q(applicant=user)
    if has_perm(user, VIEW_MEDIATION):
        q |= scope_q(user, VIEW_MEDIATION, path_field="org_unit__path")
    return MediationCase.objects.filter(q).exclude(state="")


def access_mediation(user, case_id: Any) -> MediationCase:
    pk = parse_id(case_id)
    found = (
        mediations_visible_to(user)
        .select_related("applicant", "org_unit", "mediator")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if found is None:
        raise Http404
    return found


def mediation_list(user, *, state: str = "") -> QuerySet[MediationCase]:
    if not has_perm(user, VIEW_MEDIATION):
        raise PermissionDenied(VIEW_MEDIATION)
    qs = MediationCase.objects.filter(
        scope_q(user, VIEW_MEDIATION, path_field="org_unit__path")
    ).exclude(state="")
    if state == "open":
        qs = qs.filter(state__in=["requested", "mediating"])
    elif state:
        qs = qs.filter(state=state)
    return qs.select_related("applicant", "org_unit", "mediator").order_by(
        F("deadline_at").asc(nulls_last=True), "-requested_on", "-pk"
    )


def my_mediations(user) -> QuerySet[MediationCase]:
    if not getattr(user, "is_authenticated", False):
        return MediationCase.objects.none()
    return MediationCase.objects.filter(applicant=user).exclude(state="").order_by("-requested_on")


def mediators_for(case: MediationCase) -> list[User]:
    """Mediators who hold cases.manage_mediation over the case's unit."""
    users = []
    for a in RoleAssignment.objects.filter(role=Role.MEDIATOR).select_related("user", "org_unit"):
        covers = a.org_unit is None or case.org_unit.path.startswith(a.org_unit.path)
        if covers and a.user.is_active and a.user not in users:
            users.append(a.user)
    return users


def may_manage_mediation(user, case: MediationCase) -> bool:
    return has_perm(user, MANAGE_MEDIATION, unit=case.org_unit)


def arbitration_open(case: MediationCase) -> bool:
    """Whether the applicant may now apply for arbitration (Art. 14): the 15-day period has
    passed without an agreement, or mediation was refused or ended without one."""
    if case.state in ("failed", "declined"):
        return True
    return case.state in ("requested", "mediating") and (
        case.escalation_level >= 1
        or (case.deadline_at is not None and case.deadline_at < timezone.now())
    )


# --- knowledge ----------------------------------------------------------------------------------


def published_knowledge() -> QuerySet[KnowledgeEntry]:
    return KnowledgeEntry.objects.filter(is_published=True).order_by("-updated_at", "-pk")


def knowledge_managed_by(user) -> QuerySet[KnowledgeEntry]:
    if not has_perm(user, MANAGE_KNOWLEDGE):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    return KnowledgeEntry.objects.filter(
        scope_q(user, MANAGE_KNOWLEDGE, path_field="org_unit__path")
    ).select_related("org_unit")


def access_knowledge(user, entry_id: Any) -> KnowledgeEntry:
    """A published entry for anyone signed in; an unpublished one for its keepers only."""
    pk = parse_id(entry_id)
    entry = KnowledgeEntry.objects.select_related("org_unit").filter(pk=pk).first() if pk else None
    if entry is None:
        raise Http404
    if entry.is_published or has_perm(user, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        return entry
    raise Http404


def access_knowledge_for_edit(user, entry_id: Any) -> KnowledgeEntry:
    entry = access_knowledge(user, entry_id)
    if not has_perm(user, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        raise Http404 if not entry.is_published else PermissionDenied(MANAGE_KNOWLEDGE)
    return entry


def search_knowledge(query: str, *, limit: int = 20) -> list[KnowledgeEntry]:
    """Published entries matching every word of `query`, best first."""
    hits = search.search(query, types=[KNOWLEDGE_TYPE], limit=limit)
    ids = [int(h.target_id) for h in hits]
    found = {e.pk: e for e in published_knowledge().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def suggest_knowledge(text: str, *, limit: int = 3) -> list[KnowledgeEntry]:
    """Published answers similar to what a worker is typing: the text's key words are searched
    one by one (a whole sentence would have to match word for word) and entries found by more
    of them, and found higher, come first."""
    text = (text or "").strip()[:500]
    if len(text) < 4:
        return []
    import jieba.analyse

    keywords = [w for w in jieba.analyse.extract_tags(text, topK=6) if len(w) >= 2][:5]
    scores: dict[int, float] = {}
    for keyword in keywords:
        for position, hit in enumerate(search.search(keyword, types=[KNOWLEDGE_TYPE], limit=5)):
            key = int(hit.target_id)
            scores[key] = scores.get(key, 0.0) + 1.0 + (5 - position) * 0.1
    best = sorted(scores, key=lambda k: -scores[k])[: limit * 2]
    found = {e.pk: e for e in published_knowledge().filter(pk__in=best)}
    return [found[k] for k in best if k in found][:limit]
