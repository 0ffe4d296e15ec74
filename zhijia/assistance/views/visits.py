"""Pages of visits (走访慰问): list, plan or record, complete, cancel, photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions import visits as actions
from zhijia.assistance.forms.visits import CompleteVisitForm, PhotoForm, VisitForm
from zhijia.assistance.models import Visit
from zhijia.assistance.queries import visits as queries_visits
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm


@login_required
def visit_list(request):
    user = request.user
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    f = queries_visits.VisitFilters(
        status=status if status in Visit.Status.values else "",
        kind=kind if kind in Visit.Kind.values else "",
    )
    return render(
        request,
        "assistance/visit_list.html",
        {
            "title": _("走访慰问"),
            "visits": paginate(request, queries_visits.list_visits_for_user(user, f)),
            "statuses": Visit.Status.choices,
            "kinds": Visit.Kind.choices,
            "status": f.status,
            "kind": f.kind,
            "can_create": has_perm(user, perms.MANAGE_VISIT),
        },
    )


@login_required
def visit_create(request):
    user = request.user
    if not has_perm(user, perms.MANAGE_VISIT):
        raise PermissionDenied
    members = queries_visits.members_for_visits(user).order_by("employee_no")[:3000]
    form = VisitForm(request.POST or None, members=members)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            visit, status = run_action(form, lambda: actions.do_create_visit(actor=user, **data))
            if visit is not None:
                messages.success(request, _("走访已登记"))
                return redirect("assistance:visit-detail", visit_id=visit.pk)
        else:
            status = 400
    return render(
        request,
        "assistance/visit_form.html",
        {"title": _("登记走访慰问"), "form": form},
        status=status,
    )


def _visit_page(request, visit, status=200, **forms):
    can_manage = queries_visits.can_manage_visit(request.user, visit)
    context = {
        "title": _("走访慰问"),
        "visit": visit,
        "photos": list(queries_visits.photos_of(visit)),
        "can_manage": can_manage,
    }
    if can_manage:
        if visit.status == Visit.Status.PLANNED:
            context["complete_form"] = forms.get("complete_form") or CompleteVisitForm(
                initial={"visitors": visit.visitors, "visited_on": visit.planned_on}
            )
        context["photo_form"] = forms.get("photo_form") or PhotoForm()
    return render(request, "assistance/visit_detail.html", context, status=status)


@login_required
def visit_detail(request, visit_id: int):
    return _visit_page(request, queries_visits.access_visit(request.user, visit_id))


def _managed(request, visit_id):
    visit = queries_visits.access_visit(request.user, visit_id)
    if not queries_visits.can_manage_visit(request.user, visit):
        raise PermissionDenied
    return visit


@login_required
@require_POST
def visit_complete(request, visit_id: int):
    visit = _managed(request, visit_id)
    form = CompleteVisitForm(request.POST)
    if not form.is_valid():
        return _visit_page(request, visit, 400, complete_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_complete_visit(actor=request.user, visit=visit, **form.cleaned_data),
    )
    if result is None:
        return _visit_page(request, visit, status, complete_form=form)
    messages.success(request, _("走访情况已记录"))
    return redirect("assistance:visit-detail", visit_id=visit.pk)


@login_required
@require_POST
def visit_cancel(request, visit_id: int):
    visit = _managed(request, visit_id)
    form = CompleteVisitForm()
    result, status = run_action(
        form, lambda: actions.do_cancel_visit(actor=request.user, visit=visit)
    )
    if result is None:
        return _visit_page(request, visit, status, complete_form=form)
    messages.success(request, _("走访已取消"))
    return redirect("assistance:visit-detail", visit_id=visit.pk)


@login_required
@require_POST
def visit_photo(request, visit_id: int):
    visit = _managed(request, visit_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _visit_page(request, visit, 400, photo_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_add_visit_photo(
            actor=request.user, visit=visit, upload=form.cleaned_data["photo"]
        ),
    )
    if result is None:
        return _visit_page(request, visit, status, photo_form=form)
    messages.success(request, _("照片已上传"))
    return redirect("assistance:visit-detail", visit_id=visit.pk)
