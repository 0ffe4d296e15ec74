"""The full grievance path through the actions: routing, assignment, a deadline across the
National Day holiday, reminder, escalation to the level above, answer, 不满意 reopening one
level up, rating and closing — and the worker sees every step."""

from __future__ import annotations

import pytest
import time_machine

from zhijia.cases.actions import grievances as actions
from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import Grievance, RoutingRule
from zhijia.cases.queries import grievances as queries
from zhijia.cases.tests.support import TEXT, at, department, inbox, sweep, unit
from zhijia.core.models import AuditEvent
from zhijia.core.workflow import TransitionError, history

pytestmark = pytest.mark.django_db


def submit(worker, category="wages", kind="grievance", text=TEXT) -> Grievance:
    return actions.do_submit_grievance(actor=worker, kind=kind, category=category, text=text)


def test_full_path_with_escalation_across_national_day(personas):
    worker1, branch1, chair = personas["worker1"], personas["branch1"], personas["chair"]
    handler1 = personas["handler1"]

    # Monday 28 September 2026: a wages grievance has 5 working days. The National Day holiday
    # (1–7 October) does not count and Saturday 10 October is a 调休 working day, so the
    # deadline is the end of Saturday 10 October.
    with time_machine.travel(at(2026, 9, 28, 10), tick=False):
        g = submit(worker1)
    g.refresh_from_db()
    assert g.state == "submitted"
    assert g.handling_unit == unit("B1")  # worker1 is in group B1-G1: its branch handles it
    assert g.deadline_workdays == 5
    assert g.deadline_at == at(2026, 10, 10, 23, 59).replace(second=59, microsecond=999999)
    assert [n.title for n in inbox(branch1, "cases.grievance_new")] == [
        "新的职工诉求待办理（工资报酬）"
    ]
    assert inbox(chair, "cases.grievance_new") == []  # the committee is not bothered yet

    with time_machine.travel(at(2026, 9, 29, 9), tick=False):
        actions.do_assign_grievance(actor=branch1, grievance=g, department=department("D-HR"))
    g.refresh_from_db()
    assert (g.state, g.department.code) == ("assigned", "D-HR")
    assert inbox(handler1, "cases.grievance_new")
    assert g in queries.department_queue(handler1)

    # A reminder one working day before the deadline (Friday 9 October), once.
    with time_machine.travel(at(2026, 10, 9, 8), tick=False):
        sweep()
        sweep()
    reminders = inbox(handler1, "cases.grievance_reminder")
    assert len(reminders) == 1 and "2026-10-10" in reminders[0].title

    # Still within the deadline late on Saturday; escalated after it.
    with time_machine.travel(at(2026, 10, 10, 23, 30), tick=False):
        sweep()
    g.refresh_from_db()
    assert (g.escalation_level, g.handling_unit.code) == (0, "B1")
    with time_machine.travel(at(2026, 10, 11, 0, 30), tick=False):
        report = sweep()
        assert report["cases.grievance"]["escalated"] == 1
        assert sweep()["cases.grievance"]["escalated"] == 0  # once per deadline
    g.refresh_from_db()
    assert g.escalation_level == 1
    assert g.handling_unit == unit("U")  # the level above: the union committee supervises
    assert g.state == "assigned" and g.department.code == "D-HR"  # the department still answers
    # Five more working days for the new level, counted from Sunday 11 October.
    assert g.deadline_at.date().isoformat() == "2026-10-16"
    assert [n.title for n in inbox(chair, "cases.grievance_escalated")]
    assert [n.title for n in inbox(worker1, "cases.grievance_update")] == [
        "您的诉求已提交上一级工会督办"
    ]
    # branch1 still sees it (it comes from their branch) but can no longer act for the level.
    assert g in queries.queue_for_user(branch1)
    assert not queries.may_handle(branch1, g)
    assert queries.may_handle(chair, g)

    with time_machine.travel(at(2026, 10, 12, 15), tick=False):
        actions.do_ask_worker(actor=handler1, grievance=g, text="请提供近三个月的工资条。")
        actions.do_add_info(
            actor=worker1, grievance=g, text="工资条已拍照，七月到九月都没有夜班津贴。"
        )
        actions.do_answer_grievance(
            actor=handler1, grievance=g, text="经核实系核算错误，十月工资补发夜班津贴。"
        )
    g.refresh_from_db()
    assert g.state == "answered"

    # 不满意 the first time: reopened at the level above the committee? The committee is the
    # top, so it stays there; the department is released and the clock starts again.
    with time_machine.travel(at(2026, 10, 13, 9), tick=False):
        with pytest.raises(CasesRefused):
            actions.do_rate_grievance(actor=worker1, grievance=g, rating="dissatisfied")
        actions.do_rate_grievance(
            actor=worker1, grievance=g, rating="dissatisfied", comment="只补了九月的"
        )
    g.refresh_from_db()
    assert (g.state, g.reopen_count, g.department) == ("submitted", 1, None)
    assert g.handling_unit == unit("U")

    with time_machine.travel(at(2026, 10, 14, 9), tick=False):
        actions.do_answer_grievance(actor=chair, grievance=g, text="七至九月津贴已全部补发。")
        # The second 不满意 closes it as 不满意 (no second reopening).
        actions.do_rate_grievance(actor=worker1, grievance=g, rating="dissatisfied", comment="晚了")
    g.refresh_from_db()
    assert (g.state, g.rating) == ("closed", "dissatisfied")

    steps = [e.transition for e in history(g)]
    assert steps == [
        "start", "assign", "escalate", "answer", "reopen", "answer", "rate"
    ]  # fmt: skip
    # The worker sees every step, the question, their own information and both answers.
    entries = queries.timeline(g, for_worker=True)
    texts = " ".join(e.text for e in entries)
    assert "请提供近三个月的工资条" in texts and "七月到九月" in texts
    assert "核算错误" in texts and "全部补发" in texts
    assert any("超期升级" in e.label for e in entries)
    # Every step is in the audit log.
    actions_logged = set(
        AuditEvent.objects.filter(target_type="cases.grievance", target_id=str(g.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "cases.grievance.start",
        "cases.grievance.assign",
        "cases.grievance.escalate",
        "cases.escalate_grievance",
        "cases.ask_worker",
        "cases.add_info",
        "cases.grievance.answer",
        "cases.grievance.reopen",
        "cases.grievance.rate",
    } <= actions_logged


def test_dissatisfied_reopens_one_level_above_the_level_that_answered(personas):
    worker1, branch1, chair = personas["worker1"], personas["branch1"], personas["chair"]
    g = submit(worker1, category="contract")
    actions.do_answer_grievance(actor=branch1, grievance=g, text="合同续签按规定办理。")
    actions.do_rate_grievance(actor=worker1, grievance=g, rating="dissatisfied", comment="没解决")
    g.refresh_from_db()
    assert (g.state, g.handling_unit.code) == ("submitted", "U")
    assert inbox(chair, "cases.grievance_new")
    # branch1 no longer handles it.
    with pytest.raises(TransitionError):
        actions.do_answer_grievance(actor=branch1, grievance=g, text="再答一次")
    actions.do_answer_grievance(actor=chair, grievance=g, text="已协调人力资源部续签。")
    actions.do_rate_grievance(actor=worker1, grievance=g, rating="basically")
    g.refresh_from_db()
    assert (g.state, g.rating) == ("closed", "basically")


def test_routing_rule_sends_a_category_to_a_department_with_its_own_deadline(personas):
    RoutingRule.objects.create(
        category="social_insurance",
        scope=unit("B1"),
        department=department("D-HR"),
        deadline_workdays=3,
    )
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):  # a Monday
        g = submit(personas["worker1"], category="social_insurance")
        other = submit(personas["worker2"], category="social_insurance")  # branch2: no rule
    g.refresh_from_db()
    other.refresh_from_db()
    assert (g.state, g.department.code, g.deadline_workdays) == ("assigned", "D-HR", 3)
    assert g.deadline_at.date().isoformat() == "2026-03-05"
    assert [e.transition for e in history(g)] == ["start", "auto_assign"]
    assert (other.state, other.department, other.deadline_workdays) == ("submitted", None, 10)
    assert other.handling_unit.code == "B2"
    assert inbox(personas["handler1"], "cases.grievance_new")


def test_reassignment_needs_a_reason_and_transfer_moves_the_level(personas):
    branch1 = personas["branch1"]
    g = submit(personas["worker1"], category="working_hours")
    actions.do_assign_grievance(actor=branch1, grievance=g, department=department("D-PROD"))
    with pytest.raises(TransitionError) as refused:
        actions.do_assign_grievance(actor=branch1, grievance=g, department=department("D-HR"))
    assert "改派须填写理由" in refused.value.message
    actions.do_assign_grievance(
        actor=branch1, grievance=g, department=department("D-HR"), note="排班归人力资源部管"
    )
    g.refresh_from_db()
    assert g.department.code == "D-HR"
    # branch2 may not act on a branch1 grievance at all.
    with pytest.raises(TransitionError):
        actions.do_transfer_grievance(
            actor=personas["branch2"], grievance=g, unit=unit("B2"), note="x"
        )
    with pytest.raises(CasesRefused):
        actions.do_transfer_grievance(actor=branch1, grievance=g, unit=unit("U"), note="")
    actions.do_transfer_grievance(
        actor=branch1, grievance=g, unit=unit("U"), note="涉及全公司排班制度"
    )
    g.refresh_from_db()
    assert (g.state, g.handling_unit.code, g.department) == ("submitted", "U", None)


def test_unrated_answer_closes_itself(personas):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        g = submit(personas["worker1"], kind="legal", category="contract")
        actions.do_answer_grievance(
            actor=personas["branch1"], grievance=g, text="试用期不得超过六个月。"
        )
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        sweep()
    g.refresh_from_db()
    assert (g.state, g.handling_unit.code) == ("closed", "B1")
    assert [n.title for n in inbox(personas["worker1"], "cases.grievance_update")][-1] == (
        "您的诉求已办结"
    )


def test_only_members_raise_named_grievances_and_only_the_submitter_rates(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        submit(personas["handler1"])
    with pytest.raises(CasesRefused):
        submit(personas["worker1"], text="   ")
    with pytest.raises(CasesRefused):
        submit(personas["worker1"], category="nonsense")
    g = submit(personas["worker1"])
    actions.do_answer_grievance(actor=personas["branch1"], grievance=g, text="答复")
    with pytest.raises(TransitionError):
        actions.do_rate_grievance(actor=personas["worker2"], grievance=g, rating="satisfied")
