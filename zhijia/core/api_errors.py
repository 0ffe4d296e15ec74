"""The API's one error body, and schema validation errors in plain Chinese.

Every error the API answers has the same shape, whatever the module:

    {"detail": "一句话说明", "errors": {"field": ["该字段的问题", ...]}}

`detail` is always a sentence for the user; `errors` maps the fields at fault to their messages
(empty when no single field is). The statuses: 400 bad values, 401 not signed in, 403 a role
without the permission, 404 unknown or out-of-scope records (also ids inside a body), 409 a
state conflict, 422 a request that does not fit the schema, 429 throttled, 503 a database too
busy to take the write (with Retry-After).

Pydantic's messages are English; `schema_errors` turns each into Chinese by its error type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema

_LOCATION_ROOTS = {"body", "query", "path", "header", "cookie", "form", "file"}


class ErrorOut(Schema):
    """The one error body of the API (every 4xx and 503 answer)."""

    detail: str
    errors: dict[str, list[str]]


# The error statuses an operation may answer, and when the OpenAPI document declares them
# (`document_error_responses`): 401/403 when it needs a token, 409 on writes, 422 when it takes
# parameters or a body, 400/404/503 always (bad values, unknown or out-of-scope records, a
# busy database). 429 is declared by the throttled endpoints themselves (`THROTTLED`).
ERROR_STATUSES = {
    400: "Bad Request: a rule refused the input",
    401: "Unauthorized: no token or an invalid one",
    403: "Forbidden: the role lacks the permission",
    404: "Not Found: unknown record, or one outside the caller's scope",
    409: "Conflict: the record's state does not allow this",
    422: "Unprocessable Content: the request does not fit the schema",
    429: "Too Many Requests: throttled; see Retry-After",
    503: "Service Unavailable: the database was busy, nothing was written; see Retry-After",
}
THROTTLED = {429: ErrorOut}
_WRITES = {"post", "put", "patch", "delete"}
_METHODS = _WRITES | {"get", "head", "options"}


def error_statuses(method: str, operation: Mapping[str, Any]) -> set[int]:
    """The error statuses an operation of the OpenAPI document answers (429 aside)."""
    statuses = {400, 404, 503}
    if operation.get("security"):
        statuses |= {401, 403}
    if method in _WRITES:
        statuses.add(409)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    return statuses


def document_error_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Declare every operation's error statuses with the one body `ErrorOut`, in place.

    Run once over the whole OpenAPI document (zhijia.api.ZhijiaAPI), so no endpoint lists them
    by hand; an endpoint declares only what the rule cannot know (429 for throttled calls).
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            declared = {int(status) for status in responses}
            for status in sorted(error_statuses(method, operation) | (declared & {429})):
                if status in declared and status != 429:
                    continue
                responses.pop(str(status), None)
                responses[status] = {
                    "description": ERROR_STATUSES[status],
                    "content": {"application/json": {"schema": ref}},
                }
    return document


def error_body(detail: str, errors: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    return {
        "detail": str(detail),
        "errors": {k: [str(m) for m in v] for k, v in (errors or {}).items()},
    }


def field_name(loc: Iterable[Any]) -> str:
    """("body", "payload", "items", 0, "name") -> "items.0.name"; ("query", "page") -> "page"."""
    parts = list(loc)
    if parts and parts[0] in _LOCATION_ROOTS:
        root, parts = parts[0], parts[1:]
        # Body and form fields are nested under the view's parameter name ("payload"): drop
        # it when a field follows.
        if root in {"body", "form"} and len(parts) > 1:
            parts = parts[1:]
    return ".".join(str(p) for p in parts) or "__all__"


def message_for(error: Mapping[str, Any]) -> str:
    """One pydantic error in Chinese."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    simple = {
        "missing": _("此项为必填项"),
        "int_parsing": _("应为整数"),
        "int_type": _("应为整数"),
        "int_from_float": _("应为整数"),
        "float_parsing": _("应为数字"),
        "float_type": _("应为数字"),
        "decimal_parsing": _("应为数字"),
        "decimal_type": _("应为数字"),
        "bool_parsing": _("应为 true 或 false"),
        "bool_type": _("应为 true 或 false"),
        "string_type": _("应为文本"),
        "string_unicode": _("应为文本"),
        "date_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_type": _("日期格式应为 YYYY-MM-DD"),
        "datetime_parsing": _("时间格式应为 YYYY-MM-DDTHH:MM:SS"),
        "datetime_from_date_parsing": _("时间格式应为 YYYY-MM-DDTHH:MM:SS"),
        "datetime_type": _("时间格式应为 YYYY-MM-DDTHH:MM:SS"),
        "list_type": _("应为列表"),
        "dict_type": _("应为对象"),
        "model_type": _("应为对象"),
        "model_attributes_type": _("应为对象"),
        "json_invalid": _("请求内容不是有效的 JSON"),
        "json_type": _("请求内容不是有效的 JSON"),
        "uuid_parsing": _("格式无效"),
        "url_parsing": _("网址格式无效"),
        "finite_number": _("应为有限的数字"),
        "none_required": _("此项应为空"),
        "extra_forbidden": _("不支持此字段"),
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字符") % {"n": ctx.get("max_length", "?")}
    if kind == "string_too_short":
        return _("至少 %(n)s 个字符") % {"n": ctx.get("min_length", "?")}
    if kind == "too_long":
        return _("最多 %(n)s 项") % {"n": ctx.get("max_length", "?")}
    if kind == "too_short":
        return _("至少 %(n)s 项") % {"n": ctx.get("min_length", "?")}
    if kind == "greater_than_equal":
        return _("不能小于 %(n)s") % {"n": ctx.get("ge", "?")}
    if kind == "greater_than":
        return _("应大于 %(n)s") % {"n": ctx.get("gt", "?")}
    if kind == "less_than_equal":
        return _("不能大于 %(n)s") % {"n": ctx.get("le", "?")}
    if kind == "less_than":
        return _("应小于 %(n)s") % {"n": ctx.get("lt", "?")}
    if kind in {"decimal_max_digits", "decimal_whole_digits"}:
        return _("数字位数过多")
    if kind == "decimal_max_places":
        return _("小数位数过多（最多 %(n)s 位）") % {"n": ctx.get("decimal_places", "?")}
    if kind in {"enum", "literal_error"}:
        return _("应为以下之一：%(values)s") % {"values": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("格式无效")
    if kind == "value_error":
        # A validator of ours raised ValueError with a Chinese message.
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ") or _("输入无效")
    return _("输入无效")


def schema_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The 422 body for a request that does not fit the schema."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(field_name(error.get("loc", ())), []).append(message_for(error))
    first = next(iter(fields.items()), None)
    if first is None:
        return error_body(_("请求格式不正确"))
    name, messages = first
    detail = _("请求格式不正确：%(field)s %(message)s") % {"field": name, "message": messages[0]}
    return error_body(detail, fields)


def record_in_body(records: Any, record_id: int | None, field: str, message: str | None = None):
    """The record a request names by id in its body or query (`department_id`), from `records`
    (a model or a queryset limited to the caller's scope): an unknown id, or one outside the
    scope, is a 404 naming the field (docs/api.md), never a 500 nor a 400."""
    from django.db.models import Model, QuerySet

    from zhijia.core.errors import ActionRefused

    queryset = records if isinstance(records, QuerySet) else records._default_manager.all()
    assert isinstance(records, QuerySet) or issubclass(records, Model)
    try:
        return queryset.get(pk=record_id)
    except queryset.model.DoesNotExist:
        raise ActionRefused(
            message or _("没有这条记录，或不在您的范围内"), field=field, status=404
        ) from None
