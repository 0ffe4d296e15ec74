"""What safety tells other modules through core.hooks: the facts of 安全生产管理 for a congress
inspection tour (registered in SafetyConfig.ready). Counts over the unit's whole subtree."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.hooks import InspectionFact
from zhijia.safety.models import HazardReport
from zhijia.safety.workflows import OPEN_STATES, RECTIFYING_STATES


def inspection_facts(unit) -> list[InspectionFact]:
    hazards = HazardReport.objects.filter(org_unit__path__startswith=unit.path)
    open_ = hazards.filter(state__in=OPEN_STATES)
    n_open = open_.count()
    n_major = open_.filter(level=HazardReport.Level.MAJOR).count()
    n_late = hazards.filter(state__in=RECTIFYING_STATES, deadline_at__lt=timezone.now()).count()
    queue = reverse("safety:queue")
    unit_q = {"unit": unit.pk}
    return [
        InspectionFact(
            _("未闭环的安全隐患"),
            n_open,
            ok=n_open == 0,
            url=f"{queue}?{urlencode({**unit_q, 'state': 'unfinished'})}",
        ),
        InspectionFact(
            _("其中重大隐患"),
            n_major,
            ok=n_major == 0,
            url=f"{queue}?{urlencode({**unit_q, 'level': 'major'})}",
        ),
        InspectionFact(
            _("超期未整改的隐患"),
            n_late,
            ok=n_late == 0,
            url=f"{queue}?{urlencode({**unit_q, 'overdue': '1'})}",
        ),
    ]
