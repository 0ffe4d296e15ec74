"""The refusal of module bargaining's writes (zhijia.core.errors.ActionRefused)."""

from zhijia.core.errors import ActionRefused


class BargainingError(ActionRefused):
    """A refused write: message (Chinese, citing the article where a rule refuses), field,
    status."""
