"""What bargaining declares for the dashboards and reports (zhijia.core.figures): the
collective contracts in force at the end of the period, by kind. Imported by
BargainingConfig.ready()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.models import Contract
from zhijia.bargaining.permissions import MANAGE
from zhijia.core import figures
from zhijia.core.figures import Figure, Scope


def _in_force(scope: Scope):
    """Effective by the period's end and not expired by then (an expired contract's state
    may still say 已生效 until the sweep runs: the dates decide)."""
    return Contract.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        state__in=("effective", "expired"),
        effective_on__lte=scope.end,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=scope.end))


def contracts_in_force(scope: Scope) -> int:
    return _in_force(scope).count()


def contracts_by_kind(scope: Scope) -> figures.Rows:
    counts = dict(_in_force(scope).values_list("kind").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in Contract.Kind.choices]


figures.register(
    Figure(
        key="bargaining.contracts_in_force",
        label=_("有效集体合同"),
        module="bargaining",
        compute=contracts_in_force,
        unit=_("份"),
        order=10,
        link=lambda scope: reverse("bargaining:desk"),
        link_perm=MANAGE,
        breakdown=contracts_by_kind,
        chart="bar",
        description=_("期末有效，按合同类型"),
    )
)
