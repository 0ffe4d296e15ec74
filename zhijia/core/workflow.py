"""The workflow mechanism: declared states and transitions, deadlines, escalation, history.

Proposals, grievances, suggestions, applications, hazards and disclosure questions all run on
this one mechanism. A module never hand-codes "if state == ... then ..."; it declares.

1. The model inherits the abstract `WorkflowRecord` (zhijia.core.models), which adds `state`,
   `state_changed_at`, `deadline_at`, `escalation_level`, `escalated_at`, `reminded_at`. Its
   unit for permission checks is `workflow_unit()` (default: the `org_unit` field); override
   `workflow_department()` if some transition uses a department-scoped permission (handlers).

2. The module declares its workflow in `<module>/workflows.py` (found by `autodiscover()`, so
   the `sweep_deadlines` command knows it):

       GRIEVANCE = Workflow(
           name="cases.grievance",
           model="cases.Grievance",
           states={"submitted": _("已提交"), "assigned": _("已分派"), "closed": _("已办结")},
           initial="submitted",
           initial_deadline_workdays=2,          # to assign it
           transitions=[
               Transition("assign", source=["submitted"], target="assigned",
                          permission="cases.assign_grievance", guards=[has_handler],
                          deadline_workdays=5, label=_("分派")),
               Transition("rate", source=["answered"], target="closed",
                          actor_rule=is_submitter, label=_("评价")),
           ],
           escalation=Escalation(extend_workdays=3, max_level=2, on_escalate=notify_parent),
       )

   * A transition may be fired by whoever holds `permission` over the record's unit (through
     zhijia.core.permissions.has_perm), OR satisfies `actor_rule(record, user)` (the record's
     own submitter, say). With neither, only the system may fire it (`system=True`).
   * A guard is `guard(record, ctx) -> None | str`: None lets the transition through, a string
     is the Chinese message shown to the user. `ctx` carries actor, transition, note and data.
   * `deadline_workdays`: an int (or `callable(record) -> int | None`, for configurable rules)
     sets `deadline_at` to the end of that many working days after now (zhijia.core.workdays);
     None clears the deadline; `KEEP` leaves it as it is.

3. Its actions call the mechanism inside their own transaction:

       @transaction.atomic
       def do_assign_grievance(*, actor, grievance, department):
           grievance.department = department
           grievance.save(update_fields=["department"])
           do_transition(GRIEVANCE, grievance, "assign", actor=actor,
                         data={"department": department.pk})

   `start(wf, record, actor=...)` once when the record is created (state = initial, first event).
   `do_transition` locks the record's row (select_for_update), checks the permission, the
   source state and the guards, sets state and deadline, and writes the `WorkflowEvent` and the
   audit event, all in one transaction; otherwise it raises `TransitionError` (a Chinese
   `message`, a `code` and an HTTP `status`). Two concurrent transitions never both succeed:
   the second one sees the state the first one left. Pages show `available_transitions(...)`
   as buttons and `history(record)` as the timeline (labels: `wf.state_label`,
   `wf.transition_label`). Records outside the user's scope should already have been answered
   with 404 by the module's `access_<noun>`; the check here is the second line of defence.
   An API endpoint turns a TransitionError into `HttpError(exc.status, exc.message)`.

4. Deadlines: `overdue(wf)` lists records past their deadline; `sweep_overdue(wf)` applies the
   workflow's `Escalation` once per deadline (raise `escalation_level`, optionally fire a
   transition as the system, optionally give a new deadline, call `on_escalate` after commit);
   `reminders_due(wf)` / `sweep_reminders(wf)` handle reminders before a deadline. The
   management command `sweep_deadlines` runs both for every registered workflow.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

from zhijia.core import audit, permissions, workdays
from zhijia.core.errors import ActionRefused
from zhijia.core.models import WorkflowEvent, WorkflowRecord

logger = logging.getLogger(__name__)

KEEP = "keep"  # deadline_workdays=KEEP: the transition leaves the deadline as it is
START = "start"  # the transition name recorded by start()
ESCALATE = "escalate"  # the transition name recorded by an escalation

_STATE_FIELDS = (
    "state",
    "state_changed_at",
    "deadline_at",
    "escalation_level",
    "escalated_at",
    "reminded_at",
)

# An int, a callable(record) -> int | None, KEEP, or None (no deadline).
DeadlineSpec = int | Callable[[Any], int | None] | str | None


class TransitionError(ActionRefused):
    """A transition that may not happen; `message` is for the user, in Chinese.

    An ActionRefused like every other refusal, so pages (core.forms.run_action) and the API
    answer it the same way; `code` says why, and the status follows from it."""

    UNKNOWN = "unknown"
    STATE = "state"
    FORBIDDEN = "forbidden"
    GUARD = "guard"
    _STATUS = {UNKNOWN: 400, STATE: 409, FORBIDDEN: 403, GUARD: 400}

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, status=self._STATUS.get(code, 400))
        self.code = code


@dataclass(frozen=True)
class TransitionContext:
    """What a guard may look at besides the record."""

    actor: Any
    transition: Transition
    note: str
    data: dict[str, Any]


Guard = Callable[[Any, TransitionContext], "str | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    source: Sequence[str]
    target: str
    permission: str | None = None
    actor_rule: Callable[[Any, Any], bool] | None = None
    guards: Sequence[Guard] = ()
    deadline_workdays: DeadlineSpec = None
    label: Any = ""

    def __post_init__(self) -> None:
        source = (self.source,) if isinstance(self.source, str) else tuple(self.source)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "guards", tuple(self.guards))
        if not self.label:
            object.__setattr__(self, "label", self.name)


@dataclass(frozen=True)
class Escalation:
    """What the sweep does, once, when a record's deadline has passed.

    transition       fire this transition as the system when the record is in one of its
                     source states (its deadline rule applies); otherwise only the level rises
    extend_workdays  when no transition fired: a new deadline this many working days from now
                     (the next level gets its own clock); None keeps the passed deadline
    raise_level      add 1 to `escalation_level`
    max_level        stop escalating once `escalation_level` reaches it
    on_escalate      callable(record, event), run after commit (notify the next level)
    """

    transition: str | None = None
    extend_workdays: int | None = None
    raise_level: bool = True
    max_level: int | None = None
    on_escalate: Callable[[Any, WorkflowEvent], None] | None = None


@dataclass(frozen=True, eq=False)
class Workflow:
    name: str
    model: str  # "app_label.ModelName" of the WorkflowRecord subclass
    states: Mapping[str, Any]  # code -> label
    initial: str
    transitions: Sequence[Transition]
    initial_deadline_workdays: DeadlineSpec = None
    escalation: Escalation | None = None
    # callable(record), run after commit for each record whose deadline is near
    on_reminder: Callable[[Any], None] | None = None
    remind_within_workdays: int = 1
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "transitions", tuple(self.transitions))
        object.__setattr__(self, "_by_name", {})
        problems = []
        if self.initial not in self.states:
            problems.append(f"initial state {self.initial!r} is not a state")
        for state in self.states:
            if len(state) > 32:
                problems.append(f"state {state!r} is longer than 32 characters")
        if len(f"{self.name}.{ESCALATE}") > 64:
            problems.append("the name is too long for audit actions (64 characters)")
        for t in self.transitions:
            if t.name in self._by_name or t.name in (START, ESCALATE):
                problems.append(f"transition name {t.name!r} is reserved or used twice")
            if len(f"{self.name}.{t.name}") > 64:
                problems.append(f"audit action {self.name}.{t.name} is longer than 64 characters")
            for state in (*t.source, t.target):
                if state not in self.states:
                    problems.append(f"transition {t.name!r} names unknown state {state!r}")
            self._by_name[t.name] = t
        esc = self.escalation
        if esc is not None and esc.transition is not None and esc.transition not in self._by_name:
            problems.append(f"escalation transition {esc.transition!r} is not declared")
        if problems:
            raise ValueError(f"workflow {self.name}: " + "; ".join(problems))
        _register(self)

    # --- lookups ---
    def get_model(self) -> type[WorkflowRecord]:
        return apps.get_model(self.model)

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError(
                gettext("未知的操作：%(name)s") % {"name": name}, code=TransitionError.UNKNOWN
            ) from None

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source]

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def transition_label(self, name: str) -> str:
        if name == START:
            return gettext("提交")
        if name == ESCALATE:
            return gettext("超期升级")
        t = self._by_name.get(name)
        return str(t.label) if t else name

    @property
    def state_choices(self) -> list[tuple[str, Any]]:
        """For a model field's or a filter's `choices`."""
        return list(self.states.items())


# --- registry ---------------------------------------------------------------------------------

_REGISTRY: dict[str, Workflow] = {}


def _register(wf: Workflow) -> None:
    existing = _REGISTRY.get(wf.name)
    if existing is not None and (
        existing.model != wf.model
        or list(existing.states) != list(wf.states)
        or list(existing._by_name) != list(wf._by_name)
    ):
        raise ValueError(f"workflow {wf.name} declared twice with different definitions")
    _REGISTRY[wf.name] = wf


def autodiscover() -> None:
    """Import `<app>.workflows` of every installed app, so that all workflows are registered."""
    autodiscover_modules("workflows")


def registered_workflows() -> dict[str, Workflow]:
    autodiscover()
    return dict(sorted(_REGISTRY.items()))


def get_workflow(name: str) -> Workflow:
    autodiscover()
    return _REGISTRY[name]


# --- who may act ------------------------------------------------------------------------------


def _holds_permission(actor, code: str, record: WorkflowRecord) -> bool:
    perm = permissions.registry().get(code)
    if perm is None:
        raise LookupError(f"unregistered permission code {code!r}")
    # Fail closed: a scoped permission with nothing to scope against is refused, never
    # widened to "anywhere".
    if perm.tree == "department":
        department = record.workflow_department()
        return department is not None and permissions.has_perm(actor, code, department=department)
    unit = record.workflow_unit()
    return unit is not None and permissions.has_perm(actor, code, unit=unit)


def _actor_may(transition: Transition, record: WorkflowRecord, actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if transition.permission and _holds_permission(actor, transition.permission, record):
        return True
    return bool(transition.actor_rule is not None and transition.actor_rule(record, actor))


def available_transitions(wf: Workflow, record: WorkflowRecord, user) -> list[Transition]:
    """Transitions `user` may fire from the record's current state (guards not evaluated:
    they may depend on the input; `do_transition` reports their messages)."""
    return [t for t in wf.transitions_from(record.state) if _actor_may(t, record, user)]


def can_transition(wf: Workflow, record: WorkflowRecord, name: str, user) -> bool:
    t = wf.transition(name)
    return record.state in t.source and _actor_may(t, record, user)


# --- writing ----------------------------------------------------------------------------------


def _deadline(spec: DeadlineSpec, record: WorkflowRecord, now: datetime) -> tuple[bool, Any]:
    """(changes?, new deadline) for a deadline rule."""
    if spec == KEEP:
        return False, None
    n = spec(record) if callable(spec) else spec
    if n is None:
        return True, None
    return True, workdays.deadline_after(now, int(n))


def _set_deadline(record: WorkflowRecord, spec: DeadlineSpec, now: datetime) -> None:
    changes, deadline = _deadline(spec, record, now)
    if changes:
        record.deadline_at = deadline
        record.reminded_at = None  # a reminder belongs to one deadline


def _lock(record: WorkflowRecord) -> None:
    """Lock the record's row until the end of the transaction and refresh its workflow fields
    from it, so the checks below see the state a concurrent transition may have left."""
    if record.pk is None:
        raise ValueError("save the record before running its workflow")
    row = (
        type(record)
        ._base_manager.select_for_update()
        .filter(pk=record.pk)
        .values(*_STATE_FIELDS)
        .first()
    )
    if row is None:
        raise TransitionError(gettext("记录不存在或已被删除"), code=TransitionError.STATE)
    for name, value in row.items():
        setattr(record, name, value)


def _iso(moment: datetime | None) -> str | None:
    """Deadlines in event data, always written in Beijing time."""
    return moment.astimezone(workdays.CHINA_TZ).isoformat() if moment else None


def _actor_label(actor) -> str:
    if actor is None or getattr(actor, "pk", None) is None:
        return ""
    return str(actor.get_full_name() if hasattr(actor, "get_full_name") else actor)


def _write_event(
    wf: Workflow,
    record: WorkflowRecord,
    *,
    transition: str,
    from_state: str,
    actor,
    note: str,
    data: dict[str, Any],
    now: datetime,
) -> WorkflowEvent:
    actor_obj = actor if getattr(actor, "pk", None) is not None else None
    event = WorkflowEvent.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        workflow=wf.name,
        transition=transition,
        from_state=from_state,
        to_state=record.state,
        actor=actor_obj,
        actor_label=_actor_label(actor_obj),
        at=now,
        deadline_at=record.deadline_at,
        note=note,
        data=data,
    )
    # The note stays in the workflow history; the audit log gets the structure of the step.
    audit.record(
        actor=actor_obj,
        action=f"{wf.name}.{transition}",
        target=record,
        unit=record.workflow_unit(),
        data={
            "from": from_state,
            "to": record.state,
            "deadline_at": _iso(record.deadline_at),
            "event": event.pk,
            **({"level": data["level"]} if transition == ESCALATE else {}),
        },
    )
    return event


def start(
    wf: Workflow, record: WorkflowRecord, *, actor, note: str = "", data: dict | None = None
) -> WorkflowEvent:
    """Put a freshly saved record in the initial state and write its first event.

    Whether `actor` may create the record is the creating action's check, not this one's.
    Anonymous submissions pass actor=None.
    """
    if record.pk is None:
        raise ValueError("save the record before starting its workflow")
    with transaction.atomic():
        _lock(record)
        if record.state not in ("", wf.initial):
            raise TransitionError(gettext("该流程已经开始"), code=TransitionError.STATE)
        now = timezone.now()
        record.state = wf.initial
        record.state_changed_at = now
        record.escalation_level = 0
        record.escalated_at = None
        record.deadline_at = None
        _set_deadline(record, wf.initial_deadline_workdays, now)
        record.save(update_fields=list(_STATE_FIELDS))
        return _write_event(
            wf,
            record,
            transition=START,
            from_state="",
            actor=actor,
            note=note,
            data=dict(data or {}),
            now=now,
        )


def do_transition(
    wf: Workflow,
    record: WorkflowRecord,
    name: str,
    *,
    actor,
    note: str = "",
    data: dict | None = None,
    system: bool = False,
) -> WorkflowEvent:
    """Fire transition `name` on `record` for `actor`, or raise TransitionError.

    `system=True` skips the permission check (guards still run): for the sweep and for
    module jobs, never for a request's user. `data` must be JSON-serialisable.
    """
    transition = wf.transition(name)
    data = dict(data or {})
    with transaction.atomic():
        _lock(record)
        if not system and not _actor_may(transition, record, actor):
            raise TransitionError(
                gettext("您无权执行“%(action)s”操作") % {"action": transition.label},
                code=TransitionError.FORBIDDEN,
            )
        if record.state not in transition.source:
            raise TransitionError(
                gettext("当前状态为“%(state)s”，不能执行“%(action)s”")
                % {"state": wf.state_label(record.state), "action": transition.label},
                code=TransitionError.STATE,
            )
        ctx = TransitionContext(actor=actor, transition=transition, note=note, data=data)
        for guard in transition.guards:
            message = guard(record, ctx)
            if message:
                raise TransitionError(str(message), code=TransitionError.GUARD)
        now = timezone.now()
        from_state = record.state
        record.state = transition.target
        record.state_changed_at = now
        _set_deadline(record, transition.deadline_workdays, now)
        record.save(update_fields=list(_STATE_FIELDS))
        return _write_event(
            wf,
            record,
            transition=transition.name,
            from_state=from_state,
            actor=actor,
            note=note,
            data=data,
            now=now,
        )


# --- reading ----------------------------------------------------------------------------------


def history(record: WorkflowRecord) -> models.QuerySet[WorkflowEvent]:
    """Every step of the record, oldest first."""
    return WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).order_by("id")


def _records(wf: Workflow, queryset: models.QuerySet | None) -> models.QuerySet:
    return queryset if queryset is not None else wf.get_model()._default_manager.all()


def overdue(
    wf: Workflow, queryset: models.QuerySet | None = None, *, now: datetime | None = None
) -> models.QuerySet:
    """Records whose deadline has passed (escalated or not): for lists and dashboards."""
    return _records(wf, queryset).filter(deadline_at__lt=now or timezone.now())


def reminders_due(
    wf: Workflow,
    within_workdays: int = 1,
    *,
    queryset: models.QuerySet | None = None,
    now: datetime | None = None,
) -> models.QuerySet:
    """Records whose deadline falls before the end of the `within_workdays`-th working day
    from now, not yet passed, and not yet reminded for this deadline."""
    now = now or timezone.now()
    horizon = workdays.deadline_after(now, within_workdays)
    return _records(wf, queryset).filter(
        deadline_at__gte=now, deadline_at__lte=horizon, reminded_at__isnull=True
    )


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
    if esc.on_escalate is not None:
        transaction.on_commit(partial(esc.on_escalate, record, event))
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
                transaction.on_commit(partial(wf.on_reminder, record))
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


__all__ = [
    "ESCALATE",
    "KEEP",
    "START",
    "Escalation",
    "Transition",
    "TransitionContext",
    "TransitionError",
    "Workflow",
    "autodiscover",
    "available_transitions",
    "can_transition",
    "do_transition",
    "get_workflow",
    "history",
    "overdue",
    "register_sweep",
    "registered_workflows",
    "sweep_all",
    "reminders_due",
    "start",
    "sweep_overdue",
    "sweep_reminders",
]
