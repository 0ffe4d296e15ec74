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

   * `action`, `form`, `schema` name, by dotted path, the `do_*` action the step runs, the
     page's form and the API's input schema (core.views_workflow.step_view and
     core.api_workflow.add_step_routes use them); workflows.py imports no actions module:
     hooks (escalation effect, reminders) are callables or dotted paths too.
   * States are constants: `GRIEVANCE.states.submitted` (an unknown name raises), and
     `in_state(record, "submitted", "assigned")` checks the names against the workflow; no
     module compares `.state` with a string literal (scripts/check_rules.py, rule `state`).

3. Its actions call the mechanism inside their own transaction:

       @transaction.atomic
       def do_assign_grievance(*, actor, grievance, department):
           checked = precheck(GRIEVANCE, grievance, "assign", actor)   # 403 / 409, row locked
           grievance.department = department
           grievance.save(update_fields=["department"])
           do_transition(GRIEVANCE, grievance, "assign", actor=actor, prechecked=checked,
                         data={"department": department.pk})

   `start(wf, record, actor=...)` once when the record is created (state = initial, first event).
   `precheck` answers, before the action writes, whether the actor may and the state allows
   (guards too with guards=True). `do_transition` locks the record's row, checks the
   permission (unless prechecked), the source state and the guards, sets state and deadline,
   and writes the `WorkflowEvent` and the audit event, all in one transaction; otherwise it
   raises `TransitionError` (an ActionRefused: 403 forbidden, 409 wrong state, 400 guard).
   Two concurrent transitions never both succeed. Pages show `available_transitions(...)` as
   buttons and `history_view(record, viewer)` as the timeline (one visibility rule, declared
   as the workflow's `history_rule`). Records outside the user's scope are answered 404 by
   the module's `access_<noun>` first; the check here is the second line of defence.

4. Deadlines (zhijia.core.workflow_sweep): `sweep_overdue(wf)` applies the workflow's
   `Escalation` once per deadline (raise `escalation_level`, optionally fire a transition as
   the system, optionally give a new deadline, run `effect` in the same transaction under the
   row lock, `on_escalate` after commit); `sweep_reminders(wf)` handles reminders before a
   deadline. The management command `sweep_deadlines` runs both for every workflow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string
from django.utils.translation import gettext

from zhijia.core import audit, permissions, workdays
from zhijia.core.errors import ActionRefused
from zhijia.core.models import WorkflowEvent, WorkflowRecord
from zhijia.core.workflow_history import HistoryRow, HistoryRule, history_view

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
    # What runs the step, by dotted path (so workflows.py imports no actions module):
    # `action` the do_* function, `form` the page's form class, `schema` the API input schema.
    action: str | None = None
    form: str | None = None
    schema: str | None = None

    def __post_init__(self) -> None:
        source = (self.source,) if isinstance(self.source, str) else tuple(self.source)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "guards", tuple(self.guards))
        if not self.label:
            object.__setattr__(self, "label", self.name)

    def get_action(self) -> Callable[..., Any]:
        return _resolve(self.action, f"transition {self.name!r} declares no action")

    def get_form(self) -> Any:
        return _resolve(self.form, f"transition {self.name!r} declares no form")

    def get_schema(self) -> Any:
        return _resolve(self.schema, f"transition {self.name!r} declares no schema")


def _resolve(spec: Any, missing: str) -> Any:
    """A callable or class given directly or by dotted path (imported on first use)."""
    if spec is None:
        raise LookupError(missing)
    return import_string(spec) if isinstance(spec, str) else spec


# A hook given as a callable or as the dotted path of one.
Hook = Callable[..., Any] | str


class StateSet(Mapping[str, Any]):
    """A workflow's states: code -> label, and each code as a constant.

    `GRIEVANCE.states.submitted == "submitted"`; an unknown name raises AttributeError, so a
    typo fails loudly instead of comparing false forever."""

    def __init__(self, states: Mapping[str, Any]) -> None:
        self._labels = dict(states)

    def __getitem__(self, code: str) -> Any:
        return self._labels[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __getattr__(self, name: str) -> str:
        labels = self.__dict__.get("_labels", {})
        if name in labels:
            return name
        raise AttributeError(f"no state {name!r} (states: {', '.join(labels)})")

    def __repr__(self) -> str:
        return f"StateSet({list(self._labels)})"

    def check(self, *codes: str) -> tuple[str, ...]:
        """The codes, each verified to be a state of this workflow (ValueError otherwise)."""
        unknown = [c for c in codes if c not in self._labels]
        if unknown:
            raise ValueError(f"unknown state(s) {unknown} (states: {', '.join(self._labels)})")
        return codes


@dataclass(frozen=True)
class Escalation:
    """What the sweep does, once, when a record's deadline has passed.

    transition       fire this transition as the system when the record is in one of its
                     source states (its deadline rule applies); otherwise only the level rises
    extend_workdays  when no transition fired: a new deadline this many working days from now
                     (the next level gets its own clock); None keeps the passed deadline
    raise_level      add 1 to `escalation_level`
    max_level        stop escalating once `escalation_level` reaches it
    effect           callable(record, event) (or its dotted path), run INSIDE the sweep's
                     transaction, under the row lock, after the escalation event is written:
                     the module's own consequence of the escalation (move the responsible
                     level up, queue notifications through the outbox). It commits or rolls
                     back with the escalation, so nothing needs repairing afterwards.
    on_escalate      callable(record, event) (or its dotted path), run after commit: for work
                     that must not hold the lock (an external call); prefer `effect`.
    """

    transition: str | None = None
    extend_workdays: int | None = None
    raise_level: bool = True
    max_level: int | None = None
    effect: Hook | None = None
    on_escalate: Hook | None = None


@dataclass(frozen=True, eq=False)
class Workflow:
    name: str
    model: str  # "app_label.ModelName" of the WorkflowRecord subclass
    # code -> label, given as a mapping; a StateSet once declared (`wf.states.<code>`). Typed
    # Any so that both a dict literal and the attribute constants type-check.
    states: Any
    initial: str
    transitions: Sequence[Transition]
    initial_deadline_workdays: DeadlineSpec = None
    escalation: Escalation | None = None
    # callable(record) or its dotted path, run after commit for each record whose deadline is
    # near
    on_reminder: Hook | None = None
    remind_within_workdays: int = 1
    # who sees what of a record's history (zhijia.core.workflow_history.history_view)
    history_rule: HistoryRule = HistoryRule()
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", StateSet(self.states))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        object.__setattr__(self, "_by_name", {})
        problems = []
        if self.initial not in self.states:
            problems.append(f"initial state {self.initial!r} is not a state")
        for state in self.states:
            if hasattr(StateSet, state) or not state.isidentifier():
                problems.append(f"state {state!r} cannot be a constant (wf.states.<code>)")
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


_discovered = False


def autodiscover() -> None:
    """Import `<app>.workflows` of every installed app, so that all workflows are registered.
    Once per process: looking for the modules again searches every app's directory (several
    milliseconds, and state checks call this on every request)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("workflows")
        _discovered = True


def registered_workflows() -> dict[str, Workflow]:
    autodiscover()
    return dict(sorted(_REGISTRY.items()))


def get_workflow(name: str) -> Workflow:
    autodiscover()
    return _REGISTRY[name]


def workflow_of(record_or_model: Any) -> Workflow:
    """The workflow a record (or model) runs on; LookupError when none or several do."""
    label = record_or_model._meta.label
    autodiscover()
    found = [wf for wf in _REGISTRY.values() if wf.model == label]
    if len(found) != 1:
        raise LookupError(f"{label} runs on {len(found)} workflows, not one")
    return found[0]


def in_state(record: Any, *codes: str) -> bool:
    """Whether the record is in one of the named states, each name checked against its
    workflow (a typo raises ValueError instead of comparing false forever). A model that runs
    on no workflow but has a `state` field with choices (a session, a poll) is checked
    against those choices."""
    try:
        states: Any = workflow_of(record).states
    except LookupError:
        choices = dict(record._meta.get_field("state").choices or ())
        if not choices:
            raise
        states = StateSet(choices)
    return record.state in states.check(*codes)


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


@dataclass(frozen=True)
class Prechecked:
    """Proof that `precheck` allowed `transition` on `record` for `actor` in this transaction."""

    workflow: str
    transition: str
    model: str
    pk: Any
    actor_pk: Any


def _refuse_actor(transition: Transition) -> TransitionError:
    return TransitionError(
        gettext("您无权执行“%(action)s”操作") % {"action": transition.label},
        code=TransitionError.FORBIDDEN,
    )


def _check_state(wf: Workflow, transition: Transition, record: WorkflowRecord) -> None:
    if record.state not in transition.source:
        raise TransitionError(
            gettext("当前状态为“%(state)s”，不能执行“%(action)s”")
            % {"state": wf.state_label(record.state), "action": transition.label},
            code=TransitionError.STATE,
        )


def _check_guards(
    transition: Transition, record: WorkflowRecord, actor, note: str, data: dict
) -> None:
    ctx = TransitionContext(actor=actor, transition=transition, note=note, data=data)
    for guard in transition.guards:
        message = guard(record, ctx)
        if message:
            raise TransitionError(str(message), code=TransitionError.GUARD)


def precheck(
    wf: Workflow,
    record: WorkflowRecord,
    name: str,
    actor,
    *,
    guards: bool = False,
    note: str = "",
    data: dict | None = None,
) -> Prechecked:
    """Check, before an action writes anything, that `actor` may fire `name` on `record` now.

    Call it inside the action's transaction: it locks the record's row (and refreshes its
    workflow fields), then checks the permission (403) before the state (409), and the guards
    too with `guards=True` (400; leave them to `do_transition` when they look at fields the
    action is about to set). Pass the result to `do_transition(..., prechecked=...)` when the
    action changes what the permission depends on (the responsible unit, the department)
    before firing the transition: the permission is then not asked again of the changed record.
    """
    transition = wf.transition(name)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("precheck() belongs inside the action's transaction")
    _lock(record)
    if not _actor_may(transition, record, actor):
        raise _refuse_actor(transition)
    _check_state(wf, transition, record)
    if guards:
        _check_guards(transition, record, actor, note, dict(data or {}))
    return Prechecked(
        wf.name, transition.name, record._meta.label, record.pk, getattr(actor, "pk", None)
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
    prechecked: Prechecked | None = None,
) -> WorkflowEvent:
    """Fire transition `name` on `record` for `actor`, or raise TransitionError.

    `system=True` skips the permission check (guards still run): for the sweep and for
    module jobs, never for a request's user. `prechecked` (from `precheck` for this very
    record, transition and actor) skips it too: it was answered before the action's changes.
    `data` must be JSON-serialisable.
    """
    transition = wf.transition(name)
    data = dict(data or {})
    if prechecked is not None and prechecked != Prechecked(
        wf.name, transition.name, record._meta.label, record.pk, getattr(actor, "pk", None)
    ):
        raise ValueError("prechecked is for another record, transition or actor")
    with transaction.atomic():
        _lock(record)
        if not system and prechecked is None and not _actor_may(transition, record, actor):
            raise _refuse_actor(transition)
        _check_state(wf, transition, record)
        _check_guards(transition, record, actor, note, data)
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


# The sweep (escalations, reminders, module jobs) lives in workflow_sweep; re-exported here.
from zhijia.core.workflow_sweep import (  # noqa: E402
    register_sweep,
    sweep_all,
    sweep_overdue,
    sweep_reminders,
)

__all__ = [
    "ESCALATE",
    "KEEP",
    "START",
    "Escalation",
    "Prechecked",
    "StateSet",
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
    "history_view",
    "HistoryRow",
    "HistoryRule",
    "in_state",
    "overdue",
    "precheck",
    "register_sweep",
    "registered_workflows",
    "sweep_all",
    "reminders_due",
    "start",
    "sweep_overdue",
    "workflow_of",
    "sweep_reminders",
]
