"""Pages of inspection tours (代表巡视) and rectification items (整改). Thin: parse, call one
query or action, render. Out-of-scope records are 404 (access_tour / access_item)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.congress.actions import inspections as actions
from zhijia.congress.actions.inspections import InspectionError
from zhijia.congress.forms.proposals import (
    FindingForm,
    FinishTourForm,
    ParticipantsForm,
    ReasonForm,
    RectificationForm,
    ResultForm,
    TourForm,
)
from zhijia.congress.queries import inspections as queries
from zhijia.congress.queries import proposals as queries_proposals
from zhijia.congress.workflows import RECTIFICATION
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.workflow import TransitionError, available_transitions, history_view


def _label_items(items):
    for item in items:
        item.state_label = RECTIFICATION.state_label(item.state)
    return items


# --- tours ----------------------------------------------------------------------------------------


@login_required
def tour_list(request):
    user = request.user
    if not queries.may_see_tours(user):
        raise PermissionDenied
    tours = paginate(request, queries.tours_visible_to(user).order_by("-start_date", "-id"))
    return render(
        request,
        "congress/inspection_list.html",
        {
            "title": _("代表巡视"),
            "tours": tours,
            "can_create": queries.units_for_tours(user).exists(),
        },
    )


@login_required
def tour_create(request):
    units = queries.units_for_tours(request.user)
    if not units.exists():
        raise PermissionDenied
    form = TourForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            tour, status = run_action(
                form,
                lambda: actions.do_create_tour(
                    actor=request.user,
                    org_unit=data["org_unit"],
                    title=data["title"],
                    scope=data["scope"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                ),
            )
            if tour is not None:
                messages.success(request, _("巡视计划已创建，请安排参加巡视的代表"))
                return redirect("congress:inspection-detail", tour_id=tour.pk)
        else:
            status = 400
    return render(
        request,
        "congress/inspection_form.html",
        {"title": _("新建代表巡视"), "form": form},
        status=status,
    )


def _tour_context(request, tour, **forms):
    user = request.user
    can_manage = queries.can_manage_tour(user, tour)
    representatives = queries_proposals.representatives_in(tour.org_unit)
    context = {
        "title": tour.title,
        "tour": tour,
        "participants": queries.participants_of(tour),
        "findings": queries.findings_of(tour),
        "items": _label_items(list(queries.items_of_tour(tour))),
        "can_manage": can_manage,
        "can_report": queries.can_report_finding(user, tour) and tour.status == "planned",
    }
    for finding in context["findings"]:
        # A finding without an item raises on the reverse one-to-one; hasattr absorbs it.
        item = finding.rectification if hasattr(finding, "rectification") else None
        finding.item = item
        if item is not None:
            item.state_label = RECTIFICATION.state_label(item.state)
        elif can_manage:
            errored = forms.get("rectification_form")
            finding.rect_form = (
                errored
                if errored is not None and forms.get("rectify_finding") == finding.pk
                else RectificationForm(prefix=f"f{finding.pk}")
            )
    if can_manage:
        context["participants_form"] = forms.get("participants_form") or ParticipantsForm(
            representatives=representatives
        )
        if tour.status == "planned":
            context["finish_form"] = forms.get("finish_form") or FinishTourForm()
    if context["can_report"]:
        context["finding_form"] = forms.get("finding_form") or FindingForm()
    context["rectify_finding"] = forms.get("rectify_finding")
    return context


def _tour_page(request, tour, status=200, **forms):
    return render(
        request,
        "congress/inspection_detail.html",
        _tour_context(request, tour, **forms),
        status=status,
    )


@login_required
def tour_detail(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    return _tour_page(request, tour)


@login_required
@require_POST
def tour_participants(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_manage_tour(request.user, tour):
        raise PermissionDenied
    form = ParticipantsForm(
        request.POST, representatives=queries_proposals.representatives_in(tour.org_unit)
    )
    if not form.is_valid():
        return _tour_page(request, tour, status=400, participants_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_add_participants(
            actor=request.user,
            tour=tour,
            users=list(form.cleaned_data["participants"]),
            leader=form.cleaned_data["leader"],
        ),
    )
    if result is None:
        return _tour_page(request, tour, status=status, participants_form=form)
    messages.success(request, _("巡视人员已更新"))
    return redirect("congress:inspection-detail", tour_id=tour.pk)


@login_required
@require_POST
def tour_finding(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_report_finding(request.user, tour):
        raise PermissionDenied
    form = FindingForm(request.POST)
    if not form.is_valid():
        return _tour_page(request, tour, status=400, finding_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_add_finding(actor=request.user, tour=tour, **form.cleaned_data),
    )
    if result is None:
        return _tour_page(request, tour, status=status, finding_form=form)
    messages.success(request, _("问题已记录"))
    return redirect("congress:inspection-detail", tour_id=tour.pk)


@login_required
@require_POST
def tour_finish(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_manage_tour(request.user, tour):
        raise PermissionDenied
    form = FinishTourForm(request.POST)
    if not form.is_valid():
        return _tour_page(request, tour, status=400, finish_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_finish_tour(
            actor=request.user, tour=tour, summary=form.cleaned_data["summary"]
        ),
    )
    if result is None:
        return _tour_page(request, tour, status=status, finish_form=form)
    messages.success(request, _("巡视已结束"))
    return redirect("congress:inspection-detail", tour_id=tour.pk)


@login_required
@require_POST
def finding_rectify(request, tour_id: int, finding_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_manage_tour(request.user, tour):
        raise PermissionDenied
    finding = queries.finding_of_tour(tour, finding_id)
    form = RectificationForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        return _tour_page(
            request, tour, status=400, rectification_form=form, rectify_finding=finding.pk
        )
    data = form.cleaned_data
    item, status = run_action(
        form,
        lambda: actions.do_create_rectification(
            actor=request.user,
            finding=finding,
            department=data["department"],
            requirement=data["requirement"],
            workdays=data["workdays"],
        ),
    )
    if item is None:
        return _tour_page(
            request, tour, status=status, rectification_form=form, rectify_finding=finding.pk
        )
    messages.success(request, _("已列为整改事项，并通知责任部门"))
    return redirect("congress:rectification-detail", item_id=item.pk)


# --- rectification items -------------------------------------------------------------------------


@login_required
def item_list(request):
    user = request.user
    if not queries.may_see_tours(user) and not queries.is_rectification_handler(user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state and state not in RECTIFICATION.states:
        state = ""
    items = paginate(request, queries.items_for(user, state=state))
    _label_items(items.items)
    return render(
        request,
        "congress/inspection_rectification_list.html",
        {
            "title": _("巡视整改"),
            "items": items,
            "state": state,
            "states": RECTIFICATION.state_choices,
        },
    )


def _item_context(request, item, **forms):
    names = {t.name for t in available_transitions(RECTIFICATION, item, request.user)}
    return {
        "title": item.finding.title,
        "item": item,
        "state_label": RECTIFICATION.state_label(item.state),
        "can": names,
        "result_form": forms.get("result_form") or ResultForm(initial={"result": item.result}),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "error": forms.get("error"),
        "timeline": history_view(item, request.user, workflow=RECTIFICATION),
    }


def _item_page(request, item, status=200, **forms):
    return render(
        request,
        "congress/inspection_rectification_detail.html",
        _item_context(request, item, **forms),
        status=status,
    )


@login_required
def item_detail(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    return _item_page(request, item)


@login_required
@require_POST
def item_transition(request, item_id: int, action: str):
    item = queries.access_item(request.user, item_id)
    user = request.user
    try:
        if action == "begin":
            actions.do_start_rectification(actor=user, item=item)
        elif action == "complete":
            result_form = ResultForm(request.POST)
            if not result_form.is_valid():
                return _item_page(request, item, status=400, result_form=result_form)
            actions.do_complete_rectification(
                actor=user, item=item, result=result_form.cleaned_data["result"]
            )
        elif action == "verify":
            actions.do_verify_rectification(actor=user, item=item)
        elif action == "send_back":
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                return _item_page(request, item, status=400, reason_form=reason_form)
            actions.do_send_back_rectification(
                actor=user, item=item, reason=reason_form.cleaned_data["reason"]
            )
        else:
            raise PermissionDenied
    except (InspectionError, TransitionError) as exc:
        item = queries.access_item(user, item_id)
        return _item_page(request, item, status=exc.status, error=exc.message)
    messages.success(request, _("已更新整改状态"))
    return redirect("congress:rectification-detail", item_id=item.pk)
