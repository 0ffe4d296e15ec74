"""Twenty payment runs approved at the same moment against a fund that can pay ten: exactly ten
are paid, the balance ends at zero (never below), the ledger adds up.

Real threads with their own database connections against committed data (transactional_db),
on PostgreSQL (the fund row locked with select_for_update) and on SQLite (IMMEDIATE write
transactions serialise the writers). Run the suite with DATABASE_URL=postgres://... for the
PostgreSQL variant; the test runs on whichever database the suite uses.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from zhijia.assistance.actions import applications as apps
from zhijia.assistance.actions import ledger
from zhijia.assistance.errors import ConflictError
from zhijia.assistance.models import Application, Fund, LedgerEntry, PaymentRun
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.assistance.tests.support import (
    SITUATION,
    after_notice,
    make_cadre,
    make_campaign,
    review,
    unit,
)
from zhijia.org.tests.member_factory import make_member

THREADS = 20
AFFORDABLE = 10
AMOUNT = Decimal("100.00")


def _approved_applications(personas, campaign, n: int) -> list[Application]:
    result = []
    for i in range(n):
        member = make_member(unit("B1-G1" if i % 2 else "B1-G2"), name=f"困难职工{i:02d}")
        application = apps.do_submit_application(
            actor=personas["branch1"],
            campaign=campaign,
            member=member,
            amount=AMOUNT,
            situation=SITUATION,
        )
        review(personas["branch1"], application)
        apps.do_publish_notice(actor=personas["branch1"], application=application)
        result.append(application)
    with after_notice(max(result, key=lambda a: a.notice_ends_at)):
        for application in result:
            apps.do_approve_application(actor=personas["chair"], application=application)
    return result


@pytest.fixture
def twenty_runs(transactional_db, personas):
    campaign = make_campaign(personas["chair"], income=str(AMOUNT * AFFORDABLE))
    checker = make_cadre("finance1", "U", "钱会计")
    applications = _approved_applications(personas, campaign, THREADS)
    runs = [
        ledger.do_prepare_payment_run(
            actor=personas["chair"], fund=campaign.fund, applications=[a], title=f"第{i}批"
        )
        for i, a in enumerate(applications)
    ]
    return campaign.fund, checker, runs


def test_twenty_concurrent_payments_ten_affordable(twenty_runs):
    fund, checker, runs = twenty_runs
    assert Fund.objects.get(pk=fund.pk).balance == AMOUNT * AFFORDABLE
    barrier = threading.Barrier(len(runs))
    results: list[str] = []
    lock = threading.Lock()

    def approve(run):
        # Connect first, so that the twenty transactions really start together.
        connection.ensure_connection()
        barrier.wait()
        try:
            ledger.do_approve_payment_run(actor=checker, run=run)
            outcome = "paid"
        except ConflictError as exc:
            outcome = "refused" if "余额不足" in exc.message else f"conflict: {exc.message}"
        except Exception as exc:  # reported, so a failure shows what went wrong
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=approve, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"

    assert sorted(results) == ["paid"] * AFFORDABLE + ["refused"] * (THREADS - AFFORDABLE), results
    fund.refresh_from_db()
    assert fund.balance == Decimal("0.00")
    assert fund.balance >= 0
    assert queries_ledger.ledger_sum(fund) == fund.balance
    payments = LedgerEntry.objects.filter(fund=fund, kind="payment")
    assert payments.count() == AFFORDABLE
    assert all(e.balance_after >= 0 for e in LedgerEntry.objects.filter(fund=fund))
    # Balances after each entry form one unbroken chain: no two writers saw the same balance.
    chain = list(LedgerEntry.objects.filter(fund=fund).order_by("id"))
    running = Decimal("0")
    for entry in chain:
        running += entry.amount
        assert entry.balance_after == running
    assert PaymentRun.objects.filter(status="paid").count() == AFFORDABLE
    assert PaymentRun.objects.filter(status="prepared").count() == THREADS - AFFORDABLE
    assert Application.objects.filter(state="paid").count() == AFFORDABLE
    assert Application.objects.filter(state="approved").count() == THREADS - AFFORDABLE
    paid_ids = set(Application.objects.filter(state="paid").values_list("pk", flat=True))
    assert paid_ids == set(payments.values_list("application_id", flat=True))
    assert connection.vendor in ("sqlite", "postgresql")
