"""Reads of compliance checks. The performance of a contract in force (its checks and their
results) is a standing subject for the representatives' inspections: it is read by the
representatives (Role.REPRESENTATIVE) whose unit lies in the contract's unit subtree, and by
its cadres; 404 for anyone else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.bargaining.models import ComplianceCheck, Contract
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries.common import manages, may_manage, pk_or_404
from zhijia.bargaining.queries.contracts import PUBLISHED
from zhijia.core.permissions import scope_q
from zhijia.core.unitpaths import path_prefixes


def representative_paths(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        RoleAssignment.objects.filter(
            user=user, role=Role.REPRESENTATIVE, org_unit__isnull=False
        ).values_list("org_unit__path", flat=True)
    )


def may_read_compliance(user) -> bool:
    return may_manage(user) or bool(representative_paths(user))


def _represents(user, contract: Contract) -> bool:
    return any(path.startswith(contract.org_unit.path) for path in representative_paths(user))


def performance_contracts(user) -> QuerySet[Contract]:
    """Contracts in force or expired that the user may inspect."""
    covering = {prefix for path in representative_paths(user) for prefix in path_prefixes(path)}
    return (
        Contract.objects.filter(state__in=PUBLISHED)
        .filter(scope_q(user, MANAGE, path_field="org_unit__path") | Q(org_unit__path__in=covering))
        .select_related("org_unit")
        .order_by("-effective_on", "-id")
    )


def access_compliance(user, contract_id) -> Contract:
    """403 for a user who inspects no contract; 404 for a contract outside their reach."""
    if not may_read_compliance(user):
        raise PermissionDenied
    contract = (
        Contract.objects.filter(pk=pk_or_404(contract_id), state__in=PUBLISHED)
        .select_related("org_unit")
        .first()
    )
    if contract is None or not (manages(user, contract.org_unit) or _represents(user, contract)):
        raise Http404
    return contract


def checks_of(contract: Contract) -> QuerySet[ComplianceCheck]:
    return contract.checks.select_related("clause").order_by("due_on", "id")


def access_managed_check(user, check_id) -> ComplianceCheck:
    check = (
        ComplianceCheck.objects.filter(pk=pk_or_404(check_id))
        .select_related("contract__org_unit", "clause")
        .first()
    )
    if check is None or not manages(user, check.contract.org_unit):
        raise Http404
    return check


def access_check_for_files(user, check_id) -> ComplianceCheck:
    """Evidence files: whoever reads the contract's compliance."""
    check = ComplianceCheck.objects.filter(pk=pk_or_404(check_id)).first()
    if check is None:
        raise Http404
    access_compliance(user, check.contract_id)
    return check
