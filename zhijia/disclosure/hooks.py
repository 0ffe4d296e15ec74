"""What disclosure tells other modules through core.hooks: the facts of 企务公开工作 for a
congress inspection tour, the catalogue board of the unit's subtree (registered in
DisclosureConfig.ready)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.hooks import InspectionFact
from zhijia.disclosure.models import Item
from zhijia.disclosure.queries.catalogue import obligations
from zhijia.org.models import OrgUnit


def inspection_facts(unit) -> list[InspectionFact]:
    units = list(
        OrgUnit.objects.filter(path__startswith=unit.path, closed_at__isnull=True).order_by("path")
    )
    board = obligations(units)
    overdue = sum(row.overdue for row in board)
    due_soon = sum(row.due_soon for row in board)
    missed = sum(row.missed for row in board)
    published = Item.objects.filter(
        org_unit__path__startswith=unit.path, status=Item.Status.PUBLISHED
    ).count()
    url = f"{reverse('disclosure:manage-board')}?{urlencode({'unit': unit.pk})}"
    return [
        InspectionFact(_("逾期未公开的目录事项"), overdue, ok=overdue == 0, url=url),
        InspectionFact(_("即将到期的目录事项"), due_soon, ok=True, url=url),
        InspectionFact(_("以往期次漏公开"), missed, ok=missed == 0, url=url),
        InspectionFact(_("正在公开的事项"), published, ok=True, url=reverse("disclosure:board")),
    ]
