"""Writes on the union tree (committee → branch → group): create, rename, move, merge, close.

Permission (org.manage_units, see org/permissions.py): creating needs the scope over the new
unit's parent; renaming the scope over the unit; moving, merging and closing change the
parent's tree and so need the scope over the unit's parent too (and over the new parent or
the merge target). A top-level unit is moved, merged or closed only with a global scope.
Every change writes an audit event and an OrgChange row (the unit's history page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import RoleAssignment
from zhijia.core.audit import record
from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.core.unitpaths import rewrite_unit_paths
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
from zhijia.org.models import Department, Member, MemberTransfer, OrgChange, OrgUnit

MANAGE = "org.manage_units"
MERGE_REASON = "合并"

# What a merge leaves pointing at the merged unit: the tree itself (open sub-units are moved
# explicitly, closed ones stay with it), history (transfers, its own change log), members
# (active ones are transferred with a history row; former members keep the unit they left)
# and role assignments (an office is a person's, not the unit's: the admin reassigns it).
KEEP_ON_MERGE = frozenset(
    {
        "org.orgunit.parent",
        "org.member.org_unit",
        "org.membertransfer.from_unit",
        "org.membertransfer.to_unit",
        "org.orgchange.org_unit",
        "accounts.roleassignment.org_unit",
    }
)


def _require(actor, unit: OrgUnit) -> None:
    if not has_perm(actor, MANAGE, unit=unit):
        raise OrgTreeError(_("该组织不在您的管理范围内"), status=403)


def _require_place(actor, unit: OrgUnit) -> None:
    """Changing where a unit stands (or whether it stands) needs the scope over its parent."""
    if unit.parent_id is None:
        if GLOBAL not in unit_prefixes(actor, MANAGE):
            raise OrgTreeError(_("最上级组织只能由系统管理员调整"), status=403)
        return
    if not has_perm(actor, MANAGE, unit=unit.parent):
        raise OrgTreeError(
            _("调整、合并或撤销“%(name)s”需要上级组织的管理权限") % {"name": unit.name},
            status=403,
        )


def _require_open(unit: OrgUnit, field_name: str | None = None) -> None:
    if unit.closed_at is not None:
        raise OrgTreeError(
            _("“%(name)s”已撤销") % {"name": unit.name}, field=field_name, status=409
        )


def _locked(unit: OrgUnit) -> OrgUnit:
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return OrgUnit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def do_create_unit(
    *,
    actor,
    parent: OrgUnit | None,
    name: str,
    kind: str = "",
    code: str = "",
    sort_order: int | None = None,
) -> OrgUnit:
    """A new unit under `parent` (None: a top-level committee, admins only). The kind follows
    from the parent when not given; the code is generated when not given."""
    if parent is None:
        if GLOBAL not in unit_prefixes(actor, MANAGE):
            raise OrgTreeError(_("只有系统管理员可以新建最上级组织"), status=403)
    else:
        parent = _locked(parent)
        _require(actor, parent)
        _require_open(parent, "parent")
    parent_kind = parent.kind if parent is not None else None
    kind = kind or (rules.CHILD_KIND.get(parent_kind or "") if parent else "committee") or ""
    if not kind:
        raise OrgTreeError(_("工会小组之下不能再设下级组织"), field="parent")
    error = rules.kind_error(kind, parent_kind)
    if error:
        raise OrgTreeError(_(error), field="kind" if kind else "parent")
    name = clean_name(name)
    check_sibling_name(OrgUnit, parent, name)
    letter = rules.CODE_LETTER[kind]
    code = choose_code(
        OrgUnit,
        code,
        prefix=rules.code_prefix(parent.code if parent else None, letter, letter),
    )
    if sort_order is None:
        top = OrgUnit.objects.filter(parent=parent).aggregate(m=Max("sort_order"))["m"]
        sort_order = (top or 0) + 1
    unit = create_node(
        OrgUnit(name=name, code=code, kind=kind, parent=parent, sort_order=sort_order)
    )
    write_change(
        unit, actor=actor, action=OrgChange.Action.CREATE, new_name=name, new_parent=parent
    )
    record(
        actor=actor,
        action="org.create_unit",
        target=unit,
        unit=unit,
        data={"name": name, "code": code, "kind": kind, "parent_id": getattr(parent, "pk", None)},
    )
    return unit


@transaction.atomic
def do_rename_unit(*, actor, unit: OrgUnit, name: str) -> OrgUnit:
    unit = _locked(unit)
    _require(actor, unit)
    _require_open(unit)
    name = clean_name(name)
    if name == unit.name:
        return unit
    check_sibling_name(OrgUnit, unit.parent, name, exclude=unit)
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name"])
    write_change(unit, actor=actor, action=OrgChange.Action.RENAME, old_name=old, new_name=name)
    record(
        actor=actor,
        action="org.rename_unit",
        target=unit,
        unit=unit,
        data={"name": [old, name]},
    )
    return unit


def _check_new_parent(unit: OrgUnit, new_parent: OrgUnit) -> None:
    if new_parent.pk == unit.pk or new_parent.is_within(unit):
        raise OrgTreeError(_("不能移到自身或其下级组织之下"), field="parent")
    if new_parent.pk == unit.parent_id:
        raise OrgTreeError(_("该组织已在所选上级之下"), field="parent")
    error = rules.kind_error(unit.kind, new_parent.kind)
    if error:
        raise OrgTreeError(_(error), field="parent")


@transaction.atomic
def do_move_unit(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Put `unit` (with its whole subtree) under `new_parent`, in one transaction."""
    unit = _locked(unit)
    new_parent = _locked(new_parent)
    _require(actor, unit)
    _require_place(actor, unit)
    _require(actor, new_parent)
    _require_open(unit)
    _require_open(new_parent, "parent")
    _check_new_parent(unit, new_parent)
    check_sibling_name(OrgUnit, new_parent, unit.name, exclude=unit)
    old_parent = unit.parent
    old_path, new_path, moved = reparent(unit, new_parent)
    write_change(
        unit,
        actor=actor,
        action=OrgChange.Action.MOVE,
        old_parent=old_parent,
        new_parent=new_parent,
        data={"old_path": old_path, "new_path": new_path, "descendants": moved},
    )
    record(
        actor=actor,
        action="org.move_unit",
        target=unit,
        unit=unit,
        data={
            "parent_id": [getattr(old_parent, "pk", None), new_parent.pk],
            "path": [old_path, new_path],
            "descendants": moved,
        },
    )
    return unit


@dataclass
class MergeResult:
    unit: OrgUnit
    target: OrgUnit
    members_moved: int = 0
    units_moved: list[str] = field(default_factory=list)
    records_moved: dict[str, int] = field(default_factory=dict)
    role_assignments_left: int = 0


@transaction.atomic
def do_merge_unit(*, actor, unit: OrgUnit, target: OrgUnit) -> MergeResult:
    """Merge `unit` into `target` (same kind): its active members are transferred (history
    reason "合并"), its open sub-units move under the target, the records of every module
    that point at it point at the target, then the unit is closed."""
    unit = _locked(unit)
    target = _locked(target)
    _require(actor, unit)
    _require_place(actor, unit)
    _require(actor, target)
    _require_open(unit)
    _require_open(target, "target")
    if unit.parent_id is None:
        raise OrgTreeError(_("最上级组织不能合并"), status=409)
    if target.pk == unit.pk or target.is_within(unit):
        raise OrgTreeError(_("不能并入自身或其下级组织"), field="target")
    if target.kind != unit.kind:
        raise OrgTreeError(_("只能并入同一层级的组织"), field="target")
    children = list(unit.children.filter(closed_at__isnull=True).order_by("sort_order", "code"))
    for child in children:
        check_sibling_name(OrgUnit, target, child.name)

    today = timezone.localdate()
    result = MergeResult(unit=unit, target=target)
    moving = list(
        Member.objects.select_for_update()
        .filter(org_unit=unit, status=Member.Status.ACTIVE)
        .values_list("pk", flat=True)
    )
    MemberTransfer.objects.bulk_create(
        MemberTransfer(
            member_id=pk,
            from_unit=unit,
            to_unit=target,
            effective_date=today,
            reason=MERGE_REASON,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        for pk in moving
    )
    Member.objects.filter(pk__in=moving).update(org_unit=target, updated_at=timezone.now())
    result.members_moved = len(moving)

    result.units_moved = move_children_for_merge(children, unit, target, actor=actor)
    result.records_moved = repoint_references(OrgUnit, unit, target, keep=KEEP_ON_MERGE)
    rewrite_unit_paths(unit.path, target.path, subtree=False)
    result.role_assignments_left = RoleAssignment.objects.filter(org_unit=unit).count()
    summary = {
        "target_id": target.pk,
        "members": result.members_moved,
        "units": result.units_moved,
        "records": result.records_moved,
        "role_assignments_left": result.role_assignments_left,
    }
    target_data = {k: v for k, v in summary.items() if k != "target_id"}
    close_merged(unit, target, actor=actor, summary=summary, target_data=target_data)
    record(actor=actor, action="org.merge_unit", target=unit, unit=target, data=summary)
    return result


@transaction.atomic
def do_close_unit(*, actor, unit: OrgUnit) -> OrgUnit:
    """Close (撤销) a unit with no active members and no open sub-units. It stays for history."""
    unit = _locked(unit)
    _require(actor, unit)
    _require_place(actor, unit)
    _require_open(unit)
    active = Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path
    ).count()
    if active:
        raise OrgTreeError(
            _("该组织还有 %(n)d 名在册会员，请先转移会员或将其合并到其他组织") % {"n": active},
            status=409,
        )
    if unit.children.filter(closed_at__isnull=True).exists():
        raise OrgTreeError(_("该组织还有未撤销的下级组织，请先撤销或移走"), status=409)
    defaults = list(
        Department.objects.filter(default_org_unit=unit, closed_at__isnull=True).values_list(
            "name", flat=True
        )[:5]
    )
    if defaults:
        raise OrgTreeError(
            _("部门%(names)s以该组织为默认所属工会，请先修改部门")
            % {"names": "、".join(f"“{n}”" for n in defaults)},
            status=409,
        )
    unit.closed_at = timezone.now()
    unit.save(update_fields=["closed_at"])
    write_change(unit, actor=actor, action=OrgChange.Action.CLOSE, old_name=unit.name)
    record(actor=actor, action="org.close_unit", target=unit, unit=unit, data={"name": unit.name})
    return unit
