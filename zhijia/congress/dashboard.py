"""Module congress's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import Proposal
from zhijia.congress.queries import proposals as queries
from zhijia.core import searchables

# Searchable records ----------------------------------------------------------------------------
#
# Proposals are indexed under the proposer's unit; who sees one is decided per record (the
# proposer, co-signers, the congress cadres, the handling departments): the scope is the ids
# the user may see (queries.proposals_visible_to), re-checked after the search.


def _visible_q(user) -> Q:
    visible = queries.proposals_visible_to(user).annotate(search_id=Cast("pk", CharField()))
    return Q(target_id__in=visible.values("search_id"))


def _visible(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(queries.proposals_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _entries():
    for p in Proposal.objects.select_related("proposer_unit").order_by("pk"):
        text = "\n".join([p.cause, p.reasons, p.measures])
        yield searchables.Entry(p.pk, p.title, text, p.proposer_unit.path)


searchables.register(
    searchables.Searchable(
        type=queries.SEARCH_TYPE,
        label=_("提案"),
        module="congress",
        extra_scope=_visible_q,
        recheck=_visible,
        url=lambda target_id: reverse("congress:proposal-detail", args=[target_id]),
        reindex=_entries,
        order=35,
    )
)
