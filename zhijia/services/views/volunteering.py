"""Pages of volunteering and donation drives: the member's (phone) and the cadre's desk.
Thin: parse, call one query or action, render. Roles without access get 403; records outside
the caller's audience or scope get 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.hooks import fund_ledger
from zhijia.core.pagination import paginate
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services.actions import volunteering as actions
from zhijia.services.forms.volunteering import (
    ConfirmDonationForm,
    DonationForm,
    DriveForm,
    HoursForm,
    PledgeForm,
    ProjectForm,
    ReasonForm,
    ShiftForm,
)
from zhijia.services.models import VolunteerShift, VolunteerSignup
from zhijia.services.queries import volunteering as queries
from zhijia.services.workflows import DONATION_DRIVE, VOLUNTEER_PROJECT


@dataclass(eq=False)
class ShiftRow(Row[VolunteerShift]):
    places_left: int = 0
    signup: VolunteerSignup | None = None
    withdrawable: bool = False
    started: bool = False


@dataclass(eq=False)
class SignupRow(Row[VolunteerSignup]):
    default_hours: object = None
    ended: bool = False


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


def _require_desk(request) -> None:
    if not queries.may_use_desk(request.user):
        raise PermissionDenied


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- the member's pages ---------------------------------------------------------------------------


@login_required
def home(request):
    _require_member(request)
    user = request.user
    year = timezone.localdate().year
    projects = paginate(request, queries.projects_for_worker(user))
    drives = paginate(request, queries.drives_for_worker(user), param="dpage")
    return render(
        request,
        "services/volunteering/home.html",
        {
            "title": _("志愿服务与捐赠"),
            "projects": projects,
            "drives": drives,
            "upcoming": list(
                queries.my_signups(user).filter(
                    status=VolunteerSignup.Status.SIGNED_UP,
                    shift__starts_at__gt=timezone.now(),
                )
            ),
            "year": year,
            "hours": queries.yearly_hours(user, year),
        },
    )


def _project_page(request, project, *, form=None, status=200):
    user = request.user
    now = timezone.now()
    rows = []
    for shift in queries.shifts_of(project):
        signup = queries.active_signup(user, shift)
        rows.append(
            ShiftRow(
                shift,
                places_left=queries.places_left(shift),
                signup=signup,
                withdrawable=signup is not None and queries.can_withdraw(signup, now),
                started=shift.starts_at <= now,
            )
        )
    return render(
        request,
        "services/volunteering/project.html",
        {
            "title": project.title,
            "project": project,
            "shifts": rows,
            "recruiting": project.in_state("recruiting"),
            "is_member": queries.is_member(user),
            "can_manage": queries.manages(user, project) or queries.is_leader(user, project),
            "form": form or NoInput(),
            "state_label": VOLUNTEER_PROJECT.state_label(project.state),
        },
        status=status,
    )


@login_required
def project_detail(request, project_id: int):
    _require_reader(request)
    project = queries.access_project(request.user, project_id)
    return _project_page(request, project)


@login_required
@require_POST
def shift_signup(request, shift_id: int):
    _require_member(request)
    shift = queries.access_shift_for_worker(request.user, shift_id)
    project = shift.project
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_sign_up_volunteer(actor=request.user, shift=shift),
        on_error=lambda form, status: _project_page(request, project, form=form, status=status),
        success_url=reverse("services:volunteering-project", args=[project.pk]),
        message=_("报名成功"),
    )


@login_required
@require_POST
def signup_withdraw(request, signup_id: int):
    signup = queries.access_own_signup(request.user, signup_id)
    project = signup.shift.project
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_withdraw_volunteer(actor=request.user, signup=signup),
        on_error=lambda form, status: _project_page(request, project, form=form, status=status),
        success_url=reverse("services:volunteering-project", args=[project.pk]),
        message=_("已退出该班次"),
    )


@login_required
def mine(request):
    _require_member(request)
    year = _year(request)
    return render(
        request,
        "services/volunteering/mine.html",
        {
            "title": _("我的志愿服务"),
            "year": year,
            "hours": queries.yearly_hours(request.user, year),
            "pending": queries.pending_hours(request.user, year),
            "signups": paginate(request, queries.my_signups(request.user)),
        },
    )


def _drive_page(request, drive, *, form=None, status=200):
    user = request.user
    return render(
        request,
        "services/volunteering/drive.html",
        {
            "title": drive.title,
            "drive": drive,
            "raised": queries.raised(drive),
            "thanks": queries.thank_you_list(drive),
            "open": queries.is_open_for_donations(drive),
            "is_member": queries.is_member(user),
            "mine": list(queries.my_donations(user, drive)),
            "form": form or PledgeForm(),
            "state_label": DONATION_DRIVE.state_label(drive.state),
        },
        status=status,
    )


@login_required
def drive_detail(request, drive_id: int):
    _require_reader(request)
    drive = queries.access_drive(request.user, drive_id)
    return _drive_page(request, drive)


@login_required
@require_POST
def drive_pledge(request, drive_id: int):
    _require_member(request)
    drive = queries.access_drive(request.user, drive_id)
    form = PledgeForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_pledge_donation(
            actor=request.user,
            drive=drive,
            kind=d["kind"],
            amount=d.get("amount"),
            goods=d.get("goods", ""),
            display=d["display"],
        ),
        on_error=lambda form, status: _drive_page(request, drive, form=form, status=status),
        success_url=reverse("services:volunteering-drive", args=[drive.pk]),
        message=_("认捐已登记，工会收到后会通知您"),
    )


# --- the desk: projects ---------------------------------------------------------------------------


@login_required
def desk(request):
    _require_desk(request)
    return render(
        request,
        "services/volunteering/desk.html",
        {
            "title": _("志愿服务管理"),
            "projects": paginate(request, queries.managed_projects(request.user)),
            "may_manage": queries.may_manage(request.user),
            "states": VOLUNTEER_PROJECT,
        },
    )


@login_required
def desk_project_new(request):
    _require_manager(request)
    units = queries.hours_units(request.user)
    form = ProjectForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        leader = None
        if d["leader_employee_no"]:
            leader = queries.member_user(request.user, d["leader_employee_no"])
            if leader is None:
                form.add_error("leader_employee_no", _("本单位范围内没有该工号的在册会员"))
        if not form.errors:
            project, status = run_action(
                form,
                lambda: actions.do_create_volunteer_project(
                    actor=request.user,
                    title=d["title"],
                    description=d["description"],
                    org_unit=d["org_unit"],
                    audience_units=list(d["audience_units"]),
                    leader=leader,
                    contact=d["contact"],
                ),
            )
            if status == 200:
                messages.success(request, _("项目已创建，请添加班次后发布招募"))
                return redirect("services:volunteering-desk-project", project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/volunteering/form.html",
        {"title": _("新建志愿服务项目"), "form": form},
        status=status,
    )


def _desk_project_page(request, project, *, shift_form=None, step_form=None, status=200):
    now = timezone.now()
    shifts = [
        ShiftRow(shift, places_left=queries.places_left(shift), started=shift.starts_at <= now)
        for shift in queries.shifts_of(project)
    ]
    return render(
        request,
        "services/volunteering/desk_project.html",
        {
            "title": project.title,
            "project": project,
            "shifts": shifts,
            "shift_form": shift_form or ShiftForm(),
            "step_form": step_form or ReasonForm(),
            "steps": available_transitions(VOLUNTEER_PROJECT, project, request.user),
            "state_label": VOLUNTEER_PROJECT.state_label(project.state),
            "history": history_view(project, request.user),
            "open": project.in_state("draft", "recruiting"),
        },
        status=status,
    )


@login_required
def desk_project(request, project_id: int):
    _require_desk(request)
    project = queries.access_managed_project(request.user, project_id)
    return _desk_project_page(request, project)


@login_required
@require_POST
def desk_shift_new(request, project_id: int):
    _require_desk(request)
    project = queries.access_managed_project(request.user, project_id)
    form = ShiftForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_add_volunteer_shift(
            actor=request.user,
            project=project,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            places=d["places"],
            note=d["note"],
        ),
        on_error=lambda form, status: _desk_project_page(
            request, project, shift_form=form, status=status
        ),
        success_url=reverse("services:volunteering-desk-project", args=[project.pk]),
        message=_("班次已添加"),
    )


_STEPS = {
    "publish": lambda user, project, d: actions.do_publish_volunteer_project(
        actor=user, project=project
    ),
    "finish": lambda user, project, d: actions.do_finish_volunteer_project(
        actor=user, project=project
    ),
    "cancel": lambda user, project, d: actions.do_cancel_volunteer_project(
        actor=user, project=project, reason=d.get("reason", "")
    ),
}


@login_required
@require_POST
def desk_project_step(request, project_id: int, step: str):
    _require_desk(request)
    if step not in _STEPS:
        raise Http404
    project = queries.access_managed_project(request.user, project_id)
    form = ReasonForm(request.POST) if step == "cancel" else None
    return step_view(
        request,
        form=form,
        call=lambda d: _STEPS[step](request.user, project, d),
        on_error=lambda form, status: _desk_project_page(
            request, project, step_form=form, status=status
        ),
        success_url=reverse("services:volunteering-desk-project", args=[project.pk]),
        message=_("已办理：%(action)s") % {"action": VOLUNTEER_PROJECT.transition_label(step)},
    )


def _desk_shift_page(request, shift, *, form=None, failed=None, status=200):
    now = timezone.now()
    rows = [
        SignupRow(s, default_hours=queries.default_hours(shift), ended=shift.ends_at <= now)
        for s in queries.signups_of(shift)
    ]
    return render(
        request,
        "services/volunteering/desk_shift.html",
        {
            "title": _("班次与服务时长"),
            "shift": shift,
            "project": shift.project,
            "signups": rows,
            "ended": shift.ends_at <= now,
            "unconfirmed": any(r.hours_status != VolunteerSignup.Hours.CONFIRMED for r in rows),
            "default_hours": queries.default_hours(shift),
            "form": form or HoursForm(),
            "failed": failed,
        },
        status=status,
    )


@login_required
def desk_shift(request, shift_id: int):
    _require_desk(request)
    shift = queries.access_managed_shift(request.user, shift_id)
    return _desk_shift_page(request, shift)


@login_required
@require_POST
def desk_hours_record(request, signup_id: int):
    _require_desk(request)
    signup = queries.access_managed_signup(request.user, signup_id)
    form = HoursForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_record_volunteer_hours(
            actor=request.user, signup=signup, hours=d.get("hours"), reason=d.get("reason", "")
        ),
        on_error=lambda form, status: _desk_shift_page(
            request, signup.shift, form=form, failed=signup.pk, status=status
        ),
        success_url=reverse("services:volunteering-desk-shift", args=[signup.shift_id]),
        message=_("时长已登记，待确认"),
    )


@login_required
@require_POST
def desk_hours_confirm(request, signup_id: int):
    _require_desk(request)
    signup = queries.access_managed_signup(request.user, signup_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_confirm_volunteer_hours(actor=request.user, signup=signup),
        on_error=lambda form, status: _desk_shift_page(
            request, signup.shift, form=form, failed=signup.pk, status=status
        ),
        success_url=reverse("services:volunteering-desk-shift", args=[signup.shift_id]),
        message=_("时长已确认"),
    )


@login_required
@require_POST
def desk_shift_confirm(request, shift_id: int):
    _require_desk(request)
    shift = queries.access_managed_shift(request.user, shift_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_confirm_shift_hours(actor=request.user, shift=shift),
        on_error=lambda form, status: _desk_shift_page(request, shift, form=form, status=status),
        success_url=reverse("services:volunteering-desk-shift", args=[shift.pk]),
        message=_("本班次的时长已全部确认"),
    )


def _hours_filter(request):
    units = queries.hours_units(request.user)
    chosen = None
    raw = request.GET.get("unit", "")
    if raw:
        chosen = next((u for u in units if str(u.pk) == raw), None)
    return units, chosen


@login_required
def desk_hours(request):
    _require_manager(request)
    year = _year(request)
    units, unit = _hours_filter(request)
    return render(
        request,
        "services/volunteering/desk_hours.html",
        {
            "title": _("志愿服务时长统计"),
            "year": year,
            "units": units,
            "unit": unit,
            "rows": paginate(request, queries.yearly_hours_list(request.user, year, unit)),
        },
    )


@login_required
def desk_hours_export(request):
    _require_manager(request)
    year = _year(request)
    _units, unit = _hours_filter(request)
    rows = (
        (
            r["worker__member_record__employee_no"],
            r["worker__member_record__name"],
            r["worker__member_record__org_unit__name"],
            r["shifts"],
            r["total"],
        )
        for r in queries.yearly_hours_list(request.user, year, unit).iterator()
    )
    sheet = excel.Sheet(
        _("志愿服务时长"),
        [
            excel.Column(_("工号"), text=True),
            _("姓名"),
            _("所属工会"),
            _("班次数"),
            excel.Column(_("已确认时长（小时）"), number_format="0.0"),
        ],
        rows,
        heading=[[_("%(year)d 年志愿服务时长") % {"year": year}]],
    )
    return excel.xlsx_response(f"volunteer-hours-{year}.xlsx", sheet, stream=True)


# --- the desk: drives -----------------------------------------------------------------------------


@login_required
def desk_drives(request):
    _require_manager(request)
    return render(
        request,
        "services/volunteering/desk_drives.html",
        {
            "title": _("捐款捐物管理"),
            "drives": paginate(request, queries.managed_drives(request.user)),
            "states": DONATION_DRIVE,
        },
    )


@login_required
def desk_drive_new(request):
    _require_manager(request)
    units = queries.drive_units(request.user)
    funds = fund_ledger().funds_for(request.user)
    form = DriveForm(request.POST or None, units=units, funds=funds)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        drive, status = run_action(
            form,
            lambda: actions.do_create_donation_drive(
                actor=request.user,
                title=d["title"],
                purpose=d["purpose"],
                org_unit=d["org_unit"],
                audience_units=list(d["audience_units"]),
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                accepts_money=d["accepts_money"],
                accepts_goods=d["accepts_goods"],
                show_amounts=d["show_amounts"],
                fund_id=d["fund_id"],
            ),
        )
        if status == 200:
            messages.success(request, _("捐款捐物活动已发布"))
            return redirect("services:volunteering-desk-drive", drive.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/volunteering/form.html",
        {
            "title": _("发起捐款捐物活动"),
            "form": form,
            "confirm": _("发布后，面向单位的会员即可看到并认捐。"),
        },
        status=status,
    )


def _desk_drive_page(request, drive, *, form=None, status=200):
    return render(
        request,
        "services/volunteering/desk_drive.html",
        {
            "title": drive.title,
            "drive": drive,
            "raised": queries.raised(drive),
            "donations": paginate(request, queries.donations_of(drive)),
            "form": form or DonationForm(),
            "confirm_form": ConfirmDonationForm(),
            "steps": available_transitions(DONATION_DRIVE, drive, request.user),
            "state_label": DONATION_DRIVE.state_label(drive.state),
            "open": drive.in_state("open"),
        },
        status=status,
    )


@login_required
def desk_drive(request, drive_id: int):
    _require_manager(request)
    drive = queries.access_managed_drive(request.user, drive_id)
    return _desk_drive_page(request, drive)


@login_required
@require_POST
def desk_drive_close(request, drive_id: int):
    _require_manager(request)
    drive = queries.access_managed_drive(request.user, drive_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_close_donation_drive(actor=request.user, drive=drive),
        on_error=lambda form, status: _desk_drive_page(request, drive, form=form, status=status),
        success_url=reverse("services:volunteering-desk-drive", args=[drive.pk]),
        message=_("活动已结束"),
    )


def _record(request, drive, d):
    donor = None
    if d.get("donor_employee_no"):
        donor = queries.member_user(request.user, d["donor_employee_no"])
        if donor is None:
            raise actions.VolunteeringError(
                _("本单位范围内没有该工号的在册会员"), field="donor_employee_no"
            )
    return actions.do_record_donation(
        actor=request.user,
        drive=drive,
        kind=d["kind"],
        donor=donor,
        donor_name=d.get("donor_name", ""),
        amount=d.get("amount"),
        goods=d.get("goods", ""),
        donated_on=d.get("donated_on"),
        display=d["display"],
    )


@login_required
@require_POST
def desk_donation_new(request, drive_id: int):
    _require_manager(request)
    drive = queries.access_managed_drive(request.user, drive_id)
    return step_view(
        request,
        form=DonationForm(request.POST),
        call=lambda d: _record(request, drive, d),
        on_error=lambda form, status: _desk_drive_page(request, drive, form=form, status=status),
        success_url=reverse("services:volunteering-desk-drive", args=[drive.pk]),
        message=_("捐赠已登记"),
    )


@login_required
@require_POST
def desk_donation_confirm(request, donation_id: int):
    _require_manager(request)
    donation = queries.access_managed_donation(request.user, donation_id)
    return step_view(
        request,
        form=ConfirmDonationForm(request.POST),
        call=lambda d: actions.do_confirm_donation(
            actor=request.user, donation=donation, received_on=d.get("received_on")
        ),
        on_error=lambda form, status: _desk_drive_page(
            request, donation.drive, form=form, status=status
        ),
        success_url=reverse("services:volunteering-desk-drive", args=[donation.drive_id]),
        message=_("已确认收到"),
    )


@login_required
@require_POST
def desk_donation_cancel(request, donation_id: int):
    _require_manager(request)
    donation = queries.access_managed_donation(request.user, donation_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_cancel_donation(actor=request.user, donation=donation),
        on_error=lambda form, status: _desk_drive_page(
            request, donation.drive, form=form, status=status
        ),
        success_url=reverse("services:volunteering-desk-drive", args=[donation.drive_id]),
        message=_("认捐已取消"),
    )


@login_required
def desk_drive_export(request, drive_id: int):
    _require_manager(request)
    drive = queries.access_managed_drive(request.user, drive_id)
    rows = (
        (
            d.donated_on,
            d.donor_name,
            d.get_kind_display(),
            d.amount,
            d.goods,
            d.get_status_display(),
            d.get_display_display(),
            d.ledger_entry_ref or "",
        )
        for d in queries.donations_of(drive).iterator()
    )
    sheet = excel.Sheet(
        _("捐赠记录"),
        [
            excel.Column(_("捐赠日期"), date=True),
            _("捐赠人"),
            _("类型"),
            excel.Column(_("金额（元）"), money=True),
            _("物品"),
            _("状态"),
            _("鸣谢名单"),
            _("台账分录号"),
        ],
        rows,
        heading=[[drive.title], [_("已收到捐款 ¥%(total)s") % {"total": queries.raised(drive)}]],
    )
    return excel.xlsx_response(f"donations-{drive.pk}.xlsx", sheet, stream=True)
