"""The demo union written back by the test fixtures (conftest.demo_structure / demo_accounts)
is the demo union the demo's own functions built: every table, row for row.

The fixtures' first round on an empty database builds the union with ensure_demo_structure and
ensure_demo_accounts and remembers its rows; every later round writes them back. A second build
would differ where it must (ids drawn from PostgreSQL's sequences, which a rollback does not
rewind; password salts, encryption nonces), so the written-back union is compared with the
first build itself, every table of the project included, but for the times Django stamps on
writing."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

import conftest


def _stamped(model) -> set[str]:
    """Fields Django stamps with the time of writing (auto_now, auto_now_add): a row written
    back gets the time it is written, as a newly built one would."""
    return {
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }


# Written by database triggers at every change of the tables the dashboards read (zhijia.core.
# figure_cache): its ids count the changes, which a build and a write-back make differently.
CHANGE_LOG = "core.FigureChange"


def _every_table() -> dict:
    tables = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy and model._meta.label != CHANGE_LOG:
            stamped = _stamped(model)
            tables[model._meta.label] = [
                {k: v for k, v in row.items() if k not in stamped} for row in conftest._rows(model)
            ]
    return tables


def _fixture_round() -> dict:
    with transaction.atomic():
        conftest.demo_structure()
        conftest.demo_accounts()
        tables = _every_table()
        transaction.set_rollback(True)
    return tables


def test_the_demo_union_written_back_equals_the_one_built(db):
    conftest._DEMO_ROWS.clear()
    built = _fixture_round()  # built by the demo's functions, and remembered
    assert built["org.Member"] and built["accounts.User"] and built["org.OrgUnit"]
    assert len(conftest._DEMO_ROWS) == 2, "the structure and the accounts were remembered"
    for _ in range(2):
        written = _fixture_round()  # written back
        changed = [label for label in built if written[label] != built[label]]
        assert not changed, f"the written-back demo union differs in {changed}"
