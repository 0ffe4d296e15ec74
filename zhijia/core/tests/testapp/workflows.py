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
from zhijia.core.workflow import Escalation, Transition, Workflow

register("core_testapp.assign_ticket", roles=[Role.CADRE], description="分派工单")
register("core_testapp.close_ticket", roles=[Role.CADRE], description="关闭工单")
register(
    "core_testapp.answer_ticket", roles=[Role.HANDLER], description="答复工单", tree="department"
)

escalation_log: list[
    tuple[int, int]
] = []  # (ticket id, level) recorded by on_escalate, after commit
reminder_log: list[int] = []


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
        ),
    ],
    escalation=Escalation(
        transition="supervise",
        extend_workdays=3,
        max_level=2,
        on_escalate=lambda ticket, event: escalation_log.append((ticket.pk, event.data["level"])),
    ),
    on_reminder=lambda ticket: reminder_log.append(ticket.pk),
)
