"""Deadlines in working days, reminders, 督办 by the sweep (escalation) and by hand."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.queries import proposals as queries
from zhijia.congress.tests.proposals_support import (
    department,
    handling,
    make_representative,
    make_session,
    submitted,
)
from zhijia.congress.workflows import PROPOSAL
from zhijia.core.models import Notification
from zhijia.core.workflow import TransitionError, history, sweep_overdue, sweep_reminders

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def end_of(y, m, d) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=SH)


@pytest.fixture
def session(personas):
    return make_session()


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B1", "钱进")


def kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_handling_deadline_skips_national_day_and_counts_the_working_saturday(
    personas, session, rep2
):
    rep1, chair = personas["rep1"], personas["chair"]
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        p = handling(rep1, session, rep2, chair, workdays=3)
    # 10-01..10-07 are the National Day holiday; 10-08 Thu and 10-09 Fri are working days and
    # Saturday 10-10 is a 调休 working day: the third working day after 09-30.
    assert p.deadline_at == end_of(2026, 10, 10)
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        q = handling(rep1, session, rep2, chair, workdays=2)
    # 09-30 is the first working day, 10-08 the second.
    assert q.deadline_at == end_of(2026, 10, 8)


def test_default_handling_deadline_is_thirty_working_days(personas, session, rep2):
    rep1, chair = personas["rep1"], personas["chair"]
    with time_machine.travel(at(2026, 9, 1, 9, 0), tick=False):
        p = handling(rep1, session, rep2, chair)
    # September 2026 from the 2nd: 21 working days up to the 30th (the 25th is the Mid-Autumn
    # holiday, Sunday the 20th a 调休 working day); then 10-08, 10-09, Saturday 10-10,
    # 10-12..10-16 (29) and Monday 10-19 (30).
    assert p.handling_workdays == 30
    assert p.deadline_at == end_of(2026, 10, 19)


def test_overdue_handling_is_supervised_and_escalates_again(
    personas, session, rep2, django_capture_on_commit_callbacks
):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        p = handling(rep1, session, rep2, chair, workdays=3)
        on_time = handling(rep1, session, rep2, chair, workdays=20)
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        # Overdue ones come first on the desk and in the department's list.
        assert list(queries.queue(chair).values_list("pk", flat=True))[:1] == [p.pk]
        assert list(queries.department_proposals(handler1).values_list("pk", flat=True)) == [
            p.pk,
            on_time.pk,
        ]
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_overdue(PROPOSAL) == 1
        p.refresh_from_db()
        assert (p.state, p.escalation_level, p.supervision_level) == ("supervised", 1, 1)
        # The department gets 5 more working days: 10-13 .. 10-16, 10-19.
        assert p.deadline_at == end_of(2026, 10, 19)
        assert "congress.proposal_overdue" in kinds(handler1)
        assert "congress.proposal_overdue" in kinds(chair)
        # Idempotent: nothing more until the new deadline passes.
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_overdue(PROPOSAL) == 0
    with time_machine.travel(at(2026, 10, 20, 9, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # noqa: SIM117
            assert sweep_overdue(PROPOSAL) == 1
        p.refresh_from_db()
        assert (p.state, p.escalation_level) == ("supervised", 2)
        assert (
            Notification.objects.filter(user=handler1, kind="congress.proposal_overdue").count()
            == 2
        )
        # Late but still answerable.
        actions_proposal_handling.do_answer_proposal(actor=handler1, proposal=p, text="已办理")
        p.refresh_from_db()
        assert p.state == "answered" and p.supervision_level == 2
    steps = [(e.transition, e.data.get("via")) for e in history(p) if e.transition == "escalate"]
    assert steps == [("escalate", "overdue_supervise"), ("escalate", None)]


def test_overdue_review_reminds_the_committee(
    personas, session, rep2, django_capture_on_commit_callbacks
):
    rep1, chair = personas["rep1"], personas["chair"]
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        p = submitted(rep1, session, rep2)
    assert p.deadline_at == end_of(2026, 3, 16)  # 10 working days to decide
    with (
        time_machine.travel(at(2026, 3, 17, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_overdue(PROPOSAL) == 1
    p.refresh_from_db()
    assert (p.state, p.escalation_level) == ("submitted", 1)
    assert "congress.proposal_overdue" in kinds(chair)
    assert "congress.proposal_overdue" not in kinds(personas["handler1"])


def test_reminder_before_the_deadline(personas, session, rep2, django_capture_on_commit_callbacks):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        handling(rep1, session, rep2, chair, workdays=10)  # due 03-16
    with (
        time_machine.travel(at(2026, 3, 5, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_reminders(PROPOSAL) == 0  # more than 3 working days left
    with (
        time_machine.travel(at(2026, 3, 11, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_reminders(PROPOSAL) == 1
        assert sweep_reminders(PROPOSAL) == 0  # once per deadline
    assert kinds(handler1).count("congress.proposal_reminder") == 1


def test_manual_supervision_by_the_committee(personas, session, rep2):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]
    p = handling(rep1, session, rep2, chair)
    deadline = p.deadline_at
    with pytest.raises(TransitionError, match="请填写理由"):
        actions_proposal_handling.do_supervise_proposal(actor=chair, proposal=p, note="")
    # A branch cadre may read a proposal from their branch but not press the department.
    with pytest.raises(TransitionError) as refused:
        actions_proposal_handling.do_supervise_proposal(
            actor=personas["branch1"], proposal=p, note="催办"
        )
    assert refused.value.status == 403
    actions_proposal_handling.do_supervise_proposal(actor=chair, proposal=p, note="请加快办理进度")
    p.refresh_from_db()
    assert (p.state, p.manual_supervisions, p.supervision_level) == ("supervised", 1, 1)
    assert p.deadline_at == deadline  # 督办 by hand keeps the deadline
    assert "congress.proposal_supervised" in kinds(handler1)
    actions_proposal_handling.do_supervise_proposal(actor=chair, proposal=p, note="再次督办")
    p.refresh_from_db()
    assert p.supervision_level == 2


def test_reassign_gives_a_new_department_and_deadline(personas, session, rep2):
    rep1, chair = personas["rep1"], personas["chair"]
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        p = handling(rep1, session, rep2, chair, workdays=5)
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        with pytest.raises(Exception, match="改派理由"):
            actions_proposal_handling.do_reassign_proposal(
                actor=chair, proposal=p, lead_department=department("D-SAFE"), workdays=5
            )
        actions_proposal_handling.do_reassign_proposal(
            actor=chair,
            proposal=p,
            lead_department=department("D-SAFE"),
            workdays=5,
            reason="属安全环保部职责",
        )
    p.refresh_from_db()
    assert p.lead_department.code == "D-SAFE" and p.deadline_at == end_of(2026, 3, 11)
    # handler1 (人力资源部) no longer sees it.
    assert not queries.proposals_visible_to(personas["handler1"]).filter(pk=p.pk).exists()
