"""What core declares for the dashboards and reports (zhijia.core.figures): the union's
satisfaction index over every service that records ratings (zhijia.core.satisfaction_index),
with its trend by month. Imported by CoreConfig.ready()."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges, figures
from zhijia.core.figures import Figure, Scope
from zhijia.core.models import Rating
from zhijia.core.satisfaction import percent, satisfaction_rate


def _ratings(scope: Scope):
    lo, hi = scope.bounds()
    return Rating.objects.filter(
        unit_path__startswith=scope.unit_path, rated_at__gte=lo, rated_at__lt=hi
    )


def satisfaction(scope: Scope) -> int | None:
    counts = dict(_ratings(scope).values_list("rating").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return percent(satisfaction_rate(counts))


def satisfaction_by_month(scope: Scope) -> figures.Rows:
    """The index of each month with ratings (the trend), as a whole percentage."""
    per_month: dict = {}
    rows = (
        _ratings(scope)
        .annotate(month=TruncMonth("rated_at"))
        .values_list("month", "rating")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for month, rating, n in rows:
        per_month.setdefault(month.strftime("%Y-%m"), {})[rating] = n
    return [(month, percent(satisfaction_rate(c))) for month, c in sorted(per_month.items())]


figures.register(
    Figure(
        key="core.satisfaction_rate",
        label=_("满意度指数"),
        module="core",
        sources=("core.rating",),
        compute=satisfaction,
        unit="%",
        order=10,
        link=lambda scope: (
            f"{reverse('core:satisfaction')}?unit={scope.unit_id}&"
            f"{dateranges.query(scope.start, scope.end)}"
        ),
        link_perm="core.view_satisfaction",
        breakdown=satisfaction_by_month,
        chart="bar",
        description=_("各项服务的评价中满意与基本满意的比例，按月趋势"),
    )
)
