"""The one error a write action raises when a rule refuses it.

    raise ActionRefused(_("请填写事由"), field="reason")            # 400, next to the field
    raise ActionRefused(_("该申请已付款"), status=409)              # a conflict
    raise ActionRefused(_("资料不完整"), errors={"a": "…", "b": "…"})  # several fields

Modules subclass it for their own name (HazardError, ProposalError, VotingError, ...), so a
module can catch its own refusals, while pages (core.forms.run_action) and the API
(zhijia/api.py) handle every module's refusals the same way.
"""

from __future__ import annotations


class ActionRefused(Exception):
    """A refused write: `message` in plain Chinese for the user; `field` (or `errors`, a
    field → message mapping) where it belongs on a form; `status` for the API and pages
    (400 bad input, 403, 404, 409 conflict)."""

    status = 400

    def __init__(
        self,
        message,
        *,
        field: str | None = None,
        status: int | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status
        self.errors = dict(errors or ({field: self.message} if field else {}))
