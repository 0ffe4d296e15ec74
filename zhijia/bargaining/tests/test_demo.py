"""seed-demo: contracts in force with checks (one breached), and a round in progress."""

from __future__ import annotations

import pytest

from zhijia.bargaining.demo import seed_demo
from zhijia.bargaining.models import ComplianceCheck, Contract, Round
from zhijia.bargaining.workflows import CONTRACT, ROUND
from zhijia.cases.models import Grievance

pytestmark = pytest.mark.django_db


def test_seed_demo_is_plausible_and_idempotent(personas):
    assert "2 contracts in force" in seed_demo()
    contracts = Contract.objects.all()
    assert {c.kind for c in contracts} == {"general", "wage"}
    assert all(c.in_state(CONTRACT.states.effective) for c in contracts)
    results = sorted(ComplianceCheck.objects.values_list("result", flat=True))
    assert results == ["breached", "met", "met", "met", "pending"]
    breach = ComplianceCheck.objects.get(result="breached")
    assert Grievance.objects.filter(pk=breach.grievance_id).exists()
    round_ = Round.objects.get()
    assert round_.in_state(ROUND.states.requested) and round_.answer_due_on is not None
    assert round_.demands.count() == 4
    assert "already" in seed_demo()
    assert Contract.objects.count() == 2
