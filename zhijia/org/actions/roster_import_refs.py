"""What a roster's 所属工会 and 部门 cells point to: existing units and departments, or ones the
file names but the system lacks (to be created when the cadre confirms).

    refs = RosterRefs(actor)
    unit, problem = refs.unit("第一分工会/新班组")      # OrgUnit, NewNode or a problem
    department, problem = refs.department("生产部/一车间")
    refs.missing()                                       # [MissingItem], for the preview
    created = refs.create_missing()                      # inside the import's transaction

A cell is looked up whole first (code, then name; compared compactly and case-folded), so
names and codes that exist always win. Otherwise:

- 部门: a cell may be a path, "生产部/一车间". HR systems export the department path because
  names repeat under different parents (every 生产部 has its 一车间); a flat name would merge
  them. The first segment is found by code or name anywhere in the tree, the next ones among
  the children of the previous; from the first segment that does not exist on, every level is
  created (an unknown plain name becomes a top-level department).
- 所属工会: an unknown name becomes a union group (工会小组) under the importing cadre's unit (the
  one unit where the cadre holds org.change_member; the committee root for the CLI). A path
  "第一分工会/新班组" names the parent instead; only the last level may be new. The cadre must
  hold org.change_member and org.import_members over the parent; a group is never created
  under another group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.org import normalize as n
from zhijia.org.models import Department, OrgUnit

SEPARATOR = "/"
MAX_NAME = 100  # OrgUnit.name and Department.name
MAX_CODE = 32
UNIT = "unit"
DEPARTMENT = "department"


@dataclass(eq=False)
class NewNode:
    """A unit or department to be created; `obj` is set once it is."""

    kind: str  # UNIT or DEPARTMENT
    name: str
    parent: Any  # OrgUnit / Department / NewNode / None (a top-level department)
    first_row: int
    rows: int = 0
    obj: Any = None

    @property
    def label(self) -> str:
        if self.parent is None:
            return self.name
        parent = self.parent.label if isinstance(self.parent, NewNode) else self.parent.name
        return f"{parent}{SEPARATOR}{self.name}"

    @property
    def parent_label(self) -> str:
        if self.parent is None:
            return ""
        return self.parent.label if isinstance(self.parent, NewNode) else self.parent.name


@dataclass(frozen=True)
class MissingItem:
    """A department or union unit the file names but the system lacks (for the preview)."""

    kind: str  # "unit" or "department"
    label: str  # the full path as it will be, e.g. "第一分工会/新班组"
    name: str
    parent: str  # the parent's name or path, "" for a top-level department
    rows: int  # rows that will be in it or below it
    first_row: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.label}"

    @property
    def kind_label(self) -> str:
        return _("工会小组") if self.kind == UNIT else _("部门")


class Resolver:
    """Finds units or departments by code (first) or name, compared compactly, case-folded."""

    def __init__(self, objects: Iterable[Any], kind: str):
        self.kind = kind
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}
        self.children: dict[int | None, dict[str, list[Any]]] = {}
        for obj in objects:
            self.by_code[n.normalize_key(obj.code)] = obj
            key = n.normalize_key(obj.name)
            self.by_name.setdefault(key, []).append(obj)
            self.children.setdefault(obj.parent_id, {}).setdefault(key, []).append(obj)

    def find(self, ref: str) -> tuple[Any, str | None, bool]:
        """(object, problem, not_found) for a whole cell: by code, then by unique name."""
        key = n.normalize_key(ref)
        if key in self.by_code:
            return self.by_code[key], None, False
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return found[0], None, False
        if found:
            codes = "、".join(sorted(o.code for o in found))
            if self.kind == UNIT:
                problem = _(
                    "有多个工会叫这个名称，请改填工会代码（%(codes)s）或写成“上级工会/名称”"
                ) % {"codes": codes}
            else:
                problem = _(
                    "有多个部门叫这个名称，请改填部门代码（%(codes)s）或写成“上级部门/名称”"
                ) % {"codes": codes}
            return None, problem, False
        return None, None, True

    def child(self, parent: Any, name: str) -> tuple[Any, str | None]:
        found = self.children.get(parent.pk, {}).get(n.normalize_key(name), [])
        if len(found) > 1:
            codes = "、".join(sorted(o.code for o in found))
            return None, _("“%(parent)s”下有多个同名的下级，请改填代码（%(codes)s）") % {
                "parent": parent.name,
                "codes": codes,
            }
        return (found[0] if found else None), None


def _segments(ref: str) -> list[str] | None:
    """The levels of a path cell, or None when the cell is not a path."""
    if SEPARATOR not in ref:
        return None
    return [n.clean_text(s) for s in ref.split(SEPARATOR)]


class RosterRefs:
    """Resolves one import's 所属工会 and 部门 cells; remembers the new nodes it needs."""

    def __init__(self, actor, *, units: list[OrgUnit], departments: list[Department]):
        self.actor = actor
        self.units = Resolver(units, UNIT)
        self.departments = Resolver(departments, DEPARTMENT)
        self.unit_by_id = {u.pk: u for u in units}
        self._new: dict[tuple[Any, ...], NewNode] = {}
        self._unit_cache: dict[str, tuple[Any, str | None]] = {}
        self._department_cache: dict[str, tuple[Any, str | None]] = {}
        self._may_create: dict[int, bool] = {}
        self._home: tuple[OrgUnit | None, str | None] | None = None

    # --- departments --------------------------------------------------------------------------
    def department(self, ref: str, row: int) -> tuple[Department | NewNode | None, str | None]:
        cached = self._department_cache.get(ref)
        if cached is None:
            cached = self._department_cache[ref] = self._department(ref, row)
        _count(cached[0])
        return cached

    def _department(self, ref: str, row: int) -> tuple[Any, str | None]:
        found, problem, not_found = self.departments.find(ref)
        if not not_found:
            return found, problem
        segments = _segments(ref) or [n.clean_text(ref)]
        if any(not s for s in segments):
            return None, _("部门路径中有空的一级，请写成“上级部门/部门”")
        if any(len(s) > MAX_NAME for s in segments):
            return None, _("部门名称不能超过 %(n)d 个字") % {"n": MAX_NAME}
        node: Any = None
        for index, name in enumerate(segments):
            if index == 0:
                found, problem, not_found = self.departments.find(name)
                if problem:
                    return None, problem
            elif isinstance(node, Department):
                found, problem = self.departments.child(node, name)
                if problem:
                    return None, problem
            else:
                found = None
            node = found if found is not None else self._new_node(DEPARTMENT, name, node, row)
        return node, None

    # --- units --------------------------------------------------------------------------------
    def unit(self, ref: str, row: int) -> tuple[OrgUnit | NewNode | None, str | None]:
        cached = self._unit_cache.get(ref)
        if cached is None:
            cached = self._unit_cache[ref] = self._unit(ref, row)
        _count(cached[0])
        return cached

    def _unit(self, ref: str, row: int) -> tuple[Any, str | None]:
        found, problem, not_found = self.units.find(ref)
        if not not_found:
            return found, problem
        segments = _segments(ref)
        if segments is None:
            parent, problem = self.home_for_new_units()
            if parent is None:
                return None, problem
            name = n.clean_text(ref)
        else:
            if any(not s for s in segments):
                return None, _("工会路径中有空的一级，请写成“上级工会/工会小组”")
            parent, problem, _nf = self.units.find(segments[0])
            if parent is None:
                return None, problem or _("找不到上级工会“%(name)s”") % {"name": segments[0]}
            for name in segments[1:-1]:
                child, problem = self.units.child(parent, name)
                if child is None:
                    return None, problem or _("找不到上级工会“%(name)s”") % {"name": name}
                parent = child
            name = segments[-1]
            child, problem = self.units.child(parent, name)
            if child is not None or problem:
                return child, problem
        if len(name) > MAX_NAME:
            return None, _("工会名称不能超过 %(n)d 个字") % {"n": MAX_NAME}
        if parent.kind == OrgUnit.Kind.GROUP:
            return None, _("找不到该工会；工会小组“%(parent)s”下不能再新建工会小组") % {
                "parent": parent.name
            }
        if not self._may_create_under(parent):
            return None, _("找不到该工会；您无权在“%(parent)s”下新建工会小组") % {
                "parent": parent.name
            }
        return self._new_node(UNIT, name, parent, row), None

    def _may_create_under(self, parent: OrgUnit) -> bool:
        if self.actor is None:
            return True
        if parent.pk not in self._may_create:
            self._may_create[parent.pk] = has_perm(
                self.actor, "org.change_member", unit=parent
            ) and has_perm(self.actor, "org.import_members", unit=parent)
        return self._may_create[parent.pk]

    def _root(self) -> OrgUnit | None:
        roots = [u for u in self.unit_by_id.values() if u.parent_id is None]
        return roots[0] if len(roots) == 1 else None

    def _single_unit(self, code: str) -> OrgUnit | None:
        """The one unit where the actor holds `code` (the root for the system), else None."""
        if self.actor is None:
            return self._root()
        prefixes = unit_prefixes(self.actor, code)
        if len(prefixes) != 1:
            return None
        if prefixes[0] == GLOBAL:
            return self._root()
        return next((u for u in self.unit_by_id.values() if u.path == prefixes[0]), None)

    def home_for_new_units(self) -> tuple[OrgUnit | None, str | None]:
        """Where a union group named without a parent is created: the cadre's unit."""
        if self._home is None:
            home = self._single_unit("org.change_member")
            problem = None
            if home is None:
                problem = _(
                    "找不到该工会；要新建工会小组，请写成“上级工会/工会小组”，如“第一分工会/新班组”"
                )
            self._home = (home, problem)
        return self._home

    def importer_unit(self) -> OrgUnit | None:
        """The importing cadre's unit when their import scope is a single unit (else None;
        None for the system)."""
        if self.actor is None:
            return None
        return self._single_unit("org.import_members")

    def default_unit_of(self, department: Any) -> OrgUnit | None:
        if isinstance(department, Department) and department.default_org_unit_id:
            return self.unit_by_id.get(department.default_org_unit_id)
        return None

    # --- new nodes ----------------------------------------------------------------------------
    def _new_node(self, kind: str, name: str, parent: Any, row: int) -> NewNode:
        if parent is None:
            parent_key: tuple[Any, ...] = ("top",)
        elif isinstance(parent, NewNode):
            parent_key = ("new", id(parent))
        else:
            parent_key = ("pk", parent.pk)
        key = (kind, *parent_key, n.normalize_key(name))
        node = self._new.get(key)
        if node is None:
            node = self._new[key] = NewNode(kind, name, parent, row)
        return node

    def missing(self) -> list[MissingItem]:
        """Departments first, then units; each in the order the file first names them."""
        nodes = sorted(
            self._new.values(), key=lambda node: (node.kind != DEPARTMENT, node.first_row)
        )
        return [
            MissingItem(
                node.kind, node.label, node.name, node.parent_label, node.rows, node.first_row
            )
            for node in nodes
        ]

    def create_missing(self) -> list[NewNode]:
        """Create every new node, parents first (callers hold the import's transaction);
        returns the nodes, each with its `obj`."""
        unit_codes = set(OrgUnit.objects.values_list("code", flat=True))
        department_codes = set(Department.objects.values_list("code", flat=True))
        next_department = [1]
        nodes = list(self._new.values())  # a parent is always met before its children
        for node in nodes:
            parent = node.parent.obj if isinstance(node.parent, NewNode) else node.parent
            if node.kind == DEPARTMENT:
                code = _free_code(department_codes, "D-", next_department)
                node.obj = Department.objects.create(name=node.name, code=code, parent=parent)
            else:
                siblings = OrgUnit.objects.filter(parent=parent).count()
                code = _unit_code(unit_codes, parent.code, siblings + 1)
                node.obj = OrgUnit.objects.create(
                    name=node.name,
                    code=code,
                    kind=OrgUnit.Kind.GROUP,
                    parent=parent,
                    sort_order=siblings + 1,
                )
            node.obj.path = (parent.path if parent is not None else "/") + f"{node.obj.pk}/"
            node.obj.save(update_fields=["path"])
        return nodes


def _count(node: Any) -> None:
    """One more row in `node` (and so in each new level above it)."""
    while isinstance(node, NewNode):
        node.rows += 1
        node = node.parent


def _free_code(taken: set[str], prefix: str, counter: list[int]) -> str:
    while True:
        code = f"{prefix}{counter[0]:03d}"
        counter[0] += 1
        if code not in taken:
            taken.add(code)
            return code


def _unit_code(taken: set[str], parent_code: str, start: int) -> str:
    """ "B1-G5" under B1, as the demo numbers its groups; "G-001"… when that would be too long."""
    number = start
    while len(f"{parent_code}-G{number}") <= MAX_CODE:
        code = f"{parent_code}-G{number}"
        if code not in taken:
            taken.add(code)
            return code
        number += 1
    return _free_code(taken, "G-", [1])
