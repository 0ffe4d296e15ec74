"""The sweep of core.workflow: escalate overdue records, send reminders, run module jobs.

Imported (and re-exported) by zhijia.core.workflow; see its docstring.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from zhijia.core.models import WorkflowEvent, WorkflowRecord
from zhijia.core.workflow import (
    _STATE_FIELDS,
    ESCALATE,
    Workflow,
    _iso,
    _resolve,
    _set_deadline,
    _write_event,
    registered_workflows,
    reminders_due,
)

logger = logging.getLogger("zhijia.core.workflow")


# --- the sweep --------------------------------------------------------------------------------


def _escalation_pending(wf: Workflow, now: datetime) -> models.Q:
    # Escalated for the current deadline <=> escalated_at >= deadline_at (an escalation happens
    # after the deadline; any later deadline is set after the escalation, so lies beyond it).
    q = models.Q(deadline_at__lt=now) & (
        models.Q(escalated_at__isnull=True) | models.Q(escalated_at__lt=models.F("deadline_at"))
    )
    esc = wf.escalation
    if esc is not None and esc.raise_level and esc.max_level is not None:
        q &= models.Q(escalation_level__lt=esc.max_level)
    return q


def _escalate(wf: Workflow, record: WorkflowRecord, now: datetime) -> WorkflowEvent:
    esc = wf.escalation
    assert esc is not None
    from_state = record.state
    missed = record.deadline_at
    if esc.raise_level:
        record.escalation_level += 1
    record.escalated_at = now
    fired = None
    if esc.transition is not None:
        t = wf.transition(esc.transition)
        if record.state in t.source:
            fired = t
            record.state = t.target
            record.state_changed_at = now
            _set_deadline(record, t.deadline_workdays, now)
    if fired is None and esc.extend_workdays is not None:
        _set_deadline(record, esc.extend_workdays, now)
    record.save(update_fields=list(_STATE_FIELDS))
    event = _write_event(
        wf,
        record,
        transition=ESCALATE,
        from_state=from_state,
        actor=None,
        note="",
        data={
            "level": record.escalation_level,
            "missed_deadline": _iso(missed),
            "via": fired.name if fired else None,
        },
        now=now,
    )
    if esc.effect is not None:
        _resolve(esc.effect, "")(record, event)
    if esc.on_escalate is not None:
        transaction.on_commit(partial(_resolve(esc.on_escalate, ""), record, event))
    return event


def sweep_overdue(wf: Workflow, *, now: datetime | None = None) -> int:
    """Escalate every record whose deadline has passed and was not escalated yet.

    Idempotent: running it again escalates nothing more until another deadline passes.
    Each record is handled in its own transaction under its row lock, so concurrent sweeps
    and user transitions do not double up; a failing record is logged and skipped.
    """
    if wf.escalation is None:
        return 0
    now = now or timezone.now()
    model = wf.get_model()
    pending = _escalation_pending(wf, now)
    pks = list(
        model._base_manager.filter(pending)
        .order_by("deadline_at", "pk")
        .values_list("pk", flat=True)
    )
    escalated = 0
    for pk in pks:
        try:
            with transaction.atomic():
                # Lock, then re-check under the lock: another sweep may have been first.
                record = model._base_manager.select_for_update().filter(pk=pk).first()
                if record is None or not model._base_manager.filter(pending, pk=pk).exists():
                    continue
                _escalate(wf, record, now)
                escalated += 1
        except Exception:
            logger.exception("escalation of %s #%s failed", wf.name, pk)
    return escalated


def sweep_reminders(
    wf: Workflow, *, within_workdays: int | None = None, now: datetime | None = None
) -> int:
    """Call `wf.on_reminder` (after commit) once per deadline for records nearing it."""
    if wf.on_reminder is None:
        return 0
    now = now or timezone.now()
    within = wf.remind_within_workdays if within_workdays is None else within_workdays
    model = wf.get_model()
    due = reminders_due(wf, within, queryset=model._base_manager.all(), now=now)
    reminded = 0
    for pk in list(due.order_by("deadline_at", "pk").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                record = model._base_manager.select_for_update().filter(pk=pk).first()
                if record is None or not due.filter(pk=pk).exists():
                    continue
                record.reminded_at = now
                record.save(update_fields=["reminded_at"])
                transaction.on_commit(partial(_resolve(wf.on_reminder, ""), record))
                reminded += 1
        except Exception:
            logger.exception("reminder of %s #%s failed", wf.name, pk)
    return reminded


# Module jobs run with the sweeps (name -> callable() -> int, the number of records handled),
# registered from a module's workflows.py or AppConfig.ready() with `register_sweep`.
@dataclass
class _ModuleSweep:
    job: Callable[[], int]
    every_seconds: float
    last_run: float | None = None


_MODULE_SWEEPS: dict[str, _ModuleSweep] = {}


def register_sweep(name: str, job: Callable[[], int], *, every_seconds: float = 0) -> None:
    """Have the worker run `job()` with the sweeps (e.g. cases opens the anonymous box once a
    day), at most once every `every_seconds` in one worker process (0: every sweep). The job
    must be idempotent: several workers, or a restart, may run it again."""
    _MODULE_SWEEPS[name] = _ModuleSweep(job, every_seconds)


def _run_module_sweeps(report: dict[str, dict[str, int]]) -> None:
    now = time.monotonic()
    for name, sweep in list(_MODULE_SWEEPS.items()):
        if sweep.last_run is not None and now - sweep.last_run < sweep.every_seconds:
            continue
        sweep.last_run = now
        try:
            report[name] = {"done": int(sweep.job() or 0)}
        except Exception:
            logger.exception("module sweep %s failed", name)


def sweep_all(names: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Escalate overdue records and send reminders for every registered workflow (or `names`).

    The worker calls this every sweep interval; `zhijia manage sweep_deadlines` does it by hand.
    Without `names`, the module jobs registered with `register_sweep` run too.
    """
    registry = registered_workflows()
    report: dict[str, dict[str, int]] = {}
    for name in names or list(registry):
        wf = registry[name]
        report[name] = {"escalated": sweep_overdue(wf), "reminded": sweep_reminders(wf)}
    if names is None:
        _run_module_sweeps(report)
    return report
