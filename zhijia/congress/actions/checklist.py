"""Writes on an inspection tour's checklist (巡视检查清单), each in one transaction, audited.

The checklist is taken when the tour is planned (do_create_tour calls take_checklist) and may
be taken again on request (刷新事实) while the tour is planned: every subject's facts are
gathered through core.hooks.inspection_facts for the tour's unit subtree and stored as a
snapshot with the time taken, so the tour shows what was known when it started, not today's
numbers. Findings already recorded are kept. The participants (or the organising cadre) then
record a finding per subject; a problem becomes one of the tour's findings and, when the cadre
names a responsible department, at once its rectification item.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import checklist_rules as rules
from zhijia.congress.actions.inspections import (
    InspectionError,
    _text,
    do_add_finding,
    do_create_rectification,
)
from zhijia.congress.models import ChecklistEntry, InspectionTour
from zhijia.congress.permissions import MANAGE_INSPECTION
from zhijia.congress.queries import inspections as queries
from zhijia.core.audit import record
from zhijia.core.hooks import inspection_facts
from zhijia.org.models import Department

__all__ = ["do_record_checklist_finding", "do_take_checklist", "take_checklist"]


def _errors() -> dict[str, tuple[str, str]]:
    return {
        rules.UNKNOWN_SUBJECT: ("subject", _("未知的检查内容")),
        rules.UNKNOWN_VERDICT: ("verdict", _("请选择检查结论")),
        rules.PROBLEM_KEPT: ("verdict", _("该项已记录为问题，不能改为正常")),
    }


def _snapshot(unit) -> dict[str, list[dict]]:
    return {
        subject: [
            rules.fact_record(f.label, f.value, f.ok, f.url)
            for f in inspection_facts(subject, unit)
        ]
        for subject in rules.SUBJECTS
    }


def take_checklist(*, actor, tour: InspectionTour) -> list[ChecklistEntry]:
    """Gather the facts of every subject now and store them (the caller holds the tour's lock
    and has checked the actor's permission)."""
    now = timezone.now()
    entries = []
    for subject, facts in _snapshot(tour.org_unit).items():
        entry, _created = ChecklistEntry.objects.update_or_create(
            tour=tour, subject=subject, defaults={"facts": facts, "facts_taken_at": now}
        )
        entries.append(entry)
    record(
        actor=actor,
        action="congress.take_inspection_checklist",
        target=tour,
        unit=tour.org_unit,
        data={"attention": sum(rules.attention(e.facts) for e in entries)},
    )
    return entries


@transaction.atomic
def do_take_checklist(*, actor, tour: InspectionTour) -> list[ChecklistEntry]:
    """刷新事实: take the checklist's facts again (the organising cadre, while planned)."""
    tour = InspectionTour.objects.select_for_update().get(pk=tour.pk)
    if not queries.can_manage_tour(actor, tour):
        raise PermissionDenied(MANAGE_INSPECTION)
    if tour.status == InspectionTour.Status.FINISHED:
        raise InspectionError(_("巡视已经结束，不能再刷新事实"), status=409)
    return take_checklist(actor=actor, tour=tour)


@transaction.atomic
def do_record_checklist_finding(
    *,
    actor,
    tour: InspectionTour,
    subject: str,
    verdict: str,
    note: str = "",
    department: Department | None = None,
    requirement: str = "",
    workdays=None,
) -> ChecklistEntry:
    """A participant (or the cadre) records the finding on one subject. A problem becomes a
    tour finding; with a `department` (the cadre only) also its rectification item."""
    tour = InspectionTour.objects.select_for_update().get(pk=tour.pk)
    if not queries.can_report_finding(actor, tour):
        raise PermissionDenied(MANAGE_INSPECTION)
    if tour.status == InspectionTour.Status.FINISHED:
        raise InspectionError(_("巡视已经结束，不能再记录检查结论"), status=409)
    entry = ChecklistEntry.objects.select_for_update().filter(tour=tour, subject=subject).first()
    if entry is None and subject in rules.SUBJECTS:
        raise InspectionError(_("本次巡视尚未生成检查清单"), status=409)
    code = rules.finding_error(
        subject, verdict, had_problem=entry is not None and entry.finding_id is not None
    )
    if code:
        field, message = _errors()[code]
        raise InspectionError(
            message, field=field, status=409 if code == rules.PROBLEM_KEPT else 400
        )
    assert entry is not None  # the subject is known and the entry exists
    if department is not None and verdict != rules.PROBLEM:
        raise InspectionError(_("只有存在问题时才能交责任部门整改"), field="department")
    # the inspections' required-text helper: required for a problem, bounded always
    text = (
        _text(note, "note", _("检查情况"), max_length=rules.MAX_NOTE)
        if rules.note_required(verdict) or (note or "").strip()
        else ""
    )
    if verdict == rules.PROBLEM:
        label = str(ChecklistEntry.Subject(subject).label)
        if entry.finding is None:
            entry.finding = do_add_finding(
                actor=actor,
                tour=tour,
                title=rules.finding_title(label, text),
                description=text,
            )
        elif entry.finding.description != text:
            entry.finding.title = rules.finding_title(label, text)
            entry.finding.description = text
            entry.finding.save(update_fields=["title", "description"])
        if department is not None:
            do_create_rectification(
                actor=actor,
                finding=entry.finding,
                department=department,
                requirement=(requirement or "").strip() or text,
                workdays=workdays,
            )
    entry.verdict = verdict
    entry.note = text
    entry.recorded_by = actor
    entry.recorder_name = actor.get_full_name() or str(actor)
    entry.recorded_at = timezone.now()
    entry.save(
        update_fields=["verdict", "note", "finding", "recorded_by", "recorder_name", "recorded_at"]
    )
    record(
        actor=actor,
        action="congress.record_checklist_finding",
        target=tour,
        unit=tour.org_unit,
        data={"subject": subject, "verdict": verdict, "finding": entry.finding_id},
    )
    return entry
