"""The refusal the cases actions raise (see zhijia.core.errors.ActionRefused)."""

from __future__ import annotations

from zhijia.core.errors import ActionRefused


class CasesRefused(ActionRefused):
    """A refused grievance, box, mediation, routing or knowledge write: the message next to
    the field at fault (HTTP 400)."""
