"""What the bargaining pages share: the access checks before a record is looked up."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhijia.bargaining.queries.common import is_member, managed_units, may_manage

__all__ = ["managed_units"]


def require_manager(request) -> None:
    if not may_manage(request.user):
        raise PermissionDenied


def require_member(request) -> None:
    if not is_member(request.user):
        raise PermissionDenied
