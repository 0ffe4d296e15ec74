"""Shared fixtures: the demo union's personas, signed-in clients and API clients."""

from __future__ import annotations

import pytest
from django.test import Client

from zhijia.org.demo import DEMO_PASSWORD, ensure_demo_accounts, ensure_demo_structure

PERSONAS = [
    "admin",
    "chair",
    "branch1",
    "branch2",
    "rep1",
    "worker1",
    "worker2",
    "handler1",
    "counselor1",
    "mediator1",
]


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in zh-hans: a test that switched language must not leak it."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests of hashing itself override this back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_units(db):
    return ensure_demo_structure()


@pytest.fixture
def personas(demo_units):
    """The demo accounts (DESIGN.md) as a dict username -> User."""
    return ensure_demo_accounts()


@pytest.fixture
def login(personas, client):
    """login("branch1") -> a Client signed in as that persona (two-factor marked verified)."""

    def _login(username: str) -> Client:
        c = Client()
        user = personas[username]
        c.force_login(user)
        session = c.session
        # Stand in for a completed TOTP step, as django_otp would record it.
        session["otp_device_id"] = _ensure_totp_device(user)
        session.save()
        return c

    return _login


def _ensure_totp_device(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device.persistent_id


@pytest.fixture
def api_client(personas):
    """api_client("branch1") -> a Client that sends that persona's bearer token."""
    from zhijia.accounts.models import ApiToken

    def _client(username: str) -> Client:
        token = ApiToken.issue(personas[username])
        return Client(headers={"Authorization": f"Bearer {token}"})

    return _client


__all__ = ["DEMO_PASSWORD", "PERSONAS"]
