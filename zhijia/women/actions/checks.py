"""Writes of the yearly women's health check campaigns: the committee opens one per unit and
year, woman members sign up (until the sign-up closes), the committee records who completed
the check (done or not: no medical result is ever stored)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.permissions import require
from zhijia.women.models import CheckCampaign, CheckSignup
from zhijia.women.permissions import MANAGE
from zhijia.women.queries import checks as queries
from zhijia.women.queries.common import is_woman_member, own_member

__all__ = [
    "CheckError",
    "do_create_check_campaign",
    "do_record_check_completion",
    "do_sign_up_check",
]


class CheckError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


@transaction.atomic
def do_create_check_campaign(
    *, actor, org_unit, year, title: str, signup_until, note: str = ""
) -> CheckCampaign:
    require(actor, MANAGE, unit=org_unit)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        raise CheckError(_("年度应为去年、今年或明年"), field="year")
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise CheckError(_("请填写名称（不超过100字）"), field="title")
    if not isinstance(signup_until, dt.date):
        raise CheckError(_("请填写报名截止日期"), field="signup_until")
    if CheckCampaign.objects.filter(org_unit=org_unit, year=year).exists():
        raise CheckError(_("该单位本年度已有健康检查"), field="year", status=409)
    try:
        with transaction.atomic():
            campaign = CheckCampaign.objects.create(
                org_unit=org_unit,
                year=year,
                title=title,
                signup_until=signup_until,
                note=(note or "").strip()[:500],
            )
    except IntegrityError:
        raise CheckError(_("该单位本年度已有健康检查"), field="year", status=409) from None
    record(actor=actor, action="women.create_check", target=campaign, unit=org_unit)
    return campaign


@transaction.atomic
def do_sign_up_check(*, actor, campaign: CheckCampaign) -> CheckSignup:
    """A woman member of the campaign's units signs up, until the sign-up closes."""
    if not is_woman_member(actor):
        raise PermissionDenied
    member = own_member(actor)
    assert member is not None
    if not queries.campaigns_for_member(actor).filter(pk=campaign.pk).exists():
        raise CheckError(_("该健康检查不面向您所在的单位"), status=404)
    if timezone.localdate() > campaign.signup_until:
        raise CheckError(_("报名已截止"), status=409)
    try:
        with transaction.atomic():
            signup = CheckSignup.objects.create(campaign=campaign, member=member, user=actor)
    except IntegrityError:
        raise CheckError(_("您已报名"), status=409) from None
    record(actor=actor, action="women.sign_up_check", target=signup, unit=campaign.org_unit)
    return signup


@transaction.atomic
def do_record_check_completion(
    *, actor, campaign: CheckCampaign, signup_ids, done: bool = True
) -> int:
    """The committee marks the given sign-ups of the campaign done (or not done). Ids of
    another campaign are skipped. Returns how many changed."""
    require(actor, MANAGE, unit=campaign.org_unit)
    ids = []
    for value in signup_ids or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    rows = campaign.signups.select_for_update().filter(pk__in=ids)
    rows = (
        rows.filter(completed_at__isnull=True) if done else rows.filter(completed_at__isnull=False)
    )
    changed = rows.update(completed_at=timezone.now() if done else None)
    if changed:
        record(
            actor=actor,
            action="women.record_check_completion",
            target=campaign,
            unit=campaign.org_unit,
            data={"done": bool(done), "count": changed},
        )
    return changed
