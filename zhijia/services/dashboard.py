"""What services declares for the dashboards and reports (zhijia.core.figures): activities
held and their participants (checked in), and the training hours credited. Counted by the
unit that organised the activity or the course. Imported by ServicesConfig.ready()."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import figures
from zhijia.core.figures import Figure, Scope
from zhijia.services.models import Activity, ActivityRegistration, LearningEnrolment
from zhijia.services.permissions import MANAGE_ACTIVITIES, MANAGE_LEARNING

# Held: published and not cancelled (a draft was never announced).
HELD_STATES = ("published", "closed", "finished")


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


def _manage(scope: Scope) -> str:
    return reverse("services:activities-manage")


figures.register(
    Figure(
        key="services.events_held",
        label=_("举办活动"),
        module="services",
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
        compute=training_hours,
        unit=_("学时"),
        order=30,
        link=lambda scope: reverse("services:learning-desk"),
        link_perm=MANAGE_LEARNING,
        description=_("本期完成的课程计入的学时合计"),
    )
)
