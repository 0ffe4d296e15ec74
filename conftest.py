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


def pytest_collection_modifyitems(config, items):
    """Test modules marked `slow` (a test of tens of seconds, or a module of hundreds) run
    first: pytest-xdist hands tests out in this order, and a long test handed out last would
    end the run alone on one worker while the others idle. The order within each module, and
    of the other modules, is kept."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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


# The demo union's rows as ensure_demo_structure and ensure_demo_accounts first wrote them on an
# empty database in this process: {model: [row values]}. Most tests ask for the demo union on an
# empty database; writing those ~50 rows back, one INSERT a table, costs a fraction of building
# them again (~300 queries: update_or_create, path rewrites, encrypted ID numbers, search
# fields). zhijia/org/tests/test_demo_rows.py compares every table after both ways.
_DEMO_ROWS: dict = {}


def _structure_models() -> list:
    from zhijia.org.models import Department, OrgUnit

    return [OrgUnit, Department]


def _account_models() -> list:
    from zhijia.accounts.models import RoleAssignment, User
    from zhijia.core.models import SearchEntry
    from zhijia.org.models import Member

    # The members' search entries too: the demo's functions index every member they create.
    return [User, RoleAssignment, Member, SearchEntry]


def _rows(model) -> list[dict]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values(*fields))


def _demo_rows(models: list, build, reusable: bool):
    """build() on an empty set of tables, remembering what it wrote; or, once remembered and
    when `reusable`, the same rows written back without building."""
    empty = not any(model.objects.exists() for model in models)
    key = tuple(models)
    if empty and reusable and key in _DEMO_ROWS:
        for model in models:
            model.objects.bulk_create(model(**row) for row in _DEMO_ROWS[key][model])
        return True
    build()
    if empty:
        _DEMO_ROWS[key] = {model: _rows(model) for model in models}
    return False


def demo_structure():
    """ensure_demo_structure(), written back when it was already built once on an empty
    database in this process."""
    from zhijia.org.models import OrgUnit

    _demo_rows(_structure_models(), ensure_demo_structure, reusable=True)
    return {unit.code: unit for unit in OrgUnit.objects.order_by("pk")}


def demo_accounts():
    """ensure_demo_accounts() on the demo structure, written back the same way (only when the
    units and departments are those the remembered accounts were built on)."""
    from zhijia.accounts.models import User
    from zhijia.org.demo import DEMO_ACCOUNTS

    structure = _DEMO_ROWS.get(tuple(_structure_models()), {})
    same_structure = bool(structure) and all(
        _rows(model) == structure[model] for model in _structure_models()
    )
    _demo_rows(_account_models(), ensure_demo_accounts, reusable=same_structure)
    users = {user.username: user for user in User.objects.all()}
    return {account.username: users[account.username] for account in DEMO_ACCOUNTS}


@pytest.fixture
def demo_units(db):
    return demo_structure()


@pytest.fixture
def personas(demo_units):
    """The demo accounts (DESIGN.md) as a dict username -> User."""
    return demo_accounts()


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
    return demo_structure()


@pytest.fixture(scope="module")
def module_personas(module_demo_units):
    """personas, built once for the module (override personas with it)."""
    return demo_accounts()


def private_storages(location) -> dict:
    """settings.STORAGES with uploads in `location` (a test's private temporary directory)."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploads of the test in its own temporary directory (returned)."""
    settings.STORAGES = private_storages(tmp_path / "uploads")
    return tmp_path / "uploads"


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
        # Stand in for a token exchanged with a two-factor code (as `login` does for sessions).
        token = ApiToken.issue(personas[username], two_factor=True)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return _client


__all__ = ["DEMO_PASSWORD", "PERSONAS"]
