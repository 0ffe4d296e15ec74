"""What the union units' and the departments' actions share: names among siblings, codes,
the change history, moving a subtree and pointing other records at a merge target.

No permission checks here: the callers (actions_units, actions_departments) check first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.errors import ActionRefused
from zhijia.core.unitpaths import rewrite_unit_paths
from zhijia.org import rules
from zhijia.org.models import Department, OrgChange, OrgUnit, recompute_paths

Node = OrgUnit | Department
N = TypeVar("N", OrgUnit, Department)


class OrgTreeError(ActionRefused):
    """A refused change to the union tree or the departments."""


def clean_name(raw: str, field: str = "name") -> str:
    name = rules.normalize_name(raw)
    error = rules.name_error(name)
    if error:
        raise OrgTreeError(_(error), field=field)
    return name


def check_sibling_name(
    model: type[Node], parent: Node | None, name: str, *, exclude: Node | None = None
) -> None:
    """Names are unique among the open children of one parent (closed ones keep theirs)."""
    siblings = model.objects.filter(closed_at__isnull=True, **{"parent": parent})
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    key = rules.name_key(name)
    for sibling in siblings.only("name"):
        if rules.name_key(sibling.name) == key:
            raise OrgTreeError(
                _("同一上级下已有名为“%(name)s”的组织") % {"name": sibling.name},
                field="name",
                status=409,
            )


def choose_code(model: type[Node], raw: str, *, prefix: str) -> str:
    """The code given (checked and unique), or the next free `prefix` + n."""
    code = rules.normalize_code(raw)
    taken = set(model.objects.values_list("code", flat=True))
    if not code:
        return rules.next_code(prefix, taken)
    error = rules.code_error(code)
    if error:
        raise OrgTreeError(_(error), field="code")
    if code.upper() in {c.upper() for c in taken}:
        raise OrgTreeError(_("代码“%(code)s”已被使用") % {"code": code}, field="code", status=409)
    return code


def create_node(node: N) -> N:
    """Insert a new node and set its path; a code taken concurrently is a conflict."""
    try:
        with transaction.atomic():
            node.save()
    except IntegrityError:
        raise OrgTreeError(_("代码已被使用，请换一个"), field="code", status=409) from None
    recompute_paths(node)
    return node


def write_change(
    node: Node,
    *,
    actor,
    action: str,
    old_name: str = "",
    new_name: str = "",
    old_parent: Node | None = None,
    new_parent: Node | None = None,
    data: dict[str, Any] | None = None,
) -> OrgChange:
    subject = {"org_unit": node} if isinstance(node, OrgUnit) else {"department": node}
    payload = dict(data or {})
    if old_parent is not None:
        payload["old_parent_id"] = old_parent.pk
    if new_parent is not None:
        payload["new_parent_id"] = new_parent.pk
    return OrgChange.objects.create(
        **subject,
        action=action,
        old_name=old_name,
        new_name=new_name,
        old_parent=old_parent.name if old_parent is not None else "",
        new_parent=new_parent.name if new_parent is not None else "",
        data=payload,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def reparent(node: Node, new_parent: Node) -> tuple[str, str, int]:
    """Put `node` under `new_parent` and rewrite its subtree's paths (and, for union units,
    the copies of those paths in the shared tables). Returns (old path, new path, how many
    descendants moved along)."""
    old_path = node.path
    node.parent = new_parent  # type: ignore[assignment]
    type(node).objects.filter(pk=node.pk).update(parent=new_parent)
    moved = recompute_paths(node)
    if isinstance(node, OrgUnit):
        rewrite_unit_paths(old_path, node.path)
    return old_path, node.path, moved


def move_children_for_merge(
    children: Sequence[Node], source: Node, target: Node, *, actor
) -> list[str]:
    """Put the open children of a merged unit or department under `target`, each move kept in
    its history; their names, in order."""
    for child in children:
        old_path, new_path, _moved = reparent(child, target)
        write_change(
            child,
            actor=actor,
            action=OrgChange.Action.MOVE,
            old_parent=source,
            new_parent=target,
            data={"old_path": old_path, "new_path": new_path, "merge": True},
        )
    return [child.name for child in children]


def close_merged(node: Node, target: Node, *, actor, summary: dict, target_data: dict) -> None:
    """Close a unit or department merged into `target`; the history of both says so."""
    node.closed_at = timezone.now()
    node.save(update_fields=["closed_at"])
    write_change(
        node,
        actor=actor,
        action=OrgChange.Action.MERGE_OUT,
        old_name=node.name,
        new_name=target.name,
        data=summary,
    )
    write_change(
        target,
        actor=actor,
        action=OrgChange.Action.MERGE_IN,
        old_name=node.name,
        new_name=target.name,
        data={"merged_id": node.pk, **target_data},
    )


def references_to(model: type[models.Model]) -> list[Any]:
    """Every foreign key (and one-to-one) in the project that points at `model`, including
    those declared with related_name="+" (found through the model's meta, so the org module
    never imports another module's models)."""
    fields: list[Any] = []
    for rel in model._meta.get_fields(include_hidden=True):
        if isinstance(rel, models.ForeignObjectRel) and (rel.one_to_many or rel.one_to_one):
            fields.append(rel.field)
    return fields


def field_label(field: models.Field) -> str:
    meta = field.model._meta
    return f"{meta.app_label}.{meta.model_name}.{field.name}"


def repoint_references(
    model: type[Node], old: Node, new: Node, *, keep: frozenset[str]
) -> dict[str, int]:
    """Point every record referring to `old` at `new`, except the fields in `keep`
    ("app.model.field"). A row that cannot move (a unique constraint: the target already has
    its own, e.g. a per-unit configuration) stays where it is. Returns the rows moved per field.
    """
    counts: dict[str, int] = {}
    for field in references_to(model):
        label = field_label(field)
        if label in keep:
            continue
        related = field.model
        manager = related._base_manager
        rows = manager.filter(**{field.name: old})
        if field.one_to_one and manager.filter(**{field.name: new}).exists():
            continue
        try:
            with transaction.atomic():
                moved = rows.update(**{field.name: new})
        except IntegrityError:
            moved = 0
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        moved += manager.filter(pk=pk).update(**{field.name: new})
                except IntegrityError:
                    continue
        if moved:
            counts[label] = moved
    return counts
