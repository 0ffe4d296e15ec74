"""Reads of learning (培训). Who sees what (404 for anything else):

courses, sessions     the members of the course's unit subtree once published (or closed, when
                      they are enrolled); cadres holding services.manage_learning over the
                      course's unit (drafts too)
an enrolment, an      its member; the course's cadres (attendance, the report)
attempt, a certificate
plans, the report     cadres, for the units of their scope
the verification      anyone with the certificate's token (public, throttled): the masked name,
page                  the course, the date, valid or revoked
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Member, OrgUnit
from zhijia.services import learning_rules as rules
from zhijia.services.models import (
    LearningAttempt,
    LearningCertificate,
    LearningCourse,
    LearningEnrolment,
    LearningPlan,
    LearningQuestion,
    LearningSession,
)
from zhijia.services.permissions import MANAGE_LEARNING
from zhijia.services.queries.common import member_prefixes as _member_prefixes
from zhijia.services.queries.common import pk_or_404 as _pk
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import LEARNING_COURSE

SEARCH_TYPE = "services.course"  # zhijia.core.search entries (zhijia.services.dashboard)
UPCOMING_DAYS = 1  # the home to-do: a session today or tomorrow

__all__ = ["is_member"]


def may_manage(user) -> bool:
    return has_perm(user, MANAGE_LEARNING)


def manages(user, course: LearningCourse) -> bool:
    return has_perm(user, MANAGE_LEARNING, unit=course.org_unit)


def may_read(user) -> bool:
    return is_member(user) or may_manage(user)


def in_audience(user, course: LearningCourse) -> bool:
    return course.org_unit.path in _member_prefixes(user)


# --- courses -------------------------------------------------------------------------------------


def courses_for_worker(user) -> QuerySet[LearningCourse]:
    """Published courses open to the member (her unit is in the course unit's subtree)."""
    prefixes = _member_prefixes(user)
    if not prefixes:
        return LearningCourse.objects.none()
    return LearningCourse.objects.filter(
        org_unit__path__in=prefixes, state=LEARNING_COURSE.states.published
    ).select_related("org_unit")


def access_course(user, course_id) -> LearningCourse:
    """A course as a member reads it (published in her subtree, or one she is enrolled on),
    or as its cadre."""
    course = LearningCourse.objects.filter(pk=_pk(course_id)).select_related("org_unit").first()
    if course is None:
        raise Http404
    if manages(user, course):
        return course
    if not in_audience(user, course) or course.in_state("draft"):
        raise Http404
    if course.in_state("closed") and enrolment_of(user, course) is None:
        raise Http404
    return course


def managed_courses(user) -> QuerySet[LearningCourse]:
    return LearningCourse.objects.filter(scope_q(user, MANAGE_LEARNING)).select_related("org_unit")


def managed_courses_with_counts(
    user, *, unit: OrgUnit | None = None, completed: DateRange | None = None
) -> QuerySet[LearningCourse]:
    """The managed courses with their enrolments, completions and hours credited; `unit`: of
    that unit's subtree; `completed`: completions within those days only, and only the
    courses with one (the dashboard's training hours drill into these)."""
    done = Q(enrolments__completed_at__isnull=False)
    if completed:
        done &= completed.q(LearningCourse, "enrolments__completed_at")
    qs = managed_courses(user)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    qs = qs.annotate(
        enrolled=Count("enrolments"),
        done=Count("enrolments", filter=done),
        hours_done=Sum("enrolments__hours_credited", filter=done),
    )
    if completed:
        qs = qs.filter(done__gt=0)
    return qs.order_by("-id")


def hours_done(user, *, unit: OrgUnit | None = None, completed: DateRange | None = None) -> Decimal:
    """The hours credited by the completions of managed_courses_with_counts (their total)."""
    qs = LearningEnrolment.objects.filter(
        course__in=managed_courses(user).values("pk"), completed_at__isnull=False
    )
    if unit is not None:
        qs = qs.filter(course__org_unit__path__startswith=unit.path)
    if completed is not None:
        qs = completed.apply(qs, "completed_at")
    return qs.aggregate(s=Sum("hours_credited"))["s"] or Decimal("0.0")


def access_managed_course(user, course_id) -> LearningCourse:
    course = managed_courses(user).filter(pk=_pk(course_id)).first()
    if course is None:
        raise Http404
    return course


def sessions_of(course: LearningCourse) -> QuerySet[LearningSession]:
    return course.sessions.annotate(taken=Count("enrolments")).order_by("starts_at", "id")


def access_managed_session(user, session_id) -> LearningSession:
    session = (
        LearningSession.objects.filter(
            pk=_pk(session_id), course__in=managed_courses(user).values("pk")
        )
        .select_related("course", "course__org_unit")
        .first()
    )
    if session is None:
        raise Http404
    return session


def checkin_open(session: LearningSession, now) -> bool:
    """Whether the member's QR code is shown: from an hour before the session to its end."""
    from zhijia.services.actions.learning import CHECKIN_BEFORE

    return session.starts_at - CHECKIN_BEFORE <= now < session.ends_at


def certificate_of(enrolment: LearningEnrolment) -> LearningCertificate | None:
    return LearningCertificate.objects.filter(enrolment=enrolment).first()


def certificate_id_of(enrolment: LearningEnrolment) -> int | None:
    return (
        LearningCertificate.objects.filter(enrolment=enrolment).values_list("pk", flat=True).first()
    )


def questions_of(course: LearningCourse) -> QuerySet[LearningQuestion]:
    return course.questions.order_by("id")


# --- enrolments ----------------------------------------------------------------------------------


def enrolment_of(user, course: LearningCourse) -> LearningEnrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return LearningEnrolment.objects.filter(course=course, worker=user).first()


def my_enrolments(user) -> QuerySet[LearningEnrolment]:
    if not getattr(user, "is_authenticated", False):
        return LearningEnrolment.objects.none()
    return (
        LearningEnrolment.objects.filter(worker=user)
        .exclude(course__state=LEARNING_COURSE.states.draft)
        .select_related("course", "course__org_unit", "session")
        .order_by("completed_at", "-enrolled_at", "-id")
    )


def enrolments_of(course: LearningCourse) -> QuerySet[LearningEnrolment]:
    return (
        course.enrolments.select_related("worker", "worker__member_record", "session")
        .prefetch_related("attendances")
        .order_by("worker__member_record__employee_no", "id")
    )


def access_managed_enrolment(user, enrolment_id) -> LearningEnrolment:
    enrolment = (
        LearningEnrolment.objects.filter(
            pk=_pk(enrolment_id), course__in=managed_courses(user).values("pk")
        )
        .select_related("course", "course__org_unit", "worker")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def upcoming_sessions(user) -> QuerySet[LearningEnrolment]:
    """The member's enrolments whose session is today or tomorrow (the home to-do)."""
    if not is_member(user):
        return LearningEnrolment.objects.none()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=UPCOMING_DAYS + 1)
    return (
        LearningEnrolment.objects.filter(
            worker=user,
            session__starts_at__gte=max(start, timezone.now() - dt.timedelta(hours=3)),
            session__starts_at__lt=end,
            completed_at__isnull=True,
        )
        .select_related("course", "session")
        .order_by("session__starts_at")
    )


def assigned_open(user) -> QuerySet[LearningEnrolment]:
    """Courses assigned to the member and not completed yet (the home to-do)."""
    if not is_member(user):
        return LearningEnrolment.objects.none()
    return LearningEnrolment.objects.filter(
        worker=user,
        source=LearningEnrolment.Source.ASSIGNED,
        completed_at__isnull=True,
        course__state=LEARNING_COURSE.states.published,
    ).select_related("course")


# --- attempts ------------------------------------------------------------------------------------


def attempts_of(enrolment: LearningEnrolment) -> QuerySet[LearningAttempt]:
    return enrolment.attempts.order_by("number")


def access_own_attempt(user, attempt_id) -> LearningAttempt:
    """The member's own attempt; one left open past its deadline is closed and scored by the
    server first (the same as the sweep does), so nobody reads an attempt still "open" after
    its time."""
    attempt = (
        LearningAttempt.objects.filter(pk=_pk(attempt_id), enrolment__worker=user)
        .select_related("enrolment", "enrolment__course")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if attempt is None:
        raise Http404
    if attempt.status == LearningAttempt.Status.OPEN and rules.is_overdue(
        timezone.now(), attempt.deadline
    ):
        from zhijia.services.actions.learning_tests import close_overdue_attempt

        with transaction.atomic():
            close_overdue_attempt(attempt.pk)
        attempt.refresh_from_db()
    return attempt


def attempt_questions(attempt: LearningAttempt) -> list[LearningQuestion]:
    """The attempt's questions in their drawn order."""
    by_id = {q.pk: q for q in LearningQuestion.objects.filter(pk__in=attempt.question_ids)}
    return [by_id[q] for q in attempt.question_ids if q in by_id]


# --- certificates --------------------------------------------------------------------------------


def my_certificates(user) -> QuerySet[LearningCertificate]:
    if not getattr(user, "is_authenticated", False):
        return LearningCertificate.objects.none()
    return LearningCertificate.objects.filter(enrolment__worker=user).select_related(
        "enrolment", "enrolment__course"
    )


def access_own_certificate(user, certificate_id) -> LearningCertificate:
    certificate = my_certificates(user).filter(pk=_pk(certificate_id)).first()
    if certificate is None:
        raise Http404
    return certificate


def access_managed_certificate(user, certificate_id) -> LearningCertificate:
    certificate = (
        LearningCertificate.objects.filter(
            pk=_pk(certificate_id), enrolment__course__in=managed_courses(user).values("pk")
        )
        .select_related("enrolment", "enrolment__course", "enrolment__course__org_unit")
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def certificate_by_token(token: str) -> LearningCertificate | None:
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return (
        LearningCertificate.objects.filter(token=token)
        .select_related("enrolment__course", "enrolment__worker__member_record")
        .first()
    )


def holder_name(certificate: LearningCertificate) -> str:
    worker = certificate.enrolment.worker
    member = getattr(worker, "member_record", None)
    if member is not None:
        return member.name
    return worker.get_full_name() or worker.get_username()


# --- hours, plans, the report --------------------------------------------------------------------


def yearly_hours(user, year: int) -> Decimal:
    total = LearningEnrolment.objects.filter(worker=user, credit_year=year).aggregate(
        total=Sum("hours_credited")
    )["total"]
    return total or Decimal("0")


def _roles_of(user_ids=None) -> dict[int, set[str]]:
    """{user id: the roles of plans' audiences she holds} (of every holder when None)."""
    roles: dict[int, set[str]] = {}
    held = RoleAssignment.objects.filter(role__in=[Role.CADRE, Role.REPRESENTATIVE])
    if user_ids is not None:
        held = held.filter(user_id__in=list(user_ids))
    for user_id, role in held.values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    return roles


# The role a plan's audience needs (every member of the plan's subtree when none).
_AUDIENCE_ROLE = {
    LearningPlan.Audience.CADRES: Role.CADRE,
    LearningPlan.Audience.REPRESENTATIVES: Role.REPRESENTATIVE,
}


def _applies(plan: LearningPlan, unit_path: str, roles: set[str]) -> bool:
    if not unit_path.startswith(plan.org_unit.path):
        return False
    role = _AUDIENCE_ROLE.get(plan.audience)  # type: ignore[call-overload]
    return role is None or role in roles


def plan_members_q(plan: LearningPlan) -> Q:
    """The members (a filter on Member) a plan applies to: the rule of `_applies` in SQL."""
    q = Q(org_unit__path__startswith=plan.org_unit.path)
    role = _AUDIENCE_ROLE.get(plan.audience)  # type: ignore[call-overload]
    if role is not None:
        q &= Q(user__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    return q


def plans_of_year(year: int) -> list[LearningPlan]:
    return list(LearningPlan.objects.filter(year=year).select_related("org_unit"))


def target_met(plans: list[LearningPlan], unit_path: str, roles: set[str], hours) -> bool:
    """Whether a member of `unit_path` with `roles` and `hours` credited to the plans' year
    reaches her target (False when no plan applies)."""
    target = rules.target_for(p.hours_target for p in plans if _applies(p, unit_path, roles))
    return target is not None and Decimal(hours) >= target


def trained_with_roles(members: QuerySet[Member], year: int) -> list[tuple]:
    """(unit path, roles, hours) of each of `members` with hours credited to `year`."""
    credited = LearningEnrolment.objects.filter(credit_year=year)
    hours = (
        credited.filter(worker_id=OuterRef("user_id"))
        .values("worker_id")
        .annotate(total=Sum("hours_credited"))
        .values("total")
    )
    rows = (
        members.filter(user_id__in=credited.values("worker_id"))
        .annotate(hours=Subquery(hours))
        .values_list("user_id", "org_unit__path", "hours")
    )
    roles = _roles_of()  # the cadres and representatives: fewer than the members trained
    return [(path, roles.get(user_id, set()), total) for user_id, path, total in rows]


def plans_for(user, year: int) -> list[LearningPlan]:
    """The plans of the year that apply to the member (her unit's, its parents', her roles)."""
    if not is_member(user):
        return []
    unit = user.member_record.org_unit
    roles = _roles_of([user.pk]).get(user.pk, set())
    plans = LearningPlan.objects.filter(
        year=year, org_unit__path__in=unit.path_prefixes()
    ).select_related("org_unit")
    return [p for p in plans if _applies(p, unit.path, roles)]


def managed_plans(user) -> QuerySet[LearningPlan]:
    return LearningPlan.objects.filter(scope_q(user, MANAGE_LEARNING)).select_related("org_unit")


def scope_units(user) -> list:
    from zhijia.core.hooks import directory

    return directory().units_visible_to(user, MANAGE_LEARNING)


def scope_unit_records(user) -> QuerySet[OrgUnit]:
    """The same units as a queryset (for ids named in an API body)."""
    return OrgUnit.objects.filter(pk__in=[u.pk for u in scope_units(user)])


def report_members(user, unit: OrgUnit | None, year: int | None = None) -> QuerySet[Member]:
    """The 在册 members of the cadre's scope (or of `unit`'s subtree within it); of `year`:
    those who had joined by its end (a later member is not in that year's report)."""
    qs = Member.objects.filter(scope_q(user, MANAGE_LEARNING), status=Member.Status.ACTIVE)
    if year is not None:
        qs = qs.filter(Q(join_date__isnull=True) | Q(join_date__lte=dt.date(year, 12, 31)))
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.select_related("org_unit").order_by("org_unit__path", "employee_no")


def report_rows(members, year: int) -> list[rules.ReportRow]:
    """The completion report's lines for these members: courses enrolled on in the year,
    completed in the year, hours credited to the year, the target of their plans."""
    members = list(members)
    user_ids = [m.user_id for m in members if m.user_id]
    start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    stats = {
        row["worker_id"]: row
        for row in LearningEnrolment.objects.filter(worker_id__in=user_ids)
        .values("worker_id")
        .annotate(
            n_enrolled=Count("id", filter=Q(enrolled_at__gte=start, enrolled_at__lt=end)),
            n_completed=Count("id", filter=Q(completed_at__gte=start, completed_at__lt=end)),
            n_hours=Sum("hours_credited", filter=Q(credit_year=year)),
        )
    }
    roles = _roles_of(user_ids)
    plans = list(LearningPlan.objects.filter(year=year).select_related("org_unit"))
    rows = []
    for m in members:
        s = stats.get(m.user_id, {})
        targets = [
            p.hours_target
            for p in plans
            if _applies(p, m.org_unit.path, roles.get(m.user_id, set()))
        ]
        rows.append(
            rules.report_row(
                m.employee_no,
                m.name,
                m.org_unit.name,
                enrolled=s.get("n_enrolled", 0),
                completed=s.get("n_completed", 0),
                hours=s.get("n_hours") or Decimal("0"),
                targets=targets,
            )
        )
    return rows


def member_users(user, *, unit: OrgUnit | None = None, employee_nos=()) -> list:
    """The accounts of the 在册 members of the cadre's scope: a unit's subtree or a list of
    工号 (unknown ones are returned apart)."""
    qs = Member.objects.filter(
        scope_q(user, MANAGE_LEARNING), status=Member.Status.ACTIVE, user__isnull=False
    ).select_related("user")
    if unit is not None:
        return [m.user for m in qs.filter(org_unit__path__startswith=unit.path)]
    return [m.user for m in qs.filter(employee_no__in=list(employee_nos))]
