"""What the bargaining subjects' actions share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.queries.common import article_number


def text_field(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise BargainingError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > max_length:
        raise BargainingError(
            _("%(label)s最多 %(n)d 个字") % {"label": label, "n": max_length}, field=field
        )
    return text


def cite(article: int) -> str:
    """The article as the UI cites it: 《集体合同规定》第三十二条 (a translatable frame)."""
    return _("《集体合同规定》第%(n)s条") % {"n": article_number(article)}
