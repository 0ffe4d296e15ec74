"""The workflow mechanism, on the test app's Ticket (zhijia/core/tests/testapp/workflows.py)."""

from __future__ import annotations

import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection

from zhijia.core import workflow as wfm
from zhijia.core.audit import verify_chain
from zhijia.core.models import AuditEvent, WorkflowEvent
from zhijia.core.tests.testapp import workflows as ticket_flow
from zhijia.core.tests.testapp.models import Ticket
from zhijia.core.tests.testapp.workflows import TICKET
from zhijia.core.workflow import (
    Transition,
    TransitionError,
    Workflow,
    available_transitions,
    do_transition,
    history,
    overdue,
    reminders_due,
    start,
    sweep_overdue,
    sweep_reminders,
)
from zhijia.org.models import Department

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def end_of(y, m, d) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=SH)


@pytest.fixture(autouse=True)
def _clear_hooks():
    ticket_flow.escalation_log.clear()
    ticket_flow.reminder_log.clear()


@pytest.fixture
def hr(demo_units):
    return Department.objects.get(code="D-HR")


@pytest.fixture
def new_ticket(personas, demo_units):
    """new_ticket(unit="B1-G1", department=None) -> a started ticket submitted by worker1."""

    def _new(unit="B1-G1", department=None, submitter="worker1"):
        ticket = Ticket.objects.create(
            title="更衣室热水器损坏",
            org_unit=demo_units[unit],
            department=department,
            submitter=personas[submitter],
        )
        start(TICKET, ticket, actor=personas[submitter], note="请尽快维修")
        return ticket

    return _new


def names(transitions):
    return [t.name for t in transitions]


# --- declaration -----------------------------------------------------------------------------


def test_declaration_is_checked_and_registered():
    assert wfm.get_workflow("core_testapp.ticket") is TICKET
    assert "core_testapp.ticket" in wfm.registered_workflows()
    assert TICKET.state_label("assigned") == "已分派"
    assert TICKET.transition_label("assign") == "分派"
    with pytest.raises(ValueError, match="unknown state 'nowhere'"):
        Workflow(
            name="core_testapp.broken",
            model="core_testapp.Ticket",
            states={"a": "A"},
            initial="a",
            transitions=[Transition("go", source=["a"], target="nowhere")],
        )
    with pytest.raises(ValueError, match="reserved"):
        Workflow(
            name="core_testapp.broken",
            model="core_testapp.Ticket",
            states={"a": "A"},
            initial="a",
            transitions=[Transition("escalate", source=["a"], target="a")],
        )


# --- permissions -----------------------------------------------------------------------------


def test_available_transitions_follow_role_and_scope(personas, new_ticket):
    ticket = new_ticket()
    assert names(available_transitions(TICKET, ticket, personas["branch1"])) == ["assign", "close"]
    assert names(available_transitions(TICKET, ticket, personas["chair"])) == ["assign", "close"]
    assert names(available_transitions(TICKET, ticket, personas["branch2"])) == []
    # The submitter may close their own ticket (actor_rule), not assign it.
    assert names(available_transitions(TICKET, ticket, personas["worker1"])) == ["close"]
    assert names(available_transitions(TICKET, ticket, personas["worker2"])) == []
    assert names(available_transitions(TICKET, ticket, AnonymousUser())) == []


def test_out_of_scope_cadre_and_wrong_role_are_refused(personas, new_ticket, hr):
    ticket = new_ticket(department=hr)
    events_before = WorkflowEvent.objects.count()
    audit_before = AuditEvent.objects.count()
    for username in ("branch2", "worker1", "handler1", "admin"):
        with pytest.raises(TransitionError) as err:
            do_transition(TICKET, ticket, "assign", actor=personas[username])
        assert err.value.code == TransitionError.FORBIDDEN
        assert err.value.status == 403
        assert err.value.message == "您无权执行“分派”操作"
    with pytest.raises(TransitionError):
        do_transition(TICKET, ticket, "assign", actor=None)
    ticket.refresh_from_db()
    assert ticket.state == "submitted"
    assert WorkflowEvent.objects.count() == events_before
    assert AuditEvent.objects.count() == audit_before


def test_department_scoped_transition(personas, new_ticket, hr):
    finance = Department.objects.get(code="D-FIN")
    mine = new_ticket(department=hr)
    other = new_ticket(department=finance)
    for ticket in (mine, other):
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    # handler1 works in D-HR: answers what is assigned there, nothing else.
    do_transition(TICKET, mine, "answer", actor=personas["handler1"], note="已更换热水器")
    assert mine.state == "answered"
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, other, "answer", actor=personas["handler1"])
    assert err.value.code == TransitionError.FORBIDDEN
    # Fail closed: without a department to check against, nobody holds a department permission.
    Ticket.objects.filter(pk=other.pk).update(department=None)
    other.refresh_from_db()
    assert not wfm.can_transition(TICKET, other, "answer", personas["handler1"])


def test_system_only_transition(personas, new_ticket, hr):
    ticket = new_ticket(department=hr)
    do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, ticket, "supervise", actor=personas["chair"])
    assert err.value.code == TransitionError.FORBIDDEN
    event = do_transition(TICKET, ticket, "supervise", actor=None, system=True)
    assert event.actor is None and ticket.state == "supervised"


# --- state and guards ------------------------------------------------------------------------


def test_guard_failure_messages(personas, new_ticket, hr):
    ticket = new_ticket()
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    assert err.value.code == TransitionError.GUARD
    assert err.value.message == "请先选择承办部门"
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, ticket, "close", actor=personas["worker1"], note="  ")
    assert err.value.message == "请填写关闭理由"
    ticket.refresh_from_db()
    assert ticket.state == "submitted"
    # Once the department is set, the same transition passes.
    ticket.department = hr
    ticket.save(update_fields=["department"])
    do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    assert ticket.state == "assigned"


def test_wrong_state_and_unknown_transition(personas, new_ticket, hr):
    ticket = new_ticket(department=hr)
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, ticket, "answer", actor=personas["handler1"])
    assert err.value.code == TransitionError.STATE
    assert err.value.status == 409
    assert err.value.message == "当前状态为“已提交”，不能执行“答复”"
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, ticket, "approve", actor=personas["branch1"])
    assert err.value.code == TransitionError.UNKNOWN


def test_stale_instance_sees_the_current_state(personas, new_ticket, hr):
    ticket = new_ticket(department=hr)
    stale = Ticket.objects.get(pk=ticket.pk)
    do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    with pytest.raises(TransitionError) as err:
        do_transition(TICKET, stale, "assign", actor=personas["chair"])
    assert err.value.code == TransitionError.STATE
    assert stale.state == "assigned"  # refreshed under the lock


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_do_not_both_succeed(personas, demo_units, hr):
    ticket = Ticket.objects.create(title="并发", org_unit=demo_units["B1"], department=hr)
    start(TICKET, ticket, actor=None)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def fire(username):
        try:
            mine = Ticket.objects.get(pk=ticket.pk)
            barrier.wait()
            do_transition(TICKET, mine, "assign", actor=personas[username], data={"pause": 0.3})
            outcomes.append("ok")
        except TransitionError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire, args=(u,)) for u in ("branch1", "chair")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "state"]
    assert list(history(ticket).values_list("transition", flat=True)) == ["start", "assign"]


# --- deadlines, escalation, reminders --------------------------------------------------------


def test_deadlines_in_working_days_across_national_day(personas, new_ticket, hr):
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        ticket = new_ticket(department=hr)
    # Started Tue 29 Sep, 2 working days to assign: Wed 30 Sep, then Thu 8 Oct.
    assert ticket.deadline_at == end_of(2026, 10, 8)
    with time_machine.travel(at(2026, 9, 30, 16, 30), tick=False):
        event = do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    # 5 working days: Oct 8, 9, Sat 10 (调休), 12, 13; end of the day in Beijing.
    ticket.refresh_from_db()
    assert ticket.deadline_at == end_of(2026, 10, 13)
    assert event.deadline_at == end_of(2026, 10, 13)
    assert ticket.state_changed_at == at(2026, 9, 30, 16, 30)
    # A transition with deadline None clears it.
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        do_transition(TICKET, ticket, "answer", actor=personas["handler1"])
    assert ticket.deadline_at is None


def _assigned_on_sept_30(personas, new_ticket, hr):
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        ticket = new_ticket(department=hr)
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    return ticket


def test_escalation_after_the_deadline_is_idempotent(
    personas, new_ticket, hr, django_capture_on_commit_callbacks
):
    ticket = _assigned_on_sept_30(personas, new_ticket, hr)
    assert ticket.deadline_at == end_of(2026, 10, 13)

    with time_machine.travel(at(2026, 10, 13, 22, 0), tick=False):
        assert sweep_overdue(TICKET) == 0
        assert not overdue(TICKET).filter(pk=ticket.pk).exists()

    with time_machine.travel(at(2026, 10, 14, 0, 0, 1), tick=False):
        assert overdue(TICKET).filter(pk=ticket.pk).exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_overdue(TICKET) == 1
        # Running it again changes nothing: this deadline has been escalated.
        assert sweep_overdue(TICKET) == 0
    ticket.refresh_from_db()
    # Overdue while assigned: the system fired "supervise", which gives 3 working days.
    assert ticket.state == "supervised"
    assert ticket.escalation_level == 1
    assert ticket.deadline_at == end_of(2026, 10, 19)
    assert ticket_flow.escalation_log == [(ticket.pk, 1)]
    event = history(ticket).last()
    assert (event.transition, event.from_state, event.to_state) == (
        "escalate",
        "assigned",
        "supervised",
    )
    assert event.actor is None
    assert event.data["level"] == 1 and event.data["via"] == "supervise"
    assert event.data["missed_deadline"] == end_of(2026, 10, 13).isoformat()

    with time_machine.travel(at(2026, 10, 20, 8, 0), tick=False):
        assert sweep_overdue(TICKET) == 1
        assert sweep_overdue(TICKET) == 0
    ticket.refresh_from_db()
    # "supervise" does not apply from "supervised": the level rises and 3 more days are given.
    assert (ticket.state, ticket.escalation_level) == ("supervised", 2)
    assert ticket.deadline_at == end_of(2026, 10, 23)

    with time_machine.travel(at(2026, 10, 26, 8, 0), tick=False):
        assert sweep_overdue(TICKET) == 0  # max_level reached
        assert overdue(TICKET).filter(pk=ticket.pk).exists()  # still shown as overdue
    assert history(ticket).filter(transition="escalate").count() == 2


def test_escalation_without_transition_keeps_state(personas, new_ticket):
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):  # Friday
        ticket = new_ticket()
    assert ticket.deadline_at == end_of(2026, 3, 10)
    with time_machine.travel(at(2026, 3, 11, 9, 0), tick=False):
        assert sweep_overdue(TICKET) == 1
    ticket.refresh_from_db()
    assert (ticket.state, ticket.escalation_level) == ("submitted", 1)
    assert ticket.deadline_at == end_of(2026, 3, 16)


def test_new_deadline_after_escalation_can_escalate_again(personas, new_ticket, hr):
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        ticket = new_ticket(department=hr)
    with time_machine.travel(at(2026, 3, 11, 9, 0), tick=False):
        assert sweep_overdue(TICKET) == 1
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"])
    assert ticket.deadline_at == end_of(2026, 3, 18)
    with time_machine.travel(at(2026, 3, 19, 9, 0), tick=False):
        assert sweep_overdue(TICKET) == 1
    ticket.refresh_from_db()
    assert (ticket.state, ticket.escalation_level) == ("supervised", 2)


def test_reminders_before_the_deadline(
    personas, new_ticket, hr, django_capture_on_commit_callbacks
):
    ticket = _assigned_on_sept_30(personas, new_ticket, hr)  # due end of Tue 13 Oct
    # Fri 9 Oct: within one working day is the end of Sat 10 Oct (a 调休 working day).
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        assert not reminders_due(TICKET).filter(pk=ticket.pk).exists()
        assert reminders_due(TICKET, within_workdays=3).filter(pk=ticket.pk).exists()
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        assert reminders_due(TICKET).filter(pk=ticket.pk).exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_reminders(TICKET) == 1
        assert sweep_reminders(TICKET) == 0
        assert not reminders_due(TICKET).filter(pk=ticket.pk).exists()
    assert ticket_flow.reminder_log == [ticket.pk]
    # The escalation sets a new deadline, and with it a new reminder.
    with time_machine.travel(at(2026, 10, 14, 9, 0), tick=False):
        sweep_overdue(TICKET)
    with time_machine.travel(at(2026, 10, 16, 9, 0), tick=False):  # due end of Mon 19 Oct
        assert reminders_due(TICKET).filter(pk=ticket.pk).exists()


# --- history and audit -----------------------------------------------------------------------


def test_event_history_order_and_audit(personas, new_ticket, hr):
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        ticket = new_ticket(department=hr)
        do_transition(
            TICKET,
            ticket,
            "assign",
            actor=personas["branch1"],
            note="请人力资源部处理",
            data={"department": hr.pk},
        )
    with time_machine.travel(at(2026, 10, 14, 9, 0), tick=False):
        sweep_overdue(TICKET)
    with time_machine.travel(at(2026, 10, 15, 9, 0), tick=False):
        do_transition(TICKET, ticket, "answer", actor=personas["handler1"], note="已更换")
        do_transition(TICKET, ticket, "rate", actor=personas["worker1"], data={"rating": "满意"})

    steps = list(history(ticket))
    assert [(e.transition, e.from_state, e.to_state) for e in steps] == [
        ("start", "", "submitted"),
        ("assign", "submitted", "assigned"),
        ("escalate", "assigned", "supervised"),
        ("answer", "supervised", "answered"),
        ("rate", "answered", "closed"),
    ]
    assert [e.actor_label for e in steps] == ["陈小红", "李春梅", "", "周敏", "陈小红"]
    assert steps[1].note == "请人力资源部处理" and steps[1].data == {"department": hr.pk}
    assert steps[4].data == {"rating": "满意"}
    assert steps[0].at <= steps[1].at < steps[2].at < steps[3].at <= steps[4].at

    audit = list(
        AuditEvent.objects.filter(target_type="core_testapp.ticket", target_id=str(ticket.pk))
    )
    assert [a.action for a in audit] == [
        "core_testapp.ticket.start",
        "core_testapp.ticket.assign",
        "core_testapp.ticket.escalate",
        "core_testapp.ticket.answer",
        "core_testapp.ticket.rate",
    ]
    assert [a.actor_id for a in audit] == [
        personas["worker1"].pk,
        personas["branch1"].pk,
        None,
        personas["handler1"].pk,
        personas["worker1"].pk,
    ]
    assert audit[2].actor_label == "system" and audit[2].data["level"] == 1
    assert {a.unit_path for a in audit} == {ticket.org_unit.path}
    assert audit[1].data == {
        "from": "submitted",
        "to": "assigned",
        "deadline_at": end_of(2026, 10, 13).isoformat(),
        "event": steps[1].pk,
    }
    # Notes stay in the workflow history; the audit log records the structure only.
    assert all("请人力资源部处理" not in str(a.data) for a in audit)
    assert list(verify_chain()) == []


def test_failed_transition_leaves_no_trace(personas, new_ticket):
    ticket = new_ticket()
    before = (WorkflowEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(TransitionError):
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"])  # guard fails
    assert (WorkflowEvent.objects.count(), AuditEvent.objects.count()) == before


# --- the command -----------------------------------------------------------------------------


def test_sweep_deadlines_command(personas, new_ticket, hr):
    ticket = _assigned_on_sept_30(personas, new_ticket, hr)
    out = StringIO()
    with time_machine.travel(at(2026, 10, 14, 9, 0), tick=False):
        call_command("sweep_deadlines", "--workflow", "core_testapp.ticket", stdout=out)
        call_command("sweep_deadlines", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "core_testapp.ticket：超期升级 1 件，到期提醒 0 件"
    assert "core_testapp.ticket：超期升级 0 件，到期提醒 0 件" in lines[1:]
    ticket.refresh_from_db()
    assert ticket.state == "supervised"
    with pytest.raises(CommandError, match="未登记的流程"):
        call_command("sweep_deadlines", "--workflow", "nope.nothing")
