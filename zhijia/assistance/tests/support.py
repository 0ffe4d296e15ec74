"""Helpers for the assistance tests: campaigns with money, applications driven to a given state
through the real actions, a second committee cadre (for maker-checker)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.assistance.actions import applications as apps
from zhijia.assistance.actions import ledger
from zhijia.assistance.models import Application, Campaign
from zhijia.org.models import Member, OrgUnit

SITUATION = "丈夫患尿毒症每周透析三次，女儿读高二，家中还有七十岁的婆婆需要照顾。"
FINDINGS = "入户核实：住房为单位老公房，透析费用单据齐全，家中无其他收入来源。"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def member_of(user) -> Member:
    return Member.objects.get(user=user)


def make_cadre(username: str, unit_code: str = "U", name: str = "") -> User:
    """Another cadre (e.g. the committee's finance member, the checker of payment runs)."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": name or username}
    )
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.CADRE, org_unit=unit(unit_code), defaults={"title": "委员"}
    )
    return user


def make_campaign(
    chair, *, kind="warmth", name="2026年送温暖", income="10000", **values
) -> Campaign:
    campaign = apps.do_create_campaign(
        actor=chair, org_unit=unit("U"), name=name, kind=kind, year=2026, **values
    )
    if income and Decimal(income) > 0:
        ledger.do_record_income(
            actor=chair,
            fund=campaign.fund,
            kind="allocation",
            amount=income,
            description="工会经费拨付",
            counterparty="工会委员会",
        )
        campaign.fund.refresh_from_db()
    return campaign


def submit(worker, campaign, amount="2000", **kwargs) -> Application:
    return apps.do_submit_application(
        actor=worker,
        campaign=campaign,
        member=member_of(worker),
        amount=amount,
        situation=kwargs.pop("situation", SITUATION),
        **kwargs,
    )


def review(branch, application, category="deep", amount=None) -> Application:
    return apps.do_review_application(
        actor=branch,
        application=application,
        visited_on=timezone.localdate(),
        visitors="李春梅、赵卫东",
        findings=FINDINGS,
        category=category,
        amount=amount,
    )


def publish(branch, application) -> Application:
    return apps.do_publish_notice(actor=branch, application=application)


def after_notice(application):
    """A time machine standing just after the notice period (use as a context manager)."""
    return time_machine.travel(application.notice_ends_at + dt.timedelta(minutes=1), tick=False)


def to_state(state: str, *, personas, campaign, worker="worker1", amount="2000") -> Application:
    """An application of `worker` driven through the real actions to `state`
    (submitted, reviewed, notice, approved)."""
    application = submit(personas[worker], campaign, amount=amount)
    if state == "submitted":
        return application
    in_b1 = application.org_unit.path.startswith(unit("B1").path)
    branch = personas["branch1" if in_b1 else "branch2"]
    review(branch, application)
    if state == "reviewed":
        return application
    publish(branch, application)
    if state == "notice":
        return application
    with after_notice(application):
        apps.do_approve_application(actor=personas["chair"], application=application)
    application.refresh_from_db()
    assert application.state == "approved"
    return application
