"""What notices adds to the member home (registered in NoticesConfig.ready, see
zhijia.core.home): a card with the latest notices (HOME_LATEST of them, with a link to the
whole list) and the must-read notices not read yet, a to-do for each unread must-read, and the
service entrances on the worker's phone (zhijia.core.entrances)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.entrances import Entrance
from zhijia.core.home import Panel, Todo
from zhijia.notices.queries import notices as queries


def notices_panel(request):
    user = request.user
    if queries.own_member(user) is None:
        return
    yield Panel(
        "notices/_home_panel.html",
        {
            "latest": queries.latest_for_member(user),
            "must_read": queries.unread_must_reads(user),
            "list_url": reverse("notices:notice-list"),
            "size": queries.HOME_LATEST,
        },
        order=15,
    )


def todos(user):
    for notice in queries.unread_must_reads(user):
        yield Todo(
            _("阅读必读通知"),
            notice.get_absolute_url(),
            notice.title,
            urgent=True,
            order=20,
        )


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


ENTRANCES = [
    Entrance(
        "notices.notices",
        gettext_lazy("通知公告"),
        "notices:notice-list",
        "bell",
        lambda user: queries.own_member(user) is not None,
        65,
    ),
    Entrance("notices.guide", gettext_lazy("服务指南"), "notices:guide", "board", _signed_in, 66),
]
