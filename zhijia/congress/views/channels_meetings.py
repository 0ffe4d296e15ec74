"""Pages of the participation channels' meetings (subject channels, continued from
views/channels.py): deliberation meetings and consultation talks (职工民主议事会,
劳资协商恳谈会) with their minutes and decisions (tracked items, worked on the page of tracked
items), and representatives sitting in on management meetings (职工代表列席行政办公会) with
each one's report; the congress office sees missing reports. Thin: parse, call one query or
action, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.congress import channels_rules as rules
from zhijia.congress.actions import channels_meetings as actions
from zhijia.congress.forms.channels import MeetingForm, MinutesForm, SitInForm, SitInReportForm
from zhijia.congress.queries import channels as queries
from zhijia.core.excel import Column, Sheet, xlsx_response
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import first_error, step_view


def _manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


# --- deliberation meetings and consultation talks -----------------------------------------


@login_required
def meeting_list(request):
    """The cadres' meetings; a new one is planned here (POST)."""
    _manager(request)
    user = request.user
    form = MeetingForm(
        request.POST or None, units=queries.manage_units(user), members=queries.unit_members(user)
    )

    def page(form, status=200):
        return render(
            request,
            "congress/meeting_list.html",
            {
                "title": _("议事协商会议"),
                "page": paginate(request, queries.deliberations_managed(user)),
                "form": form,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_plan_deliberation(actor=user, **data),
        on_error=page,
        success_url=lambda m: reverse("congress:meeting-detail", args=[m.pk]),
        message=_("会议已安排"),
    )


@login_required
@require_GET
def meeting_export(request):
    _manager(request)

    def rows():
        for m in queries.deliberations_managed(request.user).iterator(chunk_size=200):
            yield [
                m.held_on.isoformat(),
                m.org_unit.name,
                m.get_kind_display(),
                m.title,
                m.agenda,
                "、".join(p.name for p in m.participants.all()),
                m.minutes,
                "；".join(d.title for d in m.decisions.all()),
            ]

    sheet = Sheet(
        _("议事协商会议"),
        [
            Column(_("日期")),
            Column(_("组织单位")),
            Column(_("类别")),
            Column(_("会议名称"), width=30),
            Column(_("议题"), width=40),
            Column(_("参加人员"), width=30),
            Column(_("会议纪要"), width=40),
            Column(_("决定事项"), width=40),
        ],
        rows(),
        heading=[[_("议事协商会议")]],
    )
    return xlsx_response("deliberations.xlsx", sheet, stamp=True)


def _meeting_page(request, meeting, status=200, form=None, error=None):
    today = timezone.localdate()
    open_minutes = rules.may_record_minutes(meeting.held_on, today, meeting.minutes_at is not None)
    return render(
        request,
        "congress/meeting_detail.html",
        {
            "title": meeting.title,
            "meeting": meeting,
            "participants": list(meeting.participants.all()),
            "decisions": list(meeting.decisions.select_related("department")),
            "form": (form or MinutesForm()) if open_minutes is None else None,
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def meeting_detail(request, meeting_id: int):
    return _meeting_page(request, queries.access_meeting(request.user, meeting_id))


@login_required
@require_POST
def meeting_minutes(request, meeting_id: int):
    meeting = queries.access_meeting(request.user, meeting_id)
    return step_view(
        request,
        form=MinutesForm(request.POST),
        call=lambda data: actions.do_record_minutes(actor=request.user, meeting=meeting, **data),
        on_error=lambda form, status: _meeting_page(
            request, meeting, status, form=form, error=first_error(form)
        ),
        success_url=reverse("congress:meeting-detail", args=[meeting.pk]),
        message=_("会议纪要已记录"),
    )


# --- sitting in on management meetings ------------------------------------------------------


@login_required
def sitin_list(request):
    """The sit-ins the user sees (the office's, her own) and the missing reports; the office
    records a new one here (POST)."""
    user = request.user
    manages = queries.may_manage(user)
    form = (
        SitInForm(
            request.POST or None,
            units=queries.manage_units(user),
            members=queries.unit_members(user),
        )
        if manages
        else None
    )

    def page(form, status=200):
        return render(
            request,
            "congress/sitin_list.html",
            {
                "title": _("职工代表列席"),
                "page": paginate(request, queries.sitins_visible_to(user)),
                "missing": list(queries.missing_reports(user)[:50]),
                "form": form,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    if form is None:
        raise PermissionDenied
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_plan_sitin(actor=user, **data),
        on_error=page,
        success_url=lambda s: reverse("congress:sitin-detail", args=[s.pk]),
        message=_("列席安排已记录，代表已收到通知"),
    )


@login_required
@require_GET
def sitin_export(request):
    def rows():
        for s in queries.sitins_visible_to(request.user).iterator(chunk_size=200):
            for seat in s.seats.select_related("member"):
                yield [
                    s.held_on.isoformat(),
                    s.org_unit.name,
                    s.body,
                    s.title,
                    seat.member.name,
                    seat.report,
                ]

    sheet = Sheet(
        _("职工代表列席"),
        [
            Column(_("日期")),
            Column(_("组织单位")),
            Column(_("召集机构")),
            Column(_("会议名称"), width=30),
            Column(_("列席代表")),
            Column(_("列席报告"), width=50),
        ],
        rows(),
        heading=[[_("职工代表列席")]],
    )
    return xlsx_response("sit-ins.xlsx", sheet, stamp=True)


def _sitin_page(request, sitin, status=200, form=None, error=None):
    today = timezone.localdate()
    seats = list(sitin.seats.select_related("member"))
    for seat in seats:
        seat.missing = rules.report_missing(sitin.held_on, today, seat.reported_at is not None)
        seat.mine = seat.member.user_id == request.user.pk
        seat.may_report = seat.mine and seat.reported_at is None and sitin.held_on <= today
    return render(
        request,
        "congress/sitin_detail.html",
        {
            "title": sitin.title,
            "sitin": sitin,
            "seats": seats,
            "form": form or SitInReportForm(),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def sitin_detail(request, sitin_id: int):
    return _sitin_page(request, queries.access_sitin(request.user, sitin_id))


@login_required
@require_POST
def sitin_report(request, seat_id: int):
    seat = queries.access_seat(request.user, seat_id)
    return step_view(
        request,
        form=SitInReportForm(request.POST),
        call=lambda data: actions.do_report_sitin(actor=request.user, seat=seat, **data),
        on_error=lambda form, status: _sitin_page(
            request, seat.sitin, status, form=form, error=first_error(form)
        ),
        success_url=reverse("congress:sitin-detail", args=[seat.sitin_id]),
        message=_("列席报告已提交"),
    )
