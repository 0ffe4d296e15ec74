"""The fund ledger as other modules see it (zhijia.core.hooks.FundLedger), registered in
AssistanceConfig.ready: services' donation drives book received money here, through the
ledger's own action (do_record_income: the ledger permission over the fund's unit, the fund's
row lock, the balance, the audit event). There is no second ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions.applications import do_create_fund
from zhijia.assistance.actions.ledger import do_record_income
from zhijia.assistance.models import Fund, LedgerEntry
from zhijia.core.hooks import FundChoice
from zhijia.core.permissions import has_perm, scope_q


def _choice(fund: Fund) -> FundChoice:
    return FundChoice(id=fund.pk, label=fund.name, unit_id=fund.org_unit_id)


class AssistanceFundLedger:
    def funds_for(self, user) -> list[FundChoice]:
        funds = Fund.objects.filter(scope_q(user, perms.MANAGE_LEDGER), is_active=True).order_by(
            "name", "id"
        )
        return [_choice(f) for f in funds]

    def fund(self, fund_id: int) -> FundChoice | None:
        found = Fund.objects.filter(pk=fund_id).first()
        return _choice(found) if found is not None else None

    def may_record(self, user, fund_id: int) -> bool:
        found = Fund.objects.filter(pk=fund_id).select_related("org_unit").first()
        return found is not None and has_perm(user, perms.MANAGE_LEDGER, unit=found.org_unit)

    def open_fund(self, *, actor, unit, name: str, description: str = "") -> FundChoice:
        fund = do_create_fund(actor=actor, org_unit=unit, name=name, description=description)
        return _choice(fund)

    def record_donation(
        self,
        *,
        actor,
        fund_id: int,
        amount: Decimal,
        donor_label: str,
        drive_ref: str,
        occurred_on: dt.date,
    ) -> int:
        fund = Fund.objects.select_related("org_unit").get(pk=fund_id)
        entry = do_record_income(
            actor=actor,
            fund=fund,
            kind=LedgerEntry.Kind.DONATION,
            amount=amount,
            description=_("捐款：%(drive)s") % {"drive": drive_ref},
            counterparty=donor_label,
            booked_on=occurred_on,
        )
        return entry.pk
