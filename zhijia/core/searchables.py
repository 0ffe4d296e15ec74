"""Searchable records: the record types of the global search, declared by the module that owns
them (in its `zhijia/<module>/dashboard.py`, section "Searchable records"), so the search box,
its page and GET /api/v1/search stay module-agnostic.

    from zhijia.core import searchables

    searchables.register(searchables.Searchable(
        type="cases.grievance",                 # SearchEntry.target_type of the records
        label=_("诉求"),
        module="cases",
        permission="cases.view_grievance",      # holders find the entries of their subtrees
        also_path=True,                         # ... also by the entries' second path
        extra_scope=lambda user: Q(...),        # more entries (own records, an audience)
        recheck=lambda user, ids: [...],        # the ids among the hits the user may open
        url=lambda target_id: reverse(...),
        reindex=lambda: (Entry(g.pk, g.title, g.text, g.org_unit.path) for g in ...),
    ))

    results = searchables.search_all(user, "加班工资")        # every type the user may find
    results = searchables.search_all(user, "zs", type_key="org.member")

Who finds what, in two steps:
1. the scope, a filter on the index's own fields: the subtrees (unit_path) where the user holds
   `permission` (a permission of the org tree), or `extra_scope(user)`; a type whose scope is
   empty for the user is not searched at all;
2. the re-check: `recheck(user, ids)` keeps only the hits the module's own access rules let the
   user open (the same querysets as its pages), so a scope drawn too wide never leaks a record.
A type without a re-check is decided by its scope alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from zhijia.core import memo, search
from zhijia.core.permissions import has_perm, scope_q

__all__ = [
    "Entry",
    "Group",
    "Results",
    "Searchable",
    "declared",
    "get",
    "register",
    "reindex",
    "scope_for",
    "search_all",
]

# Hits read per type and query: the counts shown are exact up to this, "100+" above it.
CAP = 100
NOTHING = Q(pk__in=[])
EVERYTHING = Q()


@dataclass(frozen=True)
class Entry:
    """What the index holds of one record (a full reindex yields these)."""

    id: Any
    title: str
    text: str
    unit_path: str
    also_path: str = ""


@dataclass(frozen=True)
class Searchable:
    type: str
    label: Any
    module: str
    url: Callable[[str], str]
    reindex: Callable[[], Iterable[Entry]]
    permission: str = ""
    # The permission's subtrees also find the entries by their second path (SearchEntry).
    also_path: bool = False
    extra_scope: Callable[[Any], Q | None] | None = None
    recheck: Callable[[Any, list[str]], Iterable[Any]] | None = None
    order: int = 100


_TYPES: dict[str, Searchable] = {}


def register(searchable: Searchable) -> Searchable:
    """Declare a record type (once, at start-up)."""
    if searchable.type in _TYPES and _TYPES[searchable.type] is not searchable:
        raise ValueError(f"searchable {searchable.type!r} is declared twice")
    if not searchable.type.startswith(f"{searchable.module}."):
        raise ValueError(f"searchable {searchable.type!r} must start with {searchable.module!r}")
    _TYPES[searchable.type] = searchable
    return searchable


def declared() -> list[Searchable]:
    return sorted(_TYPES.values(), key=lambda s: (s.order, s.type))


def get(type_key: str) -> Searchable | None:
    return _TYPES.get(type_key)


def scope_for(user, searchable: Searchable) -> Q | None:
    """The entries of this type the user may find (None: none at all)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    parts = []
    if searchable.permission and has_perm(user, searchable.permission):
        parts.append(scope_q(user, searchable.permission, path_field="unit_path"))
        if searchable.also_path:
            parts.append(scope_q(user, searchable.permission, path_field="also_path"))
    if searchable.extra_scope is not None:
        extra = searchable.extra_scope(user)
        if extra is not None:
            parts.append(extra)
    if not parts:
        return None
    if any(part == EVERYTHING for part in parts):
        return EVERYTHING  # (Q() | x is x in Django: an empty Q would be dropped, not win)
    q = NOTHING
    for part in parts:
        q |= part
    return q


@dataclass
class Group:
    searchable: Searchable
    hits: list[search.Hit] = field(default_factory=list)
    more: bool = False  # more than CAP matches: the count is a lower bound

    @property
    def count(self) -> int:
        return len(self.hits)

    def url(self, hit: search.Hit) -> str:
        return self.searchable.url(hit.target_id)


@dataclass
class Results:
    query: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def search_all(user, query: str, *, type_key: str = "") -> Results:
    """Each declared type the user may find (or only `type_key`), best hits first, each hit
    re-checked by its module; types without a hit are left out. One pass over the index."""
    if not (query or "").strip():
        return Results(query=query, groups=[])
    with memo.active():  # the modules' scopes and re-checks ask for the same records
        return _search_all(user, query, type_key)


def _search_all(user, query: str, type_key: str) -> Results:
    wanted = [s for s in declared() if not type_key or s.type == type_key]
    scopes = {}
    for searchable in wanted:
        scope = scope_for(user, searchable)
        if scope is not None:
            scopes[searchable.type] = scope
    found = search.search_by_type(query, scopes, per_type=CAP + 1)
    groups = []
    for searchable in wanted:
        hits = found.get(searchable.type, [])
        more = len(hits) > CAP
        hits = hits[:CAP]
        if searchable.recheck is not None and hits:
            allowed = {str(i) for i in searchable.recheck(user, [h.target_id for h in hits])}
            hits = [h for h in hits if h.target_id in allowed]
        if hits:
            groups.append(Group(searchable, hits, more))
    return Results(query=query, groups=groups)


def reindex(type_keys: Iterable[str] | None = None, *, batch_size: int = 2000) -> dict[str, int]:
    """Rebuild the entries of the declared types (all, or `type_keys`) from their records."""
    wanted = set(type_keys) if type_keys is not None else None
    counts = {}
    for searchable in declared():
        if wanted is not None and searchable.type not in wanted:
            continue
        counts[searchable.type] = search.replace_all(
            searchable.type,
            ((e.id, e.title, e.text, e.unit_path, e.also_path) for e in searchable.reindex()),
            batch_size=batch_size,
        )
    return counts
