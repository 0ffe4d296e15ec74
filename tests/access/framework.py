"""The access matrix's framework: every route × every persona, expectations as plain data.

HOW A MODULE'S TABLE IS WRITTEN (tests/access/test_<module>.py, with world_<module>.py)
-------------------------------------------------------------------------------------
    from tests.access.framework import (ROW_ARGS, Row, World, everyone, holders, row_cases,
                                        run_cases, scoped, ...)

    ROWS = [                                    # the module's expectations (collected by
        Row("voting:poll-list", "get", "/voting/", everyone(200)),     # test_coverage.py)
        Row("voting:poll-detail", "get", "/voting/{poll}/", scoped(MANAGE), ("b1", "b2")),
        Row("POST /api/v1/voting/polls/{poll_id}/open", "post",
            "/api/v1/voting/polls/{poll}/open", scoped(MANAGE), ("b1", "b2")),
    ]

    @pytest.fixture(scope="module")
    def world(module_db):                       # built ONCE for the module (conftest.module_db)
        return build_world()                    # -> a World (see below)

    @pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
    def test_access(world, db, row, expected):  # one test per row: every persona × target,
        run_cases(world, row, expected)         # each request on the world as built

Expectations come from DESIGN.md's roles, NOT from the permission registry under test.

Row(route, method, path, rule, targets=(None,), data=None, anon=None, name="", scope=None,
    check=None, multipart=False, error_body=True)
  route    "namespace:name" of a page ("name" for an un-namespaced root page,
           "ns:<unnamed PATTERN>" for an unnamed pattern; see routes.py), or
           "METHOD /api/v1/path" (the OpenAPI path, {param} as in the document) of an operation.
  method   "get" | "post" | "patch" | "put" | "delete".
  path     a format string over the ids the world gives for (persona, target):
           "/org/members/{member}/". An API row is one whose path starts with "/api/".
  rule     rule(persona, target) -> the expected status for a signed-in persona (below).
  targets  the targets the row runs on, e.g. ("b1", "b2"): a record in branch1 / branch2;
           ("own", "other") a personal record of the persona / of someone else; (None,) none.
  data     a dict, or callable(world, target) -> dict (form data; JSON body for the API).
  anon     the anonymous's status; default 302 to /accounts/login/ (page) or 401 (API).
  name     a unique key when one route has several rows (e.g. its GET and its POST):
           default "<route>-<method>".
  scope    for a write on a record: {persona: {targets}} who may change what; outside it the
           write must change nothing, whatever its status (a bulk form skipping foreign ids).
  check    optional callable(response, world, persona, target) for further assertions.
  multipart  an API row whose body is a form (ninja Form[...]/File[...]), not JSON.
  error_body False: do not require the API's JSON error body (a known deviation, reported).

The runner also checks: an anonymous 302 (by default) goes to /accounts/login/; an API
answer >= 400 carries the API's error body ({"detail": ...}).

Rules (persona, target) -> status:
  everyone(ok)                               every signed-in persona gets ok
  holders(who, ok=200, others=403)           ok for the personas in `who`
  scoped(scope, ok=200, outsiders=403, outside=404)
                                             scope = {persona: {targets}}: ok in scope;
                                             a holder outside its scope gets `outside` (404,
                                             the record is not revealed: sibling branches);
                                             one who holds it nowhere gets `outsiders`
  own_only(ok, other=404)                    target "own" -> ok, anything else -> 404
  first_refusal(*rules)                      the first rule answering other than 200, else
                                             the last rule's answer (read, then manage)
  per_persona(mapping, default=403)          {persona: status or rule}
  union(*scopes)                             the union of scope dicts {persona: {targets}}
  Personas: conftest.PERSONAS (admin chair branch1 branch2 rep1 worker1 worker2 handler1
  counselor1 mediator1) and ANON ("anonymous"); ALL = both.
  BOTH/B1/B2 target sets and CADRE_SCOPE (chair both, branch1 B1, branch2 B2) are here too.

World (build it in world_<module>.py):
  World(data={...}, ids=callable(persona, target) -> {name: id}, fingerprint=callable,
        clients=make_clients(personas))
  world["key"] reads data (Row.data callables get the world). `ids` gives Row.path's format
  values for one (persona, target). `fingerprint()` returns what a write of the module could
  change; build it with fingerprint(Model, queryset, ...) (the audit log, notifications and
  workflow events are always included). A non-GET whose status is refused (401/403/404/405)
  or that is outside Row.scope must leave the fingerprint unchanged.

Stability: this interface only grows (additions only); tests/access/test_org.py is the
reference table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import PERSONAS

ANON = "anonymous"
ALL = [*PERSONAS, ANON]
SIGNED_IN = frozenset(PERSONAS)
REFUSED = frozenset({401, 403, 404, 405})

# Targets: a record in branch1 / branch2; a personal record of the persona / someone else's.
BOTH, B1, B2 = frozenset({"b1", "b2"}), frozenset({"b1"}), frozenset({"b2"})
REC = ("b1", "b2")
OWN = ("own", "other")
CADRE_SCOPE = {"chair": BOTH, "branch1": B1, "branch2": B2}  # their unit's subtree

Rule = Callable[[str, Any], int]

# --- rules ---------------------------------------------------------------------------------


def everyone(ok: int) -> Rule:
    return lambda p, t: ok


def holders(who: Iterable[str], ok: int = 200, others: int = 403) -> Rule:
    who = frozenset(who)
    return lambda p, t: ok if p in who else others


def scoped(scope: Mapping, ok: int = 200, outsiders: int = 403, outside: int = 404) -> Rule:
    """ok on a target within the persona's scope; `outside` (404: its existence is not
    revealed) on one outside it for a holder; `outsiders` for one who holds the right nowhere.
    A bulk form answers an id outside the scope like any other (it skips it: `outside` 302);
    the row then checks that the write changed nothing (Row.scope)."""

    def rule(p, t):
        if t in scope.get(p, ()):
            return ok
        return outside if p in scope else outsiders

    return rule


def own_only(ok: int, other: int = 404) -> Rule:
    """A personal record (a notification): the owner's only; anyone else's is `other`."""
    return lambda p, t: ok if t == "own" else other


def first_refusal(*rules: Rule) -> Rule:
    """The first rule's answer that is not 200, else the last rule's answer: a record that
    must be readable (else 404/403) before it is manageable (else 403)."""

    def rule(p, t):
        for each in rules[:-1]:
            answer = each(p, t)
            if answer != 200:
                return answer
        return rules[-1](p, t)

    return rule


def per_persona(mapping: Mapping[str, int | Rule], default: int = 403) -> Rule:
    """{persona: status or rule}; personas not named get `default`."""

    def rule(p, t):
        answer = mapping.get(p, default)
        return answer(p, t) if callable(answer) else answer

    return rule


def union(*scopes: Mapping) -> dict:
    """The union of scopes {persona: {targets}}: who may, on which targets, by any of them."""
    merged: dict = {}
    for scope in scopes:
        for persona, targets in scope.items():
            merged[persona] = frozenset(merged.get(persona, ())) | frozenset(targets)
    return merged


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    rule: Rule
    targets: tuple = (None,)
    data: object = None
    anon: int | None = None
    name: str = ""
    scope: Mapping | None = None
    check: Callable | None = None
    multipart: bool = False
    error_body: bool = True

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def key(self) -> str:
        return self.name or f"{self.route}-{self.method}"


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    data: dict
    ids: Callable[[str, Any], Mapping[str, Any]]
    fingerprint: Callable[[], Any]
    clients: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.data[key]

    def client(self, persona: str, api: bool) -> Client:
        """The persona's client of the module, its cookies reset to the module's session
        (a new Client loads the middleware again, which costs more than a row's request)."""
        client, cookies = self.clients[(persona, api)]
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies[name] = value
        return client


def make_clients(personas: Mapping[str, Any]) -> dict:
    """A page client (signed in, TOTP step done) and an API client (bearer token) for every
    persona, and the anonymous's two; all share one request handler."""
    from zhijia.accounts.models import ApiToken

    clients = {(ANON, False): Client(), (ANON, True): Client()}
    for name, user in personas.items():
        token = ApiToken.issue(user, two_factor=True)  # exchanged with a code
        clients[(name, True)] = Client(headers={"Authorization": f"Bearer {token}"})
        clients[(name, False)] = signed_in_client(user)
    shared = clients[(ANON, False)].handler
    for client in clients.values():
        client.handler = shared
    return {
        key: (client, {k: v.value for k, v in client.cookies.items()})
        for key, client in clients.items()
    }


def totp_device(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device.persistent_id


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = totp_device(user)  # a completed TOTP step
    session.save()
    return client


# The SQL of each fingerprinted model's rows, compiled once: a fingerprint is taken before and
# after every refused write (thousands per module), and compiling the ORM's queries cost more
# than running them.
_MODEL_SQL: dict = {}


def _all_rows_sql(queryset) -> tuple[str, tuple]:
    fields = [f.attname for f in queryset.model._meta.concrete_fields]
    return queryset.order_by("pk").values_list(*fields).query.sql_with_params()


def _rows_of(source) -> list:
    from django.db import connection
    from django.db.models import Model, QuerySet

    if isinstance(source, QuerySet):
        sql, params = _all_rows_sql(source)
    elif isinstance(source, type) and issubclass(source, Model):
        if source not in _MODEL_SQL:
            _MODEL_SQL[source] = _all_rows_sql(source._default_manager.all())
        sql, params = _MODEL_SQL[source]
    else:
        raise TypeError(f"fingerprint() takes models and querysets, not {source!r}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fingerprint(*sources) -> tuple:
    """The audit log, the notifications, the workflow history and every row (all concrete
    fields) of the given models / querysets: a refused write must leave it unchanged."""
    from zhijia.core.models import AuditEvent, Notification, WorkflowEvent

    return (
        *(_rows_of(model) for model in (AuditEvent, WorkflowEvent, Notification)),
        *(_rows_of(source) for source in sources),
    )


# --- the cases and the runner --------------------------------------------------------------

CASE_ARGS = ("row", "persona", "target", "status")


def expected(row: Row, persona: str, target) -> int:
    if persona == ANON:
        if row.anon is not None:
            return row.anon
        return 401 if row.api else 302
    return row.rule(persona, target)


def cases(rows: Iterable[Row]):
    """One pytest param per row × persona (ALL) × target."""
    for row in rows:
        for persona in ALL:
            for target in row.targets:
                yield pytest.param(
                    row,
                    persona,
                    target,
                    expected(row, persona, target),
                    id=f"{row.key}-{persona}" + (f"-{target}" if target else ""),
                )


ROW_ARGS = ("row", "expected")


def row_cases(rows: Iterable[Row]) -> list:
    """One pytest param per row: the row and its [(persona, target, status)] for ALL
    personas and its targets (a test per row rather than per request: the suite's per-test
    cost was a third of the matrix's time)."""
    params = []
    for row in rows:
        expected_ = [(p, t, expected(row, p, t)) for p in ALL for t in row.targets]
        params.append(pytest.param(row, expected_, id=row.key))
    return params


def run_cases(world: World, row: Row, expected_: Iterable[tuple[str, Any, int]], after=None):
    """run_row for each (persona, target, status), each in a savepoint rolled back after it
    (every request meets the world as built, as a test of its own would); `after(row,
    response, status)` checks more. Every case runs; the failures are reported together."""
    from django.db import transaction

    failures = []
    for persona, target, status in expected_:
        with transaction.atomic():
            try:
                response = run_row(world, row, persona, target, status)
                if after is not None:
                    after(row, response, status)
            except AssertionError as exc:
                failures.append(f"{persona}{'/' + str(target) if target else ''}: {exc}")
            transaction.set_rollback(True)
    assert not failures, f"{row.key}:\n" + "\n".join(failures)


def _changes() -> int | None:
    """SQLite's count of rows this connection has written (total_changes()), or None on
    another database."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def run_row(world: World, row: Row, persona: str, target, status: int):
    """One request as `persona` on `target`; its status must be `status`, and a refused write
    (or one outside row.scope) must change nothing. Returns the response."""
    from django.db import transaction

    cache.clear()  # rate limits (sign-in, joining, ...) live in the cache
    client = world.client(persona, row.api)
    path = row.path.format(**world.ids(persona, target))
    data = row.data(world, target) if callable(row.data) else row.data
    # The fingerprint (every row of the module's models) is compared only where a write must
    # change nothing (refused, or outside row.scope); the status is known beforehand. On
    # SQLite a request that wrote no row at all (total_changes() unchanged) needs no
    # fingerprint; one that wrote some is compared with the state before it, restored by
    # rolling back to a savepoint taken before the request.
    outside = row.scope is not None and target not in row.scope.get(persona, ())
    must_not_change = row.method != "get" and (status in REFUSED or outside)
    changes = _changes() if must_not_change else None
    before = world.fingerprint() if must_not_change and changes is None else None
    savepoint = transaction.savepoint() if changes is not None else None
    if row.api and row.method != "get" and not row.multipart:
        response = getattr(client, row.method)(path, data or {}, content_type="application/json")
    else:
        response = getattr(client, row.method)(path, data or {})
    assert response.status_code == status, (
        f"{row.method.upper()} {path} as {persona}: {response.status_code}, expected {status}"
    )
    if persona == ANON and status == 302 and row.anon is None:
        assert response["Location"].startswith("/accounts/login/")
    if row.api and row.error_body and status >= 400:  # the API's error body (zhijia/api.py)
        assert "detail" in response.json(), f"{row.method.upper()} {path}: no error detail"
    if row.check is not None:
        row.check(response, world, persona, target)
    if must_not_change and (changes is None or _changes() != changes):
        after = world.fingerprint()
        if savepoint is not None:
            transaction.savepoint_rollback(savepoint)
            before = world.fingerprint()
        assert after == before, f"a refused {row.method.upper()} {path} changed data"
    return response
