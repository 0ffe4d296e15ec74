"""Module notices's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import searchables
from zhijia.notices.models import Notice
from zhijia.notices.permissions import MANAGE_NOTICE
from zhijia.notices.queries import notices as queries
from zhijia.org.queries.members import own_member

# Searchable records ----------------------------------------------------------------------------
#
# Published notices, indexed under the publishing unit. Their audience (any units, above or
# below the publisher) decides who reads them, so a member searches every entry and each hit
# is re-checked against the audience (queries.notices_visible_to).


def _member_scope(user) -> Q | None:
    return Q() if own_member(user) is not None else None


def _visible_notices(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(queries.notices_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _notice_entries():
    rows = Notice.objects.filter(state=queries.PUBLISHED).select_related("org_unit")
    for n in rows.order_by("pk"):
        yield searchables.Entry(n.pk, n.title, n.body, n.org_unit.path)


searchables.register(
    searchables.Searchable(
        type=queries.SEARCH_TYPE,
        label=_("通知公告"),
        module="notices",
        permission=MANAGE_NOTICE,
        extra_scope=_member_scope,
        recheck=_visible_notices,
        url=lambda target_id: reverse("notices:notice-detail", args=[target_id]),
        reindex=_notice_entries,
        order=20,
    )
)
