"""docs/api.md's conventions, checked against the OpenAPI document (/api/v1/openapi.json).

- every path is under a module prefix (the deprecated aliases excepted, listed here);
- every operation declares its error responses with the one error body `ErrorOut`;
- every list operation answers the one page envelope {"items", "count", "page", "pages"};
- schema names are unique across modules (no two schema classes share a __name__);
- path parameters are typed (ids are integers) and foreign keys are named `<thing>_id`.
"""

from __future__ import annotations

import re
import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from zhijia.api import api
from zhijia.core.api_errors import error_statuses

PREFIX = "/api/v1"
# The module prefixes (docs/api.md, "Prefixes"): auth is accounts' sign-in and activation.
MODULE_PREFIXES = {
    "auth",
    "inbox",
    "satisfaction",
    "search",
    "org",
    "voting",
    "congress",
    "cases",
    "services",
    "safety",
    "disclosure",
    "assistance",
    "notices",
    "bargaining",
    "women",
    "homes",
    "dashboard",
}
# Paths kept working where clients called them before their module's prefix; each is marked
# deprecated and has the same operation under /api/v1/org (DESIGN.md names the first three).
ALIASES = {
    "/api/v1/me": "/api/v1/org/me",
    "/api/v1/members": "/api/v1/org/members",
    "/api/v1/members/{member_id}": "/api/v1/org/members/{member_id}",
    "/api/v1/members/{member_id}/transfer": "/api/v1/org/members/{member_id}/transfer",
    "/api/v1/members/{member_id}/transfers": "/api/v1/org/members/{member_id}/transfers",
    "/api/v1/members/{member_id}/dues": "/api/v1/org/members/{member_id}/dues",
}
ENVELOPE = {"items", "count", "page", "pages"}
# Besides the four, the envelope of core.pagination may say whether the count is exact and how
# many rows a page holds.
ENVELOPE_EXTRAS = {"count_exact", "per_page"}
# Every list answers the one envelope; a list may add its own fields beside it (the inbox its
# unread count, the dues their month and summary), never change or drop one of the envelope's.
# Not lists: one record whose `items` are its own bounded parts.
RECORDS_WITH_ITEMS = {
    "GET /api/v1/org/members/{member_id}/dues",  # a member's dues of one year: 12 months at most
    "GET /api/v1/assistance/payment-runs/{run_id}",  # a payment run and the payments it approves
}
# Integer fields and parameters that name another record must end in `_id` (docs/api.md,
# "Names"); names of records shown as text are `<thing>_name`.
FOREIGN_KEY_NOUNS = {
    "unit",
    "org_unit",
    "department",
    "member",
    "session",
    "campaign",
    "mediator",
    "term",
    "election",
    "proposal",
    "grievance",
}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def resolve(document, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_path_is_under_a_module_prefix(document):
    strays = []
    for path in document["paths"]:
        if path in ALIASES:
            continue
        parts = path.removeprefix(PREFIX + "/").split("/")
        if not path.startswith(PREFIX + "/") or parts[0] not in MODULE_PREFIXES:
            strays.append(path)
    assert strays == [], "paths outside a module prefix (docs/api.md, Prefixes)"


def test_aliases_are_deprecated_copies_of_their_new_paths(document):
    paths = document["paths"]
    for old, new in ALIASES.items():
        assert old in paths and new in paths, (old, new)
        assert set(paths[old]) == set(paths[new])
        for method, operation in paths[old].items():
            assert operation.get("deprecated") is True, (method, old)
            assert new in operation["description"]
            assert not paths[new][method].get("deprecated")
    deprecated = {p for p, _m, op in operations(document) if op.get("deprecated")}
    assert deprecated <= set(ALIASES)


def test_every_operation_declares_its_error_responses(document):
    missing = []
    for path, method, operation in operations(document):
        responses = {int(status): body for status, body in operation["responses"].items()}
        for status in error_statuses(method, operation):
            if status not in responses:
                missing.append(f"{method.upper()} {path}: {status}")
        for status, body in responses.items():
            if status >= 400:
                schema = body["content"]["application/json"]["schema"]
                if schema != {"$ref": "#/components/schemas/ErrorOut"}:
                    missing.append(f"{method.upper()} {path}: {status} is not ErrorOut")
    assert missing == []
    error_out = document["components"]["schemas"]["ErrorOut"]
    assert set(error_out["required"]) == {"detail", "errors"}


def _is_list(document, operation) -> bool:
    ok = [
        body
        for status, body in operation["responses"].items()
        if 200 <= int(status) < 300 and "content" in body
    ]
    if not ok:
        return False
    schema = resolve(document, ok[0]["content"]["application/json"]["schema"])
    if schema.get("type") == "array":
        return True
    items = resolve(document, (schema.get("properties") or {}).get("items", {}))
    return items.get("type") == "array"


def _envelope_keys(document, operation) -> set[str]:
    body = next(b for s, b in operation["responses"].items() if 200 <= int(s) < 300)
    schema = resolve(document, body["content"]["application/json"]["schema"])
    return set(schema.get("properties") or {})


def test_every_list_answers_the_one_page_envelope(document):
    wrong, shapes = [], set()
    for path, method, operation in operations(document):
        if method != "get" or not _is_list(document, operation):
            continue
        key = f"GET {path}"
        keys = _envelope_keys(document, operation)
        if keys >= ENVELOPE:
            shapes.add(frozenset(keys & (ENVELOPE | ENVELOPE_EXTRAS)))
        elif path not in ALIASES and key not in RECORDS_WITH_ITEMS:
            wrong.append(key)
    assert wrong == [], "lists without the one page envelope"
    assert len(shapes) <= 1, f"one envelope, not several: {shapes}"


def _schema_classes(the_api=api) -> dict[str, set[type]]:
    """Schema class __name__ -> the classes of that name, among every operation's models."""
    seen: set[type] = set()

    def walk(tp) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp not in seen:
                seen.add(tp)
                for field in tp.model_fields.values():
                    walk(field.annotation)
            return
        for arg in typing.get_args(tp):
            walk(arg)

    for router in the_api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    walk(model)
                for model in operation.response_models.values():
                    walk(model)
    names: dict[str, set[type]] = defaultdict(set)
    for cls in seen:
        # Ninja's own wrappers (PathParams, BodyParams, ...) are not published under their names.
        if cls.__module__.startswith("zhijia."):
            names[cls.__name__].add(cls)
    return names


def test_schema_names_are_unique_across_modules(document):
    collisions = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in _schema_classes().items()
        if len(classes) > 1
    }
    assert collisions == {}, "rename with the module's prefix (docs/api.md, Names)"
    # pydantic's and ninja's ways out of a clash (module-qualified or numbered names).
    odd = [n for n in document["components"]["schemas"] if "__" in n or re.search(r"\d$", n)]
    assert odd == []


def test_a_collision_is_caught():
    """Two modules' schemas of one name (ninja would publish one for both) are found."""
    from ninja import NinjaAPI, Router, Schema

    def router_with(schema_class) -> Router:
        router = Router()

        def transfer(request, payload):
            return {}

        transfer.__annotations__ = {"payload": schema_class}
        router.post("/transfer")(transfer)
        return router

    class TransferIn(Schema):
        to_unit_id: int

    first = TransferIn

    class TransferIn(Schema):  # type: ignore[no-redef]
        grievance_id: int

    probe = NinjaAPI(urls_namespace="collision-probe")
    probe.add_router("/org", router_with(first))
    probe.add_router("/cases", router_with(TransferIn))
    probe.get_openapi_schema(path_prefix="")
    names = _schema_classes(probe)
    assert len(names["TransferIn"]) == 2


def test_path_parameters_are_typed(document):
    untyped = []
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path":
                continue
            name, schema = parameter["name"], parameter.get("schema", {})
            typed = schema.get("type") == "integer" or schema.get("format") == "uuid"
            if (name == "id" or name.endswith("_id")) and not typed:
                untyped.append(f"{method.upper()} {path}: {name}")
    assert untyped == []


def _integer(schema) -> bool:
    return "integer" in {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}


def _deprecated(parameter) -> bool:
    schema = parameter["schema"]
    return bool(
        parameter.get("deprecated")
        or schema.get("deprecated")
        or any(s.get("deprecated") for s in schema.get("anyOf", []))
    )


def test_foreign_keys_are_named_thing_id(document):
    wrong = set()
    for name, schema in document["components"]["schemas"].items():
        for field, field_schema in (schema.get("properties") or {}).items():
            if field in FOREIGN_KEY_NOUNS and _integer(field_schema):
                if _deprecated({"schema": field_schema}):
                    continue  # a query schema's old name (api_types.RenamedQuery)
                wrong.add(f"{name}.{field}")
    for path, method, operation in operations(document):
        if operation.get("deprecated"):
            continue
        for parameter in operation.get("parameters", []):
            if _deprecated(parameter):
                continue  # an old name kept during the alias period (api_types.DeprecatedId)
            if parameter["name"] in FOREIGN_KEY_NOUNS and _integer(parameter["schema"]):
                wrong.add(f"{method.upper()} {path}?{parameter['name']}")
    assert sorted(wrong) == []
