"""Figures of module disclosure (zhijia.core.figures), imported by DisclosureConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core import figures


def _items_published(scope: figures.Scope) -> int:
    from zhijia.disclosure.models import Item

    return Item.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        status=Item.Status.PUBLISHED,
        published_at__date__range=(scope.start, scope.end),
    ).count()


figures.register(
    figures.Figure(
        key="disclosure.items_published",
        label=_("公开事项"),
        module="disclosure",
        compute=_items_published,
        unit=_("项"),
        order=10,
        description=_("期间内发布且未撤回的公开事项"),
    )
)
