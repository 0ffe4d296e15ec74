"""What bargaining adds to the home pages (registered in BargainingConfig.ready): its service
entrance on the worker's phone (zhijia.core.entrances): the collective contracts in force over
the member's unit, and the rounds collecting workers' demands."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.bargaining.queries.common import is_member
from zhijia.core.entrances import Entrance

ENTRANCES = [
    Entrance(
        "bargaining.contracts",
        gettext_lazy("集体合同"),
        "bargaining:home",
        "contract",
        is_member,
        75,
    ),
]
