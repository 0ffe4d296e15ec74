"""The demo union written back by the test fixtures (conftest.demo_structure / demo_accounts)
is the demo union the demo's own functions build: every table, row for row.

Two builds differ only where they must: password salts, encryption nonces and creation times
(the rows written back keep the times of the process's first build); those are compared by
what they mean (the password checks, the ID number decrypts to the same) or left out."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.db import transaction

import conftest
from zhijia.core.crypto import decrypt
from zhijia.org.demo import DEMO_PASSWORD, ensure_demo_accounts, ensure_demo_structure

TIMES = {"date_joined", "created_at", "updated_at"}


def _meaning(row: dict) -> dict:
    row = {key: value for key, value in row.items() if key not in TIMES}
    if "password" in row:
        row["password"] = check_password(DEMO_PASSWORD, row["password"])
    if row.get("id_number_encrypted"):
        row["id_number_encrypted"] = decrypt(row["id_number_encrypted"])
    return row


def _every_table() -> dict:
    return {
        model._meta.label: [_meaning(row) for row in conftest._rows(model)]
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_the_demo_union_written_back_equals_the_one_built(db):
    # Built by the demo's functions, on an empty database.
    with transaction.atomic():
        ensure_demo_structure()
        ensure_demo_accounts()
        built = _every_table()
        transaction.set_rollback(True)
    assert built["org.Member"] and built["accounts.User"]
    # The fixtures: the first round builds and remembers, the second writes back.
    conftest._DEMO_ROWS.clear()
    for _ in range(2):
        with transaction.atomic():
            conftest.demo_structure()
            conftest.demo_accounts()
            written = _every_table()
            transaction.set_rollback(True)
        assert written.keys() == built.keys()
        changed = [label for label in built if written[label] != built[label]]
        assert not changed, f"the written-back demo union differs in {changed}"
    assert len(conftest._DEMO_ROWS) == 2, "both the structure and the accounts were remembered"
