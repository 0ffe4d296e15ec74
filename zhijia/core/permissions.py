"""The one permission layer: role × scope, deny by default.

Every module registers its permission codes here with the roles that hold them
(`register("org.view_member", roles=[...])`). A user holds a code over a scope: the org-unit
subtrees (or department subtrees, for handlers) of the role assignments whose role carries the
code; assignments without a unit or department are global. Views and API endpoints never
inspect roles themselves; they call:

  has_perm(user, code, unit=None)     may the user do this (somewhere / within this unit)?
  require(user, code, unit=None)      the same, raising PermissionDenied (403)
  scope_q(user, code, path_field)     a Q restricting a queryset to the user's scope
  unit_prefixes / department_prefixes the raw scope, for queries that need it
  holders(code, unit)                 the active users who hold it over a unit (recipients)

Records outside the scope are answered with 404 by the `access_<noun>` helpers of each module
(queries.py), so that their existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

GLOBAL = "/"  # every org path starts with "/", so this prefix covers the whole tree


@dataclass(frozen=True)
class Permission:
    code: str
    roles: frozenset[str]
    description: str
    # "org" scopes by the union tree, "department" by the enterprise departments.
    tree: str = "org"
    # Held only by a session (or API token) that passed the second factor: codes that read
    # the most sensitive records (hardship files). See `_verified`.
    two_factor: bool = False


_REGISTRY: dict[str, Permission] = {}


def register(
    code: str,
    *,
    roles: Iterable[str],
    description: str = "",
    tree: str = "org",
    two_factor: bool = False,
) -> None:
    if tree not in {"org", "department"}:
        raise ValueError(f"unknown tree {tree!r}")
    roles = frozenset(str(r) for r in roles)
    existing = _REGISTRY.get(code)
    if existing and (
        existing.roles != roles or existing.tree != tree or existing.two_factor != two_factor
    ):
        raise ValueError(f"permission {code} registered twice with different roles")
    _REGISTRY[code] = Permission(code, roles, description, tree, two_factor)


def registry() -> dict[str, Permission]:
    return dict(_REGISTRY)


def _permission(code: str) -> Permission:
    try:
        return _REGISTRY[code]
    except KeyError:
        # An unknown code is a programming error; failing loudly keeps the layer closed.
        raise LookupError(f"unregistered permission code {code!r}") from None


def _minimal(prefixes: list[str]) -> list[str]:
    """Drop prefixes covered by a shorter one: ["/1/", "/1/4/"] -> ["/1/"]."""
    result: list[str] = []
    for p in sorted(set(prefixes), key=len):
        if not any(p.startswith(q) for q in result):
            result.append(p)
    return result


def _verified(user) -> bool:
    """Did the user's session (or API token) pass the second factor? A request's user carries
    `is_verified` (django_otp's middleware for sessions, zhijia.api.BearerToken for tokens);
    a user object outside any request (the worker, a management command) is not a sign-in
    and has none: it is not held back."""
    is_verified = getattr(user, "is_verified", None)
    return True if is_verified is None else bool(is_verified())


def _prefixes(user, code: str, tree: str) -> list[str]:
    perm = _permission(code)
    if perm.tree != tree or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if perm.two_factor and not _verified(user):
        return []
    # Remembered on the user object, like its assignments (User.active_assignments): a page
    # asks about the same codes many times (the navigation alone asks a few dozen).
    memo = getattr(user, "_permission_prefixes", None)
    if memo is None:
        memo = {}
        user._permission_prefixes = memo
    if (code, tree) not in memo:
        memo[(code, tree)] = _assigned_prefixes(user, perm, tree)
    return list(memo[(code, tree)])


def _assigned_prefixes(user, perm: Permission, tree: str) -> list[str]:
    prefixes: list[str] = []
    for assignment in user.active_assignments():
        if assignment.role not in perm.roles:
            continue
        scope = assignment.org_unit if tree == "org" else assignment.department
        if assignment.org_unit_id is None and assignment.department_id is None:
            prefixes.append(GLOBAL)
        elif scope is not None:
            prefixes.append(scope.path)
    return _minimal(prefixes)


def unit_prefixes(user, code: str) -> list[str]:
    """Org-unit path prefixes over which `user` holds `code` ([] when none)."""
    return _prefixes(user, code, "org")


def department_prefixes(user, code: str) -> list[str]:
    """Department path prefixes over which `user` holds `code` ([] when none)."""
    return _prefixes(user, code, "department")


def has_perm(user, code: str, *, unit=None, department=None) -> bool:
    perm = _permission(code)
    prefixes = _prefixes(user, code, perm.tree)
    target = unit if perm.tree == "org" else department
    if target is None:
        return bool(prefixes)
    return any(target.path.startswith(p) for p in prefixes)


def withheld_for_two_factor(user, code: str) -> bool:
    """Would the user hold `code` somewhere once signed in with the second factor? (To tell
    her why a page is missing, and where to enrol.)"""
    perm = _permission(code)
    if not perm.two_factor or _verified(user):
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(_assigned_prefixes(user, perm, perm.tree))


def second_factor_would_open_more(user) -> bool:
    """Does the user hold, somewhere, a code that her sign-in without the second factor keeps
    back? (A 403 then says so: the refusal may be that.)"""
    return any(withheld_for_two_factor(user, code) for code, p in _REGISTRY.items() if p.two_factor)


def require(user, code: str, *, unit=None, department=None) -> None:
    if not has_perm(user, code, unit=unit, department=department):
        raise PermissionDenied(code)


def scope_q(user, code: str, *, path_field: str = "org_unit__path") -> Q:
    """A filter limiting a queryset to the subtrees where `user` holds `code`."""
    perm = _permission(code)
    prefixes = _prefixes(user, code, perm.tree)
    if not prefixes:
        return Q(pk__in=[])
    if GLOBAL in prefixes:
        return Q()
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{path_field}__startswith": prefix})
    return q


def holders(
    code: str,
    unit=None,
    *,
    department=None,
    nearest: bool = False,
    include_global: bool = True,
) -> list:
    """The active users who hold `code` over `unit` (or `department`, for a permission of the
    department tree): an assignment of a role carrying the code on the node or a node above
    it, or (with `include_global`) a global one. Ordered by user id.

    With `nearest=True` only the closest level that has holders: the node's own, else its
    parent's, up to the root, then the global holders (whom to tell about a new record
    without telling every level above it).
    """
    from django.contrib.auth import get_user_model

    from zhijia.core.unitpaths import path_prefixes

    perm = _permission(code)
    target = unit if perm.tree == "org" else department
    if target is None:
        raise ValueError(f"holders({code!r}) needs the node of the {perm.tree} tree")
    user_model = get_user_model()
    # The assignment model, reached through the user (core imports no module).
    assignments: Any = user_model._meta.get_field("role_assignments").related_model
    rows = assignments._default_manager.filter(role__in=sorted(perm.roles))
    scope = "org_unit__path" if perm.tree == "org" else "department__path"
    levels = [Q(**{scope: prefix}) for prefix in reversed(path_prefixes(target.path))]
    if include_global:
        levels.append(Q(org_unit__isnull=True, department__isnull=True))
    if not nearest:
        combined = Q(pk__in=[])
        for level in levels:
            combined |= level
        levels = [combined]
    for level in levels:
        users = list(
            user_model.objects.filter(is_active=True, pk__in=rows.filter(level).values("user_id"))
            .order_by("pk")
            .distinct()
        )
        if users:
            return users
    return []
