"""The service entrances of module services on the worker's phone (see zhijia.core.entrances)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.entrances import Entrance
from zhijia.services.queries import counseling as queries

ENTRANCES = [
    # Booking and asking are the members' (counselors reach the page from their desk menu).
    Entrance(
        "services.counseling",
        _("心理咨询"),
        "services:counseling-home",
        "heart",
        queries.is_member,
        40,
    ),
]
