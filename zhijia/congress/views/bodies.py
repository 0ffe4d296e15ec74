"""Pages of the congress bodies between sessions: working groups (专门小组), duty reports
(代表述职) and grassroots worker supervisors (基层职工监督员). Thin: parse, call one query or
action, render. Out-of-scope records are 404 (queries.bodies.access_*).

The congress office (congress.view_term / congress.manage_bodies) has the dense pages; the
representatives, constituents and supervisors use "代表履职" (bodies-mine) on their phones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.congress.actions import bodies as actions
from zhijia.congress.forms.bodies import (
    AnswerForm,
    AppointmentForm,
    DutyRatingForm,
    DutyReportForm,
    GroupForm,
    GroupMemberForm,
    MinutesForm,
    ObservationForm,
    TaskForm,
)
from zhijia.congress.forms.followup import MilestoneResultForm
from zhijia.congress.models import GroupTask, Observation
from zhijia.congress.permissions import MANAGE_BODIES, VIEW_TERM
from zhijia.congress.queries import bodies as queries
from zhijia.congress.workflows import GROUP_TASK, OBSERVATION
from zhijia.core import satisfaction
from zhijia.core.excel import Column, Sheet, xlsx_response
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view

OBSERVATION_STEPS = ("answer", "close")


def _office(user) -> bool:
    return has_perm(user, VIEW_TERM) or has_perm(user, MANAGE_BODIES)


def _require_office(user) -> None:
    if not _office(user):
        raise PermissionDenied


def _group_url(group) -> str:
    return reverse("congress:bodies-group-detail", kwargs={"group_id": group.pk})


def _observation_url(observation) -> str:
    return reverse("congress:bodies-observation-detail", kwargs={"observation_id": observation.pk})


def _mine_url(*_args) -> str:
    return reverse("congress:bodies-mine")


# --- the office's page: working groups ------------------------------------------------------------


def _home_page(request, status=200, group_form=None):
    user = request.user
    terms = list(queries.terms_managed(user))
    page = paginate(request, queries.groups_visible_to(user).filter(queries.office_groups_q(user)))
    return render(
        request,
        "congress/bodies_home.html",
        {
            "title": _("专门小组与代表履职"),
            "page": page,
            "terms": list(queries.terms_for_overview(user)),
            "group_form": group_form or (GroupForm(terms=terms) if terms else None),
        },
        status=status,
    )


@login_required
def home(request):
    user = request.user
    _require_office(user)
    if request.method != "POST":
        return _home_page(request)
    terms = list(queries.terms_managed(user))
    if not terms:
        raise PermissionDenied
    form = GroupForm(request.POST, terms=terms)
    by_id = {str(t.pk): t for t in terms}
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_create_group(
            actor=user,
            term=by_id[data["term"]],
            kind=data["kind"],
            name=data["name"],
            duties=data["duties"],
        ),
        on_error=lambda form, status: _home_page(request, status, group_form=form),
        success_url=_group_url,
        message=_("专门小组已设立，请添加成员"),
    )


@login_required
@require_GET
def group_export(request):
    user = request.user
    _require_office(user)

    def rows():
        qs = queries.groups_visible_to(user).filter(queries.office_groups_q(user))
        for g in qs.iterator(chunk_size=200):
            yield [
                str(g.term),
                g.get_kind_display(),
                g.name,
                g.head.member.name if g.head else "",
                g.members.count(),
                g.tasks.filter(state=GROUP_TASK.states.open).count(),
            ]

    sheet = Sheet(
        _("专门小组"),
        [
            Column(_("届次"), width=30),
            Column(_("类别")),
            Column(_("名称"), width=30),
            Column(_("组长")),
            Column(_("成员数")),
            Column(_("未完成任务")),
        ],
        rows(),
        heading=[[_("职代会专门小组")]],
    )
    return xlsx_response("working-groups.xlsx", sheet, stamp=True)


# --- one working group ----------------------------------------------------------------------------


@dataclass(eq=False)
class TaskRow(Row[GroupTask]):
    state_label: str = ""
    can: frozenset[str] = frozenset()
    late: bool = False
    history: list = field(default_factory=list)


def _group_page(request, group, status=200, **forms):
    user = request.user
    today = timezone.localdate()
    can_manage = queries.can_manage(user, group.org_unit)
    member = queries.sits_in_group(user, group)
    tasks = [
        TaskRow(
            t,
            state_label=str(GROUP_TASK.state_label(t.state)),
            can=frozenset(x.name for x in available_transitions(GROUP_TASK, t, user)),
            late=t.in_state(GROUP_TASK.states.open) and t.due_date < today,
            history=history_view(t, user, workflow=GROUP_TASK),
        )
        for t in queries.tasks_of(group)
    ]
    context: dict[str, Any] = {
        "title": group.name,
        "group": group,
        "members": queries.members_of(group),
        "tasks": tasks,
        "minutes": list(queries.minutes_of(group)),
        "can_manage": can_manage,
        "result_form": forms.get("result_form") or MilestoneResultForm(),
        "error": forms.get("error"),
    }
    if can_manage:
        reps = list(queries.representatives_of(group.term).order_by("member__employee_no"))
        context["member_form"] = forms.get("member_form") or GroupMemberForm(representatives=reps)
        context["task_form"] = forms.get("task_form") or TaskForm()
    if can_manage or member:
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm()
    return render(request, "congress/bodies_group.html", context, status=status)


@login_required
@require_GET
def group_detail(request, group_id: int):
    group = queries.access_group(request.user, group_id)
    return _group_page(request, group)


@login_required
@require_POST
def group_member(request, group_id: int):
    group = queries.access_group(request.user, group_id)
    if not queries.can_manage(request.user, group.org_unit):
        raise PermissionDenied
    reps = list(queries.representatives_of(group.term))
    by_id = {str(r.pk): r for r in reps}
    return step_view(
        request,
        form=GroupMemberForm(request.POST, representatives=reps),
        call=lambda data: actions.do_add_group_member(
            actor=request.user, group=group, representative=by_id[data["representative"]]
        ),
        on_error=lambda form, status: _group_page(request, group, status, member_form=form),
        success_url=_group_url(group),
        message=_("已添加小组成员"),
    )


@login_required
@require_POST
def group_task(request, group_id: int):
    group = queries.access_group(request.user, group_id)
    if not queries.can_manage(request.user, group.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=TaskForm(request.POST),
        call=lambda data: actions.do_add_group_task(actor=request.user, group=group, **data),
        on_error=lambda form, status: _group_page(request, group, status, task_form=form),
        success_url=_group_url(group),
        message=_("任务已添加"),
    )


@login_required
@require_POST
def group_minutes(request, group_id: int):
    group = queries.access_group(request.user, group_id)
    user = request.user
    if not (queries.can_manage(user, group.org_unit) or queries.sits_in_group(user, group)):
        raise PermissionDenied
    return step_view(
        request,
        form=MinutesForm(request.POST),
        call=lambda data: actions.do_add_minutes(actor=user, group=group, **data),
        on_error=lambda form, status: _group_page(request, group, status, minutes_form=form),
        success_url=_group_url(group),
        message=_("会议纪要已保存"),
    )


@login_required
@require_POST
def task_complete(request, task_id: int):
    task = queries.access_task(request.user, task_id)

    def on_error(form, status):
        return _group_page(request, task.group, status, result_form=form, error=first_error(form))

    return transition_step(
        request,
        GROUP_TASK,
        "complete",
        record=task,
        record_arg="task",
        on_error=on_error,
        success_url=_group_url(task.group),
        message=_("任务已完成"),
    )


# --- the representative's, the constituent's and the supervisor's page ----------------------------


def _mine_page(request, status=200, **forms):
    user = request.user
    seats = list(queries.my_seats(user))
    filing = []
    for seat in seats:
        year = queries.current_year(seat.term)
        if year is None:
            continue
        report = seat.duty_reports.filter(year_start=year[0]).first()
        filing.append(
            {
                "seat": seat,
                "year": year,
                "report": report,
                "form": (forms.get("report_form") if forms.get("seat") == seat.pk else None)
                or DutyReportForm(),
            }
        )
    appointments = list(queries.my_appointments(user))
    return render(
        request,
        "congress/bodies_mine.html",
        {
            "title": _("代表履职"),
            "groups": list(
                queries.groups_visible_to(user).filter(members__representative__member__user=user)
            ),
            "filing": filing,
            "to_rate": list(queries.reports_to_rate(user)),
            "appointments": appointments,
            "observation_form": forms.get("observation_form") or ObservationForm(),
            "observations": list(queries.my_observations(user)),
            "states": OBSERVATION,
        },
        status=status,
    )


@login_required
@require_GET
def mine(request):
    return _mine_page(request)


@login_required
@require_POST
def report_file(request):
    user = request.user
    seat = queries.my_seats(user).filter(pk=request.POST.get("seat") or 0).first()
    if seat is None:
        raise PermissionDenied
    form = DutyReportForm(request.POST, request.FILES)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_file_duty_report(
            actor=user, representative=seat, text=data["text"], upload=data.get("attachment")
        ),
        on_error=lambda form, status: _mine_page(request, status, report_form=form, seat=seat.pk),
        success_url=_mine_url,
        message=_("述职报告已提交，选区职工可以评议"),
    )


def _report_page(request, report, status=200, rating_form=None):
    user = request.user
    from zhijia.core.attachments import attachments_for

    return render(
        request,
        "congress/bodies_report.html",
        {
            "title": _("代表述职"),
            "report": report,
            "files": list(attachments_for(report)),
            "may_rate": queries.may_rate(user, report) and queries.rating_of(user, report) is None,
            "rated": queries.rating_of(user, report),
            "rating_form": rating_form or DutyRatingForm(),
            "label": satisfaction.label,
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, report_id: int):
    return _report_page(request, queries.access_report(request.user, report_id))


@login_required
@require_POST
def report_rate(request, report_id: int):
    report = queries.access_report(request.user, report_id)
    return step_view(
        request,
        form=DutyRatingForm(request.POST),
        call=lambda data: actions.do_rate_duty_report(actor=request.user, report=report, **data),
        on_error=lambda form, status: _report_page(request, report, status, rating_form=form),
        success_url=reverse("congress:bodies-report-detail", kwargs={"report_id": report.pk}),
        message=_("感谢您的评议"),
    )


# --- the office's overview of duty reports --------------------------------------------------------


def _overview(request, term_id):
    term = queries.access_term(request.user, term_id)
    year = queries.current_year(term) or (term.start_date, term.end_date)
    return term, year, queries.overview(term, year[0])


@login_required
@require_GET
def report_overview(request, term_id: int):
    term, year, lines = _overview(request, term_id)
    missing = [line for line in lines if line.report is None]
    return render(
        request,
        "congress/bodies_overview.html",
        {
            "title": _("代表述职情况"),
            "term": term,
            "year": year,
            "page": paginate(request, lines),
            "missing": len(missing),
        },
    )


@login_required
@require_GET
def report_export(request, term_id: int):
    term, year, lines = _overview(request, term_id)
    sheet = Sheet(
        _("代表述职"),
        [
            Column(_("代表")),
            Column(_("工号")),
            Column(_("选举单位"), width=30),
            Column(_("本年度述职")),
            Column(_("评议人数")),
            Column(_("平均评分（满分3）")),
        ],
        (
            [
                line.representative.member.name,
                line.representative.member.employee_no,
                str(line.representative.unit),
                _("已述职") if line.report else _("未述职"),
                line.ratings,
                line.score if line.score is not None else "",
            ]
            for line in lines
        ),
        heading=[[f"{term} {year[0]:%Y-%m-%d}—{year[1]:%Y-%m-%d}"]],
    )
    return xlsx_response("duty-reports.xlsx", sheet, stamp=True)


# --- supervisors and their observations -----------------------------------------------------------


def _supervisor_page(request, status=200, form=None):
    user = request.user
    units = list(queries.units_managed(user))
    return render(
        request,
        "congress/bodies_supervisors.html",
        {
            "title": _("基层职工监督员"),
            "page": paginate(request, queries.appointments_visible_to(user)),
            "form": form or (AppointmentForm(units=units) if units else None),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def supervisors(request):
    user = request.user
    _require_office(user)
    if request.method != "POST":
        return _supervisor_page(request)
    units = list(queries.units_managed(user))
    if not units:
        raise PermissionDenied
    by_id = {str(u.pk): u for u in units}

    def call(data):
        member = queries.member_by_employee_no(data["employee_no"])
        if member is None:
            raise actions.BodiesError(_("没有这个工号的会员"), field="employee_no")
        return actions.do_appoint_supervisor(
            actor=user,
            unit=by_id[data["unit"]],
            member=member,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )

    return step_view(
        request,
        form=AppointmentForm(request.POST, units=units),
        call=call,
        on_error=lambda form, status: _supervisor_page(request, status, form=form),
        success_url=reverse("congress:bodies-supervisors"),
        message=_("已任命基层职工监督员"),
    )


@login_required
@require_GET
def supervisor_export(request):
    user = request.user
    _require_office(user)
    sheet = Sheet(
        _("基层职工监督员"),
        [
            Column(_("监督员")),
            Column(_("工号")),
            Column(_("监督单位"), width=30),
            Column(_("任期开始")),
            Column(_("任期结束")),
        ],
        (
            [a.member.name, a.member.employee_no, a.org_unit.path_label(), a.starts_on, a.ends_on]
            for a in queries.appointments_visible_to(user).iterator(chunk_size=200)
        ),
    )
    return xlsx_response("supervisors.xlsx", sheet, stamp=True)


def _office_observations(user):
    return queries.observations_visible_to(user).filter(queries.office_observations_q(user))


@login_required
@require_GET
def observation_list(request):
    user = request.user
    _require_office(user)
    page = paginate(request, _office_observations(user).order_by("-created_at", "-id"))
    return render(
        request,
        "congress/bodies_observations.html",
        {"title": _("监督意见"), "page": page, "states": OBSERVATION},
    )


@login_required
@require_GET
def observation_export(request):
    user = request.user
    _require_office(user)
    sheet = Sheet(
        _("监督意见"),
        [
            Column(_("事项"), width=30),
            Column(_("监督员")),
            Column(_("单位"), width=30),
            Column(_("地点")),
            Column(_("发现日期")),
            Column(_("状态")),
            Column(_("答复"), width=50),
        ],
        (
            [
                o.subject,
                o.appointment.member.name,
                o.org_unit.path_label(),
                o.place,
                o.observed_on,
                str(OBSERVATION.state_label(o.state)),
                o.answer,
            ]
            for o in _office_observations(user)
            .order_by("-created_at", "-id")
            .iterator(chunk_size=200)
        ),
    )
    return xlsx_response("observations.xlsx", sheet, stamp=True)


@login_required
@require_POST
def observation_create(request):
    user = request.user
    appointment = (
        queries.my_appointments(user).filter(pk=request.POST.get("appointment") or 0).first()
    )
    if appointment is None:
        raise PermissionDenied
    return step_view(
        request,
        form=ObservationForm(request.POST),
        call=lambda data: actions.do_file_observation(actor=user, appointment=appointment, **data),
        on_error=lambda form, status: _mine_page(request, status, observation_form=form),
        success_url=_observation_url,
        message=_("已提交，工会将按期答复"),
    )


def _observation_page(request, observation: Observation, status=200, answer_form=None, error=None):
    user = request.user
    return render(
        request,
        "congress/bodies_observation.html",
        {
            "title": observation.subject,
            "o": observation,
            "state_label": OBSERVATION.state_label(observation.state),
            "can": frozenset(t.name for t in available_transitions(OBSERVATION, observation, user)),
            "history": history_view(observation, user, workflow=OBSERVATION),
            "answer_form": answer_form or AnswerForm(),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def observation_detail(request, observation_id: int):
    return _observation_page(request, queries.access_observation(request.user, observation_id))


@login_required
@require_POST
def observation_transition(request, observation_id: int, action: str):
    observation = queries.access_observation(request.user, observation_id)
    if action not in OBSERVATION_STEPS:
        raise Http404

    def on_error(form, status):
        if isinstance(form, AnswerForm):
            return _observation_page(request, observation, status, answer_form=form)
        return _observation_page(request, observation, status, error=first_error(form))

    return transition_step(
        request,
        OBSERVATION,
        action,
        record=observation,
        record_arg="observation",
        on_error=on_error,
        success_url=_observation_url(observation),
        message=_("已更新监督意见"),
    )
