"""The service entrances of module cases on the worker's phone (see zhijia.core.entrances)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.cases.queries import grievances as queries
from zhijia.core.entrances import Entrance


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


ENTRANCES = [
    # The grievance form admits workers with a member record (queries.may_raise).
    Entrance(
        "cases.grievance", _("我要维权"), "cases:grievance-create", "shield", queries.may_raise, 10
    ),
    # The anonymous box is open to everyone; its pages never read the signed-in user.
    Entrance("cases.box", _("匿名信箱"), "cases:box", "mailbox", _signed_in, 20),
    # The published legal knowledge base, open to every signed-in user.
    Entrance("cases.knowledge", _("法律咨询"), "cases:knowledge-list", "scale", _signed_in, 30),
]
