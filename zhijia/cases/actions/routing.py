"""Writes on routing rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import Category, RoutingRule
from zhijia.cases.permissions import CONFIGURE_ROUTING
from zhijia.core import audit
from zhijia.core.permissions import has_perm


@transaction.atomic
def do_create_routing_rule(
    *,
    actor,
    scope,
    category: str = "",
    target_unit=None,
    department=None,
    deadline_workdays: int | None = None,
    note: str = "",
) -> RoutingRule:
    if scope is None or not has_perm(actor, CONFIGURE_ROUTING, unit=scope):
        raise PermissionDenied(CONFIGURE_ROUTING)
    errors = {}
    if category and category not in dict(Category.choices):
        errors["category"] = _("请选择有效的选项")
    if target_unit is not None and not has_perm(actor, CONFIGURE_ROUTING, unit=target_unit):
        errors["target_unit"] = _("只能分派给您负责范围内的工会组织")
    if target_unit is None and department is None and deadline_workdays is None:
        errors["department"] = _("请至少指定办理层级、承办部门或办理时限中的一项")
    if deadline_workdays is not None and not 1 <= int(deadline_workdays) <= 60:
        errors["deadline_workdays"] = _("办理时限应在 1 到 60 个工作日之间")
    if errors:
        raise CasesRefused.for_fields(errors)
    rule = RoutingRule.objects.create(
        scope=scope,
        category=category or "",
        target_unit=target_unit,
        department=department,
        deadline_workdays=deadline_workdays,
        note=(note or "").strip()[:200],
    )
    audit.record(
        actor=actor,
        action="cases.create_routing_rule",
        target=rule,
        unit=scope,
        data={
            "category": rule.category,
            "target_unit": target_unit.pk if target_unit else None,
            "department": department.pk if department else None,
            "deadline_workdays": deadline_workdays,
        },
    )
    return rule


@transaction.atomic
def do_delete_routing_rule(*, actor, rule: RoutingRule) -> None:
    if not has_perm(actor, CONFIGURE_ROUTING, unit=rule.scope):
        raise PermissionDenied(CONFIGURE_ROUTING)
    audit.record(
        actor=actor,
        action="cases.delete_routing_rule",
        target=rule,
        unit=rule.scope,
        data={"category": rule.category},
    )
    rule.delete()
