"""The fund ledger: income, payment runs prepared by one cadre and approved by another, the
balance never below zero, append-only entries corrected by counter-entries, the monthly
statement and its Excel export, the reconciliation against the union funds."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from zhijia.assistance.actions import applications as actions_applications
from zhijia.assistance.actions import ledger
from zhijia.assistance.errors import AssistanceError, ConflictError
from zhijia.assistance.models import Application, Fund, LedgerEntry, PaymentRun
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.assistance.tests.support import make_cadre, make_campaign, to_state, unit
from zhijia.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):
    return make_campaign(personas["chair"], income="5000")


@pytest.fixture
def finance(personas):
    """A second committee cadre: the checker of the runs the chair prepares, and vice versa."""
    return make_cadre("finance1", "U", "钱会计")


def _balance(fund) -> Decimal:
    return Fund.objects.get(pk=fund.pk).balance


def test_income_moves_the_balance_and_is_attributed(personas, campaign):
    fund = campaign.fund
    assert _balance(fund) == Decimal("5000.00")
    entry = ledger.do_record_income(
        actor=personas["chair"],
        fund=fund,
        kind="donation",
        amount="1234.56",
        description="爱心捐款",
        counterparty="市慈善总会",
    )
    assert entry.amount == Decimal("1234.56") and entry.balance_after == Decimal("6234.56")
    assert entry.actor == personas["chair"] and entry.actor_label == "王建国"
    assert _balance(fund) == queries_ledger.ledger_sum(fund) == Decimal("6234.56")
    with pytest.raises(AssistanceError) as exc:
        ledger.do_record_income(
            actor=personas["chair"], fund=fund, kind="payment", amount="1", description="x"
        )
    assert exc.value.field == "kind"
    with pytest.raises(PermissionDenied):  # a branch cadre holds nothing over the committee fund
        ledger.do_record_income(
            actor=personas["branch1"], fund=fund, kind="donation", amount="1", description="x"
        )


def test_maker_checker_same_person_never_both(personas, campaign, finance):
    application = to_state("approved", personas=personas, campaign=campaign)
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[application]
    )
    assert run.status == "prepared" and run.total == Decimal("2000.00")
    with pytest.raises(AssistanceError) as exc:
        ledger.do_approve_payment_run(actor=personas["chair"], run=run)
    assert exc.value.message == "制单人不能审核自己编制的发放批次" and exc.value.status == 403
    with pytest.raises(AssistanceError):
        ledger.do_reject_payment_run(actor=personas["chair"], run=run, note="自己退回")
    assert PaymentRun.objects.get(pk=run.pk).status == "prepared"
    assert Application.objects.get(pk=application.pk).state == "approved"
    # A branch cadre cannot approve a committee fund's run at all.
    with pytest.raises(PermissionDenied):
        ledger.do_approve_payment_run(actor=personas["branch1"], run=run)
    ledger.do_approve_payment_run(actor=finance, run=run, note="核对无误")
    run.refresh_from_db()
    assert (
        run.status == "paid" and run.checked_by == finance and run.prepared_by == personas["chair"]
    )
    application.refresh_from_db()
    assert application.state == "paid" and application.paid_at is not None
    payment = LedgerEntry.objects.get(application=application, kind="payment")
    assert payment.amount == Decimal("-2000.00") and payment.payment_run == run
    assert payment.actor == finance and payment.counterparty == "陈小红"
    assert _balance(campaign.fund) == Decimal("3000.00")


def test_maker_checker_also_held_by_the_database(personas, campaign):
    application = to_state("approved", personas=personas, campaign=campaign)
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[application]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(checked_by=personas["chair"])


def test_branch_prepares_and_the_committee_approves(personas, campaign):
    application = to_state("approved", personas=personas, campaign=campaign)
    # branch1 sees the approved application of her branch as payable, not the fund's ledger.
    assert list(queries_ledger.payable_applications(personas["branch1"])) == [application]
    assert queries_ledger.funds_for_preparer(personas["branch1"]) == [campaign.fund]
    assert not queries_ledger.funds_visible_to(personas["branch1"]).exists()
    assert list(queries_ledger.payable_applications(personas["branch2"])) == []
    run = ledger.do_prepare_payment_run(
        actor=personas["branch1"], fund=campaign.fund, applications=[application]
    )
    with pytest.raises(ConflictError, match="已在其他待审核的发放批次中"):
        ledger.do_prepare_payment_run(
            actor=personas["chair"], fund=campaign.fund, applications=[application]
        )
    ledger.do_approve_payment_run(actor=personas["chair"], run=run)
    assert Application.objects.get(pk=application.pk).state == "paid"
    with pytest.raises(ConflictError, match="已发放"):
        ledger.do_approve_payment_run(actor=personas["chair"], run=run)


def test_a_run_the_fund_cannot_afford_pays_nothing(personas, finance):
    campaign = make_campaign(personas["chair"], income="3000")
    a1 = to_state("approved", personas=personas, campaign=campaign, worker="worker1")
    a2 = to_state("approved", personas=personas, campaign=campaign, worker="worker2", amount="1500")
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[a1, a2]
    )
    with pytest.raises(ConflictError) as exc:
        ledger.do_approve_payment_run(actor=finance, run=run)
    assert "资金余额不足" in exc.value.message and "3,500.00" in exc.value.message
    assert _balance(campaign.fund) == Decimal("3000.00")
    assert not LedgerEntry.objects.filter(kind="payment").exists()
    assert set(Application.objects.values_list("state", flat=True)) == {"approved"}
    ledger.do_reject_payment_run(actor=finance, run=run, note="资金不足，分批发放")
    run2 = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[a1]
    )
    ledger.do_approve_payment_run(actor=finance, run=run2)
    assert _balance(campaign.fund) == Decimal("1000.00")


def test_the_checker_cannot_approve_a_run_paying_themselves(personas, campaign, finance):
    # branch1 (李春梅) applies herself; the chair prepares; branch1 could not check it anyway
    # (no scope over the fund), so give the committee-level checker an application of his own.
    from zhijia.org.models import Member

    Member.objects.filter(user=personas["chair"]).update(org_unit=unit("B1-G2"))
    application = to_state("approved", personas=personas, campaign=campaign, worker="chair")
    run = ledger.do_prepare_payment_run(
        actor=finance, fund=campaign.fund, applications=[application]
    )
    with pytest.raises(AssistanceError, match="有您本人的申请"):
        ledger.do_approve_payment_run(actor=personas["chair"], run=run)


def test_entries_are_append_only(personas, campaign):
    entry = LedgerEntry.objects.filter(fund=campaign.fund).first()
    entry.description = "改过的摘要"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).description == "工会经费拨付"


def test_balance_never_below_zero_also_in_the_database(personas, campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=campaign.fund.pk).update(balance=Decimal("-0.01"))


def test_counter_entry_of_income_and_of_a_payment(personas, campaign, finance):
    fund = campaign.fund
    income = LedgerEntry.objects.get(fund=fund, kind="allocation")
    application = to_state("approved", personas=personas, campaign=campaign)
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=fund, applications=[application]
    )
    ledger.do_approve_payment_run(actor=finance, run=run)
    assert _balance(fund) == Decimal("3000.00")
    # Reversing the 5,000 allocation would take the balance below zero: refused.
    with pytest.raises(ConflictError, match="资金余额不足"):
        ledger.do_reverse_entry(actor=personas["chair"], entry=income, reason="拨款有误")
    # The payment bounced: its counter-entry returns the money and the application is payable again.
    payment = LedgerEntry.objects.get(application=application, kind="payment")
    with pytest.raises(AssistanceError) as exc:
        ledger.do_reverse_entry(actor=personas["chair"], entry=payment, reason=" ")
    assert exc.value.field == "reason"
    reversal = ledger.do_reverse_entry(actor=personas["chair"], entry=payment, reason="银行退票")
    assert reversal.amount == Decimal("2000.00") and reversal.reverses == payment
    assert reversal.kind == "reversal" and reversal.application == application
    assert _balance(fund) == Decimal("5000.00") == queries_ledger.ledger_sum(fund)
    application.refresh_from_db()
    assert application.state == "approved" and application.paid_at is None
    with pytest.raises(ConflictError, match="已冲正"):
        ledger.do_reverse_entry(actor=personas["chair"], entry=payment, reason="再冲一次")
    with pytest.raises(ConflictError, match="不能再冲正"):
        ledger.do_reverse_entry(actor=personas["chair"], entry=reversal, reason="x")
    # Paid again in a new run.
    run2 = ledger.do_prepare_payment_run(actor=finance, fund=fund, applications=[application])
    ledger.do_approve_payment_run(actor=personas["chair"], run=run2)
    assert _balance(fund) == Decimal("3000.00") == queries_ledger.ledger_sum(fund)
    actions = list(
        AuditEvent.objects.filter(action__startswith="assistance.").values_list("action", flat=True)
    )
    assert "assistance.reverse_entry" in actions and "assistance.approve_payment_run" in actions


def test_monthly_statement_and_excel(personas, campaign, finance):
    fund = campaign.fund
    today = dt.date.today()
    ledger.do_record_income(
        actor=personas["chair"],
        fund=fund,
        kind="donation",
        amount="300",
        description="上月捐款",
        booked_on=(today.replace(day=1) - dt.timedelta(days=1)),
    )
    application = to_state("approved", personas=personas, campaign=campaign)
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=fund, applications=[application]
    )
    ledger.do_approve_payment_run(actor=finance, run=run)
    s = queries_ledger.statement(fund, today)
    assert s.opening == Decimal("300.00")
    assert s.income == Decimal("5000.00") and s.payments == Decimal("2000.00")
    assert s.closing == Decimal("3300.00") == _balance(fund)
    assert [e.kind for e in s.entries] == ["allocation", "payment"]
    from zhijia.assistance.exports import statement_xlsx

    wb = load_workbook(io.BytesIO(statement_xlsx(s)))
    ws = wb.active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    assert "帮扶资金月报" in flat and fund.name in flat
    assert Decimal(str(values[4][1])) == Decimal("300") and Decimal(str(values[7][1])) == Decimal(
        "3300"
    )
    header = values.index(next(r for r in values if r[0] == "分录号"))
    rows = values[header + 1 :]
    assert [r[2] for r in rows] == ["经费拨付", "帮扶支出"]
    assert Decimal(str(rows[1][6])) == Decimal("2000") and Decimal(str(rows[1][7])) == Decimal(
        "3300"
    )


def test_reconciliation_against_the_union_funds(personas, campaign, finance):
    application = to_state("approved", personas=personas, campaign=campaign)
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[application]
    )
    ledger.do_approve_payment_run(actor=finance, run=run)
    r = queries_ledger.reconciliation(
        personas["chair"], unit("U"), dt.date.today().year, Decimal("10000000")
    )
    assert r.funds_total == Decimal("200000.00")
    assert r.to_higher_union == Decimal("80000.00") and r.kept == Decimal("120000.00")
    assert r.allocated == Decimal("5000.00") and r.paid == Decimal("2000.00")
    assert r.share_of_kept == Decimal("0.0417")
    assert [row["fund"] for row in r.rows] == [campaign.fund]
    estimated = queries_ledger.reconciliation(personas["chair"], unit("U"), dt.date.today().year)
    assert estimated.payroll_estimated and estimated.payroll > 0


def test_the_applicant_rates_the_help_once_it_is_paid(personas, campaign, finance):
    """The rating reaches the union's satisfaction index (core.satisfaction_index); a 不满意
    asks the branch's cadres to call back."""
    from zhijia.core.models import Rating, RatingFollowUp

    application = to_state("approved", personas=personas, campaign=campaign)
    with pytest.raises(ConflictError, match="发放后"):
        actions_applications.do_rate_application(
            actor=personas["worker1"], application=application, rating="satisfied"
        )
    run = ledger.do_prepare_payment_run(
        actor=personas["chair"], fund=campaign.fund, applications=[application]
    )
    ledger.do_approve_payment_run(actor=finance, run=run)
    with pytest.raises(PermissionDenied):  # the applicant's alone, not the cadre's
        actions_applications.do_rate_application(
            actor=personas["branch1"], application=application, rating="satisfied"
        )
    actions_applications.do_rate_application(
        actor=personas["worker1"], application=application, rating="dissatisfied"
    )
    with pytest.raises(ConflictError, match="已评价"):
        actions_applications.do_rate_application(
            actor=personas["worker1"], application=application, rating="satisfied"
        )
    rating = Rating.objects.get()
    assert (rating.service, rating.rating, rating.record_id) == (
        "assistance.payment",
        "dissatisfied",
        str(application.pk),
    )
    assert RatingFollowUp.objects.get().unit_path == application.org_unit.path
