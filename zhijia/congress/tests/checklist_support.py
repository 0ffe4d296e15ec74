"""Helpers for the checklist tests: hazards written as rows (the safety module's own flow is
tested there), and a tour of branch 1 planned by its cadre."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.congress.actions import inspections as actions
from zhijia.congress.models import InspectionTour
from zhijia.congress.tests.proposals_support import unit
from zhijia.safety.models import HazardReport


def hazard(reporter, unit_code: str, state: str, *, late: bool = False) -> HazardReport:
    now = timezone.now()
    return HazardReport.objects.create(
        reporter=reporter,
        org_unit=unit(unit_code),
        place="发电车间",
        description="配电箱门未关闭",
        category=HazardReport.Category.ELECTRICAL,
        state=state,
        deadline_at=now - dt.timedelta(days=2) if late else now + dt.timedelta(days=5),
    )


def plan_tour(actor, participants=(), unit_code: str = "B1") -> InspectionTour:
    return actions.do_create_tour(
        actor=actor,
        org_unit=unit(unit_code),
        title="第一分工会安全生产巡视",
        scope="五个方面的检查",
        start_date=dt.date(2026, 10, 12),
        end_date=dt.date(2026, 10, 14),
        participants=list(participants),
        leader=participants[0] if participants else None,
    )
