"""What safety declares for the dashboards and reports (zhijia.core.figures): hazards
reported in the period and closed (rectified and verified), and those open past their
deadline today. Imported by SafetyConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges, figures
from zhijia.core.figures import Figure, Scope
from zhijia.safety.models import HazardReport
from zhijia.safety.permissions import VIEW_HAZARD
from zhijia.safety.workflows import OPEN_STATES


def _reported(scope: Scope):
    lo, hi = scope.bounds()
    return HazardReport.objects.filter(
        org_unit__path__startswith=scope.unit_path, reported_at__gte=lo, reported_at__lt=hi
    )


def hazards_reported(scope: Scope) -> int:
    return _reported(scope).count()


def hazards_closed(scope: Scope) -> int:
    return _reported(scope).filter(state="verified").count()


def _open(scope: Scope):
    return HazardReport.objects.filter(
        org_unit__path__startswith=scope.unit_path, state__in=OPEN_STATES
    )


def hazards_overdue(scope: Scope) -> int:
    return _open(scope).filter(deadline_at__lt=timezone.now()).count()


def _queue(scope: Scope, extra: str = "") -> str:
    return f"{reverse('safety:queue')}?unit={scope.unit_id}{extra}"


def _reported_in(scope: Scope, extra: str = "") -> str:
    """The queue of the hazards reported within the scope's days."""
    return _queue(scope, f"{extra}&{dateranges.query(scope.start, scope.end)}")


figures.register(
    Figure(
        key="safety.hazards_reported",
        label=_("职工报告隐患"),
        module="safety",
        sources=("safety.hazardreport",),
        compute=hazards_reported,
        unit=_("项"),
        order=10,
        link=_reported_in,
        link_perm=VIEW_HAZARD,
    )
)
figures.register(
    Figure(
        key="safety.hazards_closed",
        label=_("隐患整改验收"),
        module="safety",
        sources=("safety.hazardreport",),
        compute=hazards_closed,
        unit=_("项"),
        order=20,
        link=lambda scope: _reported_in(scope, "&state=verified"),
        link_perm=VIEW_HAZARD,
        description=_("本期报告、已整改并验收"),
    )
)
figures.register(
    Figure(
        key="safety.hazards_overdue",
        label=_("超期未整改隐患"),
        module="safety",
        sources=("safety.hazardreport",),
        compute=hazards_overdue,
        changes_at=lambda scope: figures.next_deadline(_open(scope)),
        unit=_("项"),
        order=30,
        link=lambda scope: _queue(scope, "&overdue=1"),
        link_perm=VIEW_HAZARD,
    )
)
