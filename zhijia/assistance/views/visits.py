"""Pages of visits (走访慰问): list, plan or record, complete, cancel, photos."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions import visits as actions
from zhijia.assistance.forms.visits import CompleteVisitForm, PhotoForm, VisitForm
from zhijia.assistance.models import Visit
from zhijia.assistance.queries import visits as queries_visits
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.views_workflow import step_view


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

    def page(bound, status=200):
        return render(
            request,
            "assistance/visit_form.html",
            {"title": _("登记走访慰问"), "form": bound},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_create_visit(actor=user, **data),
        on_error=page,
        success_url=_visit_url,
        message=_("走访已登记"),
    )


def _visit_url(visit) -> str:
    return reverse("assistance:visit-detail", args=[visit.pk])


def _visit_page(request, visit, status=200, **forms):
    can_manage = queries_visits.can_manage_visit(request.user, visit)
    context = {
        "title": _("走访慰问"),
        "visit": visit,
        "photos": list(queries_visits.photos_of(visit)),
        "can_manage": can_manage,
        "step_form": forms.get("step_form"),
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


def _step(request, visit, key, form, call, message):
    """A form of the visit page (`form` None: a step without input, its refusal on top)."""
    return step_view(
        request,
        form=form,
        call=call,
        on_error=lambda bound, status: _visit_page(request, visit, status, **{key: bound}),
        success_url=_visit_url(visit),
        message=message,
    )


@login_required
@require_POST
def visit_complete(request, visit_id: int):
    visit = _managed(request, visit_id)
    return _step(
        request,
        visit,
        "complete_form",
        CompleteVisitForm(request.POST),
        lambda data: actions.do_complete_visit(actor=request.user, visit=visit, **data),
        _("走访情况已记录"),
    )


@login_required
@require_POST
def visit_cancel(request, visit_id: int):
    visit = _managed(request, visit_id)
    return _step(
        request,
        visit,
        "step_form",
        None,
        lambda data: actions.do_cancel_visit(actor=request.user, visit=visit),
        _("走访已取消"),
    )


@login_required
@require_POST
def visit_photo(request, visit_id: int):
    visit = _managed(request, visit_id)
    return _step(
        request,
        visit,
        "photo_form",
        PhotoForm(request.POST, request.FILES),
        lambda data: actions.do_add_visit_photo(
            actor=request.user, visit=visit, upload=data["photo"]
        ),
        _("照片已上传"),
    )
