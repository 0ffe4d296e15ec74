"""Pages of compliance checks: the performance of the contracts in force, a standing subject
of the representatives' inspections; the cadres schedule checks and record their results (a
breach becomes a grievance in module cases)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.bargaining import exports
from zhijia.bargaining.actions import compliance as actions
from zhijia.bargaining.forms.contracts import CheckForm, CheckResultForm
from zhijia.bargaining.models import ComplianceCheck
from zhijia.bargaining.queries import compliance as queries
from zhijia.bargaining.queries import contracts as contract_queries
from zhijia.bargaining.views.common import require_manager
from zhijia.bargaining.views.contracts import contract_page
from zhijia.core import excel
from zhijia.core.attachments import attachments_for
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import step_view


@login_required
def compliance_list(request):
    if not queries.may_read_compliance(request.user):
        raise PermissionDenied
    return render(
        request,
        "bargaining/compliance_list.html",
        {
            "title": _("集体合同履行情况"),
            "contracts": paginate(request, queries.performance_contracts(request.user)),
        },
    )


@login_required
def compliance(request, contract_id: int):
    contract = queries.access_compliance(request.user, contract_id)
    checks = list(queries.checks_of(contract))
    counts = {r: sum(1 for c in checks if c.result == r) for r in ComplianceCheck.Result.values}
    return render(
        request,
        "bargaining/compliance.html",
        {
            "title": _("履约检查：%(title)s") % {"title": contract.title},
            "contract": contract,
            "checks": [(c, attachments_for(c)) for c in checks],
            "counts": counts,
            "manages": queries.manages(request.user, contract.org_unit),
        },
    )


@login_required
@require_POST
def check_new(request, contract_id: int):
    require_manager(request)
    contract = contract_queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=CheckForm(request.POST),
        call=lambda d: actions.do_schedule_check(
            actor=request.user,
            contract=contract,
            clause_number=d["clause_number"],
            due_on=d["due_on"],
            responsible=d["responsible"],
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"check": f}, status=status
        ),
        success_url=reverse("bargaining:contract", args=[contract.pk]),
        message=_("已安排履约检查"),
    )


@login_required
@require_POST
def check_result(request, check_id: int):
    require_manager(request)
    check = queries.access_managed_check(request.user, check_id)
    contract = check.contract
    return step_view(
        request,
        form=CheckResultForm(request.POST, request.FILES),
        call=lambda d: actions.do_record_check_result(
            actor=request.user,
            check=check,
            result=d["result"],
            finding=d["finding"],
            uploads=d["evidence"],
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"result": f}, status=status
        ),
        success_url=reverse("bargaining:contract", args=[contract.pk]),
        message=_("检查结果已登记"),
    )


@login_required
def checks_export(request, contract_id: int):
    """The checks of a contract in force, for whoever reads its performance."""
    contract = queries.access_compliance(request.user, contract_id)
    sheet = exports.checks_sheet(contract, queries.checks_of(contract).iterator())
    return excel.xlsx_response(_("履约检查.xlsx"), sheet)
