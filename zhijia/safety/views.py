"""Pages of module safety: the worker's hazard report (phone, camera), the hazard page with its
workflow actions, the desk queue, the supervisors and the 安康杯 tally. Thin: parse, call one
query or action, render. Hazards outside the caller's reach are 404."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments, dateranges, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.safety import actions, exports, queries
from zhijia.safety.actions import HazardError
from zhijia.safety.forms import (
    AssignForm,
    FixForm,
    ReasonForm,
    ReportForm,
    SupervisorForm,
    VerifyForm,
)
from zhijia.safety.models import HazardReport, SafetySupervisor
from zhijia.safety.permissions import MANAGE_HAZARD, VIEW_HAZARD
from zhijia.safety.workflows import HAZARD


@dataclass(eq=False)
class SupervisorRow(Row[SafetySupervisor]):
    can_end: bool = False


def _label(hazards):
    for h in hazards:
        h.state_label = HAZARD.state_label(h.state)
    return hazards


# --- the worker -----------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    if not (queries.is_member(user) or queries.may_see_queue(user)):
        raise PermissionDenied
    mine = paginate(request, queries.my_reports(user), 20)
    to_verify = paginate(request, queries.to_verify(user), 20, param="verify")
    _label(mine.items)
    _label(to_verify.items)
    return render(
        request,
        "safety/home.html",
        {
            "title": _("隐患随手拍"),
            "can_report": queries.is_member(user),
            "mine": mine,
            "to_verify": to_verify,
            "supervising": queries.supervisor_paths(user),
            "can_queue": queries.may_see_queue(user),
        },
    )


@login_required
def report(request):
    user = request.user
    if not queries.is_member(user):
        raise PermissionDenied
    units = queries.units_for_report()
    member = queries.own_member(user)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"org_unit": member.org_unit_id if member else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            hazard, status = run_action(
                form,
                lambda: actions.do_report_hazard(
                    actor=user,
                    org_unit=data["org_unit"],
                    place=data["place"],
                    description=data["description"],
                    category=data["category"],
                    level=data["level"],
                    photo=data.get("photo"),
                ),
            )
            if hazard is not None:
                messages.success(request, _("隐患已报告，感谢您！处理进展会通知您"))
                return redirect("safety:hazard-detail", hazard_id=hazard.pk)
        else:
            status = 400
    return render(
        request,
        "safety/report.html",
        {"title": _("报告安全隐患"), "form": form},
        status=status,
    )


# --- one hazard -----------------------------------------------------------------------------------


def _forms_for(hazard, can, **given):
    found: dict = {}
    if "assign" in can or "reassign" in can:
        found["assign_form"] = given.get("assign_form") or AssignForm(
            departments=queries.departments(),
            owners=queries.owner_cadres_for(hazard.org_unit),
            reassign="reassign" in can,
            initial={
                "workdays": hazard.rectify_workdays or actions.rectify_workdays(),
                "requirement": hazard.requirement,
            },
        )
    if "dismiss" in can:
        found["dismiss_form"] = given.get("dismiss_form") or ReasonForm()
    if "fix" in can:
        found["fix_form"] = given.get("fix_form") or FixForm()
    if "verify" in can:
        found["verify_form"] = given.get("verify_form") or VerifyForm()
    if "reopen" in can:
        found["reopen_form"] = given.get("reopen_form") or ReasonForm()
    return found


def _hazard_page(request, hazard, *, status=200, **given):
    user = request.user
    can = [t.name for t in available_transitions(HAZARD, hazard, user)]
    events = history_view(hazard, user, workflow=HAZARD)
    context = {
        "title": hazard.number,
        "hazard": hazard,
        "state_label": HAZARD.state_label(hazard.state),
        "can": can,
        "events": events,
        "photos": [a for a in attachments.attachments_for(hazard) if a.kind == "image"],
        "error": given.pop("error", None),
        **_forms_for(hazard, can, **given),
    }
    return render(request, "safety/hazard_detail.html", context, status=status)


@login_required
def hazard_detail(request, hazard_id: int):
    return _hazard_page(request, queries.access_hazard(request.user, hazard_id))


@login_required
@require_POST
def hazard_transition(request, hazard_id: int, action: str):
    user = request.user
    hazard = queries.access_hazard(user, hazard_id)
    if action not in {t.name for t in HAZARD.transitions}:
        raise Http404
    if action not in [t.name for t in available_transitions(HAZARD, hazard, user)]:
        raise PermissionDenied
    form: forms.Form | None
    if action in ("assign", "reassign"):
        form = AssignForm(
            request.POST,
            departments=queries.departments(),
            owners=queries.owner_cadres_for(hazard.org_unit),
            reassign=action == "reassign",
        )
        key = "assign_form"

        def call(data):
            kwargs = {
                "actor": user,
                "hazard": hazard,
                "department": data["department"],
                "owner": data["owner"],
                "workdays": data["workdays"],
                "requirement": data["requirement"],
            }
            if action == "reassign":
                return actions.do_reassign_hazard(reason=data["reason"], **kwargs)
            return actions.do_assign_hazard(**kwargs)

    elif action in ("dismiss", "reopen"):
        form = ReasonForm(request.POST)
        key = f"{action}_form"

        def call(data):
            fn = actions.do_dismiss_hazard if action == "dismiss" else actions.do_reopen_hazard
            return fn(actor=user, hazard=hazard, reason=data["reason"])

    elif action == "fix":
        form = FixForm(request.POST, request.FILES)
        key = "fix_form"

        def call(data):
            return actions.do_fix_hazard(
                actor=user, hazard=hazard, result=data["result"], photo=data.get("photo")
            )

    elif action == "verify":
        form = VerifyForm(request.POST)
        key = "verify_form"

        def call(data):
            return actions.do_verify_hazard(actor=user, hazard=hazard, note=data["note"])

    else:  # begin: no input; a refusal shows on top of the page
        form, key = None, ""

        def call(data):
            return actions.do_start_rectification(actor=user, hazard=hazard)

    def on_error(bound, status):
        hazard.refresh_from_db()
        if form is None:
            return _hazard_page(request, hazard, status=status, error=first_error(bound))
        return _hazard_page(request, hazard, status=status, **{key: bound})

    return step_view(
        request,
        form=form,
        call=call,
        on_error=on_error,
        success_url=reverse("safety:hazard-detail", args=[hazard.pk]),
        message=_("已开始整改")
        if action == "begin"
        else _("已办理：%(action)s") % {"action": HAZARD.transition_label(action)},
    )


# --- the desk -------------------------------------------------------------------------------------


# The queue's pseudo-state: every hazard whose rectification is still to be done.
UNFINISHED = "unfinished"


@login_required
def queue(request):
    user = request.user
    if not queries.may_see_queue(user):
        raise PermissionDenied
    g = request.GET
    try:
        unit_id = int(g.get("unit") or 0) or None
    except ValueError:
        unit_id = None
    state = g.get("state", "")
    unfinished = state == UNFINISHED
    if state not in HAZARD.states:
        state = ""
    level = g.get("level", "")
    if level not in HazardReport.Level.values:
        level = ""
    filters = queries.QueueFilters(
        state=state,
        unit_id=unit_id,
        level=level,
        overdue_only=g.get("overdue") == "1",
        q=(g.get("q") or "").strip()[:50],
        unfinished=unfinished,
        reported=dateranges.parse(g),
    )
    qs = queries.queue(user, filters)
    hazards = paginate(request, qs)
    _label(hazards.items)
    return render(
        request,
        "safety/queue.html",
        {
            "title": _("隐患整改"),
            "hazards": hazards,
            "count": hazards.count,
            "filters": filters,
            "daterange": filters.reported,
            "states": [(UNFINISHED, _("未整改完成")), *HAZARD.state_choices],
            "selected_state": UNFINISHED if unfinished else state,
            "levels": HazardReport.Level.choices,
            "units": queries.units_managed_by(user) if has_perm(user, MANAGE_HAZARD) else [],
            "now": timezone.now(),
        },
    )


@login_required
def supervisors(request):
    user = request.user
    if not (has_perm(user, MANAGE_HAZARD) or has_perm(user, VIEW_HAZARD)):
        raise PermissionDenied
    units = queries.units_managed_by(user)
    form = SupervisorForm(request.POST or None, units=units) if units.exists() else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            member = queries.member_by_employee_no(form.cleaned_data["employee_no"])
            if member is None:
                form.add_error("employee_no", _("没有这个工号的会员"))
                status = 400
            else:
                row, status = run_action(
                    form,
                    lambda: actions.do_designate_supervisor(
                        actor=user,
                        member=member,
                        org_unit=form.cleaned_data["org_unit"],
                        note=form.cleaned_data["note"],
                    ),
                )
                if row is not None:
                    messages.success(
                        request, _("已聘任 %(name)s 为群众安全监督员") % {"name": member.name}
                    )
                    return redirect("safety:supervisors")
        else:
            status = 400
    rows = [
        SupervisorRow(
            r, can_end=r.ended_on is None and has_perm(user, MANAGE_HAZARD, unit=r.org_unit)
        )
        for r in queries.supervisors_visible_to(user).order_by("ended_on", "org_unit__path", "id")
    ]
    return render(
        request,
        "safety/supervisors.html",
        {"title": _("群众安全监督员"), "rows": rows, "form": form},
        status=status,
    )


@login_required
@require_POST
def supervisor_end(request, supervisor_id: int):
    row = queries.access_supervisor(request.user, supervisor_id)
    try:
        actions.do_end_supervisor(actor=request.user, supervisor=row)
    except HazardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解聘"))
    return redirect("safety:supervisors")


# --- 安康杯 ---------------------------------------------------------------------------------------


def _tally_for(request):
    user = request.user
    if not has_perm(user, VIEW_HAZARD):
        raise PermissionDenied
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    unit_id = request.GET.get("unit")
    if unit_id:
        root = queries.access_tally_unit(user, unit_id)
    else:
        roots = queries.tally_roots(user)
        if not roots:
            raise PermissionDenied
        root = roots[0]
    return queries.tally(root, year), this_year


@login_required
def tally(request):
    result, this_year = _tally_for(request)
    return render(
        request,
        "safety/tally.html",
        {
            "title": _("安康杯隐患排查治理统计"),
            "tally": result,
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )


@login_required
def tally_export(request):
    result, _this_year = _tally_for(request)
    name = f"ankangbei-{result.year}-{result.root.code}.xlsx"
    return excel.xlsx_response(name, exports.tally_sheet(result))
