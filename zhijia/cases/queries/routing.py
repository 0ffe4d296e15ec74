"""Reads of the routing rules that send a new grievance to its handling unit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.cases import rules
from zhijia.cases.models import (
    RoutingRule,
)
from zhijia.cases.permissions import (
    CONFIGURE_ROUTING,
)
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import OrgUnit
from zhijia.org.queries.members import parse_id


def matching_rule(category: str, origin: OrgUnit) -> RoutingRule | None:
    candidates = list(
        RoutingRule.objects.filter(category__in=["", category]).select_related(
            "scope", "target_unit", "department"
        )
    )
    views = [rules.RuleView(r.pk, r.category, r.scope.path) for r in candidates]
    chosen = rules.choose_rule(views, category, origin.path)
    return next((r for r in candidates if chosen and r.pk == chosen.id), None)


def default_handling_unit(origin: OrgUnit) -> OrgUnit:
    path = rules.default_handling_path(origin.path)
    return OrgUnit.objects.filter(path=path).first() or origin


def routing_rules_for(user) -> QuerySet[RoutingRule]:
    if not has_perm(user, CONFIGURE_ROUTING):
        raise PermissionDenied(CONFIGURE_ROUTING)
    return RoutingRule.objects.filter(
        scope_q(user, CONFIGURE_ROUTING, path_field="scope__path")
    ).select_related("scope", "target_unit", "department")


def access_routing_rule(user, rule_id: Any) -> RoutingRule:
    pk = parse_id(rule_id)
    rule = routing_rules_for(user).filter(pk=pk).first() if pk else None
    if rule is None:
        raise Http404
    return rule


def routing_scope_units(user, code: str = CONFIGURE_ROUTING) -> list[OrgUnit]:
    return [u for u in OrgUnit.objects.order_by("path") if has_perm(user, code, unit=u)]
