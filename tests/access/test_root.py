"""Roles × the un-namespaced root pages and the API's own pages (its root, schema and docs).

- the home page and 服务 (/services/) are everyone's once signed in (a member's home or a
  cadre's workspace);
- the JavaScript catalogue and the language switch are open to everyone, the anonymous too
  (they are used on the sign-in page), and so is /favicon.ico (browsers ask for it alone);
- the API's root (where its document is) and the OpenAPI document are public: they
  describe, they reveal no record; the docs page (Swagger UI) is for users signed in with a
  session, others are sent to sign in (docs/security.md, "Deployment hardening");
- /competitions/ and /suggestions/ send everyone to /services/competitions/ and
  /services/suggestions/ (whose pages decide who may see them);
- any /api/ address that no operation matches answers the API's JSON 404 to everyone.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    ROW_ARGS,
    Row,
    everyone,
    row_cases,
    run_cases,
)
from tests.access.world_site import build_world

ROWS = [
    Row("home", "get", "/", everyone(200)),
    # 服务: the service entrances each user may use (zhijia.core.entrances), signed-in only.
    Row("services", "get", "/services/", everyone(200)),
    # Short addresses that send to the services subjects' pages (which check access).
    Row("competitions", "get", "/competitions/", everyone(302), anon=302),
    Row("suggestions", "get", "/suggestions/", everyone(302), anon=302),
    Row("javascript-catalog", "get", "/i18n/js/", everyone(200), anon=200),
    Row("favicon", "get", "/favicon.ico", everyone(200), anon=200),
    Row("set_language", "post", "/i18n/setlang/", everyone(302), data={"language": "en"}, anon=302),
    Row("api:api-root", "get", "/api/v1/", everyone(200), anon=200),
    Row("api:openapi-json", "get", "/api/v1/openapi.json", everyone(200), anon=200),
    # The docs page is a browser page behind the session sign-in: the anonymous and the
    # clients here (API rows run with a bearer token, no session) are sent to sign in; a
    # signed-in browser session gets the page (tests/test_csp.py, tests/e2e/test_pages_csp.py).
    Row("api:openapi-view", "get", "/api/v1/docs", everyone(302), anon=302),
    Row("<unnamed ^api/(?P<unmatched>.*)$>", "get", "/api/v2/nothing", everyone(404), anon=404),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
