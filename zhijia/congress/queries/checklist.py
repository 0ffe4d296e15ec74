"""Reads of an inspection tour's checklist (巡视检查清单). Whoever may see the tour sees its
checklist (queries.inspections.access_tour: 404 otherwise); the participants and the cadre
record findings; the cadre refreshes the facts while the tour is planned."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhijia.congress import checklist_rules as rules
from zhijia.congress.models import ChecklistEntry, InspectionTour
from zhijia.congress.queries import inspections as tours
from zhijia.congress.workflows import RECTIFICATION


@dataclass
class ChecklistSection:
    """One subject of the checklist as the pages, the PDF, Excel and the API show it."""

    subject: str
    label: str
    entry: ChecklistEntry | None
    facts: list[dict[str, Any]] = field(default_factory=list)
    form: Any = None  # the page's finding form, set by the view for those who may record

    @property
    def attention(self) -> int:
        return rules.attention(self.facts)

    @property
    def verdict(self) -> str:
        return self.entry.verdict if self.entry else ""

    @property
    def verdict_label(self) -> str:
        return self.entry.get_verdict_display() if self.entry and self.entry.verdict else ""

    @property
    def finding(self):
        return self.entry.finding if self.entry else None

    @property
    def rectification(self):
        finding = self.finding
        # A finding without an item raises on the reverse one-to-one; hasattr absorbs it.
        item = (
            finding.rectification
            if finding is not None and hasattr(finding, "rectification")
            else None
        )
        if item is not None:
            item.state_label = RECTIFICATION.state_label(item.state)
        return item


def entries_of(tour: InspectionTour) -> list[ChecklistEntry]:
    rows = ChecklistEntry.objects.filter(tour=tour).select_related(
        "finding", "finding__rectification", "finding__rectification__department"
    )
    return sorted(rows, key=lambda e: rules.subject_order(e.subject))


def sections_of(tour: InspectionTour) -> list[ChecklistSection]:
    """The five subjects in order, each with its entry (None: the checklist was never taken,
    a tour planned before checklists existed)."""
    by_subject = {e.subject: e for e in entries_of(tour)}
    labels = dict(ChecklistEntry.Subject.choices)
    return [
        ChecklistSection(
            subject=s,
            label=str(labels[s]),
            entry=by_subject.get(s),
            facts=list(by_subject[s].facts) if s in by_subject else [],
        )
        for s in rules.SUBJECTS
    ]


def taken_at(sections: list[ChecklistSection]):
    """When the facts were taken (the same moment for every subject), or None."""
    times = [s.entry.facts_taken_at for s in sections if s.entry is not None]
    return max(times) if times else None


def can_refresh(user, tour: InspectionTour) -> bool:
    return tour.status == InspectionTour.Status.PLANNED and tours.can_manage_tour(user, tour)


def can_record(user, tour: InspectionTour) -> bool:
    return tour.status == InspectionTour.Status.PLANNED and tours.can_report_finding(user, tour)
