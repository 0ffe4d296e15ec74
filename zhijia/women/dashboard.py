"""What women declares for the dashboards and reports (zhijia.core.figures): the women
workers' health checks (女职工健康检查) completed in the period, with the sign-ups beside them.
Counted by the member's unit; only counts, never who. Imported by WomenConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import figures
from zhijia.core.figures import Figure, Scope
from zhijia.women.models import CheckSignup
from zhijia.women.permissions import MANAGE


def _in_scope(scope: Scope):
    return CheckSignup.objects.filter(member__org_unit__path__startswith=scope.unit_path)


def checks_completed(scope: Scope) -> int:
    lo, hi = scope.bounds()
    return _in_scope(scope).filter(completed_at__gte=lo, completed_at__lt=hi).count()


def checks_breakdown(scope: Scope) -> figures.Rows:
    lo, hi = scope.bounds()
    signed_up = _in_scope(scope).filter(signed_up_at__gte=lo, signed_up_at__lt=hi).count()
    return [(_("报名人数"), signed_up), (_("完成检查"), checks_completed(scope))]


figures.register(
    Figure(
        key="women.health_checks_completed",
        label=_("女职工健康检查"),
        module="women",
        sources=("women.checksignup", "org.member"),
        compute=checks_completed,
        unit=_("人"),
        order=10,
        # The campaigns with their sign-up and completion counts (never a list of who).
        link=lambda scope: reverse("women:desk-checks"),
        link_perm=MANAGE,
        breakdown=checks_breakdown,
        chart="bar",
        description=_("本期完成健康检查的女职工，与本期报名人数"),
    )
)
