"""What cases tells other modules through core.hooks: the facts of 办事进度 for a congress
inspection tour, the grievances of the unit's subtree (registered in CasesConfig.ready)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.cases.models import Grievance
from zhijia.core.hooks import InspectionFact

# Not yet answered: the deadline is the responsible level's (once answered it is the worker's
# time to rate the answer, which is no delay of the union's).
UNANSWERED = ("submitted", "assigned")


def inspection_facts(unit) -> list[InspectionFact]:
    open_ = Grievance.objects.filter(org_unit__path__startswith=unit.path, state__in=UNANSWERED)
    n_open = open_.count()
    n_late = open_.filter(deadline_at__lt=timezone.now()).count()
    queue = reverse("cases:queue")
    return [
        InspectionFact(_("尚未答复的职工诉求"), n_open, ok=True, url=f"{queue}?state=open"),
        InspectionFact(
            _("超期未办结的职工诉求"),
            n_late,
            ok=n_late == 0,
            url=f"{queue}?{urlencode({'state': 'open', 'overdue': 'on'})}",
        ),
    ]
