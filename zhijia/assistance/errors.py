"""The one error the assistance actions raise for refused input: a Chinese message, the form
field it belongs to (if any) and the HTTP status an API endpoint answers with."""

from __future__ import annotations


class AssistanceError(Exception):
    def __init__(self, message, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.status = status


class ConflictError(AssistanceError):
    """The record changed meanwhile (409): already paid, run already decided, ..."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message, field=field, status=409)
