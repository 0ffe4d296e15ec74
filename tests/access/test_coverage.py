"""Every route of the project has exactly one expectation in the access matrix.

The routes are generated (routes.py: every page of the URL conf, every operation of the
mounted APIs' OpenAPI documents); the expectations are the ROWS of every table
tests/access/test_<module>.py. A page or operation that no table declares fails here, and so
does a row naming a route that no longer exists, or a route declared by two tables.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from tests.access.routes import (
    all_routes,
    api_routes,
    is_api_route,
    missing_expectations,
    page_routes,
)

HERE = Path(__file__).parent
EXTRA_URLCONF = "tests.access.extra_urls"


def _api_under(prefix: str):
    return lambda route: is_api_route(route) and route.split(" ", 1)[1].startswith(prefix)


def tables() -> dict[str, list]:
    """module name -> its ROWS, for every tests/access/test_*.py that declares ROWS."""
    found = {}
    for file in sorted(HERE.glob("test_*.py")):
        module = importlib.import_module(f"tests.access.{file.stem}")
        rows = getattr(module, "ROWS", None)
        if rows is not None:
            found[file.stem.removeprefix("test_")] = rows
    return found


def declared_by_table() -> dict[str, set[str]]:
    """route -> the tables that declare it."""
    declared = defaultdict(set)
    for table, rows in tables().items():
        for row in rows:
            declared[row.route].add(table)
    return declared


def uncovered(routes, declared) -> list[str]:
    return missing_expectations(routes, declared)


def test_every_route_has_an_expectation():
    declared = declared_by_table()
    assert uncovered(all_routes(), declared) == []


def test_no_row_names_a_route_that_does_not_exist():
    assert sorted(set(declared_by_table()) - all_routes()) == []


def test_every_route_is_declared_by_one_table_only():
    twice = {route: sorted(t) for route, t in declared_by_table().items() if len(t) > 1}
    assert twice == {}


def test_row_keys_are_unique_within_a_table():
    for table, rows in tables().items():
        keys = [row.key for row in rows]
        assert sorted(k for k in set(keys) if keys.count(k) > 1) == [], table


def test_api_routes_come_from_the_served_openapi_document(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert api_routes(served.json()) == api_routes()


def test_the_whole_project_is_generated():
    routes = all_routes()
    # the admin site, the un-namespaced root pages, every module and the API
    for route in (
        "zhijia_admin:index",
        "home",
        "set_language",
        "voting:poll-detail",
        "api:openapi-json",
        "GET /api/v1/voting/polls",
    ):
        assert route in routes, route
    # the API's operations are not pages (their OpenAPI operation stands for them)
    assert not any(r.startswith("api:") and "poll" in r for r in page_routes())


@pytest.fixture
def extra_urlconf():
    with override_settings(ROOT_URLCONF=EXTRA_URLCONF):
        clear_url_caches()
        try:
            yield EXTRA_URLCONF
        finally:
            clear_url_caches()
    clear_url_caches()


def test_a_new_route_without_expectation_is_reported(extra_urlconf):
    """A new named page, a new unnamed page and a new API operation: each is named by the
    coverage check."""
    new = all_routes(extra_urlconf) - all_routes("zhijia.urls")
    assert new == {
        "matrix-extra",
        "matrix-extra-leaky",
        "matrix-extra-leaky-elsewhere",
        "<unnamed matrix-extra/unnamed/>",
        "GET /api/v1/matrix-extra/ping",
        "matrix_extra_api:api-root",
        "matrix_extra_api:openapi-json",
    }
    missing = missing_expectations(all_routes(extra_urlconf), declared_by_table())
    assert new <= set(missing)


def test_the_fingerprint_sees_an_edited_row_and_a_new_audit_event(demo_units):
    """The runner's check that a refused write changed nothing can fail: the fingerprint
    (compiled once, read with raw SQL) changes with an edit of one field of a fingerprinted
    model, and with an audit event."""
    from tests.access.framework import fingerprint
    from zhijia.core.audit import record
    from zhijia.org.models import OrgUnit

    before = fingerprint(OrgUnit)
    assert fingerprint(OrgUnit) == before
    unit = OrgUnit.objects.get(code="B1")
    OrgUnit.objects.filter(pk=unit.pk).update(name=unit.name + "（改）")
    edited = fingerprint(OrgUnit)
    assert edited != before
    record(actor=None, action="test.event", target=unit)
    assert fingerprint(OrgUnit) != edited


def _leaky_world():
    from django.test import Client

    from tests.access.framework import ANON, World, fingerprint
    from zhijia.org.models import OrgUnit

    return World(
        data={},
        ids=lambda persona, target: {},
        fingerprint=lambda: fingerprint(OrgUnit),
        clients={(ANON, False): (Client(), {})},
    )


def test_the_runner_fails_a_refused_write_that_changed_data(extra_urlconf, demo_units):
    """A POST answered 403 that renamed a fingerprinted record fails its row."""
    from tests.access.framework import ANON, Row, everyone, run_row

    row = Row("matrix-extra-leaky", "post", "/matrix-extra/leaky/", everyone(403), anon=403)
    with pytest.raises(AssertionError, match="changed data"):
        run_row(_leaky_world(), row, ANON, None, 403)


def test_the_runner_passes_a_refused_write_outside_the_fingerprint(extra_urlconf, demo_units):
    """A refused POST that wrote only what the module's fingerprint leaves out passes (rows
    were written, so the runner compared the fingerprints, which are equal)."""
    from tests.access.framework import ANON, Row, everyone, run_row

    row = Row(
        "matrix-extra-leaky-elsewhere",
        "post",
        "/matrix-extra/leaky-elsewhere/",
        everyone(403),
        anon=403,
    )
    run_row(_leaky_world(), row, ANON, None, 403)
