"""What bargaining adds to the home pages (registered in BargainingConfig.ready): its service
entrance on the worker's phone (zhijia.core.entrances): the collective contracts in force over
the member's unit, and the rounds collecting workers' demands; and the member's to-do
(zhijia.core.home): a round of their unit collecting demands that they have not answered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.bargaining.queries.common import is_member
from zhijia.core.entrances import Entrance
from zhijia.core.home import Todo

DEMAND_TODOS = 3  # the latest few; the module's home lists every round collecting demands


def demand_todos(user):
    """A round of the member's unit (or above) collecting demands, not yet answered by them."""
    from zhijia.bargaining.queries.rounds import unanswered_rounds

    for round_ in unanswered_rounds(user)[:DEMAND_TODOS]:
        yield Todo(
            _("集体协商征集意见"),
            reverse("bargaining:demand", args=[round_.pk]),
            round_.title,
            order=65,
        )


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
