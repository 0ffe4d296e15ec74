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
