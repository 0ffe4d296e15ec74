"""Helpers for volunteering tests: projects with shifts, member accounts, a fund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import OrgUnit
from zhijia.org.tests.member_factory import make_member
from zhijia.services.actions import volunteering as actions


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_worker(username: str, unit_code: str = "B1", name: str = "志愿者") -> User:
    user = User.objects.create(username=username, full_name=name)
    make_member(unit_code, name=name, user=user)
    return User.objects.get(pk=user.pk)


def project_with_shift(
    cadre, *, unit_code: str = "B1", places: int = 2, hours_ahead: float = 48, minutes: int = 180
):
    """A recruiting project of `unit_code` (audience: the unit) with one shift."""
    project = actions.do_create_volunteer_project(
        actor=cadre, title="社区义诊志愿服务", org_unit=unit(unit_code), contact="13800000000"
    )
    starts = timezone.now() + dt.timedelta(hours=hours_ahead)
    shift = actions.do_add_volunteer_shift(
        actor=cadre,
        project=project,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        place="职工之家广场",
        places=places,
    )
    actions.do_publish_volunteer_project(actor=cadre, project=project)
    project.refresh_from_db()
    return project, shift


def make_fund(name: str = "爱心捐助基金", unit_code: str = "U", balance: str = "0"):
    from zhijia.assistance.models import Fund

    return Fund.objects.create(name=name, org_unit=unit(unit_code), balance=Decimal(balance))


def drive(cadre, fund=None, *, unit_code: str = "U", show_amounts: bool = True, goods=True):
    return actions.do_create_donation_drive(
        actor=cadre,
        title="为受灾职工献爱心",
        purpose="帮助受灾职工家庭渡过难关",
        org_unit=unit(unit_code),
        starts_on=timezone.localdate() - dt.timedelta(days=1),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        accepts_money=fund is not None,
        accepts_goods=goods,
        show_amounts=show_amounts,
        fund_id=fund.pk if fund is not None else None,
    )
