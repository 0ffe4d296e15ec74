"""The routes of the whole project, generated: what the access matrix must declare.

Pages come from the URL resolver: every pattern of every namespace, the admin site
(`zhijia_admin`) and the un-namespaced root pages included. A named page is
"namespace:name" ("name" without a namespace); an UNNAMED pattern is
"namespace:<unnamed PATTERN>" (or "<unnamed PATTERN>"), with its full regex/route, so a new
unnamed pattern is named in the failure like any other page (give it a name).

API operations come from the OpenAPI document of every NinjaAPI mounted in the URL conf
(found through its "api-root" view), as "METHOD /api/v1/path". The operations' own URL
patterns are not pages (their OpenAPI operation stands for them); the APIs' other views
(api-root, openapi-json, docs) are pages of the API's namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_API_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) /")


def is_api_route(route: str) -> bool:
    """ "METHOD /path" (an API operation) rather than a page's key."""
    return bool(_API_ROUTE.match(route))


@dataclass(frozen=True)
class Page:
    namespace: str | None
    name: str | None
    pattern: str  # the full route / regex, e.g. "org/members/<int:pk>/"
    callback: object

    @property
    def route(self) -> str:
        label = self.name or f"<unnamed {self.pattern}>"
        return f"{self.namespace}:{label}" if self.namespace else label


def _walk(patterns, namespace: str | None = None, prefix: str = "") -> Iterator[Page]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns,
                pattern.namespace or namespace,
                prefix + str(pattern.pattern),
            )
        elif isinstance(pattern, URLPattern):
            yield Page(namespace, pattern.name, prefix + str(pattern.pattern), pattern.callback)


def _is_api_operation(page: Page) -> bool:
    return getattr(page.callback, "__module__", "") == "ninja.operation"


def pages(urlconf=None) -> list[Page]:
    """Every page pattern of the URL conf (API operations excluded)."""
    return [p for p in _walk(get_resolver(urlconf).url_patterns) if not _is_api_operation(p)]


def page_routes(urlconf=None) -> set[str]:
    """The route key of every page (see the module docstring)."""
    return {page.route for page in pages(urlconf)}


def mounted_apis(urlconf=None) -> list:
    """Every NinjaAPI mounted in the URL conf (its api-root view carries it)."""
    apis = []
    for page in _walk(get_resolver(urlconf).url_patterns):
        api = getattr(page.callback, "keywords", {}).get("api")
        if page.name == "api-root" and api is not None and api not in apis:
            apis.append(api)
    return apis


def api_routes(schema: dict | None = None, urlconf=None) -> set[str]:
    """ "METHOD /api/v1/path" of every operation of the given OpenAPI document, or of every
    API mounted in the URL conf."""
    if schema is not None:
        schemas = [schema]
    else:
        schemas = [api.get_openapi_schema() for api in mounted_apis(urlconf)]
    routes = set()
    for document in schemas:
        for path, operations in document["paths"].items():
            for method in operations:
                if method in HTTP_METHODS:
                    routes.add(f"{method.upper()} {path}")
    return routes


def all_routes(urlconf=None) -> set[str]:
    """Every page and every API operation of the project (or of `urlconf`)."""
    return page_routes(urlconf) | api_routes(urlconf=urlconf)


def missing_expectations(routes: Iterable[str], declared: Iterable[str]) -> list[str]:
    """The routes without a declared expectation, sorted."""
    return sorted(set(routes) - set(declared))
