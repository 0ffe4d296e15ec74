"""Helpers of the assistance pages: run an action for a form and put a refusal next to the
field it concerns (or at the top of the form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhijia.assistance.errors import AssistanceError
from zhijia.core.workflow import TransitionError


def apply(form, call: Callable[[], Any]) -> tuple[Any, int]:
    """(result, 200) or (None, status) with the message added to `form`."""
    try:
        return call(), 200
    except AssistanceError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None, exc.status
    except TransitionError as exc:
        form.add_error(None, exc.message)
        return None, exc.status


def querystring(request, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
