"""What assistance declares for the dashboards and reports (zhijia.core.figures): the
assistance paid in the period, by fund (送温暖, 金秋助学, 大病互助 ...). Payments are negative
ledger entries and their reversals positive ones, so the sum of both, negated, is what was
paid. Counted by the unit that manages the fund. Imported by AssistanceConfig.ready()."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.models import LedgerEntry
from zhijia.assistance.permissions import VIEW_LEDGER
from zhijia.core import dateranges, figures
from zhijia.core.figures import Figure, Scope


def _spending(scope: Scope):
    """Payments and the reversals of payments (a reversal of an income is not spending)."""
    return LedgerEntry.objects.filter(
        Q(kind=LedgerEntry.Kind.PAYMENT)
        | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.PAYMENT),
        fund__org_unit__path__startswith=scope.unit_path,
        booked_on__range=(scope.start, scope.end),
    )


def assistance_paid(scope: Scope) -> Decimal:
    total = _spending(scope).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return -total + Decimal("0.00")


def assistance_by_fund(scope: Scope) -> figures.Rows:
    rows = (
        _spending(scope).values_list("fund__name").order_by("fund__name").annotate(s=Sum("amount"))
    )
    return [(name, -total) for name, total in rows]


def _fund_list(scope: Scope) -> str:
    """The funds of the scope's units with what each paid within its days (the breakdown)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('assistance:fund-list')}?unit={scope.unit_id}&{period}"


figures.register(
    Figure(
        key="assistance.paid",
        label=_("困难帮扶支出"),
        module="assistance",
        sources=("assistance.fund", "assistance.ledgerentry"),
        compute=assistance_paid,
        unit=_("元"),
        order=10,
        link=_fund_list,
        link_perm=VIEW_LEDGER,
        breakdown=assistance_by_fund,
        chart="bar",
        description=_("本期帮扶支出，按资金（送温暖、金秋助学等）"),
    )
)
