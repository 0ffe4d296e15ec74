"""Materialised paths of the org and department trees, and keeping their copies right.

`path_prefixes("/1/4/17/")` -> ["/1/", "/1/4/", "/1/4/17/"]: the node and every node above it
(top first), the one implementation behind OrgUnit.path_prefixes(), Department.path_prefixes()
and core.permissions.holders().

Keeping the copies of org-unit paths in the shared tables right when the tree changes:

The search index, attachments and notifications store the path of the unit their record
belongs to (`unit_path`), so scope filters need no join. When a unit moves (or is merged into
another) the org module calls `rewrite_unit_paths(old, new)` in the same transaction, and those
copies follow. The audit log keeps the path as it was: it is a record of the past, and its
hash chain must not change.
"""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from zhijia.core.models import Attachment, Notification, SearchEntry


def path_prefixes(path: str) -> list[str]:
    """ "/1/4/17/" -> ["/1/", "/1/4/", "/1/4/17/"] (the node and its ancestors, top first)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def rewrite_unit_paths(old_prefix: str, new_prefix: str, *, subtree: bool = True) -> int:
    """Replace the prefix `old_prefix` by `new_prefix` in every stored unit path copy (with
    `subtree=False`: only the copies equal to `old_prefix`, the unit itself)."""
    if not old_prefix or old_prefix == new_prefix:
        return 0
    changed = 0
    for model in (SearchEntry, Attachment, Notification):
        if subtree:
            changed += model.objects.filter(unit_path__startswith=old_prefix).update(
                unit_path=Concat(Value(new_prefix), Substr("unit_path", len(old_prefix) + 1))
            )
        else:
            changed += model.objects.filter(unit_path=old_prefix).update(unit_path=new_prefix)
    return changed
