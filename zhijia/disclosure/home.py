"""Member-home to-dos of module disclosure (see zhijia.core.home)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.home import Todo
from zhijia.disclosure.queries import items as queries


def todos(user):
    unread = queries.unread_count_for(user)
    if unread:
        yield Todo(
            _("厂务公开"),
            reverse("disclosure:board"),
            _("%(n)d 项公开事项未读") % {"n": unread},
        )


# --- the service entrance on the worker's phone (zhijia.core.entrances) ---------------------------


def _signed_in(user) -> bool:
    # The board shows every signed-in user the items published to them (queries.board_items_for).
    return bool(getattr(user, "is_authenticated", False))


def entrances():
    from django.utils.translation import gettext_lazy

    from zhijia.core.entrances import Entrance

    return [
        Entrance(
            "disclosure.board", gettext_lazy("公开栏"), "disclosure:board", "board", _signed_in, 60
        )
    ]
