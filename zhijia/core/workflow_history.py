"""One history view-model for every workflow record: `history_view(record, viewer)`.

Each module's pages and API used to rebuild the timeline from `history(record)` with its own
idea of whose name a member may see. The rule is declared once, on the workflow
(`Workflow(history_rule=HistoryRule(...))`), and every page and endpoint reads the rows:

    rows = history_view(hazard, request.user)
    {% for row in rows %}{{ row.at }} {{ row.label }} → {{ row.state_label }} {{ row.actor }}

The rule: a viewer holding `staff_permission` over the record's unit (workflow_unit /
workflow_department) sees every step with the actors' names and every note. Anyone else who
may see the record (the access check is the module's `access_<noun>`) sees the steps with
`actor_for_others` in place of a cadre's name (None: the name, "": nothing, or e.g. 工会), the
notes of `notes_for_others` transitions only (None: all), and nothing at all when
`others_see_history` is False. `actor_for_others` stands for the system too, and for the
viewer's own steps unless `others_see_own_name`; otherwise a step without an actor shows
系统. `actor_hook(record, event)` may name an actor first (the anonymous box, 匿名职工).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from zhijia.core import permissions
from zhijia.core.models import WorkflowEvent, WorkflowRecord

if TYPE_CHECKING:
    from zhijia.core.workflow import Workflow


@dataclass(frozen=True)
class HistoryRule:
    """Who sees what of a record's history (see the module docstring)."""

    staff_permission: str | None = None
    actor_for_others: str | None = None
    notes_for_others: Collection[str] | None = None
    others_see_history: bool = True
    # whether a viewer who is not staff reads their own name on their own steps
    others_see_own_name: bool = True
    # callable(record, event) -> str | None: a label for the actor before the rule's own
    actor_hook: Callable[[Any, WorkflowEvent], str | None] | None = None


@dataclass(frozen=True)
class HistoryRow:
    """One step as a viewer may see it."""

    at: datetime
    transition: str
    label: str  # the step's label (提交, 分派, 超期升级, ...)
    from_state: str
    to_state: str
    state_label: str  # the state after the step
    actor: str  # the actor as this viewer may see it ("" when hidden)
    note: str  # "" when hidden from this viewer
    is_escalation: bool
    deadline_at: datetime | None
    data: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    actor_id: int | None = None  # only for the staff's rows (None otherwise)

    # Names the older templates used, so that a template moves to the rows unchanged.
    @property
    def to(self) -> str:
        return self.state_label

    @property
    def escalation(self) -> bool:
        return self.is_escalation


def is_staff_viewer(record: WorkflowRecord, viewer, rule: HistoryRule) -> bool:
    if rule.staff_permission is None:
        return True
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    perm = permissions.registry().get(rule.staff_permission)
    if perm is not None and perm.tree == "department":
        department = record.workflow_department()
        return department is not None and permissions.has_perm(
            viewer, rule.staff_permission, department=department
        )
    unit = record.workflow_unit()
    return unit is not None and permissions.has_perm(viewer, rule.staff_permission, unit=unit)


def _attachment_ids(event: WorkflowEvent) -> list[str]:
    """The attachments a step names in its data (`"attachments": [id, ...]`)."""
    ids = (event.data or {}).get("attachments", [])
    return [str(pk) for pk in ids] if isinstance(ids, list) else []


def _attachments(events: list[WorkflowEvent]) -> dict[str, Any]:
    ids = {pk for e in events for pk in _attachment_ids(e)}
    if not ids:
        return {}
    from zhijia.core.models import Attachment

    return {str(a.pk): a for a in Attachment.objects.filter(pk__in=ids)}


def history_view(
    record: WorkflowRecord, viewer, *, workflow: Workflow | None = None
) -> list[HistoryRow]:
    """The record's steps, oldest first, as `viewer` may see them."""
    from zhijia.core.workflow import ESCALATE, history, workflow_of

    wf = workflow or workflow_of(record)
    rule = wf.history_rule
    staff = is_staff_viewer(record, viewer, rule)
    if not staff and not rule.others_see_history:
        return []
    viewer_pk = getattr(viewer, "pk", None)
    events = list(history(record))
    files = _attachments(events)
    rows = []
    for e in events:
        actor = rule.actor_hook(record, e) if rule.actor_hook is not None else None
        if actor is None:
            own = viewer_pk is not None and e.actor_id == viewer_pk
            if (
                not staff
                and not (own and rule.others_see_own_name)
                and (rule.actor_for_others is not None)
            ):
                actor = str(rule.actor_for_others)
            elif e.actor_id is None:
                actor = gettext("系统")
            else:
                actor = e.actor_label
        show_note = staff or rule.notes_for_others is None or e.transition in rule.notes_for_others
        rows.append(
            HistoryRow(
                at=e.at,
                transition=e.transition,
                label=wf.transition_label(e.transition),
                from_state=e.from_state,
                to_state=e.to_state,
                state_label=wf.state_label(e.to_state),
                actor=actor,
                note=e.note if show_note else "",
                is_escalation=e.transition == ESCALATE,
                deadline_at=e.deadline_at,
                data=dict(e.data or {}) if staff else {},
                attachments=[files[pk] for pk in _attachment_ids(e) if pk in files],
                actor_id=e.actor_id if staff else None,
            )
        )
    return rows
