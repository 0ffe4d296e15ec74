"""Figures of module services (zhijia.core.figures), imported by ServicesConfig.ready()."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from zhijia.core import figures


def _activities_held(scope: figures.Scope) -> int:
    from zhijia.services.models import Activity
    from zhijia.services.workflows import ACTIVITY

    return Activity.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        state=ACTIVITY.states.finished,
        starts_at__date__range=(scope.start, scope.end),
    ).count()


def _training_hours(scope: figures.Scope) -> Decimal:
    from zhijia.services.models import LearningEnrolment

    total = LearningEnrolment.objects.filter(
        worker__member_record__org_unit__path__startswith=scope.unit_path,
        completed_at__date__range=(scope.start, scope.end),
    ).aggregate(total=Sum("hours_credited"))["total"]
    return total or Decimal("0")


figures.register(
    figures.Figure(
        key="services.activities_held",
        label=_("举办职工活动"),
        module="services",
        compute=_activities_held,
        unit=_("次"),
        order=10,
        description=_("开始时间在期间内且已结束的活动"),
    )
)
figures.register(
    figures.Figure(
        key="services.training_hours",
        label=_("职工培训学时"),
        module="services",
        compute=_training_hours,
        unit=_("学时"),
        order=20,
        description=_("期间内完成课程的会员所计学时之和"),
    )
)
