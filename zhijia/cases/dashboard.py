"""What cases declares for the dashboards and reports (zhijia.core.figures): grievances
received by category, still overdue, answered on time, and the workers' satisfaction.
Counted by the worker's unit (`org_unit`), the grievance's place in the union tree; legal
questions are not grievances and are left out. Imported by CasesConfig.ready()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Category, Grievance
from zhijia.cases.permissions import VIEW_CASE
from zhijia.cases.queries.grievances import OPEN_STATES
from zhijia.core import figures
from zhijia.core.figures import Figure, Scope
from zhijia.core.satisfaction import percent, satisfaction_rate

# Handling ended: answered (waiting for the worker's rating) or closed.
DONE_STATES = ("answered", "closed")


def _received(scope: Scope):
    return Grievance.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        kind=Grievance.Kind.GRIEVANCE,
        received_on__range=(scope.start, scope.end),
    ).exclude(state="")


def grievances_received(scope: Scope) -> int:
    return _received(scope).count()


def grievances_by_category(scope: Scope) -> figures.Rows:
    counts = dict(
        _received(scope).values_list("category").order_by().annotate(n=Count("pk"))  # type: ignore[arg-type]
    )
    return [(label, counts.get(code, 0)) for code, label in Category.choices]


def grievances_overdue(scope: Scope) -> int:
    """Open now and past their deadline (whenever received: what is late today)."""
    return Grievance.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        kind=Grievance.Kind.GRIEVANCE,
        state__in=OPEN_STATES,
        deadline_at__lt=timezone.now(),
    ).count()


def grievances_on_time_rate(scope: Scope) -> float | None:
    """Of those received in the period and answered or closed: the share never escalated
    (answered within the deadline of the level that had it)."""
    done = _received(scope).filter(state__in=DONE_STATES)
    counts = done.aggregate(n=Count("pk"), late=Count("pk", filter=Q(escalation_level__gt=0)))
    return figures.rate(counts["n"] - counts["late"], counts["n"])


def grievances_satisfaction(scope: Scope) -> int | None:
    ratings = dict(
        _received(scope).exclude(rating="").values_list("rating").order_by().annotate(n=Count("pk"))  # type: ignore[arg-type]
    )
    return percent(satisfaction_rate(ratings))


def _queue(scope: Scope, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"unit": str(scope.unit_id), **params}.items())
    return f"{reverse('cases:queue')}?{query}"


figures.register(
    Figure(
        key="cases.grievances_received",
        label=_("受理职工诉求"),
        module="cases",
        compute=grievances_received,
        unit=_("件"),
        order=10,
        link=lambda scope: _queue(scope, state="all", kind="grievance"),
        link_perm=VIEW_CASE,
        breakdown=grievances_by_category,
        chart="bar",
        description=_("按类别（不含法律咨询）"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_overdue",
        label=_("超期未办结诉求"),
        module="cases",
        compute=grievances_overdue,
        unit=_("件"),
        order=20,
        link=lambda scope: _queue(scope, state="open", kind="grievance", overdue="on"),
        link_perm=VIEW_CASE,
        description=_("当前已过办理期限仍未办结"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_on_time_rate",
        label=_("诉求按期办结率"),
        module="cases",
        compute=grievances_on_time_rate,
        unit="%",
        order=30,
        chart="percent",
        description=_("本期受理且已答复或办结的诉求中未超期升级的比例"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_satisfaction",
        label=_("诉求办理满意率"),
        module="cases",
        compute=grievances_satisfaction,
        unit="%",
        order=40,
        chart="percent",
        description=_("满意与基本满意占已评价的比例"),
    )
)
