"""Writes on the enterprise departments (the second tree): create, edit (name and default
union unit), move, merge, close.

Permission: org.manage_departments at the committee level (queries_units.
can_manage_departments): the union committee's cadres and the admin. Every change writes an
audit event and an OrgChange row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import RoleAssignment
from zhijia.core.audit import record
from zhijia.org import rules
from zhijia.org.actions.tree import (
    OrgTreeError,
    check_sibling_name,
    choose_code,
    clean_name,
    close_merged,
    create_node,
    move_children_for_merge,
    reparent,
    repoint_references,
    write_change,
)
from zhijia.org.models import Department, Member, OrgChange, OrgUnit
from zhijia.org.queries.units import can_manage_departments

# A merge leaves the tree itself (open sub-departments are moved explicitly), its own history
# and role assignments (handlers are reassigned by the admin) on the merged department.
KEEP_ON_MERGE = frozenset(
    {
        "org.department.parent",
        "org.orgchange.department",
        "accounts.roleassignment.department",
    }
)
UNSET = object()


def _require(actor) -> None:
    if not can_manage_departments(actor):
        raise OrgTreeError(_("企业部门由工会委员会或系统管理员维护"), status=403)


def _require_open(dept: Department, field_name: str | None = None) -> None:
    if dept.closed_at is not None:
        raise OrgTreeError(
            _("“%(name)s”已撤销") % {"name": dept.name}, field=field_name, status=409
        )


def _default_unit(unit: OrgUnit | None) -> OrgUnit | None:
    if unit is not None and unit.closed_at is not None:
        raise OrgTreeError(_("所选工会组织已撤销"), field="default_org_unit", status=409)
    return unit


def _locked(dept: Department) -> Department:
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return Department.objects.select_for_update().get(pk=dept.pk)


@transaction.atomic
def do_create_department(
    *,
    actor,
    parent: Department | None,
    name: str,
    code: str = "",
    default_org_unit: OrgUnit | None = None,
) -> Department:
    _require(actor)
    if parent is not None:
        parent = _locked(parent)
        _require_open(parent, "parent")
    name = clean_name(name)
    check_sibling_name(Department, parent, name)
    code = choose_code(
        Department, code, prefix=rules.code_prefix(parent.code if parent else None, "", "D-")
    )
    dept = create_node(
        Department(
            name=name, code=code, parent=parent, default_org_unit=_default_unit(default_org_unit)
        )
    )
    write_change(
        dept, actor=actor, action=OrgChange.Action.CREATE, new_name=name, new_parent=parent
    )
    record(
        actor=actor,
        action="org.create_department",
        target=dept,
        data={
            "name": name,
            "code": code,
            "parent_id": getattr(parent, "pk", None),
            "default_org_unit_id": getattr(default_org_unit, "pk", None),
        },
    )
    return dept


@transaction.atomic
def do_update_department(
    *, actor, department: Department, name: str | None = None, default_org_unit=UNSET
) -> Department:
    """Rename a department and/or set the union unit its members belong to by default."""
    _require(actor)
    dept = _locked(department)
    _require_open(dept)
    changed: dict[str, list] = {}
    if name is not None:
        name = clean_name(name)
        if name != dept.name:
            check_sibling_name(Department, dept.parent, name, exclude=dept)
            changed["name"] = [dept.name, name]
            write_change(
                dept,
                actor=actor,
                action=OrgChange.Action.RENAME,
                old_name=dept.name,
                new_name=name,
            )
            dept.name = name
    if default_org_unit is not UNSET:
        unit = _default_unit(default_org_unit)  # type: ignore[arg-type]
        if getattr(unit, "pk", None) != dept.default_org_unit_id:
            old = dept.default_org_unit
            changed["default_org_unit_id"] = [dept.default_org_unit_id, getattr(unit, "pk", None)]
            write_change(
                dept,
                actor=actor,
                action=OrgChange.Action.UPDATE,
                data={
                    "default_org_unit": [
                        old.name if old is not None else "",
                        unit.name if unit is not None else "",
                    ]
                },
            )
            dept.default_org_unit = unit
    if changed:
        dept.save(update_fields=["name", "default_org_unit"])
        record(actor=actor, action="org.update_department", target=dept, data=changed)
    return dept


@transaction.atomic
def do_move_department(*, actor, department: Department, new_parent: Department) -> Department:
    _require(actor)
    dept = _locked(department)
    new_parent = _locked(new_parent)
    _require_open(dept)
    _require_open(new_parent, "parent")
    if new_parent.pk == dept.pk or new_parent.is_within(dept):
        raise OrgTreeError(_("不能移到自身或其下级部门之下"), field="parent")
    if new_parent.pk == dept.parent_id:
        raise OrgTreeError(_("该部门已在所选上级之下"), field="parent")
    check_sibling_name(Department, new_parent, dept.name, exclude=dept)
    old_parent = dept.parent
    old_path, new_path, moved = reparent(dept, new_parent)
    write_change(
        dept,
        actor=actor,
        action=OrgChange.Action.MOVE,
        old_parent=old_parent,
        new_parent=new_parent,
        data={"old_path": old_path, "new_path": new_path, "descendants": moved},
    )
    record(
        actor=actor,
        action="org.move_department",
        target=dept,
        data={
            "parent_id": [getattr(old_parent, "pk", None), new_parent.pk],
            "path": [old_path, new_path],
        },
    )
    return dept


@dataclass
class DepartmentMerge:
    department: Department
    target: Department
    departments_moved: list[str] = field(default_factory=list)
    records_moved: dict[str, int] = field(default_factory=dict)
    role_assignments_left: int = 0


@transaction.atomic
def do_merge_department(*, actor, department: Department, target: Department) -> DepartmentMerge:
    """Merge a department into `target`: members (their 部门), open sub-departments and every
    record pointing at it move to the target; then it is closed."""
    _require(actor)
    dept = _locked(department)
    target = _locked(target)
    _require_open(dept)
    _require_open(target, "target")
    if target.pk == dept.pk or target.is_within(dept):
        raise OrgTreeError(_("不能并入自身或其下级部门"), field="target")
    children = list(dept.children.filter(closed_at__isnull=True).order_by("code"))
    for child in children:
        check_sibling_name(Department, target, child.name)
    result = DepartmentMerge(department=dept, target=target)
    result.departments_moved = move_children_for_merge(children, dept, target, actor=actor)
    result.records_moved = repoint_references(Department, dept, target, keep=KEEP_ON_MERGE)
    result.role_assignments_left = RoleAssignment.objects.filter(department=dept).count()
    summary = {
        "target_id": target.pk,
        "departments": result.departments_moved,
        "records": result.records_moved,
        "role_assignments_left": result.role_assignments_left,
    }
    target_data = {"records": result.records_moved}
    close_merged(dept, target, actor=actor, summary=summary, target_data=target_data)
    record(actor=actor, action="org.merge_department", target=dept, data=summary)
    return result


@transaction.atomic
def do_close_department(*, actor, department: Department) -> Department:
    _require(actor)
    dept = _locked(department)
    _require_open(dept)
    active = Member.objects.filter(
        status=Member.Status.ACTIVE, department__path__startswith=dept.path
    ).count()
    if active:
        raise OrgTreeError(
            _("该部门还有 %(n)d 名在册会员，请先调整会员的部门或将其合并到其他部门")
            % {"n": active},
            status=409,
        )
    if dept.children.filter(closed_at__isnull=True).exists():
        raise OrgTreeError(_("该部门还有未撤销的下级部门，请先撤销或移走"), status=409)
    dept.closed_at = timezone.now()
    dept.save(update_fields=["closed_at"])
    write_change(dept, actor=actor, action=OrgChange.Action.CLOSE, old_name=dept.name)
    record(actor=actor, action="org.close_department", target=dept, data={"name": dept.name})
    return dept
