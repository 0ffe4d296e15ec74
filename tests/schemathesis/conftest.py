"""The schemathesis stage of `make test` (scripts/test.sh): the API fuzzed against its own
OpenAPI document. Its tests are collected only when asked for with `-m schemathesis`, so the
SQLite and PostgreSQL runs of the suite neither run them nor pay for loading the document."""

from __future__ import annotations


def pytest_ignore_collect(collection_path, config):
    if "schemathesis" not in (config.getoption("markexpr") or ""):
        return collection_path.name != "conftest.py" or None
    return None
