"""API of the org tree under /api/v1/org/: union units, enterprise departments, role holders.

Reads: every signed-in user may list units and departments (pickers; the tree is not
secret), closed ones with include_closed=true. History needs org.view_units over the unit;
role holders need org.view_role_holders. Writes: org.manage_units within the caller's scope,
org.manage_departments at the committee level. Errors: {"detail": ...}; 400/422 bad input,
403 no permission, 404 unknown ids or units outside the caller's scope (also ids in the
body), 409 state conflicts (closing a unit with members, a name taken among siblings).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.org.actions import departments as actions_departments
from zhijia.org.actions import units as actions_units
from zhijia.org.actions.departments import UNSET
from zhijia.org.models import Department, OrgUnit, path_ids
from zhijia.org.queries import units as queries_units

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_id: Id | None
    path: str
    depth: int
    sort_order: int
    closed: bool
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_depth(obj) -> int:
        return len(path_ids(obj.path)) - 1

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.closed_at is not None


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    parent_id: Id | None
    path: str
    default_org_unit_id: Id | None
    default_org_unit_name: str | None
    closed: bool
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_default_org_unit_name(obj) -> str | None:
        return obj.default_org_unit.name if obj.default_org_unit_id else None

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.closed_at is not None


class ChangeOut(Schema):
    id: int
    action: str
    action_label: str
    old_name: str
    new_name: str
    old_parent: str
    new_parent: str
    data: dict
    actor: str | None
    at: dt.datetime

    @staticmethod
    def resolve_action_label(obj) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class RoleHolderOut(Schema):
    user_id: Id
    name: str
    role: str
    role_label: str
    title: str
    scope: str
    org_unit_id: Id | None
    department_id: Id | None

    @staticmethod
    def resolve_user_id(obj) -> int:
        return obj.user_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_scope(obj) -> str:
        scope = obj.org_unit or obj.department
        return scope.name if scope is not None else "全局"


UnitPage = page_schema(UnitOut, name="UnitPage")
DepartmentPage = page_schema(DepartmentOut, name="DepartmentPage")
RoleHolderPage = page_schema(RoleHolderOut, name="RoleHolderPage")
OrgChangePage = page_schema(ChangeOut, name="OrgChangePage")


class UnitListQuery(PageParams):
    kind: Literal["", "committee", "branch", "group"] = ""
    parent_id: Id | None = None
    q: str = Field("", max_length=64)
    include_closed: bool = False


class DepartmentListQuery(PageParams):
    parent_id: Id | None = None
    q: str = Field("", max_length=64)
    include_closed: bool = False


class RoleHolderQuery(PageParams):
    role: Literal["mediator", "counselor", "handler"]
    unit_id: Id | None = None
    department_id: Id | None = None


class UnitIn(Schema):
    name: str = Field(..., max_length=200)
    parent_id: Id | None = Field(None, description="上级组织；为空表示新建最上级工会委员会")
    kind: Literal["", "committee", "branch", "group"] = Field("", description="默认随上级")
    code: str = Field("", max_length=64, description="为空时自动生成")


class UnitPatch(Schema):
    name: str = Field(..., max_length=200)


class MoveIn(Schema):
    parent_id: Id


class OrgMergeIn(Schema):
    target_id: Id


class DepartmentIn(Schema):
    name: str = Field(..., max_length=200)
    parent_id: Id | None = None
    code: str = Field("", max_length=64)
    default_org_unit_id: Id | None = None


class DepartmentPatch(Schema):
    name: str | None = Field(None, max_length=200)
    default_org_unit_id: Id | None = None


class MergeOut(Schema):
    merged_id: Id
    target_id: Id
    members_moved: int = 0
    moved: list[str]
    records_moved: dict[str, int]
    role_assignments_left: int


def _signed_in(request) -> None:
    if not getattr(request.user, "is_authenticated", False):
        raise PermissionDenied


def _unit_in_body(request, unit_id) -> OrgUnit:
    """A unit named in a write's body: 404 unless it exists within the caller's scope."""
    if not has_perm(request.user, queries_units.MANAGE_UNITS):
        raise PermissionDenied
    unit = queries_units.unit_by_id(unit_id)
    if not queries_units.can_manage_unit(request.user, unit):
        raise Http404
    return unit


# --- units ------------------------------------------------------------------------------------


@router.get("/units", response=UnitPage)
def unit_list(request, filters: Query[UnitListQuery]):
    """Units for pickers (any signed-in user), by kind, parent and name or code."""
    _signed_in(request)
    parent = queries_units.unit_by_id(filters.parent_id) if filters.parent_id else None
    items = queries_units.search_units(
        kind=filters.kind,
        parent=parent,
        q=filters.q.strip(),
        include_closed=filters.include_closed,
    )
    return api_page(items, filters.page, filters.per_page)


@router.post("/units", response={201: UnitOut})
def unit_create(request, payload: UnitIn):
    parent = _unit_in_body(request, payload.parent_id) if payload.parent_id else None
    if parent is None and not has_perm(request.user, queries_units.MANAGE_UNITS):
        raise PermissionDenied
    unit = actions_units.do_create_unit(
        actor=request.user,
        parent=parent,
        name=payload.name,
        kind=payload.kind,
        code=payload.code,
    )
    return Status(201, unit)


@router.get("/units/{unit_id}", response=UnitOut)
def unit_detail(request, unit_id: Id):
    _signed_in(request)
    return queries_units.unit_by_id(unit_id)


@router.get("/units/{unit_id}/history", response=OrgChangePage)
def unit_history(request, unit_id: Id, paging: Query[PageParams]):
    """The unit's changes, newest first (org.view_units over the unit)."""
    unit = queries_units.access_unit_to_view(request.user, unit_id)
    return api_page(queries_units.unit_history(unit), paging.page, paging.per_page)


@router.patch("/units/{unit_id}", response=UnitOut)
def unit_rename(request, unit_id: Id, payload: UnitPatch):
    unit = queries_units.access_unit_to_manage(request.user, unit_id)
    return actions_units.do_rename_unit(actor=request.user, unit=unit, name=payload.name)


@router.post("/units/{unit_id}/move", response=UnitOut)
def unit_move(request, unit_id: Id, payload: MoveIn):
    unit = queries_units.access_unit_to_manage(request.user, unit_id)
    parent = _unit_in_body(request, payload.parent_id)
    return actions_units.do_move_unit(actor=request.user, unit=unit, new_parent=parent)


@router.post("/units/{unit_id}/merge", response=MergeOut)
def unit_merge(request, unit_id: Id, payload: OrgMergeIn):
    unit = queries_units.access_unit_to_manage(request.user, unit_id)
    target = _unit_in_body(request, payload.target_id)
    result = actions_units.do_merge_unit(actor=request.user, unit=unit, target=target)
    return {
        "merged_id": result.unit.pk,
        "target_id": result.target.pk,
        "members_moved": result.members_moved,
        "moved": result.units_moved,
        "records_moved": result.records_moved,
        "role_assignments_left": result.role_assignments_left,
    }


@router.post("/units/{unit_id}/close", response=UnitOut)
def unit_close(request, unit_id: Id):
    unit = queries_units.access_unit_to_manage(request.user, unit_id)
    return actions_units.do_close_unit(actor=request.user, unit=unit)


# --- departments ------------------------------------------------------------------------------


def _department_in_body(request, department_id) -> Department:
    if not queries_units.can_manage_departments(request.user):
        raise PermissionDenied
    return queries_units.department_by_id(department_id)


def _default_unit(unit_id) -> OrgUnit | None:
    return queries_units.unit_by_id(unit_id) if unit_id is not None else None


@router.get("/departments", response=DepartmentPage)
def department_list(request, filters: Query[DepartmentListQuery]):
    """Enterprise departments for pickers (any signed-in user)."""
    _signed_in(request)
    parent = queries_units.department_by_id(filters.parent_id) if filters.parent_id else None
    items = queries_units.search_departments(
        parent=parent, q=filters.q.strip(), include_closed=filters.include_closed
    )
    return api_page(items, filters.page, filters.per_page)


@router.post("/departments", response={201: DepartmentOut})
def department_create(request, payload: DepartmentIn):
    parent = _department_in_body(request, payload.parent_id) if payload.parent_id else None
    dept = actions_departments.do_create_department(
        actor=request.user,
        parent=parent,
        name=payload.name,
        code=payload.code,
        default_org_unit=_default_unit(payload.default_org_unit_id),
    )
    return Status(201, dept)


@router.get("/departments/{department_id}", response=DepartmentOut)
def department_detail(request, department_id: Id):
    _signed_in(request)
    return queries_units.department_by_id(department_id)


@router.get("/departments/{department_id}/history", response=OrgChangePage)
def department_history(request, department_id: Id, paging: Query[PageParams]):
    queries_units.access_departments_page(request.user)
    dept = queries_units.department_by_id(department_id)
    return api_page(queries_units.department_history(dept), paging.page, paging.per_page)


@router.patch("/departments/{department_id}", response=DepartmentOut)
def department_update(request, department_id: Id, payload: DepartmentPatch):
    """Rename and/or set the default union unit (send default_org_unit_id null to clear)."""
    dept = queries_units.access_department_to_manage(request.user, department_id)
    given = payload.dict(exclude_unset=True)
    default = (
        _default_unit(given["default_org_unit_id"]) if "default_org_unit_id" in given else UNSET
    )
    return actions_departments.do_update_department(
        actor=request.user, department=dept, name=given.get("name"), default_org_unit=default
    )


@router.post("/departments/{department_id}/move", response=DepartmentOut)
def department_move(request, department_id: Id, payload: MoveIn):
    dept = queries_units.access_department_to_manage(request.user, department_id)
    parent = _department_in_body(request, payload.parent_id)
    return actions_departments.do_move_department(
        actor=request.user, department=dept, new_parent=parent
    )


@router.post("/departments/{department_id}/merge", response=MergeOut)
def department_merge(request, department_id: Id, payload: OrgMergeIn):
    dept = queries_units.access_department_to_manage(request.user, department_id)
    target = _department_in_body(request, payload.target_id)
    result = actions_departments.do_merge_department(
        actor=request.user, department=dept, target=target
    )
    return {
        "merged_id": result.department.pk,
        "target_id": result.target.pk,
        "moved": result.departments_moved,
        "records_moved": result.records_moved,
        "role_assignments_left": result.role_assignments_left,
    }


@router.post("/departments/{department_id}/close", response=DepartmentOut)
def department_close(request, department_id: Id):
    dept = queries_units.access_department_to_manage(request.user, department_id)
    return actions_departments.do_close_department(actor=request.user, department=dept)


# --- role holders -----------------------------------------------------------------------------


@router.get("/role-holders", response=RoleHolderPage)
def role_holder_list(request, filters: Query[RoleHolderQuery]):
    """Who holds the mediator, counselor or handler role (user ids for assigning work); with
    unit_id / department_id, only those whose scope covers that unit / department."""
    if not has_perm(request.user, queries_units.VIEW_ROLE_HOLDERS):
        raise PermissionDenied
    unit = queries_units.unit_by_id(filters.unit_id) if filters.unit_id else None
    dept = queries_units.department_by_id(filters.department_id) if filters.department_id else None
    qs = queries_units.role_holders(request.user, filters.role, unit=unit, department=dept)
    return api_page(qs, filters.page, filters.per_page)
