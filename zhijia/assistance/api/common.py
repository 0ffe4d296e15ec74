"""Helpers of the assistance API: refused input as JSON {"detail"} with the right status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from ninja.errors import HttpError

from zhijia.assistance.errors import AssistanceError

T = TypeVar("T")


def run(call: Callable[[], T]) -> T:
    """Call an action; its AssistanceError becomes HttpError(status, message). PermissionDenied,
    Http404 and TransitionError are answered by zhijia/api.py's handlers."""
    try:
        return call()
    except AssistanceError as exc:
        if exc.field and exc.status == 400:
            # Answered as {"detail": {field: [message]}} by zhijia/api.py, like module org.
            raise ValidationError({exc.field: [exc.message]}) from None
        raise HttpError(exc.status, exc.message) from None
