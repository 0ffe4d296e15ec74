"""The service entrances of module safety on the worker's phone (see zhijia.core.entrances)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.entrances import Entrance
from zhijia.safety import queries

ENTRANCES = [
    # Every member may report a hazard (queries.is_member); the page lists their reports too.
    Entrance("safety.report", _("隐患随手拍"), "safety:home", "camera", queries.is_member, 70),
]
