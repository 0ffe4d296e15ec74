"""What disclosure declares for the dashboards and reports (zhijia.core.figures): the items
published in the period, by level (厂务/车间务/班务公开). Whether the catalogue's items were
published on time is `disclosure.items_on_time` (the 建家 evidence declares it). Imported by
DisclosureConfig.ready()."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import figures
from zhijia.core.figures import Figure, Scope
from zhijia.disclosure.models import Item, Level
from zhijia.disclosure.permissions import PUBLISH_ITEM


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


figures.register(
    Figure(
        key="disclosure.items_published",
        label=_("公开事项"),
        module="disclosure",
        compute=items_published,
        unit=_("项"),
        order=10,
        link=lambda scope: reverse("disclosure:manage-board"),
        link_perm=PUBLISH_ITEM,
        breakdown=items_by_level,
        chart="bar",
        description=_("本期发布的厂务、车间务、班务公开事项，按层级"),
    )
)
