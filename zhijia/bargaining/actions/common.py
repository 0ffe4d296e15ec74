"""What the bargaining subjects' actions share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.queries.common import article_number
from zhijia.core.errors import text_field as core_text_field


def text_field(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return core_text_field(
        value, field, label, max_length, required=required, error=BargainingError
    )


def cite(article: int) -> str:
    """The article as the UI cites it: 《集体合同规定》第三十二条 (a translatable frame)."""
    return _("《集体合同规定》第%(n)s条") % {"n": article_number(article)}
