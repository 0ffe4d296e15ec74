"""Reads of the org tree: union units, enterprise departments, their history, role holders.

Who sees what:
- the tree itself is not secret: every signed-in user may list units and departments (the
  pickers of every form need them); closed (撤销) ones only when asked for;
- the cadre pages (tree with member counts, history) need org.view_units, over its scope;
- writes need org.manage_units over the unit (`access_unit_to_manage`: 403 without the code
  anywhere, 404 outside its scope or for an unknown id), and for departments
  org.manage_departments at the committee level (`can_manage_departments`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.org import rules
from zhijia.org.models import Department, Member, OrgChange, OrgUnit, path_ids
from zhijia.org.queries.members import parse_id, scope_unit_ids, tree_order

VIEW_UNITS = "org.view_units"
MANAGE_UNITS = "org.manage_units"
MANAGE_DEPARTMENTS = "org.manage_departments"
VIEW_ROLE_HOLDERS = "org.view_role_holders"
ROLE_HOLDER_ROLES = (Role.MEDIATOR, Role.COUNSELOR, Role.HANDLER)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- units ------------------------------------------------------------------------------------


def units(include_closed: bool = False) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.all()
    return qs if include_closed else qs.filter(closed_at__isnull=True)


def search_units(
    *,
    kind: str = "",
    parent: OrgUnit | None = None,
    q: str = "",
    include_closed: bool = False,
) -> list[OrgUnit]:
    """Units for a picker, in tree order: by kind, direct children of `parent`, name or code
    containing `q`. (The tree is small: hundreds of units, not millions of members.)"""
    qs = units(include_closed)
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return tree_order(list(qs.select_related("parent")))


def unit_by_id(unit_id: Any, *, include_closed: bool = True) -> OrgUnit:
    """Any unit by id (the tree is not secret), or 404."""
    pk = parse_id(unit_id)
    unit = units(include_closed).select_related("parent").filter(pk=pk).first() if pk else None
    if unit is None:
        raise Http404
    return unit


def access_unit_to_manage(user, unit_id: Any) -> OrgUnit:
    """A unit the user may change: 403 without org.manage_units anywhere, 404 for an unknown
    id or a unit outside the user's scope (its existence is not revealed)."""
    if not has_perm(user, MANAGE_UNITS):
        raise PermissionDenied(MANAGE_UNITS)
    pk = parse_id(unit_id)
    unit = OrgUnit.objects.select_related("parent").filter(pk=pk).first() if pk else None
    if unit is None or not has_perm(user, MANAGE_UNITS, unit=unit):
        raise Http404
    return unit


def access_unit_to_view(user, unit_id: Any) -> OrgUnit:
    """A unit for the cadre pages: 403 without org.view_units anywhere, 404 outside scope."""
    if not has_perm(user, VIEW_UNITS):
        raise PermissionDenied(VIEW_UNITS)
    pk = parse_id(unit_id)
    unit = OrgUnit.objects.select_related("parent").filter(pk=pk).first() if pk else None
    if unit is None or not has_perm(user, VIEW_UNITS, unit=unit):
        raise Http404
    return unit


def can_manage_unit(user, unit: OrgUnit) -> bool:
    return has_perm(user, MANAGE_UNITS, unit=unit)


def manageable_units(user, *, kinds: tuple[str, ...] = ()) -> list[OrgUnit]:
    """Open units in the user's org.manage_units scope, in tree order (form choices)."""
    ids = scope_unit_ids(user, MANAGE_UNITS)
    qs = units()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return tree_order(list(qs))


def can_change_place(user, unit: OrgUnit) -> bool:
    """May the user move, merge or close `unit`: the scope over its parent (a top-level unit:
    a global scope). The actions check the same."""
    if unit.parent_id is None:
        return GLOBAL in unit_prefixes(user, MANAGE_UNITS)
    return unit.parent is not None and has_perm(user, MANAGE_UNITS, unit=unit.parent)


def move_targets(user, unit: OrgUnit) -> list[OrgUnit]:
    """Where the user may move `unit`: open units of the parent kind in the user's scope,
    outside the unit's own subtree, other than the current parent."""
    kind = rules.PARENT_KIND.get(unit.kind)
    if kind is None:
        return []
    return [
        u
        for u in manageable_units(user, kinds=(kind,))
        if not u.is_within(unit) and u.pk != unit.parent_id
    ]


def merge_targets(user, unit: OrgUnit) -> list[OrgUnit]:
    """What the user may merge `unit` into: open units of the same kind in scope."""
    return [u for u in manageable_units(user, kinds=(unit.kind,)) if not u.is_within(unit)]


@dataclass
class TreeRow:
    unit: OrgUnit
    depth: int
    members: int  # active members directly in the unit
    total: int  # active members in the unit's subtree (within what is shown)
    can_manage: bool


def unit_tree_for(user, *, include_closed: bool = False) -> list[TreeRow]:
    """The units of the user's org.view_units scope in tree order, with active member counts
    (two grouped queries, whatever the size of the tree)."""
    ids = scope_unit_ids(user, VIEW_UNITS)
    qs = units(include_closed)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    ordered = tree_order(list(qs))
    counts = dict(
        Member.objects.filter(status=Member.Status.ACTIVE, org_unit_id__in=[u.pk for u in ordered])
        .order_by()
        .values_list("org_unit_id")
        .annotate(n=Count("pk"))
    )
    totals: dict[int, int] = {}
    by_id = {u.pk: u for u in ordered}
    for unit in ordered:
        n = counts.get(unit.pk, 0)
        for pk in path_ids(unit.path):
            if pk in by_id:
                totals[pk] = totals.get(pk, 0) + n
    manage = scope_unit_ids(user, MANAGE_UNITS)
    return [
        TreeRow(
            unit=u,
            depth=getattr(u, "depth", 0),
            members=counts.get(u.pk, 0),
            total=totals.get(u.pk, 0),
            can_manage=manage is None or u.pk in manage,
        )
        for u in ordered
    ]


def active_member_count(unit: OrgUnit) -> int:
    return Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path
    ).count()


def children_of(unit: OrgUnit, *, include_closed: bool = True) -> list[OrgUnit]:
    qs = unit.children.all()
    if not include_closed:
        qs = qs.filter(closed_at__isnull=True)
    return list(qs.order_by("sort_order", "code"))


def unit_history(unit: OrgUnit) -> QuerySet[OrgChange]:
    return OrgChange.objects.filter(org_unit=unit).select_related("actor")


def role_assignments_on_unit(unit: OrgUnit) -> int:
    """How many role assignments are scoped to exactly this unit (left alone by a merge)."""
    return RoleAssignment.objects.filter(org_unit=unit).count()


# --- departments ------------------------------------------------------------------------------


def can_manage_departments(user) -> bool:
    """org.manage_departments at the committee level: held globally or over a top-level unit.

    A branch chair holds the code only over the branch, which is not enough: departments are
    the enterprise's structure, shared by every branch.
    """
    prefixes = unit_prefixes(user, MANAGE_DEPARTMENTS)
    if not prefixes:
        return False
    if GLOBAL in prefixes:
        return True
    roots = OrgUnit.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return any(root in prefixes for root in roots)


def departments(include_closed: bool = False) -> QuerySet[Department]:
    qs = Department.objects.all()
    return qs if include_closed else qs.filter(closed_at__isnull=True)


def search_departments(
    *, parent: Department | None = None, q: str = "", include_closed: bool = False
) -> list[Department]:
    qs = departments(include_closed)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return [row.department for row in _department_rows(list(qs.select_related("default_org_unit")))]


def department_by_id(department_id: Any) -> Department:
    """Any department by id (not secret), or 404."""
    pk = parse_id(department_id)
    dept = (
        Department.objects.select_related("parent", "default_org_unit").filter(pk=pk).first()
        if pk
        else None
    )
    if dept is None:
        raise Http404
    return dept


def access_department_to_manage(user, department_id: Any) -> Department:
    """A department the user may change: 403 without the committee-level permission, 404 for
    an unknown id."""
    if not can_manage_departments(user):
        raise PermissionDenied(MANAGE_DEPARTMENTS)
    return department_by_id(department_id)


def access_departments_page(user) -> None:
    """The department pages are for those who see the org tree or keep the departments."""
    if not (has_perm(user, VIEW_UNITS) or can_manage_departments(user)):
        raise PermissionDenied(VIEW_UNITS)


@dataclass
class DepartmentRow:
    department: Department
    depth: int
    members: int


def department_tree(*, include_closed: bool = False) -> list[DepartmentRow]:
    """Departments in tree order with their active member counts."""
    return _department_rows(
        list(departments(include_closed).select_related("default_org_unit")), counts=True
    )


def _department_rows(depts: list[Department], *, counts: bool = False) -> list[DepartmentRow]:
    by_id = {d.pk: d for d in depts}
    children: dict[int | None, list[Department]] = {}
    for d in depts:
        parent = d.parent_id if d.parent_id in by_id else None
        children.setdefault(parent, []).append(d)
    members: dict[int, int] = {}
    if counts:
        members = dict(
            Member.objects.filter(status=Member.Status.ACTIVE, department_id__in=list(by_id))
            .order_by()
            .values_list("department_id")
            .annotate(n=Count("pk"))
        )
    rows: list[DepartmentRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in sorted(children.get(parent, []), key=lambda x: x.code):
            rows.append(DepartmentRow(d, depth, members.get(d.pk, 0)))
            walk(d.pk, depth + 1)

    walk(None, 0)
    return rows


def department_choice_rows(*, exclude: Department | None = None) -> list[tuple[Department, int]]:
    """Open departments with their depth, for a form's choices; without `exclude`'s subtree."""
    rows = _department_rows(list(departments()))
    return [
        (r.department, r.depth)
        for r in rows
        if exclude is None or not r.department.is_within(exclude)
    ]


def department_children(department: Department) -> list[Department]:
    return list(department.children.order_by("code"))


def department_history(department: Department) -> QuerySet[OrgChange]:
    return OrgChange.objects.filter(department=department).select_related("actor")


def department_member_count(department: Department) -> int:
    return Member.objects.filter(
        status=Member.Status.ACTIVE, department__path__startswith=department.path
    ).count()


# --- role holders -----------------------------------------------------------------------------


def role_holders(
    user,
    role: str,
    *,
    unit: OrgUnit | None = None,
    department: Department | None = None,
) -> QuerySet[RoleAssignment]:
    """Active users holding `role` (mediator, counselor, handler), for assigning work.

    With `unit` (or `department`, for handlers): only those whose scope covers it (the unit
    itself, one of its ancestors, or global).
    """
    if not has_perm(user, VIEW_ROLE_HOLDERS):
        raise PermissionDenied(VIEW_ROLE_HOLDERS)
    qs = RoleAssignment.objects.filter(role=role, user__is_active=True).select_related(
        "user", "org_unit", "department"
    )
    if unit is not None:
        ancestors = path_ids(unit.path)
        qs = qs.filter(
            Q(org_unit_id__in=ancestors) | Q(org_unit__isnull=True, department__isnull=True)
        )
    if department is not None:
        ancestors = path_ids(department.path)
        qs = qs.filter(
            Q(department_id__in=ancestors) | Q(org_unit__isnull=True, department__isnull=True)
        )
    return qs.order_by("user__full_name", "user__username", "pk")
