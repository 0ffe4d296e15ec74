"""The routes of the access matrix (zhijia/org/tests/test_access_matrix.py), generated.

Pages come from the URL resolver (every pattern under the namespaces of MATRIX_NAMESPACES),
API operations from the OpenAPI document (every operation whose path starts with one of
MATRIX_API_PREFIXES). `missing_expectations` names the routes that the matrix declares
nothing for: a new page or endpoint in these modules fails the matrix until its row is added.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import URLPattern, URLResolver, get_resolver

MATRIX_NAMESPACES = ("org", "accounts", "core", "files")
MATRIX_API_PREFIXES = (
    "/api/v1/org",
    "/api/v1/accounts",
    "/api/v1/auth",
    "/api/v1/inbox",
    "/api/v1/members",
    "/api/v1/me",
)


def _walk(patterns, namespace: str | None = None) -> Iterable[tuple[str | None, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name


def page_routes(urlconf=None) -> set[str]:
    """ "namespace:name" of every page of the matrix's namespaces (unnamed ones as
    "namespace:<unnamed>", which no table can declare, so they fail the check)."""
    routes = set()
    for namespace, name in _walk(get_resolver(urlconf).url_patterns):
        if namespace in MATRIX_NAMESPACES:
            routes.add(f"{namespace}:{name or '<unnamed>'}")
    return routes


def api_routes(schema: dict | None = None) -> set[str]:
    """ "METHOD /api/v1/path" of every API operation under the matrix's prefixes."""
    if schema is None:
        from zhijia.api import api

        schema = api.get_openapi_schema()
    routes = set()
    for path, operations in schema["paths"].items():
        if not any(path == p or path.startswith(p + "/") for p in MATRIX_API_PREFIXES):
            continue
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                routes.add(f"{method.upper()} {path}")
    return routes


def missing_expectations(routes: Iterable[str], declared: Iterable[str]) -> list[str]:
    """The routes without a declared expectation, sorted."""
    return sorted(set(routes) - set(declared))
