"""What bargaining declares for the dashboards and reports (zhijia.core.figures): the
collective contracts in force at the end of the period, by kind. Imported by
BargainingConfig.ready()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.actions.contracts import SEARCH_TYPE  # noqa: E402
from zhijia.bargaining.models import Contract
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries import contracts as queries
from zhijia.bargaining.queries.common import member_prefixes
from zhijia.core import figures, searchables
from zhijia.core.figures import Figure, Scope


def _in_force(scope: Scope):
    """Effective by the period's end and not expired by then (an expired contract's state
    may still say 已生效 until the sweep runs: the dates decide)."""
    return Contract.objects.filter(
        queries.in_force_q(scope.end), org_unit__path__startswith=scope.unit_path
    )


def contracts_in_force(scope: Scope) -> int:
    return _in_force(scope).count()


def contracts_by_kind(scope: Scope) -> figures.Rows:
    counts = dict(_in_force(scope).values_list("kind").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in Contract.Kind.choices]


figures.register(
    Figure(
        key="bargaining.contracts_in_force",
        label=_("有效集体合同"),
        module="bargaining",
        sources=("bargaining.contract",),
        compute=contracts_in_force,
        unit=_("份"),
        order=10,
        link=lambda scope: (
            f"{reverse('bargaining:desk')}?unit={scope.unit_id}&in_force_on={scope.end.isoformat()}"
        ),
        link_perm=MANAGE,
        breakdown=contracts_by_kind,
        chart="bar",
        description=_("期末有效，按合同类型"),
    )
)


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
