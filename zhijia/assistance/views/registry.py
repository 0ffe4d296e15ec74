"""Pages of the hardship registry and the assistance settings (cadres only).

Files are read by cadres holding assistance.view_hardship over the member's unit; the forms on
the file page need assistance.manage_hardship there.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import permissions as perms
from zhijia.assistance import privacy
from zhijia.assistance.actions import config as actions_config
from zhijia.assistance.actions import registry as actions_registry
from zhijia.assistance.forms.config import ConfigForm
from zhijia.assistance.forms.registry import (
    ExpenseForm,
    FileExitForm,
    FileFilterForm,
    FileForm,
    FileReviewForm,
    HouseholdForm,
    NewFileForm,
)
from zhijia.assistance.models import Category
from zhijia.assistance.queries import common as queries
from zhijia.assistance.queries import registry as queries_registry
from zhijia.assistance.workflows import APPLICATION
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.views_workflow import step_view


@login_required
def file_list(request):
    user = request.user
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    form = FileFilterForm(request.GET or None)
    f = queries_registry.FileFilters(status="active")
    if form.is_bound and form.is_valid():
        f = queries_registry.FileFilters(**form.cleaned_data)
    files = paginate(request, queries_registry.list_files_for_user(user, f))
    return render(
        request,
        "assistance/file_list.html",
        {
            "title": _("困难职工档案"),
            "form": form,
            "files": files,
            "can_create": has_perm(user, perms.MANAGE_HARDSHIP),
            "counts": queries_registry.registry_counts(user),
        },
    )


@login_required
def file_create(request):
    user = request.user
    if not has_perm(user, perms.MANAGE_HARDSHIP):
        raise PermissionDenied
    members = queries_registry.members_for_filing(user).order_by("employee_no")[:3000]
    form = NewFileForm(request.POST or None, members=members)

    def page(bound, status=200):
        return render(
            request,
            "assistance/file_form.html",
            {"title": _("新建困难职工档案"), "form": bound},
            status=status,
        )

    if request.method != "POST":
        return page(form)

    def create(data):
        values = dict(data)
        member = values.pop("member")
        return actions_registry.do_create_file(actor=user, member=member, **values)

    return step_view(
        request,
        form=form,
        call=create,
        on_error=page,
        success_url=_file_url,
        message=_("档案已建立，请补充家庭成员和刚性支出"),
    )


def _file_url(file) -> str:
    return reverse("assistance:file-detail", args=[file.pk])


def _file_context(request, file, **forms):
    user = request.user
    can_manage = queries_registry.can_manage_file(user, file) and file.is_active
    assessment = queries_registry.assess_file(file)
    config = queries.config_for(file.member.org_unit)
    applications = list(file.applications.select_related("campaign").order_by("-submitted_at"))
    for a in applications:
        a.state_label = APPLICATION.state_label(a.state)
    context = {
        "title": _("困难职工档案"),
        "file": file,
        "member": file.member,
        "household": list(queries_registry.household_of(file)),
        "expenses": list(queries_registry.expenses_of(file)),
        "reviews": list(queries_registry.reviews_of(file)),
        "assessment": assessment,
        "assessment_label": dict(Category.choices).get(assessment.category, ""),
        "config": config,
        "applications": applications,
        "visits": list(file.visits.order_by("-visited_on", "-planned_on")),
        "can_manage": can_manage,
        "step_form": forms.get("step_form"),
    }
    if can_manage:
        context["household_form"] = forms.get("household_form") or HouseholdForm()
        context["expense_form"] = forms.get("expense_form") or ExpenseForm()
        context["review_form"] = forms.get("review_form") or FileReviewForm()
        context["exit_form"] = forms.get("exit_form") or FileExitForm()
    return context


def _file_page(request, file, status=200, **forms):
    return render(
        request, "assistance/file_detail.html", _file_context(request, file, **forms), status=status
    )


@login_required
def file_detail(request, file_id: int):
    file = queries_registry.access_file(request.user, file_id)
    privacy.record_file_read(request.user, file)
    return _file_page(request, file)


def _managed(request, file_id: int):
    file = queries_registry.access_file(request.user, file_id)
    if not queries_registry.can_manage_file(request.user, file):
        raise PermissionDenied
    return file


@login_required
def file_edit(request, file_id: int):
    file = _managed(request, file_id)
    initial = {name: getattr(file, name) for name in actions_registry.FILE_FIELDS}
    form = FileForm(request.POST or None, initial=initial)

    def page(bound, status=200):
        return render(
            request,
            "assistance/file_form.html",
            {"title": _("修改困难职工档案"), "form": bound, "file": file},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions_registry.do_update_file(
            actor=request.user, file=file, values=data
        ),
        on_error=page,
        success_url=_file_url(file),
        message=_("档案已保存"),
    )


def _post_form(request, file_id, form, key, call, success):
    """A form of the file page (`form` None: a step without input, its refusal on top)."""
    file = _managed(request, file_id)

    def on_error(bound, status):
        if status == 404:  # the row to remove is not (or no longer) in this file
            raise Http404
        return _file_page(request, file, status, **{key: bound})

    return step_view(
        request,
        form=form,
        call=lambda data: call(file, data),
        on_error=on_error,
        success_url=_file_url(file),
        message=success,
    )


@login_required
@require_POST
def file_household_add(request, file_id: int):
    return _post_form(
        request,
        file_id,
        HouseholdForm(request.POST),
        "household_form",
        lambda file, data: actions_registry.do_add_household_member(
            actor=request.user, file=file, **data
        ),
        _("已添加家庭成员"),
    )


@login_required
@require_POST
def file_household_remove(request, file_id: int, person_id: int):
    return _post_form(
        request,
        file_id,
        None,
        "step_form",
        lambda file, data: actions_registry.do_remove_household_member(
            actor=request.user, file=file, person_id=person_id
        ),
        _("已删除家庭成员"),
    )


@login_required
@require_POST
def file_expense_add(request, file_id: int):
    return _post_form(
        request,
        file_id,
        ExpenseForm(request.POST),
        "expense_form",
        lambda file, data: actions_registry.do_add_expense(actor=request.user, file=file, **data),
        _("已添加刚性支出"),
    )


@login_required
@require_POST
def file_expense_remove(request, file_id: int, expense_id: int):
    return _post_form(
        request,
        file_id,
        None,
        "step_form",
        lambda file, data: actions_registry.do_remove_expense(
            actor=request.user, file=file, expense_id=expense_id
        ),
        _("已删除刚性支出"),
    )


@login_required
@require_POST
def file_review(request, file_id: int):
    return _post_form(
        request,
        file_id,
        FileReviewForm(request.POST),
        "review_form",
        lambda file, data: actions_registry.do_review_file(actor=request.user, file=file, **data),
        _("年度复核已记录"),
    )


@login_required
@require_POST
def file_exit(request, file_id: int):
    return _post_form(
        request,
        file_id,
        FileExitForm(request.POST),
        "exit_form",
        lambda file, data: actions_registry.do_exit_file(actor=request.user, file=file, **data),
        _("档案已退出，将按规定保存后销毁"),
    )


@login_required
def settings_page(request):
    """The assistance configuration of one of the cadre's units."""
    units = queries.units_for(request.user, perms.CONFIGURE)
    if not units:
        raise PermissionDenied
    chosen = request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == chosen), None) if chosen else units[0]
    if unit is None:
        raise Http404
    current = queries.config_for(unit)
    own = queries.get_config_row(unit)
    initial = {name: getattr(current, name) for name in actions_config.LIMITS}
    form = ConfigForm(request.POST or None, initial=initial)

    def page(bound, status=200):
        return render(
            request,
            "assistance/settings.html",
            {
                "title": _("帮扶参数"),
                "form": bound,
                "unit": unit,
                "units": units,
                "own": own is not None,
                "inherited_from": current.org_unit
                if current.pk and current.org_unit_id != unit.pk
                else None,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions_config.do_set_config(actor=request.user, unit=unit, values=data),
        on_error=page,
        success_url=f"{request.path}?unit={unit.pk}",
        message=_("帮扶参数已保存"),
    )
