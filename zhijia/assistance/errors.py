"""The one error the assistance actions raise for refused input: a Chinese message, the form
field it belongs to (if any) and the HTTP status an API endpoint answers with."""

from __future__ import annotations

from zhijia.core.errors import ActionRefused


class AssistanceError(ActionRefused):
    """A refused write (see zhijia.core.errors.ActionRefused)."""


class ConflictError(AssistanceError):
    """The record changed meanwhile (409): already paid, run already decided, ..."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message, field=field, status=409)
