"""One API route factory for workflow steps: `add_step_routes(router, workflow, ...)`.

    add_step_routes(
        router,
        HAZARD,
        path="/hazards/{int:hazard_id}",
        access=queries.access_hazard,          # (user, id) -> record, 404 outside scope
        record_arg="hazard",
        response=HazardDetail,
        result=lambda user, hazard: _detail(user, hazard),
        arguments={"assign": lambda record, payload: {...}},   # optional, per step
        names=["dismiss", "verify", "reopen", "begin"],
    )

For each named transition it adds `POST <path>/<name>` whose body is `schemas[name]` or the
transition's declared `schema` (none: no body), which loads the record through `access`, calls the
declared `action(actor=request.user, <record_arg>=record, **arguments)` — the schema's fields,
or `arguments[name](record, payload)` — and answers `result(user, record)` with `response`.
Refusals propagate as ActionRefused (zhijia/api.py answers them with the one error body).
Each endpoint is named as a hand-written one would be (`function_names[name]`, default the
transition's name) in the calling module, so its OpenAPI operation id does not move when a
module adopts the factory.
"""

import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ninja import Router

from zhijia.core.api_types import Id
from zhijia.core.workflow import Workflow


def add_step_routes(
    router: Router,
    workflow: Workflow,
    *,
    path: str,
    access: Callable[[Any, int], Any],
    record_arg: str,
    response: Any,
    result: Callable[[Any, Any], Any],
    names: Iterable[str] | None = None,
    schemas: Mapping[str, Any] | None = None,
    arguments: Mapping[str, Callable[[Any, Any], Mapping[str, Any]]] | None = None,
    url_names: Mapping[str, str] | None = None,
    function_names: Mapping[str, str] | None = None,
    module: str | None = None,
) -> None:
    """Register one POST route per transition (see the module docstring)."""
    module = module or sys._getframe(1).f_globals["__name__"]
    id_param = path.rsplit("{", 1)[-1].rstrip("}").split(":")[-1]
    for name in names if names is not None else [t.name for t in workflow.transitions]:
        transition = workflow.transition(name)
        if schemas is not None and name in schemas:
            schema = schemas[name]  # None: the step takes no body
        else:
            schema = transition.get_schema() if transition.schema else None
        endpoint = _endpoint(
            transition.get_action(),
            access,
            record_arg,
            result,
            (arguments or {}).get(name),
            schema,
            id_param,
        )
        endpoint.__name__ = endpoint.__qualname__ = (function_names or {}).get(name, name)
        endpoint.__module__ = module
        router.add_api_operation(
            f"{path}/{(url_names or {}).get(name, name)}",
            ["POST"],
            endpoint,
            response=response,
        )


def _endpoint(action, access, record_arg, result, arguments, schema, id_param):
    def run(request, record_id: int, payload: Any) -> Any:
        record = access(request.user, record_id)
        if arguments is not None:
            kwargs = dict(arguments(record, payload))
        elif payload is not None:
            kwargs = payload.dict()
        else:
            kwargs = {}
        action(actor=request.user, **{record_arg: record}, **kwargs)
        return result(request.user, access(request.user, record_id))

    if schema is None:

        def no_body(request, **path: int) -> Any:
            return run(request, path[id_param], None)

        no_body.__signature__ = _signature(id_param, None)  # type: ignore[attr-defined]
        return no_body

    def with_body(request, payload, **path: int) -> Any:
        return run(request, path[id_param], payload)

    with_body.__signature__ = _signature(id_param, schema)  # type: ignore[attr-defined]
    return with_body


def _signature(id_param: str, schema: Any) -> inspect.Signature:
    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        # Id: the path's id has the bounds of every other id (1 to 2^63-1, docs/api.md).
        inspect.Parameter(id_param, inspect.Parameter.KEYWORD_ONLY, annotation=Id),
    ]
    if schema is not None:
        params.append(
            inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=schema)
        )
    return inspect.Signature(params)
