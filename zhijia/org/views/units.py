"""Pages of the org tree for cadres: union units (/org/units/) and enterprise departments
(/org/departments/). Thin: parse, call one query or action, render.

Reading needs org.view_units (the tree of the cadre's own scope); each write page needs the
permission the action checks, and the action checks again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm, require
from zhijia.org.actions import departments as actions_departments
from zhijia.org.actions import units as actions_units
from zhijia.org.forms.units import (
    ConfirmForm,
    DepartmentForm,
    DepartmentPickForm,
    NameForm,
    UnitCreateForm,
    UnitPickForm,
)
from zhijia.org.queries import dues as dues_queries
from zhijia.org.queries import units as q


def _data(request):
    """The POST data when posted (also when empty: a confirmation has no fields), else None."""
    return request.POST if request.method == "POST" else None


def _form_page(
    request,
    form,
    call: Callable[[Any], Any],
    *,
    context: dict[str, Any],
    done: Callable[[Any], str],
    message: Callable[[Any], str],
):
    """Render a tree form; on a valid POST run the action and go to `done(result)`."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result, status = run_action(form, lambda: call(form))
            if result is not None:
                messages.success(request, message(result))
                return redirect(done(result))
        else:
            status = 400
    return render(request, "org/tree_form.html", {"form": form, **context}, status=status)


# --- units ------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_tree(request):
    require(request.user, q.VIEW_UNITS)
    include_closed = request.GET.get("closed") == "1"
    return render(
        request,
        "org/unit_tree.html",
        {
            "title": _("工会组织"),
            "rows": q.unit_tree_for(request.user, include_closed=include_closed),
            "include_closed": include_closed,
            "can_create": bool(q.manageable_units(request.user, kinds=("committee", "branch"))),
        },
    )


@login_required
@require_GET
def unit_detail(request, unit_id: int):
    unit = q.access_unit_to_view(request.user, unit_id)
    manage = q.can_manage_unit(request.user, unit) and not unit.is_closed
    return render(
        request,
        "org/unit_detail.html",
        {
            "title": unit.name,
            "unit": unit,
            "ancestors": list(unit.ancestors()),
            "children": q.children_of(unit),
            "members": q.active_member_count(unit),
            "changes": paginate(request, q.unit_history(unit)),
            "can_rename": manage,
            "can_add_child": manage and unit.kind != "group",
            "can_place": manage and q.can_change_place(request.user, unit),
            "role_assignments": q.role_assignments_on_unit(unit) if unit.is_closed else 0,
            "dues": dues_queries.unit_dues_settings(unit)
            if has_perm(request.user, "org.manage_dues", unit=unit)
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    parents = q.manageable_units(request.user, kinds=("committee", "branch"))
    if not parents:
        raise PermissionDenied(q.MANAGE_UNITS)
    initial = {"parent": request.GET.get("parent", "")}
    form = UnitCreateForm(_data(request), parents=parents, initial=initial)
    return _form_page(
        request,
        form,
        lambda f: actions_units.do_create_unit(
            actor=request.user,
            parent=f.parent_obj(),
            name=f.cleaned_data["name"],
            code=f.cleaned_data["code"],
        ),
        context={
            "title": _("新建工会组织"),
            "submit": _("新建"),
            "cancel": reverse("org:unit-tree"),
        },
        done=lambda unit: reverse("org:unit-detail", args=[unit.pk]),
        message=lambda unit: (
            _("已新建“%(name)s”（代码 %(code)s）") % {"name": unit.name, "code": unit.code}
        ),
    )


def _unit_to_manage(request, unit_id: int, *, place: bool = False):
    unit = q.access_unit_to_manage(request.user, unit_id)
    if unit.is_closed:
        raise Http404
    if place and not q.can_change_place(request.user, unit):
        raise PermissionDenied(q.MANAGE_UNITS)
    return unit


def _unit_context(unit, title: str, submit: str, **extra) -> dict[str, Any]:
    return {
        "title": title,
        "subject": unit,
        "submit": submit,
        "cancel": reverse("org:unit-detail", args=[unit.pk]),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename(request, unit_id: int):
    unit = _unit_to_manage(request, unit_id)
    form = NameForm(_data(request), initial={"name": unit.name})
    return _form_page(
        request,
        form,
        lambda f: actions_units.do_rename_unit(
            actor=request.user, unit=unit, name=f.cleaned_data["name"]
        ),
        context=_unit_context(unit, _("更名"), _("保存")),
        done=lambda u: reverse("org:unit-detail", args=[u.pk]),
        message=lambda u: _("名称已改为“%(name)s”") % {"name": u.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request, unit_id: int):
    unit = _unit_to_manage(request, unit_id, place=True)
    form = UnitPickForm(
        _data(request), units=q.move_targets(request.user, unit), label=_("新的上级组织")
    )
    return _form_page(
        request,
        form,
        lambda f: actions_units.do_move_unit(
            actor=request.user, unit=unit, new_parent=f.unit_obj()
        ),
        context=_unit_context(
            unit,
            _("调整上级组织"),
            _("调整"),
            help=_("下级组织随之调整；会员仍在原组织，不产生转移记录。"),
        ),
        done=lambda u: reverse("org:unit-detail", args=[u.pk]),
        message=lambda u: _("已调整到“%(name)s”之下") % {"name": u.parent.name},
    )


def _merge_message(result) -> str:
    text = _("已并入“%(target)s”：转移会员 %(members)d 名，调整下级组织 %(units)d 个。") % {
        "target": result.target.name,
        "members": getattr(result, "members_moved", 0),
        "units": len(getattr(result, "units_moved", getattr(result, "departments_moved", []))),
    }
    if result.role_assignments_left:
        text += _("仍有 %(n)d 个角色分配在已撤销的组织上，请系统管理员重新分配。") % {
            "n": result.role_assignments_left
        }
    return text


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request, unit_id: int):
    unit = _unit_to_manage(request, unit_id, place=True)
    form = UnitPickForm(_data(request), units=q.merge_targets(request.user, unit), label=_("并入"))
    return _form_page(
        request,
        form,
        lambda f: actions_units.do_merge_unit(actor=request.user, unit=unit, target=f.unit_obj()),
        context=_unit_context(
            unit,
            _("合并组织"),
            _("合并"),
            help=_(
                "在册会员转入目标组织（转移原因“合并”），下级组织移到目标组织之下，"
                "各业务记录改属目标组织，然后撤销本组织。此操作不能撤回。"
            ),
            confirm=_("合并后，本组织的会员转入所选组织，本组织随即撤销，不能撤回。"),
            danger=True,
        ),
        done=lambda r: reverse("org:unit-detail", args=[r.target.pk]),
        message=_merge_message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_close(request, unit_id: int):
    unit = _unit_to_manage(request, unit_id, place=True)
    return _form_page(
        request,
        ConfirmForm(_data(request)),
        lambda f: actions_units.do_close_unit(actor=request.user, unit=unit),
        context=_unit_context(
            unit,
            _("撤销组织"),
            _("撤销"),
            help=_("只能撤销没有在册会员、没有未撤销下级组织的组织。撤销后保留历史记录。"),
            confirm=_("撤销后，本组织不能再恢复，只保留历史记录。"),
            danger=True,
        ),
        done=lambda u: reverse("org:unit-detail", args=[u.pk]),
        message=lambda u: _("“%(name)s”已撤销") % {"name": u.name},
    )


# --- departments ------------------------------------------------------------------------------


def _require_departments_manager(request) -> None:
    if not q.can_manage_departments(request.user):
        raise PermissionDenied(q.MANAGE_DEPARTMENTS)


@login_required
@require_GET
def department_list(request):
    q.access_departments_page(request.user)
    include_closed = request.GET.get("closed") == "1"
    return render(
        request,
        "org/department_list.html",
        {
            "title": _("企业部门"),
            "rows": q.department_tree(include_closed=include_closed),
            "include_closed": include_closed,
            "can_manage": q.can_manage_departments(request.user),
        },
    )


@login_required
@require_GET
def department_detail(request, department_id: int):
    q.access_departments_page(request.user)
    dept = q.department_by_id(department_id)
    return render(
        request,
        "org/department_detail.html",
        {
            "title": dept.name,
            "department": dept,
            "ancestors": list(dept.ancestors()),
            "children": q.department_children(dept),
            "members": q.department_member_count(dept),
            "changes": paginate(request, q.department_history(dept)),
            "can_manage": q.can_manage_departments(request.user) and not dept.is_closed,
        },
    )


def _open_units(request):
    return q.manageable_units(request.user) if has_perm(request.user, q.MANAGE_UNITS) else []


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request):
    _require_departments_manager(request)
    form = DepartmentForm(
        _data(request),
        parents=q.department_choice_rows(),
        units=_open_units(request),
        initial={"parent": request.GET.get("parent", "")},
    )
    return _form_page(
        request,
        form,
        lambda f: actions_departments.do_create_department(
            actor=request.user,
            parent=f.parent_obj(),
            name=f.cleaned_data["name"],
            code=f.cleaned_data["code"],
            default_org_unit=f.unit_obj(),
        ),
        context={
            "title": _("新建企业部门"),
            "submit": _("新建"),
            "cancel": reverse("org:department-list"),
        },
        done=lambda d: reverse("org:department-detail", args=[d.pk]),
        message=lambda d: _("已新建“%(name)s”（代码 %(code)s）") % {"name": d.name, "code": d.code},
    )


def _department_to_manage(request, department_id: int):
    dept = q.access_department_to_manage(request.user, department_id)
    if dept.is_closed:
        raise Http404
    return dept


def _department_context(dept, title: str, submit: str, **extra) -> dict[str, Any]:
    return {
        "title": title,
        "subject": dept,
        "submit": submit,
        "cancel": reverse("org:department-detail", args=[dept.pk]),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, department_id: int):
    dept = _department_to_manage(request, department_id)
    form = DepartmentForm(
        _data(request),
        parents=None,
        units=_open_units(request),
        initial={"name": dept.name, "default_org_unit": dept.default_org_unit_id or ""},
    )
    return _form_page(
        request,
        form,
        lambda f: actions_departments.do_update_department(
            actor=request.user,
            department=dept,
            name=f.cleaned_data["name"],
            default_org_unit=f.unit_obj(),
        ),
        context=_department_context(dept, _("修改部门"), _("保存")),
        done=lambda d: reverse("org:department-detail", args=[d.pk]),
        message=lambda d: _("部门已保存"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_move(request, department_id: int):
    dept = _department_to_manage(request, department_id)
    rows = [(d, depth) for d, depth in q.department_choice_rows(exclude=dept)]
    rows = [(d, depth) for d, depth in rows if d.pk != dept.parent_id]
    form = DepartmentPickForm(_data(request), rows=rows, label=_("新的上级部门"))
    return _form_page(
        request,
        form,
        lambda f: actions_departments.do_move_department(
            actor=request.user, department=dept, new_parent=f.department_obj()
        ),
        context=_department_context(dept, _("调整上级部门"), _("调整")),
        done=lambda d: reverse("org:department-detail", args=[d.pk]),
        message=lambda d: _("已调整到“%(name)s”之下") % {"name": d.parent.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_merge(request, department_id: int):
    dept = _department_to_manage(request, department_id)
    form = DepartmentPickForm(
        _data(request), rows=q.department_choice_rows(exclude=dept), label=_("并入")
    )
    return _form_page(
        request,
        form,
        lambda f: actions_departments.do_merge_department(
            actor=request.user, department=dept, target=f.department_obj()
        ),
        context=_department_context(
            dept,
            _("合并部门"),
            _("合并"),
            help=_(
                "会员的部门、下级部门和各业务记录改属目标部门，然后撤销本部门。此操作不能撤回。"
            ),
            confirm=_("合并后，本部门的会员和记录改属所选部门，本部门随即撤销，不能撤回。"),
            danger=True,
        ),
        done=lambda r: reverse("org:department-detail", args=[r.target.pk]),
        message=_merge_message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_close(request, department_id: int):
    dept = _department_to_manage(request, department_id)
    return _form_page(
        request,
        ConfirmForm(_data(request)),
        lambda f: actions_departments.do_close_department(actor=request.user, department=dept),
        context=_department_context(
            dept,
            _("撤销部门"),
            _("撤销"),
            help=_("只能撤销没有在册会员、没有未撤销下级部门的部门。撤销后保留历史记录。"),
            confirm=_("撤销后，本部门不能再恢复，只保留历史记录。"),
            danger=True,
        ),
        done=lambda d: reverse("org:department-detail", args=[d.pk]),
        message=lambda d: _("“%(name)s”已撤销") % {"name": d.name},
    )
