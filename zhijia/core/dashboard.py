"""Figures of core (zhijia.core.figures): the union's satisfaction rate (满意度) over the
ratings of every service (zhijia.core.satisfaction_index). Imported by CoreConfig.ready()."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from zhijia.core import figures
from zhijia.core.satisfaction import percent, satisfaction_rate


def _satisfaction_rate(scope: figures.Scope) -> int | None:
    from zhijia.core.models.satisfaction import Rating

    counts = (
        Rating.objects.filter(
            unit_path__startswith=scope.unit_path,
            rated_at__date__range=(scope.start, scope.end),
        )
        .values("rating")
        .annotate(n=Count("id"))
    )
    return percent(satisfaction_rate({row["rating"]: row["n"] for row in counts}))


figures.register(
    figures.Figure(
        key="core.satisfaction_rate",
        label=_("职工满意度"),
        module="core",
        compute=_satisfaction_rate,
        unit="%",
        order=10,
        description=_("（满意 + 基本满意）÷ 全部评价，各项服务合计"),
    )
)
