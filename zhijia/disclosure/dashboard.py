"""Module disclosure's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import searchables
from zhijia.disclosure import text as texts
from zhijia.disclosure.actions.items import SEARCH_TYPE  # noqa: E402
from zhijia.disclosure.models import Item
from zhijia.disclosure.queries import items as queries

# Searchable records ----------------------------------------------------------------------------
#
# Published items, indexed under their audience unit: found by the cadres of the subtree and
# the members below the audience (queries.search_scope_q), each hit re-checked.


def _visible(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(queries.items_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _entries():
    rows = Item.objects.filter(status=Item.Status.PUBLISHED).select_related("audience_unit")
    for item in rows.order_by("pk"):
        table_words = " ".join(" ".join(r) for r in item.table_rows)
        text = f"{texts.plain_text(item.body)}\n{table_words}"
        yield searchables.Entry(item.pk, item.title, text, item.audience_unit.path)


searchables.register(
    searchables.Searchable(
        type=SEARCH_TYPE,
        label=_("厂务公开"),
        module="disclosure",
        extra_scope=queries.search_scope_q,
        recheck=_visible,
        url=lambda target_id: reverse("disclosure:item-detail", args=[target_id]),
        reindex=_entries,
        order=45,
    )
)
