"""Compliance checks: a breach opens a grievance in module cases (through the core hook), and
the representatives of the contract's units read the contract's performance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from zhijia.bargaining.actions import compliance as actions
from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.models import ComplianceCheck, Contract
from zhijia.bargaining.queries import compliance as queries
from zhijia.bargaining.tests.support import new_contract
from zhijia.bargaining.workflows import CONTRACT
from zhijia.cases.models import Grievance

pytestmark = pytest.mark.django_db


def effective_contract(cadre, unit_code="B1") -> Contract:
    contract = new_contract(cadre, unit_code)
    Contract.objects.filter(pk=contract.pk).update(
        state=CONTRACT.states.effective,
        effective_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2028, 12, 31),
    )
    return Contract.objects.get(pk=contract.pk)


def test_a_breach_check_creates_a_grievance(personas):
    branch1 = personas["branch1"]
    contract = effective_contract(branch1)
    met = actions.do_schedule_check(
        actor=branch1,
        contract=contract,
        clause_number=2,
        due_on=dt.date(2026, 6, 30),
        responsible="李四",
    )
    breach = actions.do_schedule_check(
        actor=branch1,
        contract=contract,
        clause_number=1,
        due_on=dt.date(2026, 12, 31),
        responsible="李四",
    )
    actions.do_record_check_result(actor=branch1, check=met, result="met", finding="已执行")
    assert not Grievance.objects.exists()
    check = actions.do_record_check_result(
        actor=branch1, check=breach, result="breached", finding="全年工资增长仅 2%，未达承诺。"
    )
    grievance = Grievance.objects.get()
    assert grievance.pk == check.grievance_id
    assert grievance.org_unit.code == "B1" and grievance.category == "wages"
    assert "未履行" in grievance.text and "仅 2%" in grievance.text
    assert check.grievance_url == grievance.get_absolute_url()
    assert ComplianceCheck.objects.get(pk=breach.pk).result == "breached"
    with pytest.raises(BargainingError):  # a result is recorded once
        actions.do_record_check_result(actor=branch1, check=check, result="met", finding="")


def test_only_measurable_clauses_of_a_contract_in_force_are_checked(personas):
    branch1 = personas["branch1"]
    draft = new_contract(branch1)
    with pytest.raises(BargainingError):
        actions.do_schedule_check(
            actor=branch1,
            contract=draft,
            clause_number=1,
            due_on=dt.date(2026, 6, 30),
            responsible="李四",
        )
    contract = effective_contract(branch1)
    with pytest.raises(BargainingError) as refused:  # clause 4 promises nothing measurable
        actions.do_schedule_check(
            actor=branch1,
            contract=contract,
            clause_number=4,
            due_on=dt.date(2026, 6, 30),
            responsible="李四",
        )
    assert refused.value.field == "clause_number"


def test_representatives_read_the_performance_of_their_units_contracts(personas):
    b1 = effective_contract(personas["branch1"], "B1")
    b2 = effective_contract(personas["branch2"], "B2")
    committee = effective_contract(personas["chair"], "U")
    rep1 = personas["rep1"]
    assert set(queries.performance_contracts(rep1)) == {b1, committee}
    assert queries.access_compliance(rep1, committee.pk) == committee
    with pytest.raises(Http404):
        queries.access_compliance(rep1, b2.pk)
    assert set(queries.performance_contracts(personas["chair"])) == {b1, b2, committee}
