"""Reads of the province table and of the legal minimums."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.org.models import OrgUnit
from zhijia.women.models import Province
from zhijia.women.permissions import CONFIGURE, MANAGE
from zhijia.women.queries.common import pk_or_404


def provinces() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def may_read_table(user) -> bool:
    return has_perm(user, MANAGE)


def may_configure(user) -> bool:
    """The table is one for the whole union: its editor holds women.configure over the top."""
    prefixes = unit_prefixes(user, CONFIGURE)
    if GLOBAL in prefixes:
        return True
    roots = OrgUnit.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return any(root in prefixes for root in roots)


def access_province(user, province_id) -> Province:
    if not may_configure(user):
        raise PermissionDenied(CONFIGURE)
    province = Province.objects.filter(pk=pk_or_404(province_id)).first()
    if province is None:
        raise Http404
    return province
