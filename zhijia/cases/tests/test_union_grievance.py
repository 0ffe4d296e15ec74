"""The grievance opener cases provides through zhijia.core.hooks (for bargaining's breached
contract clauses): cases' own routing, numbering, workflow and permission."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.cases.models import Grievance
from zhijia.cases.workflows import GRIEVANCE
from zhijia.core.hooks import grievance_opener
from zhijia.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_a_cadre_opens_a_grievance_for_a_unit_of_their_scope(personas):
    unit = OrgUnit.objects.get(code="B1")
    opened = grievance_opener().open_grievance(
        actor=personas["branch1"],
        unit=unit,
        title="集体合同未履行",
        text="夜班津贴未调整。",
        category="wages",
    )
    grievance = Grievance.objects.get(pk=opened.id)
    assert grievance.org_unit == unit and grievance.submitter == personas["branch1"]
    assert grievance.in_state(GRIEVANCE.states.submitted, GRIEVANCE.states.assigned)
    assert opened.url == grievance.get_absolute_url() and opened.number == grievance.number
    assert grievance.text.startswith("集体合同未履行")


def test_not_for_a_unit_outside_the_scope(personas):
    with pytest.raises(PermissionDenied):
        grievance_opener().open_grievance(
            actor=personas["branch2"],
            unit=OrgUnit.objects.get(code="B1"),
            title="集体合同未履行",
            text="夜班津贴未调整。",
        )
    assert not Grievance.objects.exists()
