"""Pages of activities: the worker's (phone: open activities, detail, my registrations with
the QR code) and the cadres' (list, create/edit/publish/cancel, registrations and waiting
list, draw, check-in, attendance, exports). Thin: parse, call one query or action, render.
Roles without access get 403; an activity outside the cadre's scope or the member's audience
gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import dateranges, excel
from zhijia.core.forms import SatisfactionForm, run_action
from zhijia.core.pagination import paginate
from zhijia.core.pdf import qr_svg
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.core.workflow import history_view
from zhijia.services.actions import activities as actions
from zhijia.services.forms.activities import (
    ActivityForm,
    CancelActivityForm,
    CheckinTokenForm,
    PhotosForm,
)
from zhijia.services.models import Activity, ActivityRegistration
from zhijia.services.queries import activities as queries
from zhijia.services.workflows import ACTIVITY, RUNNING

S = ACTIVITY.states
R = ActivityRegistration.Status


@dataclass(eq=False)
class ActivityRow(Row[Activity]):
    places_left: int = 0
    open_now: bool = False


def _require_member(request) -> None:
    if queries.member_of(request.user) is None:
        raise PermissionDenied


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _rows(items, now=None) -> list[ActivityRow]:
    now = now or timezone.now()
    return [
        ActivityRow(
            a,
            places_left=queries.places_left(a),
            open_now=queries.registration_open(a, now),
        )
        for a in items
    ]


# --- the worker's pages ---------------------------------------------------------------------------


@login_required
def home(request):
    _require_member(request)
    upcoming = paginate(request, queries.activities_for_member(request.user))
    upcoming.items = _rows(upcoming.items)
    past = paginate(
        request, queries.activities_for_member(request.user, upcoming=False), 10, param="past"
    )
    offers = list(queries.open_offers(request.user))
    return render(
        request,
        "services/activities/home.html",
        {"title": _("活动报名"), "upcoming": upcoming, "past": past, "offers": offers},
    )


def _detail_page(request, activity, *, rate_form=None, status=200):
    user = request.user
    reg = queries.registration_of(user, activity)
    now = timezone.now()
    member = queries.member_of(user)
    return render(
        request,
        "services/activities/detail.html",
        {
            "title": activity.title,
            "activity": activity,
            "audience": queries.audience_label(activity),
            "places_left": queries.places_left(activity),
            "open_now": queries.registration_open(activity, now),
            "reg": reg,
            "active": reg is not None and reg.status in ActivityRegistration.ACTIVE,
            "position": queries.waiting_position(reg) if reg else None,
            "can_register": member is not None
            and queries.registration_open(activity, now)
            and (reg is None or reg.status not in ActivityRegistration.ACTIVE)
            and queries.in_audience(activity, member),
            "can_cancel": reg is not None
            and reg.status in ActivityRegistration.ACTIVE
            and activity.starts_at > now,
            "can_rate": reg is not None
            and activity.in_state(S.finished)
            and reg.checked_in_at is not None
            and not reg.rating,
            "rate_form": rate_form or SatisfactionForm(),
            "manager": queries.may_manage_activity(user, activity),
            "photos": list(queries.photos_of(activity)),
        },
        status=status,
    )


@login_required
def detail(request, activity_id: int):
    return _detail_page(request, queries.access_activity(request.user, activity_id))


def _refused_on_detail(request, activity):
    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _detail_page(request, activity, status=status)

    return refused


def _registered(request, reg) -> str:
    if reg.status == R.WAITING:
        messages.success(request, _("名额已满，您已进入候补名单；有名额空出时会通知您确认"))
    elif reg.status == R.APPLIED:
        messages.success(request, _("报名申请已提交，截止后抽签确定名额"))
    else:
        messages.success(request, _("报名成功，请在活动当天出示签到二维码"))
    return reverse("services:activities-detail", args=[reg.activity_id])


@login_required
@require_POST
def register(request, activity_id: int):
    _require_member(request)
    activity = queries.access_activity(request.user, activity_id)
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_register_activity(actor=request.user, activity=activity),
        on_error=_refused_on_detail(request, activity),
        success_url=lambda reg: _registered(request, reg),
    )


def _own_step(request, registration_id: int, call, message: str):
    reg = queries.access_my_registration(request.user, registration_id)
    activity = queries.access_activity(request.user, reg.activity_id)
    return step_view(
        request,
        form=None,
        call=lambda data: call(reg),
        on_error=_refused_on_detail(request, activity),
        success_url=reverse("services:activities-detail", args=[activity.pk]),
        message=message,
    )


@login_required
@require_POST
def registration_cancel(request, registration_id: int):
    return _own_step(
        request,
        registration_id,
        lambda reg: actions.do_cancel_activity_registration(actor=request.user, registration=reg),
        _("已取消报名"),
    )


@login_required
@require_POST
def offer_confirm(request, registration_id: int):
    return _own_step(
        request,
        registration_id,
        lambda reg: actions.do_confirm_activity_offer(actor=request.user, registration=reg),
        _("已确认，名额为您保留"),
    )


@login_required
@require_POST
def offer_decline(request, registration_id: int):
    return _own_step(
        request,
        registration_id,
        lambda reg: actions.do_decline_activity_offer(actor=request.user, registration=reg),
        _("已放弃该名额"),
    )


@login_required
@require_POST
def rate(request, registration_id: int):
    reg = queries.access_my_registration(request.user, registration_id)
    activity = queries.access_activity(request.user, reg.activity_id)
    return step_view(
        request,
        form=SatisfactionForm(request.POST),
        call=lambda data: actions.do_rate_activity(
            actor=request.user, registration=reg, rating=data["rating"]
        ),
        on_error=lambda bound, status: _detail_page(
            request, activity, rate_form=bound, status=status
        ),
        success_url=reverse("services:activities-detail", args=[activity.pk]),
        message=_("感谢您的评价"),
    )


@login_required
def mine(request):
    _require_member(request)
    regs = paginate(request, queries.my_registrations(request.user))
    return render(request, "services/activities/mine.html", {"title": _("我的报名"), "regs": regs})


@login_required
def ticket(request, registration_id: int):
    """The member's QR code for check-in (a signed token of activity and registration)."""
    _require_member(request)
    reg = queries.access_my_registration(request.user, registration_id)
    token = actions.checkin_token(reg) if reg.status == R.REGISTERED else ""
    # The QR code holds the link to the activity's check-in page with the token: a cadre's
    # phone camera opens it with the token filled in (no scanner script needed); the page's
    # input takes the token or the link alike.
    link = (
        request.build_absolute_uri(
            reverse("services:activities-checkin", args=[reg.activity_id])
            + "?"
            + urlencode({"token": token})
        )
        if token
        else ""
    )
    response = render(
        request,
        "services/activities/ticket.html",
        {
            "title": _("签到二维码"),
            "reg": reg,
            "activity": reg.activity,
            "token": token,
            "qr": qr_svg(link, scale=5, title=_("签到二维码")) if token else "",
        },
    )
    response["Cache-Control"] = "no-store, private"
    return response


# --- the cadres' pages ----------------------------------------------------------------------------


def _manage_filters(request) -> dict:
    """The managers' list filters: state (or 已举办), name, and the dashboard's drill-down
    unit (its subtree) and ?from=&to= (the days the activities start within)."""
    g = request.GET
    try:
        unit_id = int(g.get("unit") or 0) or None
    except ValueError:
        unit_id = None
    return {
        "state": g.get("state", ""),
        "q": g.get("q", "").strip(),
        "unit_id": unit_id,
        "starts": dateranges.parse(g),
    }


@login_required
def manage(request):
    filters = _manage_filters(request)
    activities = paginate(request, queries.managed_activities(request.user, **filters))
    return render(
        request,
        "services/activities/manage.html",
        {
            "title": _("活动管理"),
            "activities": activities,
            "state": filters["state"],
            "q": filters["q"],
            "unit_id": filters["unit_id"],
            "daterange": filters["starts"],
            "states": [(queries.HELD, _("已举办")), *ACTIVITY.state_choices],
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def manage_export(request):
    rows = queries.managed_activities(request.user, **_manage_filters(request))
    sheet = excel.Sheet(
        _("活动"),
        [
            _("活动名称"),
            _("类型"),
            _("主办单位"),
            excel.Column(_("开始时间"), number_format="yyyy-mm-dd hh:mm"),
            _("地点"),
            _("名额"),
            _("已报名"),
            _("候补"),
            _("签到"),
            _("状态"),
        ],
        rows=(
            (
                a.title,
                a.get_kind_display(),
                a.org_unit.name,
                timezone.localtime(a.starts_at).replace(tzinfo=None),
                a.place,
                a.capacity,
                queries.counts_of(a)["taken"],
                queries.counts_of(a)["waiting"],
                queries.counts_of(a)["attended"],
                a.state_label,
            )
            for a in rows
        ),
    )
    return excel.xlsx_response("activities.xlsx", sheet, stamp=True)


def _form_page(request, form, *, activity=None, status=200):
    return render(
        request,
        "services/activities/form.html",
        {
            "title": _("修改活动") if activity else _("新建活动"),
            "form": form,
            "activity": activity,
        },
        status=status,
    )


def _form_values(data) -> dict:
    values = dict(data)
    values["audience_units"] = list(values.get("audience_units") or [])
    return values


@login_required
def create(request):
    _require_manager(request)
    if request.method != "POST":
        return _form_page(request, ActivityForm(user=request.user))
    form = ActivityForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    activity, status = run_action(
        form,
        lambda: actions.do_create_activity(actor=request.user, **_form_values(form.cleaned_data)),
    )
    if activity is None:
        return _form_page(request, form, status=status)
    messages.success(request, _("活动已保存为草稿，核对后请发布"))
    return redirect("services:activities-manage-detail", activity.pk)


@login_required
def edit(request, activity_id: int):
    activity = queries.access_managed_activity(request.user, activity_id)
    if request.method != "POST":
        return _form_page(
            request,
            ActivityForm(user=request.user, initial=ActivityForm.initial_of(activity)),
            activity=activity,
        )
    form = ActivityForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, activity=activity, status=400)
    saved, status = run_action(
        form,
        lambda: actions.do_edit_activity(
            actor=request.user, activity=activity, **_form_values(form.cleaned_data)
        ),
    )
    if saved is None:
        return _form_page(request, form, activity=activity, status=status)
    messages.success(request, _("活动已修改"))
    return redirect("services:activities-manage-detail", activity.pk)


def _manage_page(request, activity, *, cancel_form=None, photos_form=None, status=200):
    regs = paginate(request, queries.registrations_of(activity), 100)
    return render(
        request,
        "services/activities/manage_detail.html",
        {
            "title": activity.title,
            "activity": activity,
            "audience": queries.audience_label(activity),
            "regs": regs,
            "can_draw": queries.can_draw(activity),
            "cancel_form": cancel_form or CancelActivityForm(),
            "editable": activity.in_state(S.draft, *RUNNING),
            "history": history_view(activity, request.user),
            "ended": activity.ends_at <= timezone.now(),
            "started": activity.starts_at <= timezone.now() and not activity.in_state(S.cancelled),
            "photos": list(queries.photos_of(activity)),
            "photos_form": photos_form or PhotosForm(),
        },
        status=status,
    )


@login_required
def manage_detail(request, activity_id: int):
    return _manage_page(request, queries.access_managed_activity(request.user, activity_id))


def _manager_step(request, activity_id: int, call, message: str, form=None):
    activity = queries.access_managed_activity(request.user, activity_id)

    def refused(bound, status):
        if isinstance(bound, CancelActivityForm):
            return _manage_page(request, activity, cancel_form=bound, status=status)
        if isinstance(bound, PhotosForm):
            return _manage_page(request, activity, photos_form=bound, status=status)
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _manage_page(request, activity, status=status)

    return step_view(
        request,
        form=form,
        call=lambda data: call(activity, data),
        on_error=refused,
        success_url=reverse("services:activities-manage-detail", args=[activity.pk]),
        message=message,
    )


@login_required
@require_POST
def publish(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_publish_activity(actor=request.user, activity=a),
        _("活动已发布"),
    )


@login_required
@require_POST
def close(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_close_activity_registration(actor=request.user, activity=a),
        _("报名已截止"),
    )


@login_required
@require_POST
def finish(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_finish_activity(actor=request.user, activity=a),
        _("活动已结束"),
    )


@login_required
@require_POST
def cancel(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_cancel_activity(actor=request.user, activity=a, reason=d["reason"]),
        _("活动已取消，已通知报名者"),
        form=CancelActivityForm(request.POST),
    )


@login_required
@require_POST
def draw(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_draw_activity(actor=request.user, activity=a),
        _("抽签完成，结果已通知报名者"),
    )


@login_required
@require_POST
def photos(request, activity_id: int):
    return _manager_step(
        request,
        activity_id,
        lambda a, d: actions.do_add_activity_photos(
            actor=request.user, activity=a, photos=d["photos"]
        ),
        _("照片已上传"),
        form=PhotosForm(request.POST, request.FILES),
    )


def _reg_cells(r: ActivityRegistration) -> tuple:
    return (
        r.member.employee_no,
        r.member.name,
        r.member.org_unit.name,
        r.get_status_display(),
        r.position or "",
        timezone.localtime(r.registered_at).replace(tzinfo=None),
        timezone.localtime(r.checked_in_at).replace(tzinfo=None) if r.checked_in_at else "",
        r.get_rating_display() if r.rating else "",
    )


_REG_COLUMNS = [
    excel.Column(_("工号"), text=True),
    _("姓名"),
    _("所属工会"),
    _("状态"),
    _("候补顺序"),
    excel.Column(_("报名时间"), number_format="yyyy-mm-dd hh:mm"),
    excel.Column(_("签到时间"), number_format="yyyy-mm-dd hh:mm"),
    _("满意度"),
]


@login_required
def registrations_export(request, activity_id: int):
    activity = queries.access_managed_activity(request.user, activity_id)
    sheet = excel.Sheet(
        _("报名名单"),
        _REG_COLUMNS,
        rows=(_reg_cells(r) for r in queries.registrations_of(activity)),
        heading=[[activity.title]],
    )
    return excel.xlsx_response(f"activity-{activity.pk}-registrations.xlsx", sheet)


@login_required
def attendance_export(request, activity_id: int):
    activity = queries.access_managed_activity(request.user, activity_id)
    sheet = excel.Sheet(
        _("出勤记录"),
        _REG_COLUMNS,
        rows=(_reg_cells(r) for r in queries.attendance_of(activity)),
        heading=[[activity.title]],
    )
    return excel.xlsx_response(f"activity-{activity.pk}-attendance.xlsx", sheet)


def _checkin_page(request, activity, *, form=None, status=200, result=None):
    return render(
        request,
        "services/activities/checkin.html",
        {
            "title": _("签到"),
            "activity": activity,
            "form": form or CheckinTokenForm(),
            "people": queries.checkin_list(activity),
            "attended": queries.attendance_of(activity).count(),
            "result": result,
        },
        status=status,
    )


def _checked(request, activity, result) -> None:
    reg, new = result
    if new:
        messages.success(request, _("%(name)s 签到成功") % {"name": reg.member.name})
    else:
        messages.info(request, _("%(name)s 已签到，无需重复签到") % {"name": reg.member.name})


@login_required
def checkin(request, activity_id: int):
    """The check-in page on a cadre's phone: the token of a scanned QR code (or typed), and
    the list to tick. Retried posts record one attendance."""
    activity = queries.access_managed_activity(request.user, activity_id)
    if request.method != "POST":
        # Opened from a scanned QR code: the token is filled in, the cadre confirms (a GET
        # never writes).
        scanned = request.GET.get("token", "")[:500]
        form = CheckinTokenForm(initial={"token": scanned}) if scanned else None
        return _checkin_page(request, activity, form=form)
    form = CheckinTokenForm(request.POST)
    if not form.is_valid():
        return _checkin_page(request, activity, form=form, status=400)
    result, status = run_action(
        form,
        lambda: actions.do_check_in_activity_token(
            actor=request.user, activity=activity, token=form.cleaned_data["token"]
        ),
    )
    if result is None:
        return _checkin_page(request, activity, form=form, status=status)
    _checked(request, activity, result)
    return redirect("services:activities-checkin", activity.pk)


@login_required
@require_POST
def checkin_tick(request, activity_id: int, registration_id: int):
    activity = queries.access_managed_activity(request.user, activity_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _checkin_page(request, activity, status=status)

    def done(result) -> str:
        _checked(request, activity, result)
        return reverse("services:activities-checkin", args=[activity.pk])

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_check_in_activity(
            actor=request.user, activity=activity, registration_id=registration_id
        ),
        on_error=refused,
        success_url=done,
    )
