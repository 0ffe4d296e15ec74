"""Module org's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import searchables
from zhijia.org.models import Member
from zhijia.org.queries.members import members_visible_to, own_member
from zhijia.org.search import SEARCH_TYPE, member_entry

# Searchable records ----------------------------------------------------------------------------


def _own_member_q(user) -> Q | None:
    member = own_member(user)
    return Q(target_id=str(member.pk)) if member is not None else None


def _visible_members(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(members_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _member_entries():
    members = Member.objects.select_related("org_unit").order_by("pk")
    for member in members.iterator(chunk_size=2000):
        yield searchables.Entry(*member_entry(member))


searchables.register(
    searchables.Searchable(
        type=SEARCH_TYPE,
        label=_("会员"),
        module="org",
        permission="org.view_member",
        extra_scope=_own_member_q,
        recheck=_visible_members,
        url=lambda target_id: reverse("org:member-detail", args=[target_id]),
        reindex=_member_entries,
        order=10,
    )
)
