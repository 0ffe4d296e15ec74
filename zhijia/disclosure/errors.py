"""The refusals the disclosure actions raise (see zhijia.core.errors.ActionRefused)."""

from __future__ import annotations

from zhijia.core.errors import ActionRefused


class DisclosureRefused(ActionRefused):
    """A refused publication, revision, question or catalogue write: the messages next to the
    fields at fault (HTTP 400)."""


class Conflict(DisclosureRefused):
    """A write that clashes with the current state (pages and the API answer 409)."""

    status = 409
