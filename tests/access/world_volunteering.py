"""The world of tests/access/test_volunteering.py, built once per module.

Targets "b1" / "b2": records of branch1's / branch2's unit (audience: that branch's subtree).
Each has a recruiting project with an upcoming shift (worker1 / worker2 signed up) and a
past shift (rep1 / worker2 served, hours recorded and pending), a donation drive taking money
(into the branch's assistance fund) and goods, with a money pledge by worker1 / worker2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")


def build_world() -> World:
    from zhijia.assistance.models import Fund
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.services.actions import volunteering as actions
    from zhijia.services.models import VolunteerShift

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    worker = {"b1": personas["worker1"], "b2": personas["worker2"]}
    served = {"b1": personas["rep1"], "b2": personas["worker2"]}
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    now = timezone.now()
    data: dict = {
        "personas": personas,
        "unit": {t: u.pk for t, u in units.items()},
        **{k: {} for k in ("project", "shift", "signup", "past_shift", "past_signup")},
        **{k: {} for k in ("drive", "pledge")},
    }
    for index, t in enumerate(REC):
        project = actions.do_create_volunteer_project(
            actor=cadre[t], title=f"志愿服务{t}", org_unit=units[t]
        )
        shift = actions.do_add_volunteer_shift(
            actor=cadre[t],
            project=project,
            starts_at=now + dt.timedelta(days=5 + index),
            ends_at=now + dt.timedelta(days=5 + index, hours=2),
            place="社区",
            places=50,
        )
        past = actions.do_add_volunteer_shift(
            actor=cadre[t],
            project=project,
            starts_at=now + dt.timedelta(days=9 + index),
            ends_at=now + dt.timedelta(days=9 + index, hours=3),
            place="车站",
            places=50,
        )
        actions.do_publish_volunteer_project(actor=cadre[t], project=project)
        signup = actions.do_sign_up_volunteer(actor=worker[t], shift=shift)
        past_signup = actions.do_sign_up_volunteer(actor=served[t], shift=past)
        # the past shift took place three days ago
        VolunteerShift.objects.filter(pk=past.pk).update(
            starts_at=now - dt.timedelta(days=3 + index),
            ends_at=now - dt.timedelta(days=3 + index) + dt.timedelta(hours=3),
        )
        actions.do_record_volunteer_hours(actor=cadre[t], signup=past_signup)
        fund = Fund.objects.create(name=f"爱心基金{t}", org_unit=units[t], balance=Decimal("0"))
        drive = actions.do_create_donation_drive(
            actor=cadre[t],
            title=f"捐款活动{t}",
            purpose="帮助受灾职工",
            org_unit=units[t],
            starts_on=timezone.localdate() - dt.timedelta(days=1),
            ends_on=timezone.localdate() + dt.timedelta(days=30),
            accepts_money=True,
            accepts_goods=True,
            fund_id=fund.pk,
        )
        pledge = actions.do_pledge_donation(
            actor=worker[t], drive=drive, kind="money", amount="100"
        )
        data["project"][t] = project.pk
        data["shift"][t] = shift.pk
        data["signup"][t] = signup.pk
        data["past_shift"][t] = past.pk
        data["past_signup"][t] = past_signup.pk
        data["drive"][t] = drive.pk
        data["pledge"][t] = pledge.pk
    start = timezone.localtime(now + dt.timedelta(days=20)).replace(second=0, microsecond=0)
    data["new_shift"] = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "公园",
        "places": 5,
    }
    data["new_shift_api"] = {
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
        "place": "公园",
        "places": 5,
    }
    cache.clear()

    def ids(persona: str, target) -> dict:
        if target not in REC:
            return {}
        keys = ("project", "shift", "signup", "past_shift", "past_signup", "drive", "pledge")
        return {key: data[key][target] for key in keys}

    return World(
        data=data, ids=ids, fingerprint=volunteering_fingerprint, clients=make_clients(personas)
    )


def volunteering_fingerprint() -> tuple:
    from zhijia.assistance.models import Fund, LedgerEntry
    from zhijia.services.models import (
        Donation,
        DonationDrive,
        VolunteerProject,
        VolunteerShift,
        VolunteerSignup,
    )

    return fingerprint(
        VolunteerProject,
        VolunteerShift,
        VolunteerSignup,
        DonationDrive,
        Donation,
        Fund,
        LedgerEntry,
    )
