"""Writes of volunteering and donation drives, each in one transaction with its audit event;
notifications through the outbox (zhijia.core.notify), sent by the worker after the commit.

Sign-ups never exceed a shift's places: `do_sign_up_volunteer` locks the shift's row
(select_for_update; SQLite's IMMEDIATE write transactions serialise writers) before counting
the sign-ups, as counseling's booking locks its slot, so two members pressing "报名" at once
for the last place are served one after the other and the second is refused.

Money donations are booked in the assistance fund ledger, never here: receiving one calls
zhijia.core.hooks.fund_ledger().record_donation(...) (the assistance module's own action,
with its ledger permission, fund row lock and audit event) inside this transaction and keeps
the entry's id on the donation; the donation's row is locked first, so a receipt is booked
once even when confirmed twice at the same moment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.hooks import fund_ledger
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.workflow import do_transition, start
from zhijia.services import volunteering_rules as rules
from zhijia.services.actions.common import text_field, when_label
from zhijia.services.models import (
    Donation,
    DonationDrive,
    VolunteerProject,
    VolunteerShift,
    VolunteerSignup,
)
from zhijia.services.permissions import MANAGE_VOLUNTEERING
from zhijia.services.queries import volunteering as queries
from zhijia.services.workflows import DONATION_DRIVE, VOLUNTEER_PROJECT

MAX_SHIFT_PLACES = 500
MAX_SHIFT_HOURS = 24
MAX_AMOUNT = Decimal("10000000")

__all__ = [
    "VolunteeringError",
    "do_add_volunteer_shift",
    "do_cancel_donation",
    "do_cancel_volunteer_project",
    "do_close_donation_drive",
    "do_confirm_donation",
    "do_confirm_shift_hours",
    "do_confirm_volunteer_hours",
    "do_create_donation_drive",
    "do_create_volunteer_project",
    "do_finish_volunteer_project",
    "do_pledge_donation",
    "do_publish_volunteer_project",
    "do_record_donation",
    "do_record_volunteer_hours",
    "do_sign_up_volunteer",
    "do_withdraw_volunteer",
]


class VolunteeringError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=VolunteeringError)


def _audience(org_unit, audience_units) -> list:
    units = list(audience_units or []) or [org_unit]
    for unit in units:
        if not unit.path.startswith(org_unit.path):
            raise VolunteeringError(_("面向单位须为本单位或其下级单位"), field="audience_units")
    return units


_when = when_label


def _require_project_manager(actor, project: VolunteerProject) -> None:
    """The project's cadre (services.manage_volunteering over its unit) or its leader."""
    if not (queries.manages(actor, project) or queries.is_leader(actor, project)):
        raise PermissionDenied(MANAGE_VOLUNTEERING)


def _project_url(project: VolunteerProject) -> str:
    return reverse("services:volunteering-project", args=[project.pk])


# --- projects -------------------------------------------------------------------------------------


@transaction.atomic
def do_create_volunteer_project(
    *,
    actor,
    title: str,
    org_unit,
    description: str = "",
    audience_units=None,
    leader=None,
    contact: str = "",
) -> VolunteerProject:
    """A cadre drafts a project of their unit (its audience defaults to the unit)."""
    require(actor, MANAGE_VOLUNTEERING, unit=org_unit)
    title = _text(title, "title", _("项目名称"), 100)
    description = _text(description, "description", _("项目说明"), 5000, required=False)
    contact = _text(contact, "contact", _("联系方式"), 100, required=False)
    units = _audience(org_unit, audience_units)
    project = VolunteerProject.objects.create(
        title=title,
        description=description,
        org_unit=org_unit,
        leader=leader,
        contact=contact,
        created_by=actor,
    )
    project.audience_units.set(units)
    start(VOLUNTEER_PROJECT, project, actor=actor)
    record(
        actor=actor,
        action="services.create_volunteer_project",
        target=project,
        unit=org_unit,
        data={"audience": [u.pk for u in units], "leader": getattr(leader, "pk", None)},
    )
    return project


@transaction.atomic
def do_add_volunteer_shift(
    *,
    actor,
    project: VolunteerProject,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    places: int | None,
    note: str = "",
) -> VolunteerShift:
    """The project's cadre or leader adds a shift (a draft or recruiting project)."""
    _require_project_manager(actor, project)
    project = VolunteerProject.objects.select_for_update().get(pk=project.pk)
    if not project.in_state("draft", "recruiting"):
        raise VolunteeringError(_("项目已结束或已取消，不能再添加班次"), status=409)
    if starts_at is None:
        raise VolunteeringError(_("请填写开始时间"), field="starts_at")
    if ends_at is None:
        raise VolunteeringError(_("请填写结束时间"), field="ends_at")
    if starts_at <= timezone.now():
        raise VolunteeringError(_("开始时间必须在现在之后"), field="starts_at")
    if ends_at <= starts_at:
        raise VolunteeringError(_("结束时间必须晚于开始时间"), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise VolunteeringError(
            _("一个班次不能超过 %(n)d 小时") % {"n": MAX_SHIFT_HOURS}, field="ends_at"
        )
    if places is None or not 1 <= places <= MAX_SHIFT_PLACES:
        raise VolunteeringError(
            _("需要人数应在 1 到 %(n)d 人之间") % {"n": MAX_SHIFT_PLACES}, field="places"
        )
    place = _text(place, "place", _("地点"), 200)
    note = _text(note, "note", _("说明"), 300, required=False)
    shift = VolunteerShift.objects.create(
        project=project, starts_at=starts_at, ends_at=ends_at, place=place, places=places, note=note
    )
    record(
        actor=actor,
        action="services.add_volunteer_shift",
        target=shift,
        unit=project.org_unit,
        data={"project": project.pk, "starts_at": starts_at.isoformat(), "places": places},
    )
    return shift


@transaction.atomic
def do_publish_volunteer_project(*, actor, project: VolunteerProject) -> VolunteerProject:
    """Open the project for sign-up (it needs a shift)."""
    do_transition(VOLUNTEER_PROJECT, project, "publish", actor=actor)
    return project


@transaction.atomic
def do_finish_volunteer_project(*, actor, project: VolunteerProject) -> VolunteerProject:
    """Close sign-up for good; hours may still be recorded and confirmed."""
    do_transition(VOLUNTEER_PROJECT, project, "finish", actor=actor)
    return project


@transaction.atomic
def do_cancel_volunteer_project(
    *, actor, project: VolunteerProject, reason: str = ""
) -> VolunteerProject:
    """Cancel a project; the members signed up for a coming shift are told."""
    do_transition(VOLUNTEER_PROJECT, project, "cancel", actor=actor, note=(reason or "").strip())
    workers = [
        s.worker
        for s in VolunteerSignup.objects.filter(
            shift__project=project,
            status=VolunteerSignup.Status.SIGNED_UP,
            shift__starts_at__gt=timezone.now(),
        ).select_related("worker")
    ]
    if workers:
        notify(
            recipients=workers,
            kind="services.volunteer_project_cancelled",
            title=_("您报名的志愿服务项目已取消"),
            body=_("“%(title)s”已取消：%(reason)s")
            % {"title": project.title, "reason": reason.strip()},
            url=reverse("services:volunteering-home"),
            unit=project.org_unit,
        )
    return project


# --- sign-up --------------------------------------------------------------------------------------


@transaction.atomic
def do_sign_up_volunteer(*, actor, shift: VolunteerShift) -> VolunteerSignup:
    """A member of the project's audience signs up for a coming shift with a place left."""
    if not queries.is_member(actor):
        raise PermissionDenied
    # The lock serialises sign-ups of this shift: the count below cannot be overtaken.
    shift = VolunteerShift.objects.select_for_update().select_related("project").get(pk=shift.pk)
    project = queries.access_project(actor, shift.project_id)
    if not queries.in_audience(actor, project):
        raise VolunteeringError(_("本项目不面向您所在的单位"), status=403)
    if not project.in_state("recruiting"):
        raise VolunteeringError(_("该项目不在招募中"), status=409)
    if shift.starts_at <= timezone.now():
        raise VolunteeringError(_("该班次已开始，不能再报名"), status=409)
    if queries.active_signup(actor, shift) is not None:
        raise VolunteeringError(_("您已报名该班次"), status=409)
    taken = shift.signups.filter(status=VolunteerSignup.Status.SIGNED_UP).count()
    if taken >= shift.places:
        raise VolunteeringError(_("该班次已报满，请选择其他班次"), status=409)
    clash = (
        VolunteerSignup.objects.filter(
            worker=actor,
            status=VolunteerSignup.Status.SIGNED_UP,
            shift__starts_at__lt=shift.ends_at,
            shift__ends_at__gt=shift.starts_at,
        )
        .select_related("shift")
        .first()
    )
    if clash is not None:
        raise VolunteeringError(
            _("与您已报名的 %(when)s 的班次时间冲突") % {"when": _when(clash.shift.starts_at)},
            status=409,
        )
    try:
        with transaction.atomic():
            signup = VolunteerSignup.objects.create(
                shift=shift,
                worker=actor,
                status=VolunteerSignup.Status.SIGNED_UP,
                signed_up_at=timezone.now(),
            )
    except IntegrityError:
        raise VolunteeringError(_("您已报名该班次"), status=409) from None
    record(
        actor=actor,
        action="services.sign_up_volunteer",
        target=signup,
        unit=project.org_unit,
        data={"shift": shift.pk},
    )
    return signup


@transaction.atomic
def do_withdraw_volunteer(*, actor, signup: VolunteerSignup) -> VolunteerSignup:
    """The member withdraws before the shift starts; the place is free again."""
    if signup.worker_id != actor.pk:
        raise PermissionDenied
    VolunteerShift.objects.select_for_update().filter(pk=signup.shift_id).first()
    signup = VolunteerSignup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if signup.status != VolunteerSignup.Status.SIGNED_UP:
        raise VolunteeringError(_("您已退出该班次"), status=409)
    if signup.shift.starts_at <= timezone.now():
        raise VolunteeringError(_("班次已开始，不能再退出"), status=409)
    signup.status = VolunteerSignup.Status.WITHDRAWN
    signup.withdrawn_at = timezone.now()
    signup.save(update_fields=["status", "withdrawn_at"])
    record(
        actor=actor,
        action="services.withdraw_volunteer",
        target=signup,
        data={"shift": signup.shift_id},
    )
    return signup


# --- hours ----------------------------------------------------------------------------------------


def _hours_message(code: str) -> str:
    return {
        "invalid": _("请填写服务时长（小时）"),
        "range": _("服务时长应在 0 到 24 小时之间"),
        "half": _("服务时长以半小时计（如 1.5）"),
        "reason": _("时长与班次时长不同，请填写调整原因"),
    }[code]


def _lock_signup(signup: VolunteerSignup) -> VolunteerSignup:
    return (
        VolunteerSignup.objects.select_for_update()
        .select_related("shift", "shift__project", "shift__project__org_unit", "worker")
        .get(pk=signup.pk)
    )


@transaction.atomic
def do_record_volunteer_hours(
    *, actor, signup: VolunteerSignup, hours=None, reason: str = ""
) -> VolunteerSignup:
    """The project's cadre or leader records the hours served after the shift (default the
    shift's length; another figure with a reason). They stay pending until confirmed."""
    signup = _lock_signup(signup)
    shift = signup.shift
    _require_project_manager(actor, shift.project)
    if signup.status != VolunteerSignup.Status.SIGNED_UP:
        raise VolunteeringError(_("该志愿者已退出班次"), status=409)
    if shift.ends_at > timezone.now():
        raise VolunteeringError(_("班次结束后才能登记时长"), status=409)
    if signup.hours_status == VolunteerSignup.Hours.CONFIRMED:
        raise VolunteeringError(_("时长已确认，不能再修改"), status=409)
    default = queries.default_hours(shift)
    try:
        value = rules.check_hours(hours, default=default, reason=reason)
    except rules.HoursError as exc:
        raise VolunteeringError(_hours_message(exc.code), field=exc.field) from None
    reason = _text(reason, "reason", _("调整原因"), 200, required=False)
    signup.hours = value
    signup.hours_reason = reason if value != default else ""
    signup.hours_status = VolunteerSignup.Hours.PENDING
    signup.hours_recorded_by = actor
    signup.hours_recorded_at = timezone.now()
    signup.save(
        update_fields=[
            "hours",
            "hours_reason",
            "hours_status",
            "hours_recorded_by",
            "hours_recorded_at",
        ]
    )
    record(
        actor=actor,
        action="services.record_volunteer_hours",
        target=signup,
        unit=shift.project.org_unit,
        data={"hours": str(value), "default": str(default), "changed": value != default},
    )
    return signup


@transaction.atomic
def do_confirm_volunteer_hours(*, actor, signup: VolunteerSignup) -> VolunteerSignup:
    """The project's cadre or leader confirms recorded hours; the volunteer is told."""
    signup = _lock_signup(signup)
    project = signup.shift.project
    _require_project_manager(actor, project)
    if signup.status != VolunteerSignup.Status.SIGNED_UP:
        raise VolunteeringError(_("该志愿者已退出班次"), status=409)
    if signup.hours_status == VolunteerSignup.Hours.CONFIRMED:
        raise VolunteeringError(_("时长已确认"), status=409)
    if signup.hours_status != VolunteerSignup.Hours.PENDING or signup.hours is None:
        raise VolunteeringError(_("请先登记时长"), status=409)
    signup.hours_status = VolunteerSignup.Hours.CONFIRMED
    signup.hours_confirmed_by = actor
    signup.hours_confirmed_at = timezone.now()
    signup.save(update_fields=["hours_status", "hours_confirmed_by", "hours_confirmed_at"])
    record(
        actor=actor,
        action="services.confirm_volunteer_hours",
        target=signup,
        unit=project.org_unit,
        data={"hours": str(signup.hours)},
    )
    notify(
        recipients=[signup.worker],
        kind="services.volunteer_hours_confirmed",
        title=_("您的志愿服务时长已确认"),
        body=_("“%(title)s” %(when)s 的班次：%(hours)s 小时。")
        % {"title": project.title, "when": _when(signup.shift.starts_at), "hours": signup.hours},
        url=reverse("services:volunteering-mine"),
        unit=project.org_unit,
    )
    return signup


@transaction.atomic
def do_confirm_shift_hours(*, actor, shift: VolunteerShift) -> int:
    """After the shift, confirm every volunteer's hours at once: those not yet recorded get
    the shift's length, those recorded keep their figure. Answers how many were confirmed."""
    _require_project_manager(actor, shift.project)
    shift = VolunteerShift.objects.select_for_update().select_related("project").get(pk=shift.pk)
    if shift.ends_at > timezone.now():
        raise VolunteeringError(_("班次结束后才能登记时长"), status=409)
    signups = list(
        VolunteerSignup.objects.filter(shift=shift, status=VolunteerSignup.Status.SIGNED_UP)
        .exclude(hours_status=VolunteerSignup.Hours.CONFIRMED)
        .order_by("pk")
    )
    if not signups:
        raise VolunteeringError(_("本班次没有待确认的时长"), status=409)
    for signup in signups:
        if signup.hours_status != VolunteerSignup.Hours.PENDING:
            do_record_volunteer_hours(actor=actor, signup=signup)
        do_confirm_volunteer_hours(actor=actor, signup=signup)
    return len(signups)


# --- drives ---------------------------------------------------------------------------------------


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise VolunteeringError(_("请填写金额"), field="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise VolunteeringError(_("金额应大于 0"), field="amount")
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise VolunteeringError(_("金额格式不正确（最多两位小数）"), field="amount")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def do_create_donation_drive(
    *,
    actor,
    title: str,
    purpose: str,
    org_unit,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    accepts_money: bool = True,
    accepts_goods: bool = False,
    show_amounts: bool = False,
    fund_id: int | None = None,
    audience_units=None,
) -> DonationDrive:
    """A cadre opens a drive of their unit. Money goes to an assistance fund whose ledger the
    cadre may write (there is no other ledger)."""
    require(actor, MANAGE_VOLUNTEERING, unit=org_unit)
    title = _text(title, "title", _("活动名称"), 100)
    purpose = _text(purpose, "purpose", _("募捐用途"), 2000)
    if starts_on is None:
        raise VolunteeringError(_("请填写开始日期"), field="starts_on")
    if ends_on is None:
        raise VolunteeringError(_("请填写结束日期"), field="ends_on")
    if ends_on < starts_on:
        raise VolunteeringError(_("结束日期不能早于开始日期"), field="ends_on")
    if not accepts_money and not accepts_goods:
        raise VolunteeringError(_("请至少选择捐款或捐物之一"), field="accepts_money")
    fund_label = ""
    if accepts_money:
        if fund_id is None:
            raise VolunteeringError(_("接受捐款须选择入账的帮扶资金"), field="fund_id")
        choices = {f.id: f for f in fund_ledger().funds_for(actor)}
        if fund_id not in choices:
            raise VolunteeringError(_("请选择您可以登记收入的帮扶资金"), field="fund_id")
        fund_label = choices[fund_id].label
    else:
        fund_id = None
    units = _audience(org_unit, audience_units)
    drive = DonationDrive.objects.create(
        title=title,
        purpose=purpose,
        org_unit=org_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        accepts_money=accepts_money,
        accepts_goods=accepts_goods,
        show_amounts=show_amounts,
        fund_ref=fund_id,
        fund_label=fund_label,
        created_by=actor,
    )
    drive.audience_units.set(units)
    start(DONATION_DRIVE, drive, actor=actor)
    record(
        actor=actor,
        action="services.create_donation_drive",
        target=drive,
        unit=org_unit,
        data={"fund": fund_id, "audience": [u.pk for u in units]},
    )
    return drive


@transaction.atomic
def do_close_donation_drive(*, actor, drive: DonationDrive) -> DonationDrive:
    do_transition(DONATION_DRIVE, drive, "close", actor=actor)
    return drive


def _check_kind(drive: DonationDrive, kind: str, amount, goods: str):
    if kind == Donation.Kind.MONEY:
        if not drive.accepts_money:
            raise VolunteeringError(_("本活动不接受捐款"), field="kind")
        return _amount(amount), ""
    if kind == Donation.Kind.GOODS:
        if not drive.accepts_goods:
            raise VolunteeringError(_("本活动不接受捐物"), field="kind")
        return None, _text(goods, "goods", _("物品及数量"), 300)
    raise VolunteeringError(_("请选择捐款或捐物"), field="kind")


def _check_display(display: str) -> str:
    if display not in Donation.Display.values:
        raise VolunteeringError(_("请选择鸣谢名单中的显示方式"), field="display")
    return display


def _book(actor, donation: Donation, drive: DonationDrive) -> None:
    """Money received: booked in the assistance fund ledger, its entry kept here."""
    if drive.fund_ref is None or donation.amount is None:  # the database refuses both
        raise VolunteeringError(_("本活动未设置入账资金"), status=409)
    donation.ledger_entry_ref = fund_ledger().record_donation(
        actor=actor,
        fund_id=drive.fund_ref,
        amount=donation.amount,
        donor_label=donation.donor_name,
        drive_ref=f"{drive.title}（#{drive.pk}）",
        occurred_on=donation.donated_on,
    )


@transaction.atomic
def do_record_donation(
    *,
    actor,
    drive: DonationDrive,
    kind: str,
    donor_name: str = "",
    donor=None,
    amount=None,
    goods: str = "",
    donated_on: dt.date | None = None,
    display: str = Donation.Display.FULL,
) -> Donation:
    """A cadre records a donation received (a member's or an outside donor's). Money is booked
    in the drive's assistance fund at once (the ledger's own permission applies)."""
    require(actor, MANAGE_VOLUNTEERING, unit=drive.org_unit)
    drive = DonationDrive.objects.select_for_update().get(pk=drive.pk)
    if not drive.in_state("open"):
        raise VolunteeringError(_("活动已结束，不能再登记"), status=409)
    value, goods = _check_kind(drive, kind, amount, goods)
    today = timezone.localdate()
    donated_on = donated_on or today
    if donated_on > today:
        raise VolunteeringError(_("捐赠日期不能晚于今天"), field="donated_on")
    if donor is not None:
        member = getattr(donor, "member_record", None)
        donor_name = member.name if member is not None else donor.get_full_name()
    donor_name = _text(donor_name, "donor_name", _("捐赠人"), 100)
    donation = Donation(
        drive=drive,
        kind=kind,
        donor=donor,
        donor_name=donor_name,
        amount=value,
        goods=goods,
        donated_on=donated_on,
        display=_check_display(display),
        status=Donation.Status.RECEIVED,
        recorded_by=actor,
        received_by=actor,
        received_at=timezone.now(),
    )
    if kind == Donation.Kind.MONEY:
        _book(actor, donation, drive)
    donation.save()
    record(
        actor=actor,
        action="services.record_donation",
        target=donation,
        unit=drive.org_unit,
        data={
            "drive": drive.pk,
            "kind": kind,
            "amount": str(value) if value is not None else None,
            "ledger_entry": donation.ledger_entry_ref,
        },
    )
    return donation


@transaction.atomic
def do_pledge_donation(
    *,
    actor,
    drive: DonationDrive,
    kind: str,
    amount=None,
    goods: str = "",
    display: str = Donation.Display.FULL,
) -> Donation:
    """A member of the drive's audience pledges online; a cadre confirms receipt later."""
    if not queries.is_member(actor):
        raise PermissionDenied
    drive = queries.access_drive(actor, drive.pk)
    if not queries.is_open_for_donations(drive):
        raise VolunteeringError(_("活动不在进行中，不能认捐"), status=409)
    value, goods = _check_kind(drive, kind, amount, goods)
    donation = Donation.objects.create(
        drive=drive,
        kind=kind,
        donor=actor,
        donor_name=actor.member_record.name,
        amount=value,
        goods=goods,
        donated_on=timezone.localdate(),
        display=_check_display(display),
        status=Donation.Status.PLEDGED,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="services.pledge_donation",
        target=donation,
        unit=drive.org_unit,
        data={"drive": drive.pk, "kind": kind},
    )
    return donation


def _lock_donation(donation: Donation) -> Donation:
    return (
        Donation.objects.select_for_update(of=("self",))
        .select_related("drive", "drive__org_unit", "donor")
        .get(pk=donation.pk)
    )


@transaction.atomic
def do_confirm_donation(
    *, actor, donation: Donation, received_on: dt.date | None = None
) -> Donation:
    """A cadre confirms a pledge was received: money is booked in the fund's ledger, once."""
    require(actor, MANAGE_VOLUNTEERING, unit=donation.drive.org_unit)
    donation = _lock_donation(donation)
    if donation.status != Donation.Status.PLEDGED:
        raise VolunteeringError(
            _("该捐赠已%(status)s") % {"status": donation.get_status_display()}, status=409
        )
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise VolunteeringError(_("收到日期不能晚于今天"), field="received_on")
    donation.donated_on = received_on
    if donation.kind == Donation.Kind.MONEY:
        _book(actor, donation, donation.drive)
    donation.status = Donation.Status.RECEIVED
    donation.received_by = actor
    donation.received_at = timezone.now()
    donation.save(
        update_fields=["donated_on", "ledger_entry_ref", "status", "received_by", "received_at"]
    )
    record(
        actor=actor,
        action="services.confirm_donation",
        target=donation,
        unit=donation.drive.org_unit,
        data={"drive": donation.drive_id, "ledger_entry": donation.ledger_entry_ref},
    )
    if donation.donor_id:
        notify(
            recipients=[donation.donor],
            kind="services.donation_received",
            title=_("感谢您的爱心捐赠"),
            body=_("“%(title)s”已收到您的捐赠。") % {"title": donation.drive.title},
            url=reverse("services:volunteering-drive", args=[donation.drive_id]),
            unit=donation.drive.org_unit,
        )
    return donation


@transaction.atomic
def do_cancel_donation(*, actor, donation: Donation) -> Donation:
    """A pledge that will not arrive: withdrawn by its donor or cancelled by the drive's
    cadre. A received donation is never cancelled here (the ledger corrects by reversal)."""
    if donation.donor_id != actor.pk:
        require(actor, MANAGE_VOLUNTEERING, unit=donation.drive.org_unit)
    donation = _lock_donation(donation)
    if donation.status != Donation.Status.PLEDGED:
        raise VolunteeringError(
            _("该捐赠已%(status)s") % {"status": donation.get_status_display()}, status=409
        )
    donation.status = Donation.Status.CANCELLED
    donation.save(update_fields=["status"])
    record(
        actor=actor,
        action="services.cancel_donation",
        target=donation,
        unit=donation.drive.org_unit,
        data={"drive": donation.drive_id},
    )
    return donation
