"""The one error a write action raises when a rule refuses it.

    raise ActionRefused(_("请填写事由"), field="reason")            # 400, next to the field
    raise ActionRefused(_("该申请已付款"), status=409)              # a conflict
    raise ActionRefused(_("资料不完整"), errors={"a": "…", "b": ["…", "…"]})  # several fields
    raise ActionRefused.for_fields({"a": ["…"]})     # the first message as the sentence

Modules subclass it for their own name (HazardError, ProposalError, VotingError, ...), so a
module can catch its own refusals, while pages (core.forms.run_action) and the API
(zhijia/api.py) handle every module's refusals the same way.

A free-text field is checked the same way everywhere, with the module's own refusal:

    title = text_field(title, "title", _("标题"), 200, error=HazardError)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _


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
        errors: Mapping[str, str | Sequence[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status
        given = errors or ({field: self.message} if field else {})
        # field -> its messages (one or several)
        self.errors: dict[str, list[str]] = {
            k: [str(v)] if isinstance(v, str) else [str(m) for m in v] for k, v in given.items()
        }

    @classmethod
    def for_fields(
        cls, errors: Mapping[str, str | Sequence[str]], *, status: int | None = None
    ) -> ActionRefused:
        """A refusal of several fields, its first message as the sentence for the user."""
        first = next((v if isinstance(v, str) else next(iter(v), "") for v in errors.values()), "")
        return cls(first, errors=errors, status=status)


def text_field(
    value,
    field: str,
    label: str,
    max_length: int | None = None,
    *,
    required: bool = True,
    error: type[ActionRefused] = ActionRefused,
) -> str:
    """The stripped text; `error` (the module's refusal) names the field when it is missing
    (unless not `required`) or longer than `max_length` characters."""
    text = (value or "").strip()
    if required and not text:
        raise error(_("请填写%(label)s") % {"label": label}, field=field)
    if max_length and len(text) > max_length:
        raise error(
            _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}, field=field
        )
    return text
