"""Pages of inspection tours (代表巡视) and rectification items (整改). Thin: parse, call one
query or action, render. Out-of-scope records are 404 (access_tour / access_item)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.congress.actions import inspections as actions
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
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import first_error, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view


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

    def page(form, status=200):
        return render(
            request,
            "congress/inspection_form.html",
            {"title": _("新建代表巡视"), "form": form},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_create_tour(
            actor=request.user,
            org_unit=data["org_unit"],
            title=data["title"],
            scope=data["scope"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        ),
        on_error=page,
        success_url=_tour_url,
        message=_("巡视计划已创建，请安排参加巡视的代表"),
    )


def _tour_url(tour) -> str:
    return reverse("congress:inspection-detail", kwargs={"tour_id": tour.pk})


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
    return step_view(
        request,
        form=ParticipantsForm(
            request.POST, representatives=queries_proposals.representatives_in(tour.org_unit)
        ),
        call=lambda data: actions.do_add_participants(
            actor=request.user, tour=tour, users=list(data["participants"]), leader=data["leader"]
        ),
        on_error=lambda form, status: _tour_page(
            request, tour, status=status, participants_form=form
        ),
        success_url=_tour_url(tour),
        message=_("巡视人员已更新"),
    )


@login_required
@require_POST
def tour_finding(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_report_finding(request.user, tour):
        raise PermissionDenied
    return step_view(
        request,
        form=FindingForm(request.POST),
        call=lambda data: actions.do_add_finding(actor=request.user, tour=tour, **data),
        on_error=lambda form, status: _tour_page(request, tour, status=status, finding_form=form),
        success_url=_tour_url(tour),
        message=_("问题已记录"),
    )


@login_required
@require_POST
def tour_finish(request, tour_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_manage_tour(request.user, tour):
        raise PermissionDenied
    return step_view(
        request,
        form=FinishTourForm(request.POST),
        call=lambda data: actions.do_finish_tour(
            actor=request.user, tour=tour, summary=data["summary"]
        ),
        on_error=lambda form, status: _tour_page(request, tour, status=status, finish_form=form),
        success_url=_tour_url(tour),
        message=_("巡视已结束"),
    )


@login_required
@require_POST
def finding_rectify(request, tour_id: int, finding_id: int):
    tour = queries.access_tour(request.user, tour_id)
    if not queries.can_manage_tour(request.user, tour):
        raise PermissionDenied
    finding = queries.finding_of_tour(tour, finding_id)
    return step_view(
        request,
        form=RectificationForm(request.POST, prefix=f"f{finding.pk}"),
        call=lambda data: actions.do_create_rectification(
            actor=request.user,
            finding=finding,
            department=data["department"],
            requirement=data["requirement"],
            workdays=data["workdays"],
        ),
        on_error=lambda form, status: _tour_page(
            request, tour, status=status, rectification_form=form, rectify_finding=finding.pk
        ),
        success_url=lambda item: reverse(
            "congress:rectification-detail", kwargs={"item_id": item.pk}
        ),
        message=_("已列为整改事项，并通知责任部门"),
    )


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
    """A rectification item's step (begin, complete, verify, send_back) through
    core.views_workflow.transition_step, with the workflow's declared form and action."""
    item = queries.access_item(request.user, item_id)
    if action not in ("begin", "complete", "verify", "send_back"):
        raise PermissionDenied

    def on_error(form, status):
        fresh = queries.access_item(request.user, item_id)
        forms: dict[str, Any] = {}
        if isinstance(form, ResultForm):
            forms["result_form"] = form
        elif isinstance(form, ReasonForm):
            forms["reason_form"] = form
        if form.non_field_errors() or not form.fields:
            forms["error"] = first_error(form)
        return _item_page(request, fresh, status=status, **forms)

    return transition_step(
        request,
        RECTIFICATION,
        action,
        record=item,
        record_arg="item",
        on_error=on_error,
        success_url=reverse("congress:rectification-detail", kwargs={"item_id": item.pk}),
        message=_("已更新整改状态"),
    )
