"""Reads shared by the assistance subjects: the org path helpers, the effective configuration
of a unit, committee-level permission. (Who to notify: zhijia.core.permissions.holders.)

Subject reads live in queries_registry.py, queries_applications.py, queries_ledger.py and
queries_visits.py.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhijia.assistance import rules
from zhijia.assistance.models import AssistanceConfig
from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.core.unitpaths import path_prefixes
from zhijia.org.models import OrgUnit
from zhijia.org.queries.members import parse_id

__all__ = [
    "branch_of",
    "committee_of",
    "config_for",
    "eligibility_config_for",
    "holds_at_committee",
    "parse_id",
    "scope_path_q",
]


def committee_of(unit: OrgUnit) -> OrgUnit | None:
    """The nearest union committee at or above `unit`."""
    for candidate in reversed(unit.lineage()):
        if candidate.kind == OrgUnit.Kind.COMMITTEE:
            return candidate
    return None


def branch_of(unit: OrgUnit) -> OrgUnit:
    """The branch union at or above `unit`; the unit itself when it is above any branch."""
    for candidate in reversed(unit.lineage()):
        if candidate.kind == OrgUnit.Kind.BRANCH:
            return candidate
    return unit


def holds_at_committee(user, code: str, unit: OrgUnit) -> bool:
    """Whether `user` holds `code` over the union committee above `unit` (a branch cadre does
    not, even over their own branch)."""
    committee = committee_of(unit)
    return committee is not None and has_perm(user, code, unit=committee)


def scope_path_q(user, code: str, path_field: str, *, with_ancestors: bool = False) -> Q:
    """Records whose unit lies in the user's scope for `code`; with `with_ancestors`, also the
    records of units above the scope (a branch cadre sees the committee's campaigns)."""
    prefixes = unit_prefixes(user, code)
    if not prefixes:
        return Q(pk__in=[])
    if GLOBAL in prefixes:
        return Q()
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{path_field}__startswith": prefix})
        if with_ancestors:
            q |= Q(**{f"{path_field}__in": path_prefixes(prefix)})
    return q


# --- configuration ----------------------------------------------------------------------------


def config_for(unit: OrgUnit | None) -> AssistanceConfig:
    """The configuration in force for `unit`: its own row, else the nearest one above, else the
    defaults (an unsaved row)."""
    if unit is not None:
        paths = unit.path_prefixes()
        rows = {
            c.org_unit.path: c
            for c in AssistanceConfig.objects.select_related("org_unit").filter(
                org_unit__path__in=paths
            )
        }
        for path in reversed(paths):
            if path in rows:
                return rows[path]
    return AssistanceConfig()


def eligibility_config_for(unit: OrgUnit | None) -> rules.EligibilityConfig:
    return config_for(unit).eligibility()


def get_config_row(unit: OrgUnit) -> AssistanceConfig | None:
    return AssistanceConfig.objects.filter(org_unit=unit).first()


def units_in_scope(user, code: str) -> QuerySet[OrgUnit]:
    """The org units where `user` holds `code`, in tree order (for unit pickers; for an id in
    a request, with core.api_errors.record_in_body)."""
    prefixes = unit_prefixes(user, code)
    if not prefixes:
        return OrgUnit.objects.none()
    qs = OrgUnit.objects.all()
    if GLOBAL not in prefixes:
        q = Q()
        for prefix in prefixes:
            q |= Q(path__startswith=prefix)
        qs = qs.filter(q)
    return qs.order_by("path")


def units_for(user, code: str) -> list[OrgUnit]:
    """The org units where `user` holds `code`, in tree order (for unit pickers)."""
    return list(units_in_scope(user, code))


def all_units() -> QuerySet[OrgUnit]:
    """Every org unit (the eligibility calculator reads any unit's 低保 line)."""
    return OrgUnit.objects.all()
