"""What services declares for the dashboards and reports (zhijia.core.figures): activities
held and their participants (checked in), and the training hours credited. Counted by the
unit that organised the activity or the course. Imported by ServicesConfig.ready()."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import CharField, Count, Q, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges, figures, searchables
from zhijia.core.figures import Figure, Scope
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Member
from zhijia.services.models import (
    Activity,
    ActivityRegistration,
    Competition,
    Honour,
    LearningCourse,
    LearningEnrolment,
    Suggestion,
)
from zhijia.services.permissions import (
    MANAGE_ACTIVITIES,
    MANAGE_COMPETITIONS,
    MANAGE_HONOURS,
    MANAGE_LEARNING,
    MANAGE_SUGGESTIONS,
)
from zhijia.services.queries import activities as activity_queries
from zhijia.services.queries import honours as honour_queries
from zhijia.services.queries import learning as learning_queries
from zhijia.services.queries import suggestions as suggestion_queries
from zhijia.services.workflows import SHOWN, SUGGESTION

# Held: published and not cancelled (a draft was never announced).
HELD_STATES = activity_queries.HELD_STATES


def _held(scope: Scope):
    lo, hi = scope.bounds()
    return Activity.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        state__in=HELD_STATES,
        starts_at__gte=lo,
        starts_at__lt=hi,
    )


def events_held(scope: Scope) -> int:
    return _held(scope).count()


def events_by_kind(scope: Scope) -> figures.Rows:
    counts = dict(_held(scope).values_list("kind").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in Activity.Kind.choices]


def participants(scope: Scope) -> int:
    """Attendances checked in at the activities held (a member at two activities counts twice)."""
    return ActivityRegistration.objects.filter(
        activity__in=_held(scope), checked_in_at__isnull=False
    ).count()


def training_hours(scope: Scope) -> Decimal:
    lo, hi = scope.bounds()
    total = LearningEnrolment.objects.filter(
        course__org_unit__path__startswith=scope.unit_path,
        completed_at__gte=lo,
        completed_at__lt=hi,
    ).aggregate(s=Sum("hours_credited"))["s"]
    return total or Decimal("0.0")


def training_targets(scope: Scope) -> tuple[int, int]:
    """(members of the year's completion report, for the period's last year, whom a training
    plan of that year applies to; those among them whose hours credited to that year reach
    their target, the highest of their plans): the report's 达标 column, counted. A plan is
    yearly: every period of a year counts the same members and hours."""
    year = scope.end.year
    plans = learning_queries.plans_of_year(year)
    covered_q = Q(pk__in=[])
    for plan in plans:
        covered_q |= learning_queries.plan_members_q(plan)
    members = Member.objects.filter(
        Q(join_date__isnull=True) | Q(join_date__lte=dt.date(year, 12, 31)),
        org_unit__path__startswith=scope.unit_path,
        status=Member.Status.ACTIVE,
    ).filter(covered_q)
    covered = members.count() if plans else 0
    if not covered:
        return 0, 0
    trained = learning_queries.trained_with_roles(members, year)
    met = sum(
        learning_queries.target_met(plans, path, roles, hours) for path, roles, hours in trained
    )
    return covered, met


def training_target_rate(scope: Scope) -> float | None:
    covered, met = training_targets(scope)
    return figures.rate(met, covered)


def training_target_rows(scope: Scope) -> figures.Rows:
    covered, met = training_targets(scope)
    return [(_("计划覆盖职工"), covered), (_("已达标"), met), (_("未达标"), covered - met)]


def _suggestions(scope: Scope):
    lo, hi = scope.bounds()
    return Suggestion.objects.filter(
        org_unit__path__startswith=scope.unit_path, submitted_at__gte=lo, submitted_at__lt=hi
    )


def suggestions_submitted(scope: Scope) -> int:
    return _suggestions(scope).count()


def suggestions_by_state(scope: Scope) -> figures.Rows:
    counts = dict(_suggestions(scope).values_list("state").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in SUGGESTION.states.items()]


def suggestions_benefit(scope: Scope) -> Decimal:
    """The economic benefit certified by finance, of the suggestions submitted in the period."""
    total = _suggestions(scope).aggregate(s=Sum("certified_benefit"))["s"]
    return total or Decimal("0.00")


def honours_awarded(scope: Scope) -> int:
    """Honours of the period's years (an honour has a year, not a day), not revoked."""
    return (
        Honour.objects.filter(
            org_unit__path__startswith=scope.unit_path,
            year__gte=scope.start.year,
            year__lte=scope.end.year,
        )
        .exclude(state="revoked")
        .count()
    )


def _competitions(scope: Scope):
    """Competitions launched (published) by the scope's units within its days."""
    lo, hi = scope.bounds()
    return Competition.objects.filter(
        org_unit__path__startswith=scope.unit_path, published_at__gte=lo, published_at__lt=hi
    )


def competitions_launched(scope: Scope) -> int:
    return _competitions(scope).count()


def competitions_by_kind(scope: Scope) -> figures.Rows:
    counts = dict(_competitions(scope).values_list("kind").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in Competition.Kind.choices]


def _competitions_desk(scope: Scope) -> str:
    """The organisers' desk: the scope's units' competitions published within its days."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('services:competitions-desk')}?unit={scope.unit_id}&{period}"


def _manage(scope: Scope) -> str:
    """The activities held by the scope's units, starting within its days."""
    period = dateranges.query(scope.start, scope.end)
    return (
        f"{reverse('services:activities-manage')}?state={activity_queries.HELD}"
        f"&unit={scope.unit_id}&{period}"
    )


def _learning_desk(scope: Scope) -> str:
    """The courses of the scope's units with the hours credited by completions within its
    days (the desk's total is the figure)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('services:learning-desk')}?unit={scope.unit_id}&{period}"


def _learning_report(scope: Scope) -> str:
    """The completion report of the scope's unit for the period's last year (its 达标 column)."""
    return f"{reverse('services:learning-desk-report')}?unit={scope.unit_id}&year={scope.end.year}"


def _honours_desk(scope: Scope) -> str:
    """The honours of the scope's units, not revoked, of the period's year (an honour has a
    year, not a day: a quarter's or a month's figure counts its year's honours)."""
    if scope.start.year != scope.end.year:  # a period over years: the list of every year
        return f"{reverse('services:honours-desk')}?unit={scope.unit_id}&state=active"
    return (
        f"{reverse('services:honours-desk')}?unit={scope.unit_id}&year={scope.start.year}"
        "&state=active"
    )


def _suggestions_desk(scope: Scope) -> str:
    """The suggestions of the scope's units submitted within its days."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('services:suggestions-desk')}?unit={scope.unit_id}&{period}"


figures.register(
    Figure(
        key="services.events_held",
        label=_("举办活动"),
        module="services",
        sources=("services.activity",),
        compute=events_held,
        unit=_("场"),
        order=10,
        link=_manage,
        link_perm=MANAGE_ACTIVITIES,
        breakdown=events_by_kind,
        chart="bar",
        description=_("本期开始的文体活动，按类型"),
    )
)
figures.register(
    Figure(
        key="services.participants",
        label=_("活动参与"),
        module="services",
        sources=("services.activity", "services.activityregistration"),
        compute=participants,
        unit=_("人次"),
        order=20,
        link=_manage,
        link_perm=MANAGE_ACTIVITIES,
        description=_("已签到的人次"),
    )
)
figures.register(
    Figure(
        key="services.training_hours",
        label=_("培训学时"),
        module="services",
        sources=("services.learningcourse", "services.learningenrolment"),
        compute=training_hours,
        unit=_("学时"),
        order=30,
        link=_learning_desk,
        link_perm=MANAGE_LEARNING,
        description=_("本期完成的课程计入的学时合计"),
    )
)
figures.register(
    Figure(
        key="services.training_target_rate",
        label=_("培训学时达标率"),
        module="services",
        sources=(
            "services.learningplan",
            "services.learningenrolment",
            "org.member",
            "accounts.roleassignment",
        ),
        compute=training_target_rate,
        unit="%",
        order=35,
        link=_learning_report,
        link_perm=MANAGE_LEARNING,
        breakdown=training_target_rows,
        chart="percent",
        description=_("本期所在年度培训计划覆盖的在册职工中，计入该年度的学时达到目标的比例"),
    )
)
figures.register(
    Figure(
        key="services.suggestions_submitted",
        label=_("合理化建议"),
        module="services",
        sources=("services.suggestion",),
        compute=suggestions_submitted,
        unit=_("条"),
        order=40,
        link=_suggestions_desk,
        link_perm=MANAGE_SUGGESTIONS,
        breakdown=suggestions_by_state,
        chart="bar",
        description=_("本期提出的建议，按办理状态"),
    )
)
figures.register(
    Figure(
        key="services.suggestions_benefit",
        label=_("建议认定经济效益"),
        module="services",
        sources=("services.suggestion",),
        compute=suggestions_benefit,
        unit=_("元"),
        order=50,
        link=_suggestions_desk,
        link_perm=MANAGE_SUGGESTIONS,
    )
)
figures.register(
    Figure(
        key="services.honours_awarded",
        label=_("获得荣誉"),
        module="services",
        sources=("services.honour",),
        compute=honours_awarded,
        unit=_("项"),
        order=60,
        link=_honours_desk,
        link_perm=MANAGE_HONOURS,
        description=_("劳模、工匠、工人先锋号等（未撤销）"),
    )
)


figures.register(
    Figure(
        key="services.competitions_launched",
        label=_("开展劳动和技能竞赛"),
        module="services",
        sources=("services.competition",),
        compute=competitions_launched,
        unit=_("项"),
        order=55,
        link=_competitions_desk,
        link_perm=MANAGE_COMPETITIONS,
        breakdown=competitions_by_kind,
        chart="bar",
        description=_("本期发布的劳动竞赛、技能竞赛、岗位练兵等"),
    )
)


def _pks(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def _member_scope(user) -> Q | None:
    return Q() if activity_queries.member_of(user) is not None else None


def _visible_activities(user, ids: list[str]) -> list[int]:
    q = scope_q(user, MANAGE_ACTIVITIES) if has_perm(user, MANAGE_ACTIVITIES) else Q(pk__in=[])
    member = activity_queries.member_of(user)
    if member is not None:
        mine = ActivityRegistration.objects.filter(user=user).values("activity_id")
        q |= Q(state__in=SHOWN) & (activity_queries._audience_q(member) | Q(pk__in=mine))
    return list(Activity.objects.filter(q, pk__in=_pks(ids)).values_list("pk", flat=True))


def _activity_entries():
    rows = Activity.objects.filter(state__in=SHOWN).select_related("org_unit").order_by("pk")
    for a in rows:
        yield searchables.Entry(a.pk, a.title, f"{a.description}\n{a.place}", a.org_unit.path)


def _visible_courses(user, ids: list[str]) -> list[int]:
    pks = _pks(ids)
    readable = learning_queries.courses_for_worker(user).filter(pk__in=pks)
    managed = learning_queries.managed_courses(user).filter(pk__in=pks)
    return list(readable.values_list("pk", flat=True)) + list(managed.values_list("pk", flat=True))


def _course_entries():
    rows = LearningCourse.objects.exclude(state="draft").select_related("org_unit").order_by("pk")
    for c in rows:
        yield searchables.Entry(c.pk, c.title, c.description, c.org_unit.path)


def _suggestion_scope(user) -> Q:
    visible = suggestion_queries.visible_to(user).annotate(search_id=Cast("pk", CharField()))
    return Q(target_id__in=visible.values("search_id"))


def _visible_suggestions(user, ids: list[str]) -> list[int]:
    visible = suggestion_queries.visible_to(user).filter(pk__in=_pks(ids))
    return list(visible.values_list("pk", flat=True))


def _suggestion_entries():
    for s in Suggestion.objects.select_related("org_unit").order_by("pk"):
        text = "\n".join([s.problem, s.proposal, s.expected_benefit])
        yield searchables.Entry(s.pk, s.title, text, s.org_unit.path)


def _managed_honours(user, ids: list[str]) -> list[int]:
    managed = honour_queries.managed_honours(user).filter(pk__in=_pks(ids))
    return list(managed.values_list("pk", flat=True))


def _honour_entries():
    for h in Honour.objects.select_related("org_unit", "member").order_by("pk"):
        title = f"{h.title} · {h.holder_name}"
        yield searchables.Entry(h.pk, title, honour_queries.index_text(h), h.org_unit.path)


searchables.register(
    searchables.Searchable(
        type=activity_queries.SEARCH_TYPE,
        label=_("活动"),
        module="services",
        permission=MANAGE_ACTIVITIES,
        extra_scope=_member_scope,
        recheck=_visible_activities,
        url=lambda target_id: reverse("services:activities-detail", args=[target_id]),
        reindex=_activity_entries,
        order=50,
    )
)

searchables.register(
    searchables.Searchable(
        type=learning_queries.SEARCH_TYPE,
        label=_("培训课程"),
        module="services",
        permission=MANAGE_LEARNING,
        extra_scope=_member_scope,
        recheck=_visible_courses,
        url=lambda target_id: reverse("services:learning-course", args=[target_id]),
        reindex=_course_entries,
        order=60,
    )
)

searchables.register(
    searchables.Searchable(
        type=suggestion_queries.SEARCH_TYPE,
        label=_("合理化建议"),
        module="services",
        extra_scope=_suggestion_scope,
        recheck=_visible_suggestions,
        url=lambda target_id: reverse("services:suggestions-detail", args=[target_id]),
        reindex=_suggestion_entries,
        order=70,
    )
)

searchables.register(
    searchables.Searchable(
        type=honour_queries.SEARCH_TYPE,
        label=_("荣誉"),
        module="services",
        permission=MANAGE_HONOURS,
        recheck=_managed_honours,
        url=lambda target_id: reverse("services:honours-desk-honour", args=[target_id]),
        reindex=_honour_entries,
        order=80,
    )
)
