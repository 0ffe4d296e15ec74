"""Donation drives: money is booked in the assistance fund ledger exactly once (the fund's
balance moves by the amount, nothing else is written); goods never touch the ledger; the
thank-you list respects opt-out and masking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.assistance.models import Fund, LedgerEntry
from zhijia.core.models import AuditEvent
from zhijia.services import volunteering_rules as rules
from zhijia.services.actions import volunteering as actions
from zhijia.services.actions.volunteering import VolunteeringError
from zhijia.services.models import Donation
from zhijia.services.queries import volunteering as queries
from zhijia.services.tests.volunteering_support import drive, make_fund

pytestmark = pytest.mark.django_db


def test_mask_and_thank_you_are_pure():
    assert rules.mask_name("张三") == "张*"
    assert rules.mask_name("王小明") == "王**"
    assert rules.mask_name("欧阳修文") == "欧阳**"
    assert rules.mask_name("示例能源集团有限公司") == "示例能源集团有限公司"
    facts = [
        rules.DonationFact("u:1", "张三", "full", Decimal("100")),
        rules.DonationFact("u:1", "张三", "full", Decimal("50")),
        rules.DonationFact("u:2", "李四", "masked", Decimal("500")),
        rules.DonationFact("u:3", "王五", "hidden", Decimal("1000")),
        rules.DonationFact("n:某公司", "某公司", "full", None, "矿泉水 20 箱"),
    ]
    lines = rules.thank_you(facts)
    assert [(line.name, line.total) for line in lines] == [
        ("李*", Decimal("500")),
        ("张三", Decimal("150")),
        ("某公司", Decimal("0")),
    ]
    assert lines[2].goods == ("矿泉水 20 箱",)


def test_confirmed_money_donation_is_booked_once(personas):
    fund = make_fund(balance="0")
    d = drive(personas["chair"], fund)
    pledge = actions.do_pledge_donation(
        actor=personas["worker1"], drive=d, kind="money", amount="200", display="masked"
    )
    assert LedgerEntry.objects.count() == 0  # a pledge is not money received
    assert queries.raised(d) == 0
    actions.do_confirm_donation(actor=personas["chair"], donation=pledge)
    with pytest.raises(VolunteeringError, match="已收到") as exc:
        actions.do_confirm_donation(actor=personas["chair"], donation=pledge)
    assert exc.value.status == 409
    pledge.refresh_from_db()
    entry = LedgerEntry.objects.get()
    assert pledge.status == "received" and pledge.ledger_entry_ref == entry.pk
    assert entry.fund_id == fund.pk and entry.kind == "donation"
    assert entry.amount == Decimal("200.00") and entry.counterparty == "陈小红"
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("200.00")
    assert queries.raised(d) == Decimal("200.00")
    # the ledger wrote its own audit event, under its own name
    assert AuditEvent.objects.filter(action="assistance.record_income").count() == 1
    # a cadre records an outside donor's money directly: a second entry, balance 700
    actions.do_record_donation(
        actor=personas["chair"], drive=d, kind="money", donor_name="示例能源集团", amount="500"
    )
    assert LedgerEntry.objects.count() == 2
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("700.00")
    assert sum(e.amount for e in LedgerEntry.objects.all()) == Decimal("700.00")


def test_goods_do_not_touch_the_ledger(personas):
    fund = make_fund()
    d = drive(personas["chair"], fund)
    actions.do_record_donation(
        actor=personas["chair"], drive=d, kind="goods", donor_name="某超市", goods="大米 10 袋"
    )
    pledge = actions.do_pledge_donation(
        actor=personas["worker1"], drive=d, kind="goods", goods="冬衣 3 件"
    )
    actions.do_confirm_donation(actor=personas["chair"], donation=pledge)
    assert LedgerEntry.objects.count() == 0
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("0")
    assert Donation.objects.filter(kind="goods", status="received").count() == 2
    assert queries.raised(d) == 0


def test_who_may_record_and_pledge(personas):
    fund = make_fund()
    d = drive(personas["chair"], fund)
    # a branch cadre's scope does not hold the committee's drive
    with pytest.raises(PermissionDenied):
        actions.do_record_donation(
            actor=personas["branch1"], drive=d, kind="money", donor_name="x", amount="1"
        )
    for name in ("admin", "handler1"):
        with pytest.raises(PermissionDenied):
            actions.do_pledge_donation(actor=personas[name], drive=d, kind="money", amount="1")
    with pytest.raises(VolunteeringError) as exc:
        actions.do_pledge_donation(actor=personas["worker1"], drive=d, kind="money", amount="-5")
    assert exc.value.field == "amount"
    goods_only = drive(personas["chair"], None)
    with pytest.raises(VolunteeringError, match="不接受捐款"):
        actions.do_pledge_donation(
            actor=personas["worker1"], drive=goods_only, kind="money", amount="5"
        )
    actions.do_close_donation_drive(actor=personas["chair"], drive=d)
    with pytest.raises(VolunteeringError, match="不能认捐"):
        actions.do_pledge_donation(actor=personas["worker1"], drive=d, kind="money", amount="5")
    assert LedgerEntry.objects.count() == 0


def test_thank_you_list_respects_opt_out_and_masking(personas):
    fund = make_fund()
    d = drive(personas["chair"], fund)
    chair = personas["chair"]
    for who, display, amount in (
        ("worker1", "full", "100"),
        ("worker2", "masked", "300"),
        ("rep1", "hidden", "1000"),
    ):
        pledge = actions.do_pledge_donation(
            actor=personas[who], drive=d, kind="money", amount=amount, display=display
        )
        actions.do_confirm_donation(actor=chair, donation=pledge)
    actions.do_pledge_donation(actor=personas["branch1"], drive=d, kind="money", amount="50")
    lines = queries.thank_you_list(d)
    names = [line.name for line in lines]
    worker2 = personas["worker2"].member_record.name
    assert names == [rules.mask_name(worker2), "陈小红"]  # 300 before 100; worker2 masked
    rep1 = personas["rep1"].member_record.name
    assert all(rep1 not in n for n in names)  # opted out: not even masked
    assert personas["branch1"].member_record.name not in names  # pledged, not received
    assert queries.raised(d) == Decimal("1400.00")  # the total counts everyone
    # the page shows the list (amounts since the drive shows them), never the opted-out name
    client = _login(personas["worker1"])
    page = client.get(f"/services/volunteering/drives/{d.pk}/").content.decode()
    assert rules.mask_name(worker2) in page and "¥300" in page and rep1 not in page


def _login(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
