"""Reads of the congress bodies between sessions: working groups, duty reports, supervisors.

Visibility (404 for anything else):
  working groups   the congress office (congress.view_term or congress.manage_bodies over the
                   congress's unit) and the active representatives of the term
  duty reports     the office over the electoral unit, the representative herself and her
                   constituents (members of the electoral unit's subtree)
  observations     the office over the supervised unit and the supervisor herself
  appointments     the office over the supervised unit

`may_review_proposals(user, term)` is THE place that decides who reviews a term's proposals:
a cadre holding congress.review_proposal over the congress's unit, or a member of the term's
提案 working group (proposal pages, API, workflow and access rows all ask it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.congress import bodies_rules as rules
from zhijia.congress import rules as congress_rules
from zhijia.congress.models import (
    DutyRating,
    DutyReport,
    GroupMember,
    GroupTask,
    Observation,
    Representative,
    SupervisorAppointment,
    Term,
    WorkingGroup,
)
from zhijia.congress.permissions import MANAGE_BODIES, REVIEW_PROPOSAL, VIEW_TERM
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Member, OrgUnit


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _office_q(user, path_field: str) -> Q:
    return scope_q(user, VIEW_TERM, path_field=path_field) | scope_q(
        user, MANAGE_BODIES, path_field=path_field
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def member_of(user) -> Member | None:
    if not _authenticated(user):
        return None
    return Member.objects.filter(user=user).select_related("org_unit").first()


# --- the proposal committee -----------------------------------------------------------------------


def in_proposal_group(user, term: Term) -> bool:
    """An active representative of `term` sitting in one of its 提案 working groups."""
    if not _authenticated(user):
        return False
    return GroupMember.objects.filter(
        group__term=term,
        group__kind=rules.PROPOSAL_GROUP_KIND,
        representative__member__user=user,
        representative__active=True,
    ).exists()


def may_review_proposals(user, term: Term) -> bool:
    """Who decides on a term's proposals (立案 / 不立案 / 并案, assignment): see the docstring."""
    if not _authenticated(user):
        return False
    return rules.may_review_proposals(
        holds_review_code=has_perm(user, REVIEW_PROPOSAL, unit=term.unit),
        in_proposal_group=in_proposal_group(user, term),
    )


def proposal_group_term_ids(user) -> list[int]:
    """The terms whose proposals `user` reviews as a member of the 提案 group."""
    if not _authenticated(user):
        return []
    return list(
        GroupMember.objects.filter(
            group__kind=rules.PROPOSAL_GROUP_KIND,
            representative__member__user=user,
            representative__active=True,
        )
        .values_list("group__term_id", flat=True)
        .distinct()
    )


def proposal_group_users(term: Term) -> list:
    """The accounts of the active members of the term's 提案 working groups (notified with the
    cadres of the committee)."""
    seats = GroupMember.objects.filter(
        group__term=term,
        group__kind=rules.PROPOSAL_GROUP_KIND,
        representative__active=True,
        representative__member__user__is_active=True,
    ).select_related("representative__member__user")
    return [s.representative.member.user for s in seats]


# --- working groups -------------------------------------------------------------------------------


def _rep_term_ids(user) -> list[int]:
    if not _authenticated(user):
        return []
    return list(
        Representative.objects.filter(member__user=user, active=True).values_list(
            "term_id", flat=True
        )
    )


def groups_visible_to(user) -> QuerySet[WorkingGroup]:
    if not _authenticated(user):
        return WorkingGroup.objects.none()
    return (
        WorkingGroup.objects.filter(
            _office_q(user, "org_unit__path") | Q(term_id__in=_rep_term_ids(user))
        )
        .select_related("term", "org_unit", "head__member")
        .order_by("term_id", "kind", "id")
    )


def access_group(user, group_id) -> WorkingGroup:
    group = groups_visible_to(user).filter(pk=_int(group_id)).first()
    if group is None:
        raise Http404
    return group


def access_task(user, task_id) -> GroupTask:
    task = (
        GroupTask.objects.filter(pk=_int(task_id), group__in=groups_visible_to(user))
        .select_related("group", "org_unit")
        .first()
    )
    if task is None:
        raise Http404
    return task


def can_manage(user, unit: OrgUnit) -> bool:
    return _authenticated(user) and has_perm(user, MANAGE_BODIES, unit=unit)


def sits_in_group(user, group: WorkingGroup) -> bool:
    if not _authenticated(user):
        return False
    return GroupMember.objects.filter(
        group=group, representative__member__user=user, representative__active=True
    ).exists()


def members_of(group: WorkingGroup) -> list[GroupMember]:
    return list(group.members.select_related("representative__member", "representative__unit"))


def tasks_of(group: WorkingGroup) -> QuerySet[GroupTask]:
    return group.tasks.order_by("due_date", "id")


def minutes_of(group: WorkingGroup):
    return group.minutes.select_related("author").order_by("-held_on", "-id")


def terms_managed(user) -> QuerySet[Term]:
    return Term.objects.filter(scope_q(user, MANAGE_BODIES, path_field="unit__path")).order_by(
        "-start_date"
    )


def representatives_of(term: Term) -> QuerySet[Representative]:
    return Representative.objects.filter(term=term, active=True).select_related("member", "unit")


# --- duty reports ---------------------------------------------------------------------------------


def current_year(term: Term, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    today = today or timezone.localdate()
    return rules.term_year(congress_rules.term_years(term.start_date, term.end_date), today)


def my_seats(user) -> QuerySet[Representative]:
    if not _authenticated(user):
        return Representative.objects.none()
    return Representative.objects.filter(member__user=user, active=True).select_related(
        "term", "unit"
    )


def _constituent_q(member: Member | None) -> Q:
    if member is None:
        return Q(pk__in=[])
    prefixes = member.org_unit.path_prefixes()
    return Q(org_unit__path__in=prefixes) & ~Q(representative__member=member)


def reports_visible_to(user) -> QuerySet[DutyReport]:
    if not _authenticated(user):
        return DutyReport.objects.none()
    member = member_of(user)
    return DutyReport.objects.filter(
        _office_q(user, "org_unit__path")
        | Q(representative__member__user=user)
        | _constituent_q(member)
    ).select_related("representative__member", "representative__term", "org_unit")


def access_report(user, report_id) -> DutyReport:
    report = reports_visible_to(user).filter(pk=_int(report_id)).first()
    if report is None:
        raise Http404
    return report


def may_rate(user, report: DutyReport) -> bool:
    member = member_of(user)
    if member is None:
        return False
    return rules.is_constituent(
        member.org_unit.path,
        report.org_unit.path,
        is_self=report.representative.member_id == member.pk,
    )


def rating_of(user, report: DutyReport) -> DutyRating | None:
    member = member_of(user)
    if member is None:
        return None
    return DutyRating.objects.filter(report=report, member=member).first()


def reports_to_rate(user) -> QuerySet[DutyReport]:
    """Reports of the member's representatives she has not rated yet."""
    member = member_of(user)
    if member is None:
        return DutyReport.objects.none()
    return (
        DutyReport.objects.filter(_constituent_q(member))
        .exclude(ratings__member=member)
        .select_related("representative__member", "org_unit")
    )


@dataclass(frozen=True)
class ReportLine:
    """One representative of a term in the office's duty-report overview."""

    representative: Representative
    report: DutyReport | None
    ratings: int
    score: float | None


def overview(term: Term, year_start: dt.date) -> list[ReportLine]:
    """Every active representative of the term with this year's report and its ratings."""
    reps = list(representatives_of(term).order_by("unit__path", "member__employee_no"))
    reports = {
        r.representative_id: r
        for r in DutyReport.objects.filter(representative__term=term, year_start=year_start)
    }
    codes: dict[int, list[str]] = {}
    for report_id, code in DutyRating.objects.filter(report__in=list(reports.values())).values_list(
        "report_id", "rating"
    ):
        codes.setdefault(report_id, []).append(code)
    lines = []
    for rep in reps:
        report = reports.get(rep.pk)
        got = codes.get(report.pk, []) if report else []
        lines.append(ReportLine(rep, report, len(got), rules.average_score(got)))
    return lines


def terms_for_overview(user) -> QuerySet[Term]:
    return Term.objects.filter(_office_q(user, "unit__path")).order_by("-start_date")


def access_term(user, term_id) -> Term:
    term = terms_for_overview(user).filter(pk=_int(term_id)).first()
    if term is None:
        raise Http404
    return term


# --- supervisors and observations -----------------------------------------------------------------


def appointments_visible_to(user) -> QuerySet[SupervisorAppointment]:
    if not _authenticated(user):
        return SupervisorAppointment.objects.none()
    return (
        SupervisorAppointment.objects.filter(_office_q(user, "org_unit__path"))
        .select_related("member", "org_unit")
        .order_by("org_unit__path", "-starts_on", "id")
    )


def my_appointments(user, today: dt.date | None = None) -> QuerySet[SupervisorAppointment]:
    """The user's appointments in force today."""
    today = today or timezone.localdate()
    if not _authenticated(user):
        return SupervisorAppointment.objects.none()
    return SupervisorAppointment.objects.filter(
        member__user=user, starts_on__lte=today, ends_on__gte=today
    ).select_related("org_unit")


def observations_visible_to(user) -> QuerySet[Observation]:
    if not _authenticated(user):
        return Observation.objects.none()
    return Observation.objects.filter(
        _office_q(user, "org_unit__path") | Q(appointment__member__user=user)
    ).select_related("appointment__member", "org_unit")


def access_observation(user, observation_id) -> Observation:
    observation = observations_visible_to(user).filter(pk=_int(observation_id)).first()
    if observation is None:
        raise Http404
    return observation


def is_supervisor_of(user, observation: Observation) -> bool:
    return (
        _authenticated(user)
        and SupervisorAppointment.objects.filter(
            pk=observation.appointment_id, member__user=user
        ).exists()
    )


def my_observations(user) -> QuerySet[Observation]:
    if not _authenticated(user):
        return Observation.objects.none()
    return Observation.objects.filter(appointment__member__user=user).select_related("org_unit")


def office_groups_q(user) -> Q:
    """The groups of the office's scope (the office page lists these, not the rep's own)."""
    return _office_q(user, "org_unit__path")


def office_observations_q(user) -> Q:
    return _office_q(user, "org_unit__path")


def units_managed(user) -> QuerySet[OrgUnit]:
    """The union units where `user` appoints supervisors (congress.manage_bodies)."""
    return OrgUnit.objects.filter(scope_q(user, MANAGE_BODIES, path_field="path")).order_by("path")


def member_by_employee_no(employee_no: str) -> Member | None:
    return (
        Member.objects.filter(employee_no=(employee_no or "").strip())
        .select_related("org_unit")
        .first()
    )
