"""Reads of the resolution follow-up (决议落实跟踪): plans, milestones, reports.

Visibility (404 for anything else):
  the congress office and leaders   congress.manage_followup or congress.view_followup over
                                     the plan's unit (the congress's unit)
  the responsible department        congress.report_followup over the plan's department
  representatives of the unit       the representative role within the unit's subtree: they
                                     read every plan of their congress (representatives
                                     supervise), read only
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import RoleAssignment
from zhijia.congress import followup_rules as rules
from zhijia.congress.models import (
    AgendaItem,
    FollowupPlan,
    FollowupReport,
    InspectionTour,
    Milestone,
    Proposal,
    Session,
    Term,
)
from zhijia.congress.permissions import (
    MANAGE_FOLLOWUP,
    REPORT_FOLLOWUP,
    SUBMIT_PROPOSAL,
    VIEW_FOLLOWUP,
)
from zhijia.congress.queries import sessions as queries_sessions
from zhijia.congress.workflows import MILESTONE
from zhijia.core import permissions
from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unitpaths import path_prefixes
from zhijia.org.models import Department, OrgUnit

# Proposals adopted: assigned to a department and handled, answered or closed (办结).
ADOPTED_STATES = ("handling", "supervised", "answered", "closed")
FINISHED = ("done", "verified")


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scope(user, code: str, path_field: str) -> Q:
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


def _representative_paths(user) -> list[str]:
    """The units whose congress `user` sits in as a representative: every unit above (and at)
    the units where the user holds the representative role."""
    roles = sorted(permissions.registry()[SUBMIT_PROPOSAL].roles)
    paths: set[str] = set()
    for path in RoleAssignment.objects.filter(user=user, role__in=roles).values_list(
        "org_unit__path", flat=True
    ):
        if path:
            paths.update(path_prefixes(path))
    return sorted(paths)


def _visible_q(user, unit_field: str, department_field: str) -> Q:
    q = Q(pk__in=[])
    if has_perm(user, MANAGE_FOLLOWUP):
        q |= _scope(user, MANAGE_FOLLOWUP, f"{unit_field}__path")
    if has_perm(user, VIEW_FOLLOWUP):
        q |= _scope(user, VIEW_FOLLOWUP, f"{unit_field}__path")
    if permissions.department_prefixes(user, REPORT_FOLLOWUP):
        q |= _scope(user, REPORT_FOLLOWUP, f"{department_field}__path")
    reps = _representative_paths(user)
    if reps:
        q |= Q(**{f"{unit_field}__path__in": reps})
    return q


def plans_visible_to(user) -> QuerySet[FollowupPlan]:
    if not _authenticated(user):
        return FollowupPlan.objects.none()
    return FollowupPlan.objects.filter(_visible_q(user, "org_unit", "department")).select_related(
        "org_unit", "department", "session", "session__term"
    )


def access_plan(user, plan_id) -> FollowupPlan:
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        raise Http404 from None
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def access_milestone(user, milestone_id) -> Milestone:
    try:
        pk = int(milestone_id)
    except (TypeError, ValueError):
        raise Http404 from None
    milestone = (
        Milestone.objects.filter(pk=pk, plan__in=plans_visible_to(user))
        .select_related("plan", "department", "org_unit")
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


def may_see_followup(user) -> bool:
    if not _authenticated(user):
        return False
    return (
        has_perm(user, MANAGE_FOLLOWUP)
        or has_perm(user, VIEW_FOLLOWUP)
        or has_perm(user, REPORT_FOLLOWUP)
        or has_perm(user, SUBMIT_PROPOSAL)
    )


def can_manage(user, unit: OrgUnit) -> bool:
    return _authenticated(user) and has_perm(user, MANAGE_FOLLOWUP, unit=unit)


def can_report(user, plan: FollowupPlan) -> bool:
    """The responsible department's handler or the congress office."""
    return can_manage(user, plan.org_unit) or (
        _authenticated(user) and has_perm(user, REPORT_FOLLOWUP, department=plan.department)
    )


def units_managed(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, MANAGE_FOLLOWUP, path_field="path")).order_by(
        "path"
    )


def departments() -> QuerySet[Department]:
    return Department.objects.filter(closed_at__isnull=True).order_by("path")


# --- the state of a plan (pure rules on its milestones) ---------------------------------


def facts(milestones) -> list[rules.MilestoneFact]:
    return [rules.MilestoneFact(m.due_date, m.state in FINISHED) for m in milestones]


def state_of(plan: FollowupPlan, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return rules.resolution_state(facts(plan.milestones.all()), today)


STATE_TONES = {
    rules.NOT_STARTED: "muted",
    rules.ON_TRACK: "info",
    rules.OVERDUE: "danger",
    rules.DONE: "ok",
}


def state_label(state: str) -> str:
    from django.utils.translation import gettext

    return {
        rules.NOT_STARTED: gettext("未开始"),
        rules.ON_TRACK: gettext("按计划推进"),
        rules.OVERDUE: gettext("已超期"),
        rules.DONE: gettext("已落实"),
    }[state]


def with_details(qs: QuerySet[FollowupPlan]) -> QuerySet[FollowupPlan]:
    return qs.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
        Prefetch("reports", queryset=FollowupReport.objects.order_by("-created_at", "-id")),
    )


def plans_for(user, *, mine_only: bool = False) -> QuerySet[FollowupPlan]:
    qs = plans_visible_to(user)
    if mine_only:
        if not permissions.department_prefixes(user, REPORT_FOLLOWUP):
            return qs.none()
        qs = qs.filter(_scope(user, REPORT_FOLLOWUP, "department__path"))
    return with_details(qs).order_by("-session__date", "-id")


def open_milestones_for(user) -> QuerySet[Milestone]:
    """The milestones still to be carried out by the user's departments (the work queue)."""
    if not permissions.department_prefixes(user, REPORT_FOLLOWUP):
        return Milestone.objects.none()
    return Milestone.objects.filter(
        _scope(user, REPORT_FOLLOWUP, "department__path"), state=MILESTONE.states.open
    )


def milestones_of(plan: FollowupPlan) -> list[Milestone]:
    return list(plan.milestones.order_by("due_date", "id"))


def reports_of(plan: FollowupPlan) -> list[FollowupReport]:
    return list(plan.reports.order_by("-created_at", "-id"))


# --- what may get a plan ---------------------------------


def passed_items(session: Session) -> list[AgendaItem]:
    """The motions of a session whose vote passed (online or on paper), without a plan yet."""
    items = (
        queries_sessions.items_of(session)
        .filter(kind=AgendaItem.Kind.MOTION, poll__isnull=False, followup_plan__isnull=True)
        .select_related("poll")
    )
    return [i for i in items if queries_sessions.item_result(i).passed]


def adopted_proposals(session: Session) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        session=session, state__in=ADOPTED_STATES, followup_plan__isnull=True
    ).order_by("serial", "id")


def is_passed(item: AgendaItem) -> bool:
    return item.kind == AgendaItem.Kind.MOTION and bool(queries_sessions.item_result(item).passed)


def sessions_for_plans(user) -> QuerySet[Session]:
    """Sessions of the congresses the user's office runs, newest first."""
    return (
        Session.objects.filter(scope_q(user, MANAGE_FOLLOWUP, path_field="term__unit__path"))
        .select_related("term", "term__unit")
        .order_by("-date", "-id")
    )


def access_managed_session(user, session_id) -> Session:
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        raise Http404 from None
    session = sessions_for_plans(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def item_choices(user) -> list[AgendaItem]:
    out: list[AgendaItem] = []
    for session in sessions_for_plans(user).exclude(state=Session.State.PLANNED):
        out.extend(passed_items(session))
    return out


def items_in_scope(user) -> QuerySet[AgendaItem]:
    """Agenda items of the congresses the user's office runs (the API's lookup: whether one
    may get a plan is the action's rule)."""
    return AgendaItem.objects.filter(
        scope_q(user, MANAGE_FOLLOWUP, path_field="session__term__unit__path")
    ).select_related("session", "session__term", "session__term__unit", "poll")


def proposals_in_scope(user) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        scope_q(user, MANAGE_FOLLOWUP, path_field="org_unit__path")
    ).select_related("session", "org_unit")


def proposal_choices(user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            scope_q(user, MANAGE_FOLLOWUP, path_field="org_unit__path"),
            state__in=ADOPTED_STATES,
            followup_plan__isnull=True,
        )
        .select_related("session")
        .order_by("-session__date", "serial", "id")
    )


# --- the report to the next session ---------------------------------


@dataclass(frozen=True)
class ReportMilestone:
    title: str
    due_date: dt.date
    state_label: str


@dataclass(frozen=True)
class ReportRow:
    plan: FollowupPlan
    state: str
    state_label: str
    milestones: list[ReportMilestone]
    latest: FollowupReport | None


def report_plans(session: Session) -> QuerySet[FollowupPlan]:
    """Every plan of the session's term from the sessions held before it."""
    return with_details(
        FollowupPlan.objects.filter(session__term=session.term, session__date__lt=session.date)
        .select_related("department", "session")
        .order_by("session__date", "id")
    )


def report_rows(session: Session, today: dt.date | None = None) -> list[ReportRow]:
    today = today or timezone.localdate()
    rows = []
    for plan in report_plans(session):
        milestones = list(plan.milestones.all())
        reports = list(plan.reports.all())
        state = rules.resolution_state(facts(milestones), today)
        shown = [
            ReportMilestone(m.title, m.due_date, str(MILESTONE.state_label(m.state)))
            for m in milestones
        ]
        rows.append(
            ReportRow(plan, state, state_label(state), shown, reports[0] if reports else None)
        )
    return rows


def unplanned_resolutions(session: Session) -> list[AgendaItem]:
    """The resolutions passed before `session` in its term that have no plan yet (the report
    names them too: a resolution nobody carries out is what the congress must hear of)."""
    earlier = Session.objects.filter(term=session.term, date__lt=session.date).exclude(
        state=Session.State.PLANNED
    )
    found: list[AgendaItem] = []
    for s in earlier.order_by("date", "id"):
        found.extend(passed_items(s))
    return found


def access_report_session(user, session_id) -> Session:
    """The session a report is made to: visible to whoever sees its congress's follow-up."""
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        raise Http404 from None
    session = Session.objects.select_related("term", "term__unit").filter(pk=pk).first()
    if session is None or not _authenticated(user):
        raise Http404
    unit = session.term.unit
    if not (
        has_perm(user, MANAGE_FOLLOWUP, unit=unit)
        or has_perm(user, VIEW_FOLLOWUP, unit=unit)
        or unit.path in _representative_paths(user)
    ):
        raise Http404
    return session


def next_session(session: Session) -> Session | None:
    return (
        Session.objects.filter(term=session.term, date__gt=session.date)
        .order_by("date", "id")
        .first()
    )


# --- the yearly minimum of inspection tours ---------------------------------


def terms_running(today: dt.date) -> QuerySet[Term]:
    return Term.objects.filter(start_date__lte=today, end_date__gte=today).select_related("unit")


def tours_between(term: Term, start: dt.date, end: dt.date) -> int:
    """Tours of the term's unit (not cancelled) that start within [start, end]."""
    return InspectionTour.objects.filter(
        org_unit=term.unit, start_date__gte=start, start_date__lte=end
    ).count()
