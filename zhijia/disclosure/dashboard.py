"""What disclosure declares for the dashboards and reports (zhijia.core.figures): the items
published in the period, by level (厂务/车间务/班务公开). Whether the catalogue's items were
published on time is `disclosure.items_on_time` (the 建家 evidence declares it). Imported by
DisclosureConfig.ready()."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges, figures, searchables
from zhijia.core.figures import Figure, Scope
from zhijia.disclosure import text as texts
from zhijia.disclosure.actions.items import SEARCH_TYPE  # noqa: E402
from zhijia.disclosure.models import Item, Level
from zhijia.disclosure.permissions import PUBLISH_ITEM
from zhijia.disclosure.queries import items as queries


def _published(scope: Scope):
    lo, hi = scope.bounds()
    return Item.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        status=Item.Status.PUBLISHED,
        published_at__gte=lo,
        published_at__lt=hi,
    )


def items_published(scope: Scope) -> int:
    return _published(scope).count()


def items_by_level(scope: Scope) -> figures.Rows:
    counts = dict(_published(scope).values_list("level").order_by().annotate(n=Count("pk")))  # type: ignore[arg-type]
    return [(label, counts.get(code, 0)) for code, label in Level.choices]


def _published_list(scope: Scope) -> str:
    """The items the scope's units published within its days (still published)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('disclosure:manage-items')}?unit={scope.unit_id}&status=published&{period}"


figures.register(
    Figure(
        key="disclosure.items_published",
        label=_("公开事项"),
        module="disclosure",
        sources=("disclosure.item",),
        compute=items_published,
        unit=_("项"),
        order=10,
        link=_published_list,
        link_perm=PUBLISH_ITEM,
        breakdown=items_by_level,
        chart="bar",
        description=_("本期发布的厂务、车间务、班务公开事项，按层级"),
    )
)


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
