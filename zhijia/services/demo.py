"""Demo data of module services, for `zhijia seed-demo` (idempotent), one function per subject.

Volunteering (`ensure_demo_volunteering`): branch1's project 社区义诊志愿服务 with a shift last
month (worker1 and rep1 served, hours confirmed) and one next week (worker1 signed up), and the
union committee's drive 为受灾职工献爱心 taking money (booked in the assistance fund 职工爱心
基金 through zhijia.core.hooks.fund_ledger()) and goods: worker1 gave money, rep1 money but
left out of the thank-you list, worker2 pledged, an outside firm gave goods.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.core.hooks import fund_ledger
from zhijia.org.models import OrgUnit
from zhijia.services.actions import volunteering as actions
from zhijia.services.models import DonationDrive, VolunteerProject, VolunteerShift

PROJECT_TITLE = "社区义诊志愿服务"
DRIVE_TITLE = "为受灾职工献爱心"
FUND_NAME = "职工爱心基金"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _demo_project(users: dict[str, User]) -> VolunteerProject:
    branch1 = users["branch1"]
    project = VolunteerProject.objects.filter(title=PROJECT_TITLE).first()
    if project is not None:
        return project
    today = timezone.localdate()
    project = actions.do_create_volunteer_project(
        actor=branch1,
        title=PROJECT_TITLE,
        description="每月一次，到结对社区为老人测量血压、讲解健康知识。欢迎有医护经验的会员报名。",
        org_unit=OrgUnit.objects.get(code="B1"),
        leader=users["rep1"],
        contact="李春梅 13900000101",
    )
    past = actions.do_add_volunteer_shift(
        actor=branch1,
        project=project,
        starts_at=_at(today + dt.timedelta(days=1), 9),
        ends_at=_at(today + dt.timedelta(days=1), 12),
        place="幸福里社区服务中心",
        places=6,
    )
    actions.do_add_volunteer_shift(
        actor=branch1,
        project=project,
        starts_at=_at(today + dt.timedelta(days=7), 9),
        ends_at=_at(today + dt.timedelta(days=7), 11),
        place="幸福里社区服务中心",
        places=6,
        note="请穿工会志愿者马甲",
    )
    actions.do_publish_volunteer_project(actor=branch1, project=project)
    served = [actions.do_sign_up_volunteer(actor=users[n], shift=past) for n in ("worker1", "rep1")]
    # The first shift took place last month (moved there once it had its volunteers).
    # (within this year when it can be, so that the year's hours show it)
    last_month = today - dt.timedelta(days=30)
    if last_month.year != today.year and today > dt.date(today.year, 1, 1):
        last_month = dt.date(today.year, 1, 1)
    VolunteerShift.objects.filter(pk=past.pk).update(
        starts_at=_at(last_month, 9), ends_at=_at(last_month, 12)
    )
    for signup in served:
        signup.refresh_from_db()
        reason = "提前离开" if signup.worker_id == users["rep1"].pk else ""
        hours = "2.5" if reason else None
        actions.do_record_volunteer_hours(actor=branch1, signup=signup, hours=hours, reason=reason)
        actions.do_confirm_volunteer_hours(actor=branch1, signup=signup)
    upcoming = project.shifts.order_by("-starts_at")[0]
    actions.do_sign_up_volunteer(actor=users["worker1"], shift=upcoming)
    return project


def _demo_drive(users: dict[str, User]) -> DonationDrive:
    chair = users["chair"]
    drive = DonationDrive.objects.filter(title=DRIVE_TITLE).first()
    if drive is not None:
        return drive
    unit = OrgUnit.objects.get(code="U")
    ledger = fund_ledger()
    fund = next((f for f in ledger.funds_for(chair) if f.label == FUND_NAME), None)
    if fund is None:
        fund = ledger.open_fund(
            actor=chair, unit=unit, name=FUND_NAME, description="捐款捐物活动的善款"
        )
    today = timezone.localdate()
    drive = actions.do_create_donation_drive(
        actor=chair,
        title=DRIVE_TITLE,
        purpose="第二分工会两名职工家庭遭受洪灾，工会号召全体会员奉献爱心，善款全部用于受灾职工家庭重建。",
        org_unit=unit,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
        accepts_money=True,
        accepts_goods=True,
        show_amounts=False,
        fund_id=fund.id,
    )
    pledge = actions.do_pledge_donation(
        actor=users["worker1"], drive=drive, kind="money", amount="200", display="full"
    )
    actions.do_confirm_donation(actor=chair, donation=pledge)
    actions.do_record_donation(
        actor=chair,
        drive=drive,
        kind="money",
        donor=users["rep1"],
        amount="500",
        display="hidden",  # the opted-out donor: counted in the total, not on the list
    )
    actions.do_record_donation(
        actor=chair,
        drive=drive,
        kind="goods",
        donor_name="示例超市有限公司",
        goods="大米 20 袋、食用油 20 桶",
    )
    actions.do_pledge_donation(
        actor=users["worker2"], drive=drive, kind="money", amount="100", display="masked"
    )
    return drive


@transaction.atomic
def ensure_demo_volunteering() -> tuple[VolunteerProject, DonationDrive]:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["chair", "branch1", "rep1", "worker1", "worker2"]
        )
    }
    return _demo_project(users), _demo_drive(users)


def seed_demo() -> str:
    project, drive = ensure_demo_volunteering()
    return f"services: volunteer project “{project.title}”, donation drive “{drive.title}”"
