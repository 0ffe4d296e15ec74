"""Shared fixtures: the demo union's personas, signed-in clients and API clients.

Module-wide worlds (see `module_db`): a permission matrix asks the same question of hundreds
of rows, each on the same few records. Building the demo union and those records once per
module, and rolling each row back to them, keeps the rows' assertions as they were while the
rows cost only their own requests.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

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


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests of hashing itself override this back.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def demo_units(db):
    return ensure_demo_structure()


@pytest.fixture
def personas(demo_units):
    """The demo accounts (DESIGN.md) as a dict username -> User."""
    return ensure_demo_accounts()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """An outer transaction around a whole test module, rolled back at its end.

    Module-scoped fixtures that depend on this one may write to the database (unblocked, with
    fast password hashing); each test still asks for `db`, whose transaction then nests inside
    this one as a savepoint, so every test starts from the module's rows and its own writes
    are rolled back. Not for modules with transactional tests (they would flush the rows).
    """
    from django.db import transaction

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        # Like the atomic blocks of TestCase: a durable atomic block may nest inside it.
        outer._from_testcase = True
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_demo_units(module_db):
    """demo_units, built once for the module (override demo_units with it)."""
    return ensure_demo_structure()


@pytest.fixture(scope="module")
def module_personas(module_demo_units):
    """personas, built once for the module (override personas with it)."""
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
