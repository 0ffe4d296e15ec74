"""The monthly summary (月度数据摘要): sent by the hourly sweep once per chair and month, after
the month has ended, with the month's figures (each equal to figures.value over the month's
scope), a branch chair's counting only her branch; a rerun, or a second worker, sends nothing.

The union is support.py's (records in 2025), with e-mail addresses, plus a cadre holding
both the committee and a branch (one summary, the committee's) and a group leader (none).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.core import figures
from zhijia.core.models import Delivery, Notification
from zhijia.core.notify import deliver
from zhijia.dashboard import mailing
from zhijia.dashboard import rules as dashboard_rules
from zhijia.dashboard.models import MonthlySummarySent
from zhijia.dashboard.tests import support

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
APRIL_2ND = dt.date(2025, 4, 2)
SITE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def world(module_db):
    built = support.build()
    units, users = built["units"], built["users"]
    for name in ("t_chair", "ta_chair", "t_viewer"):
        User.objects.filter(pk=users[name].pk).update(email=f"{name}@zhijia.localhost")
    both = User.objects.create(username="both", email="both@zhijia.localhost")
    for unit in (units["TA"], units["T"]):
        RoleAssignment.objects.create(user=both, role=Role.CADRE, org_unit=unit, title="委员")
    leader = User.objects.create(username="leader", email="leader@zhijia.localhost")
    RoleAssignment.objects.create(
        user=leader, role=Role.CADRE, org_unit=units["TA1"], title="小组长"
    )
    gone = User.objects.create(username="gone", email="gone@zhijia.localhost", is_active=False)
    RoleAssignment.objects.create(user=gone, role=Role.CADRE, org_unit=units["T"], title="委员")
    users.update({"both": both, "leader": leader, "gone": gone})
    return built


@pytest.fixture
def email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    settings.ZHIJIA_SITE_URL = SITE


def _send_mail() -> dict[str, str]:
    """Deliver every queued message; the e-mails by address (each address at most once)."""
    mail.outbox.clear()
    deliver(Delivery.objects.filter(status="pending").values_list("pk", flat=True))
    by_address: dict[str, str] = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in by_address, address
        by_address[address] = f"{message.subject}\n{message.body}"
    return by_address


def _expected_lines(unit) -> list[str]:
    scope = figures.Scope(unit_path=unit.path, start=MARCH[0], end=MARCH[1])
    lines = []
    for figure in figures.declared():
        value = figures.value(figure.key, scope)
        shown = dashboard_rules.show(value)
        lines.append(f"{figure.label}：{shown}" + (f" {figure.unit}" if value is not None else ""))
    return lines


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2025, 4, 2), (dt.date(2025, 3, 1), dt.date(2025, 3, 31))),
        (dt.date(2025, 1, 1), (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
        (dt.date(2024, 3, 31), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ],
)
def test_the_month_summarised_is_the_one_before_today(today, month):
    assert mailing.previous_month(today) == month


def test_the_recipients_are_the_committee_and_branch_holders(world, db):
    got = {user.username: unit.code for user, unit in mailing.recipients()}
    # The viewer (企业领导) holds the dashboard too; the group leader, the deactivated cadre
    # and the worker get nothing; a cadre of the committee and a branch gets the committee's.
    assert got == {"t_chair": "T", "ta_chair": "TA", "t_viewer": "T", "both": "T"}


def test_each_chair_gets_the_months_figures_once(world, db, email):
    units = world["units"]
    assert mailing.send_monthly_summaries(APRIL_2ND) == 4
    mails = _send_mail()
    assert set(mails) == {
        "t_chair@zhijia.localhost",
        "ta_chair@zhijia.localhost",
        "t_viewer@zhijia.localhost",
        "both@zhijia.localhost",
    }
    for address, unit in (
        ("t_chair@zhijia.localhost", units["T"]),
        ("both@zhijia.localhost", units["T"]),
        ("ta_chair@zhijia.localhost", units["TA"]),
    ):
        text = mails[address]
        assert f"{unit.name} 2025年3月数据摘要" in text
        assert "2025-03-01 至 2025-03-31" in text
        for line in _expected_lines(unit):
            assert line in text, (address, line)
        assert f"{SITE}/dashboard/?unit={unit.pk}&year=2025" in text
    # By hand (support.py): on the roll at the end of March, T has DA1-DA3 and DB2, the
    # branch TA only DA1-DA3; the 8.00 of dues paid in March were paid in the sibling TB.
    union, branch = mails["t_chair@zhijia.localhost"], mails["ta_chair@zhijia.localhost"]
    assert "在册会员：4 人" in union and "会费收缴：8.00 元" in union
    assert "在册会员：3 人" in branch and "会费收缴：0.00 元" in branch
    assert "在册会员：4 人" not in branch and "会费收缴：8.00 元" not in branch
    sent = MonthlySummarySent.objects.filter(month=MARCH[0])
    assert sent.count() == 4
    assert sent.get(user=world["users"]["ta_chair"]).org_unit == units["TA"]
    assert Notification.objects.filter(kind=mailing.KIND).count() == 4

    # A rerun (the next hour, or another worker after this one) sends nothing.
    assert mailing.send_monthly_summaries(APRIL_2ND) == 0
    assert mailing.send_monthly_summaries(dt.date(2025, 4, 30)) == 0
    assert _send_mail() == {}
    assert Notification.objects.filter(kind=mailing.KIND).count() == 4


def test_a_second_worker_racing_for_the_same_summary_sends_nothing(world, db, email):
    """Both workers saw no row for the month; the second one's insert meets the unique
    constraint and its message is rolled back with it."""
    chair, t = world["users"]["t_chair"], world["units"]["T"]
    assert mailing.send_summary(chair, t, *MARCH) is True
    assert mailing.send_summary(chair, t, *MARCH) is False
    assert Notification.objects.filter(kind=mailing.KIND, user=chair).count() == 1
    assert list(_send_mail()) == ["t_chair@zhijia.localhost"]


def test_nothing_is_sent_for_a_month_before_it_ends(world, db, email):
    tz = timezone.get_default_timezone()
    job = _registered_job()
    with time_machine.travel(dt.datetime(2025, 3, 31, 23, 30, tzinfo=tz), tick=False):
        assert job() == 4  # February's, the month before
    assert not MonthlySummarySent.objects.filter(month=MARCH[0]).exists()
    assert set(MonthlySummarySent.objects.values_list("month", flat=True)) == {dt.date(2025, 2, 1)}
    with time_machine.travel(dt.datetime(2025, 3, 31, 23, 59, tzinfo=tz), tick=False):
        assert job() == 0
    with time_machine.travel(dt.datetime(2025, 4, 1, 0, 5, tzinfo=tz), tick=False):
        assert job() == 4  # March has ended
    assert MonthlySummarySent.objects.filter(month=MARCH[0]).count() == 4


def _registered_job():
    """The job the worker runs hourly (DashboardConfig.ready)."""
    from zhijia.core import workflow_sweep

    sweep = workflow_sweep._MODULE_SWEEPS["dashboard.monthly_summary"]
    assert sweep.every_seconds == 3600
    return sweep.job


def test_a_summary_without_an_email_channel_still_reaches_the_inbox(world, db, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["console"]
    mailing.send_monthly_summaries(APRIL_2ND)
    note = Notification.objects.get(kind=mailing.KIND, user=world["users"]["ta_chair"])
    assert note.title == "甲分工会 2025年3月数据摘要"
    assert "【会员与会费】" in note.body and "在册会员：3 人" in note.body
    assert note.url == f"/dashboard/?unit={world['units']['TA'].pk}&year=2025"
