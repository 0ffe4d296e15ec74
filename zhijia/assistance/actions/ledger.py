"""Writes of the fund ledger: income, counter-entries, payment runs (maker-checker).

Every movement locks the fund row first (`select_for_update`; on SQLite the IMMEDIATE write
transaction already serialises writers), checks the balance, appends the entry and moves the
balance in the same transaction. Twenty concurrent payment runs against a fund that can pay
ten leave exactly ten paid (tests/test_ledger_concurrency.py, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions.registry import parse_amount
from zhijia.assistance.errors import AssistanceError, ConflictError
from zhijia.assistance.models import Application, Fund, LedgerEntry, PaymentRun, PaymentRunItem
from zhijia.assistance.workflows import APPLICATION
from zhijia.core.audit import record
from zhijia.core.permissions import has_perm, require
from zhijia.core.workflow import TransitionError, do_transition


def _lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _post(
    *,
    fund: Fund,
    kind: str,
    amount: Decimal,
    actor,
    description: str,
    booked_on: dt.date | None = None,
    counterparty: str = "",
    application: Application | None = None,
    run: PaymentRun | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one entry to a fund locked by the caller and move its balance."""
    new_balance = fund.balance + amount
    if new_balance < 0:
        raise ConflictError(
            _("资金余额不足：余额 ¥%(balance)s，需支出 ¥%(amount)s")
            % {"balance": f"{fund.balance:,.2f}", "amount": f"{-amount:,.2f}"}
        )
    entry = LedgerEntry.objects.create(
        fund=fund,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        booked_on=booked_on or timezone.localdate(),
        description=description[:200],
        counterparty=(counterparty or "")[:100],
        application=application,
        payment_run=run,
        reverses=reverses,
        actor=actor,
        actor_label=actor.get_full_name() if hasattr(actor, "get_full_name") else str(actor),
    )
    fund.balance = new_balance
    fund.save(update_fields=["balance"])
    return entry


@transaction.atomic
def do_record_income(
    *,
    actor,
    fund: Fund,
    kind: str,
    amount: Any,
    description: str,
    counterparty: str = "",
    booked_on: dt.date | None = None,
) -> LedgerEntry:
    """An allocation from the union funds, a donation or other income."""
    require(actor, perms.MANAGE_LEDGER, unit=fund.org_unit)
    if kind not in LedgerEntry.INCOME_KINDS:
        raise AssistanceError(_("请选择收入类型"), field="kind")
    value = parse_amount(amount, field="amount")
    if value <= 0:
        raise AssistanceError(_("请填写金额"), field="amount")
    if not (description or "").strip():
        raise AssistanceError(_("请填写摘要"), field="description")
    if booked_on and booked_on > timezone.localdate():
        raise AssistanceError(_("记账日期不能晚于今天"), field="booked_on")
    locked = _lock_fund(fund)
    if not locked.is_active:
        raise ConflictError(_("该资金已停用"))
    entry = _post(
        fund=locked,
        kind=kind,
        amount=value,
        actor=actor,
        description=description.strip(),
        counterparty=counterparty,
        booked_on=booked_on,
    )
    record(
        actor=actor,
        action="assistance.record_income",
        target=entry,
        unit=fund.org_unit,
        data={"fund": fund.pk, "kind": kind, "amount": str(value), "balance": str(locked.balance)},
    )
    fund.balance = locked.balance
    return entry


@transaction.atomic
def do_reverse_entry(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Correct an entry by its counter-entry (冲正): the opposite amount, linked to it. Each entry
    is reversed at most once; a reversed payment puts its application back to "approved"."""
    fund = entry.fund
    require(actor, perms.MANAGE_LEDGER, unit=fund.org_unit)
    if not (reason or "").strip():
        raise AssistanceError(_("请填写冲正原因"), field="reason")
    locked = _lock_fund(fund)
    if entry.kind == LedgerEntry.Kind.REVERSAL:
        raise ConflictError(_("冲正分录不能再冲正，请另行登记"))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ConflictError(_("该分录已冲正"))
    reversal = _post(
        fund=locked,
        kind=LedgerEntry.Kind.REVERSAL,
        amount=-entry.amount,
        actor=actor,
        description=_("冲正第 %(id)s 号分录：%(reason)s")
        % {"id": entry.pk, "reason": reason.strip()},
        application=entry.application,
        reverses=entry,
    )
    if entry.kind == LedgerEntry.Kind.PAYMENT and entry.application_id:
        application = Application.objects.get(pk=entry.application_id)
        do_transition(
            APPLICATION,
            application,
            "reverse_payment",
            actor=actor,
            system=True,
            note=reason.strip(),
            data={"entry": reversal.pk},
        )
        application.paid_at = None
        application.save(update_fields=["paid_at"])
    record(
        actor=actor,
        action="assistance.reverse_entry",
        target=reversal,
        unit=fund.org_unit,
        data={"fund": fund.pk, "reverses": entry.pk, "amount": str(reversal.amount)},
    )
    return reversal


# --- payment runs -------------------------------------------------------------------------------


def _open_run_items(application_ids: Sequence[int]) -> set[int]:
    return set(
        PaymentRunItem.objects.filter(
            application_id__in=list(application_ids), run__status=PaymentRun.Status.PREPARED
        ).values_list("application_id", flat=True)
    )


@transaction.atomic
def do_prepare_payment_run(
    *, actor, fund: Fund, applications: Sequence[Application], title: str = ""
) -> PaymentRun:
    """The maker: a batch of approved, unpaid applications of the fund's campaigns, each within
    the actor's assistance.prepare_payment scope. It waits for a second cadre's approval."""
    apps = list(applications)
    if not apps:
        raise AssistanceError(_("请选择要发放的申请"), field="applications")
    ids = [a.pk for a in apps]
    if len(set(ids)) != len(ids):
        raise AssistanceError(_("同一申请不能重复列入"), field="applications")
    fresh = {
        a.pk: a
        for a in Application.objects.select_related("campaign", "org_unit").filter(pk__in=ids)
    }
    for app in apps:
        current = fresh.get(app.pk)
        if current is None:
            raise AssistanceError(_("申请不存在"), field="applications", status=404)
        require(actor, perms.PREPARE_PAYMENT, unit=current.org_unit)
        if current.campaign.fund_id != fund.pk:
            raise AssistanceError(
                _("申请 %(number)s 不属于本资金的帮扶活动") % {"number": current.number},
                field="applications",
            )
        if not current.in_state("approved"):
            raise ConflictError(
                _("申请 %(number)s 不是待发放状态") % {"number": current.number},
                field="applications",
            )
    busy = _open_run_items(ids)
    if busy:
        raise ConflictError(
            _("申请 %(numbers)s 已在其他待审核的发放批次中")
            % {"numbers": "、".join(sorted(str(fresh[i].number or i) for i in busy))},
            field="applications",
        )
    total = sum((fresh[i].amount for i in ids), Decimal("0"))
    run = PaymentRun.objects.create(
        fund=fund,
        title=(title or "").strip()[:100]
        or _("%(fund)s %(day)s 发放") % {"fund": fund.name, "day": timezone.localdate()},
        total=total,
        prepared_by=actor,
    )
    PaymentRunItem.objects.bulk_create(
        [PaymentRunItem(run=run, application_id=i, amount=fresh[i].amount) for i in ids]
    )
    record(
        actor=actor,
        action="assistance.prepare_payment_run",
        target=run,
        unit=fund.org_unit,
        data={"fund": fund.pk, "applications": ids, "total": str(total)},
    )
    return run


def _lock_run(run: PaymentRun) -> PaymentRun:
    locked = PaymentRun.objects.select_for_update().select_related("fund").get(pk=run.pk)
    if locked.status != PaymentRun.Status.PREPARED:
        raise ConflictError(_("该发放批次已%(status)s") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def do_approve_payment_run(*, actor, run: PaymentRun, note: str = "") -> PaymentRun:
    """The checker: a second cadre (never the preparer) approves and the payments are booked,
    all or none: if the fund cannot pay the whole run, nothing is paid."""
    require(actor, perms.APPROVE_PAYMENT, unit=run.fund.org_unit)
    locked = _lock_run(run)
    if locked.prepared_by_id == actor.pk:
        raise AssistanceError(_("制单人不能审核自己编制的发放批次"), status=403)
    items = list(locked.items.select_related("application", "application__member"))
    if any(i.application.member.user_id == actor.pk for i in items):
        raise AssistanceError(_("发放批次中有您本人的申请，请由其他人审核"), status=403)
    fund = _lock_fund(locked.fund)
    total = sum((i.amount for i in items), Decimal("0"))
    if total > fund.balance:
        raise ConflictError(
            _("资金余额不足：余额 ¥%(balance)s，本批次 ¥%(total)s")
            % {"balance": f"{fund.balance:,.2f}", "total": f"{total:,.2f}"}
        )
    now = timezone.now()
    for item in items:
        application = item.application
        try:
            do_transition(
                APPLICATION,
                application,
                "pay",
                actor=actor,
                system=True,
                data={"run": locked.pk, "amount": str(item.amount)},
            )
        except TransitionError:
            raise ConflictError(
                _("申请 %(number)s 已不是待发放状态，本批次未发放") % {"number": application.number}
            ) from None
        _post(
            fund=fund,
            kind=LedgerEntry.Kind.PAYMENT,
            amount=-item.amount,
            actor=actor,
            description=_("%(campaign)s 帮扶金（申请 %(number)s）")
            % {"campaign": application.campaign.name, "number": application.number},
            counterparty=application.member.name,
            application=application,
            run=locked,
        )
        application.paid_at = now
        application.save(update_fields=["paid_at"])
    locked.status = PaymentRun.Status.PAID
    locked.checked_by = actor
    locked.checked_at = now
    locked.note = (note or "").strip()[:300]
    locked.save(update_fields=["status", "checked_by", "checked_at", "note"])
    record(
        actor=actor,
        action="assistance.approve_payment_run",
        target=locked,
        unit=fund.org_unit,
        data={
            "fund": fund.pk,
            "items": len(items),
            "total": str(total),
            "balance": str(fund.balance),
        },
    )
    from zhijia.assistance.actions.applications import _notify_applicant

    for item in items:
        transaction.on_commit(partial(_notify_applicant, item.application, _("您的帮扶金已发放")))
    return locked


@transaction.atomic
def do_reject_payment_run(*, actor, run: PaymentRun, note: str) -> PaymentRun:
    """The checker sends a run back; its applications may be put in a new run."""
    require(actor, perms.APPROVE_PAYMENT, unit=run.fund.org_unit)
    locked = _lock_run(run)
    if locked.prepared_by_id == actor.pk:
        raise AssistanceError(_("制单人不能审核自己编制的发放批次"), status=403)
    if not (note or "").strip():
        raise AssistanceError(_("请填写退回原因"), field="note")
    locked.status = PaymentRun.Status.REJECTED
    locked.checked_by = actor
    locked.checked_at = timezone.now()
    locked.note = note.strip()[:300]
    locked.save(update_fields=["status", "checked_by", "checked_at", "note"])
    record(
        actor=actor,
        action="assistance.reject_payment_run",
        target=locked,
        unit=locked.fund.org_unit,
        data={"fund": locked.fund_id},
    )
    return locked


@transaction.atomic
def do_cancel_payment_run(*, actor, run: PaymentRun) -> PaymentRun:
    """The preparer (or a checker of the fund) withdraws a run not yet decided."""
    locked = _lock_run(run)
    if locked.prepared_by_id != actor.pk and not has_perm(
        actor, perms.APPROVE_PAYMENT, unit=locked.fund.org_unit
    ):
        raise AssistanceError(_("只有制单人可以撤销发放批次"), status=403)
    locked.status = PaymentRun.Status.CANCELLED
    locked.save(update_fields=["status"])
    record(
        actor=actor,
        action="assistance.cancel_payment_run",
        target=locked,
        unit=locked.fund.org_unit,
        data={"fund": locked.fund_id},
    )
    return locked


__all__ = [
    "do_approve_payment_run",
    "do_cancel_payment_run",
    "do_prepare_payment_run",
    "do_record_income",
    "do_reject_payment_run",
    "do_reverse_entry",
]
