"""Old API paths kept working after an endpoint moved under its module's prefix.

`RouterWithAliases` is a ninja Router whose every operation is also registered, as a copy, on
`router.aliases`: mount the router under the module's prefix and `router.aliases` where the
endpoints used to be. The copies are marked deprecated in the OpenAPI document, point to the
new path, and have their own operation ids and URL names (the copy is the same function under
another name, with the same globals, so its annotations resolve as the original's do).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from ninja import Router


def _renamed(func: Callable, name: str) -> Callable:
    assert isinstance(func, types.FunctionType)
    copy = types.FunctionType(
        func.__code__, func.__globals__, name, func.__defaults__, func.__closure__
    )
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__annotations__ = dict(func.__annotations__)
    copy.__doc__ = func.__doc__
    copy.__module__ = func.__module__
    copy.__qualname__ = name
    return copy


class RouterWithAliases(Router):
    """A Router that also serves each of its operations, deprecated, on `self.aliases`."""

    def __init__(self, *args: Any, new_prefix: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Where the router itself is mounted, relative to /api/v1 (for the aliases' notes).
        self.new_prefix = new_prefix.rstrip("/")
        self.aliases = Router(*args, **kwargs)

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable, **kwargs):
        super().add_api_operation(path, methods, view_func, **kwargs)
        doc = (kwargs.get("description") or view_func.__doc__ or "").strip()
        note = f"Deprecated alias: use /api/v1{self.new_prefix}{path}."
        alias = {
            **kwargs,
            "deprecated": True,
            "operation_id": None,
            "url_name": None,
            "description": f"{note}\n\n{doc}" if doc else note,
        }
        self.aliases.add_api_operation(
            path, methods, _renamed(view_func, f"{view_func.__name__}_alias"), **alias
        )
