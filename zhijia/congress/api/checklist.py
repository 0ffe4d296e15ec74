"""API of an inspection tour's checklist (巡视检查清单), mounted at /api/v1/congress/inspections.

GET /{tour_id}/checklist: the five subjects with the facts taken when the tour was planned and
the findings; POST /{tour_id}/checklist: the finding on one subject (participants and the
cadre; a problem becomes a tour finding, with department_id, the cadre's, its rectification
item); POST /{tour_id}/checklist/refresh: take the facts again (the cadre, while planned).
A tour out of reach is 404; errors are the one error body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from zhijia.congress import checklist_rules as rules
from zhijia.congress.actions import checklist as actions
from zhijia.congress.queries import checklist as queries
from zhijia.congress.queries import inspections as tours
from zhijia.congress.queries import proposals as queries_proposals
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id, Workdays

router = Router(tags=["congress-inspections"])

Subject = Literal["disclosure", "safety", "progress", "contract", "resolutions"]


class CongressChecklistFact(Schema):
    label: str
    value: int | str
    ok: bool
    url: str


class CongressChecklistSection(Schema):
    subject: str
    label: str
    facts: list[CongressChecklistFact]
    attention: int
    verdict: str  # "" (not yet recorded) | "ok" | "problem"
    verdict_label: str
    note: str
    recorder_name: str
    recorded_at: datetime | None
    finding_id: Id | None
    rectification_id: Id | None


class CongressChecklist(Schema):
    tour_id: Id
    facts_taken_at: datetime | None
    recorded: int
    problems: int
    can_refresh: bool
    can_record: bool
    sections: list[CongressChecklistSection]


class CongressChecklistFindingIn(Schema):
    subject: Subject
    verdict: Literal["ok", "problem"]
    note: str = Field("", max_length=rules.MAX_NOTE)
    department_id: Id | None = None
    requirement: str = Field("", max_length=5000)
    workdays: Workdays | None = None


def _section(s: queries.ChecklistSection) -> dict:
    entry = s.entry
    item = s.rectification
    return {
        "subject": s.subject,
        "label": s.label,
        "facts": s.facts,
        "attention": s.attention,
        "verdict": s.verdict,
        "verdict_label": s.verdict_label,
        "note": entry.note if entry else "",
        "recorder_name": entry.recorder_name if entry else "",
        "recorded_at": entry.recorded_at if entry else None,
        "finding_id": entry.finding_id if entry else None,
        "rectification_id": item.pk if item is not None else None,
    }


def _checklist(user, tour) -> dict:
    sections = queries.sections_of(tour)
    recorded, problems = rules.progress(s.verdict for s in sections)
    return {
        "tour_id": tour.pk,
        "facts_taken_at": queries.taken_at(sections),
        "recorded": recorded,
        "problems": problems,
        "can_refresh": queries.can_refresh(user, tour),
        "can_record": queries.can_record(user, tour),
        "sections": [_section(s) for s in sections],
    }


@router.get("/{int:tour_id}/checklist", response=CongressChecklist)
def get_checklist(request, tour_id: Id):
    return _checklist(request.user, tours.access_tour(request.user, tour_id))


@router.post("/{int:tour_id}/checklist", response={201: CongressChecklistSection})
def record_checklist_finding(request, tour_id: Id, payload: CongressChecklistFindingIn):
    tour = tours.access_tour(request.user, tour_id)
    if not tours.can_report_finding(request.user, tour):
        raise PermissionDenied
    department = None
    if payload.department_id is not None:
        department = record_in_body(
            queries_proposals.departments(),
            payload.department_id,
            "department_id",
            _("责任部门不存在"),
        )
    entry = actions.do_record_checklist_finding(
        actor=request.user,
        tour=tour,
        subject=payload.subject,
        verdict=payload.verdict,
        note=payload.note,
        department=department,
        requirement=payload.requirement,
        workdays=payload.workdays,
    )
    section = next(s for s in queries.sections_of(tour) if s.subject == entry.subject)
    return Status(201, _section(section))


@router.post("/{int:tour_id}/checklist/refresh", response=CongressChecklist)
def refresh_checklist(request, tour_id: Id):
    tour = tours.access_tour(request.user, tour_id)
    actions.do_take_checklist(actor=request.user, tour=tour)
    return _checklist(request.user, tour)
