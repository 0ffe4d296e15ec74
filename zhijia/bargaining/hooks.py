"""What bargaining tells other modules through core.hooks: the facts of 集体合同履行情况 for a
congress inspection tour, over the contracts in force in the unit's subtree (registered in
BargainingConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.bargaining.models import ComplianceCheck, Contract
from zhijia.core.hooks import InspectionFact

IN_FORCE = "effective"


def inspection_facts(unit) -> list[InspectionFact]:
    contracts = Contract.objects.filter(org_unit__path__startswith=unit.path, state=IN_FORCE)
    checks = ComplianceCheck.objects.filter(contract__in=contracts)
    n_contracts = contracts.count()
    n_breached = checks.filter(result=ComplianceCheck.Result.BREACHED).count()
    n_late = checks.filter(
        result=ComplianceCheck.Result.PENDING, due_on__lt=timezone.localdate()
    ).count()
    url = reverse("bargaining:compliance-list")
    return [
        InspectionFact(_("生效的集体合同"), n_contracts, ok=n_contracts > 0, url=url),
        InspectionFact(_("履约检查发现未履行的条款"), n_breached, ok=n_breached == 0, url=url),
        InspectionFact(_("到期未做的履约检查"), n_late, ok=n_late == 0, url=url),
    ]
