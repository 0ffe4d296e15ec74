"""Module bargaining's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.actions.contracts import SEARCH_TYPE  # noqa: E402
from zhijia.bargaining.models import Contract
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries import contracts as queries
from zhijia.bargaining.queries.common import member_prefixes
from zhijia.core import searchables

# Searchable records ----------------------------------------------------------------------------
#
# Contracts in force (or expired), indexed under their unit when published: found by the
# cadres of the subtree and by the members below the contract's unit.


def _member_q(user) -> Q | None:
    prefixes = member_prefixes(user)
    return Q(unit_path__in=prefixes) if prefixes else None


def _readable(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    published = queries.published_for(user).filter(pk__in=pks)
    managed = queries.managed_contracts(user).filter(pk__in=pks, state__in=queries.PUBLISHED)
    return list(published.values_list("pk", flat=True)) + list(managed.values_list("pk", flat=True))


def _entries():
    rows = Contract.objects.filter(state__in=queries.PUBLISHED).select_related("org_unit")
    for contract in rows.order_by("pk"):
        version = contract.current_version()
        text = "\n".join(f"{c.title} {c.text}" for c in version.clauses.all()) if version else ""
        yield searchables.Entry(contract.pk, contract.title, text, contract.org_unit.path)


searchables.register(
    searchables.Searchable(
        type=SEARCH_TYPE,
        label=_("集体合同"),
        module="bargaining",
        permission=MANAGE,
        extra_scope=_member_q,
        recheck=_readable,
        url=lambda target_id: reverse("bargaining:contract-read", args=[target_id]),
        reindex=_entries,
        order=90,
    )
)
