"""What women adds to the home pages: its entrance on the worker's phone "女职工"
(zhijia.core.entrances), for women members."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.entrances import Entrance
from zhijia.women.queries.common import is_woman_member

ENTRANCES = [
    Entrance("women.home", gettext_lazy("女职工"), "women:home", "heart", is_woman_member, 95),
]
