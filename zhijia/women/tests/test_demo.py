"""The demo of module women: a few consented registrations, a room with bookings, this
year's health check with sign-ups; idempotent."""

from __future__ import annotations

import pytest

from zhijia.org.tests.member_factory import make_member
from zhijia.women import demo
from zhijia.women.models import CheckSignup, Registration, RoomBooking


@pytest.fixture
def personas(module_personas):
    return module_personas


def test_seed_demo_creates_consented_registrations_once(db, personas):
    make_member("B1-G3", name="孙丽", gender="F")  # a generated member has no account
    first = demo.seed_demo()
    assert "3 registrations" in first
    registrations = list(Registration.objects.select_related("user"))
    assert {r.user.username for r in registrations} == {"worker1", "branch1", demo.TWINS_USERNAME}
    twins = Registration.objects.get(user__username=demo.TWINS_USERNAME)
    assert twins.get_details().babies == 2 and twins.department_consent
    assert not twins.user.has_usable_password()
    assert all(r.consent_text and r.consented_at for r in registrations)
    assert RoomBooking.objects.count() == 2
    assert CheckSignup.objects.count() == 3
    assert CheckSignup.objects.filter(completed_at__isnull=False).count() == 1
    assert demo.seed_demo() == (
        "women: 0 registrations, 0 nursing room bookings, 0 health check sign-ups created"
    )
    assert Registration.objects.count() == 3
