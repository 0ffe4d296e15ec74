"""Reads of module cases for pages and the API: who sees which grievance, mediation case and
knowledge entry; queues; timelines; routing lookups; receipt-code lookups.

Records outside the caller's scope answer 404 through the `access_<noun>` helpers; a user who
may read no case at all gets 403 on the staff lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.cases.models import (
    BoxItem,
    CaseMessage,
    Grievance,
)
from zhijia.cases.permissions import (
    ANSWER_CASE,
    ASSIGN_CASE,
    VIEW_CASE,
)
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, holders, scope_q
from zhijia.core.workflow import history_view
from zhijia.org.models import Department, OrgUnit
from zhijia.org.queries.members import own_member, parse_id

OPEN_STATES = ("submitted", "assigned", "answered")
SEARCH_TYPE = "cases.grievance"  # zhijia.core.search entries (zhijia.cases.dashboard)
PAGE_SIZE = 50


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
        and grievance.in_state("assigned")
        and has_perm(user, ANSWER_CASE, department=grievance.department)
    )


def may_ask(user, grievance: Grievance) -> bool:
    return grievance.in_state("submitted", "assigned") and (
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
    escalated: bool = False  # only what was escalated (overdue at a level below) at least once
    # True: only letters opened from the anonymous box; False: only named grievances; None: both
    anonymous: bool | None = None
    unit: int | None = None
    q: str = ""
    # Received within (?from=&to=, the dashboard's drill-down passes its period).
    received: DateRange = field(default_factory=DateRange)


def _apply_filters(qs: QuerySet[Grievance], user, f: QueueFilters) -> QuerySet[Grievance]:
    if f.state == "open":  # allow: state the queue filter's "open", not a record's state
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state and f.state != "all":  # allow: state the filter's "all"
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.overdue:
        qs = qs.filter(deadline_at__lt=timezone.now())
    if f.escalated:
        qs = qs.filter(escalation_level__gt=0)
    if f.anonymous is not None:
        qs = qs.filter(is_anonymous=f.anonymous)
    if f.mine:
        qs = qs.filter(scope_q(user, ASSIGN_CASE, path_field="handling_unit__path"))
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.q:
        qs = qs.filter(text__icontains=f.q.strip()[:100])
    return f.received.apply(qs, "received_on")


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
    the union); the worker appears as 职工 / 匿名职工 (workflows.grievance_actor, the
    workflow's history rule)."""
    from zhijia.cases.workflows import GRIEVANCE

    worker_label = "匿名职工" if grievance.is_anonymous else (str(grievance.submitter or ""))
    entries: list[TimelineEntry] = []
    for row in history_view(grievance, None, workflow=GRIEVANCE):
        from_worker = row.actor_id is not None and row.actor_id == grievance.submitter_id
        entries.append(
            TimelineEntry(
                row.at,
                "event",
                f"{row.label} → {row.state_label}",
                row.actor,
                row.note,
                from_worker=from_worker,
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


def responsible_users(grievance: Grievance) -> list[User]:
    """Who should hear about a grievance now: the cadres of the responsible level (the handling
    unit's own, else the nearest level above that has some) and, while assigned, the handlers
    of the department."""
    users = holders(ASSIGN_CASE, grievance.handling_unit, nearest=True, include_global=False)
    if grievance.in_state("assigned") and grievance.department_id:
        users += holders(ANSWER_CASE, department=grievance.department, include_global=False)
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


# --- the anonymous box --------------------------------------------------------------------------


def sealed_letters_for_user(user, *, today: dt.date) -> int:
    """New letters in the anonymous box, addressed to the user's ASSIGN_CASE scope, that were
    written before `today` and wait for the opening (normally none: the sweep opens them after
    midnight; some remain when an opening failed or the worker process is down).

    Letters written today are never counted: the box stores no time of day so that nobody can
    match a letter with who was away from their desk at that moment, and a live count of
    today's letters, refreshed by a cadre, would give that time back."""
    return (
        BoxItem.objects.filter(kind=BoxItem.Kind.SUBMIT, received_on__lt=today)
        .filter(scope_q(user, ASSIGN_CASE, path_field="org_unit__path"))
        .count()
    )


# --- mediation ----------------------------------------------------------------------------------


# --- knowledge ----------------------------------------------------------------------------------
