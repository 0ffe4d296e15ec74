"""The schemathesis stage of `make test` (scripts/test.sh): the API fuzzed against its own
OpenAPI document. Its tests run only when asked for with `-m schemathesis`, so the SQLite and
PostgreSQL runs of the suite leave them out."""

from __future__ import annotations


def pytest_collection_modifyitems(config, items):
    if "schemathesis" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("schemathesis") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item.get_closest_marker("schemathesis")]
        )
        items[:] = kept
