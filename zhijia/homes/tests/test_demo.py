"""The demo of module homes: last year's closed round with a title, this year's open one;
idempotent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zhijia.homes import demo
from zhijia.homes.models import Assessment


@pytest.fixture
def personas(module_personas):
    return module_personas


def test_seed_demo_creates_two_rounds_once(db, personas):
    assert demo.seed_demo() == "homes: 2 rounds created"
    rows = {
        (a.round.is_closed, a.org_unit.code): (a.state, a.self_total, a.review_total, a.title)
        for a in Assessment.objects.select_related("round", "org_unit")
    }
    assert rows == {
        (True, "B1"): ("closed", D("96.00"), D("93.00"), "模范职工之家"),
        (True, "B2"): ("closed", D("88.00"), D("85.00"), ""),
        (False, "B1"): ("submitted", D("96.00"), None, ""),
        (False, "B2"): ("draft", D("88.00"), None, ""),
    }
    assert demo.seed_demo() == "homes: 0 rounds created"
