"""The test workflow: a ticket is submitted, assigned to a department, answered, rated.

Deadlines: 2 working days to assign, 5 to answer. Overdue while unassigned: the level rises
and 3 more working days are given. Overdue while assigned: the system fires "supervise"
(督办), which gives the department 3 more working days. At most two escalations. Found by
zhijia.core.workflow.autodiscover() like every module's workflows.py.
"""

from __future__ import annotations

import time

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.permissions import register
from zhijia.core.workflow import Escalation, HistoryRule, Transition, Workflow

register("core_testapp.assign_ticket", roles=[Role.CADRE], description="分派工单")
register("core_testapp.close_ticket", roles=[Role.CADRE], description="关闭工单")
register(
    "core_testapp.answer_ticket", roles=[Role.HANDLER], description="答复工单", tree="department"
)

escalation_log: list[
    tuple[int, int]
] = []  # (ticket id, level) recorded by on_escalate, after commit
reminder_log: list[int] = []
# (ticket id, level, inside a transaction) recorded by the escalation effect, under the lock
effect_log: list[tuple[int, int, bool]] = []


def escalation_effect(ticket, event) -> None:
    """The escalation's own consequence, run inside the sweep's transaction (by dotted path)."""
    from django.db import transaction

    if ticket.title == "effect fails":
        raise RuntimeError("the effect failed")
    effect_log.append(
        (ticket.pk, event.data["level"], transaction.get_connection().in_atomic_block)
    )
    ticket.title = f"{ticket.title} (level {event.data['level']})"
    ticket.save(update_fields=["title"])


def has_department(ticket, ctx):
    return None if ticket.department_id else _("请先选择承办部门")


def pause_if_asked(ticket, ctx):
    # Lets the concurrency test hold the row lock for a while, as a slow request would.
    time.sleep(float(ctx.data.get("pause", 0)))
    return None


def needs_reason(ticket, ctx):
    return None if ctx.note.strip() else _("请填写关闭理由")


def is_submitter(ticket, user):
    return ticket.submitter_id is not None and ticket.submitter_id == user.pk


TICKET = Workflow(
    name="core_testapp.ticket",
    model="core_testapp.Ticket",
    states={
        "submitted": _("已提交"),
        "assigned": _("已分派"),
        "supervised": _("督办中"),
        "answered": _("已答复"),
        "closed": _("已办结"),
    },
    initial="submitted",
    initial_deadline_workdays=2,
    transitions=[
        Transition(
            "assign",
            source=["submitted"],
            target="assigned",
            permission="core_testapp.assign_ticket",
            guards=[has_department, pause_if_asked],
            deadline_workdays=5,
            label=_("分派"),
        ),
        Transition(
            "supervise",
            source=["assigned"],
            target="supervised",
            deadline_workdays=3,
            label=_("督办"),
        ),
        Transition(
            "answer",
            source=["assigned", "supervised"],
            target="answered",
            permission="core_testapp.answer_ticket",
            deadline_workdays=None,
            label=_("答复"),
        ),
        Transition(
            "rate",
            source=["answered"],
            target="closed",
            actor_rule=is_submitter,
            label=_("评价"),
        ),
        Transition(
            "close",
            source=["submitted", "assigned"],
            target="closed",
            permission="core_testapp.close_ticket",
            actor_rule=is_submitter,
            guards=[needs_reason],
            label=_("关闭"),
            action="zhijia.core.tests.testapp.actions.do_close_ticket",
            form="zhijia.core.tests.testapp.actions.CloseForm",
            schema="zhijia.core.tests.testapp.actions.CloseIn",
        ),
    ],
    escalation=Escalation(
        transition="supervise",
        extend_workdays=3,
        max_level=2,
        effect="zhijia.core.tests.testapp.workflows.escalation_effect",
        on_escalate=lambda ticket, event: escalation_log.append((ticket.pk, event.data["level"])),
    ),
    on_reminder=lambda ticket: reminder_log.append(ticket.pk),
    history_rule=HistoryRule(
        staff_permission="core_testapp.assign_ticket",
        actor_for_others=_("工会"),
        notes_for_others=("close",),
    ),
)
