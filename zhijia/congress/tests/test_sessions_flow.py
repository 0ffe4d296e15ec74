"""A whole session, as in the issue: 120 representatives, 79 checked in (voting refused), 80
checked in (voting opens, encrypted to the session's scrutineers), an item with 60 yes (fails:
not more than half of 120) and one with 61 yes (passes)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import AgendaItem, Attendance, Session
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import (
    cast,
    close_online_vote,
    make_members,
    make_term,
    open_online_vote,
    seat,
)
from zhijia.core.models import AuditEvent
from zhijia.voting.errors import ResultsNotPublished
from zhijia.voting.models import Poll, SealedBallot, VoterRoll
from zhijia.voting.queries import results_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(personas, demo_units):
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    members = make_members(demo_units["B1-G1"], 120)
    reps = seat(chair, term, members, is_frontline=True)
    session = actions.do_schedule_session(
        actor=chair, term=term, date=dt.date(2025, 3, 20), place="职工活动中心大礼堂"
    )
    return chair, term, reps, session


def _vote(poll: Poll, reps, choices: dict[str, int]) -> None:
    voters = iter(reps)
    for choice, n in choices.items():
        for _ in range(n):
            cast(next(voters).member.user, poll, [choice])


def test_whole_session(congress):
    chair, term, reps, session = congress
    motion_a = actions_agenda.do_add_item(
        actor=chair, session=session, title="关于《2025年度工资调整方案》的决议"
    )
    motion_b = actions_agenda.do_add_item(
        actor=chair, session=session, title="关于《职工福利费使用办法》的决议"
    )
    report = actions_agenda.do_add_item(
        actor=chair, session=session, title="工会工作报告", kind=AgendaItem.Kind.REPORT
    )
    assert [i.position for i in q.items_of(session)] == [1, 2, 3]

    actions.do_start_checkin(actor=chair, session=session)
    session.refresh_from_db()
    # 79 of 120 check in: 60 at the door with their personal codes, 19 by roll call.
    for rep in reps[:60]:
        _att, created = actions.do_checkin_by_code(
            actor=chair, session=session, code=q.checkin_code(rep)
        )
        assert created
    for rep in reps[60:79]:
        assert actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    quorum = q.quorum_status(session)
    assert (quorum.present, quorum.total, quorum.required, quorum.reached) == (79, 120, 80, False)

    with pytest.raises(actions.QuorumNotReached) as refused:
        actions_agenda.do_open_item_vote(actor=chair, item=motion_a)
    assert "79" in refused.value.message and "80" in refused.value.message
    with pytest.raises(actions.QuorumNotReached):
        actions.do_open_session(actor=chair, session=session)
    assert not Poll.objects.filter(origin=motion_a.origin).exists()
    session.refresh_from_db()
    assert session.state == Session.State.CHECKIN

    # The 80th representative checks in: quorum.
    actions.do_checkin_by_code(actor=chair, session=session, code=q.checkin_code(reps[79]))
    assert q.quorum_status(session).reached
    actions.do_open_session(actor=chair, session=session)
    session.refresh_from_db()
    assert (session.state, session.present_at_open, session.representatives_at_open) == (
        Session.State.OPEN,
        80,
        120,
    )
    with pytest.raises(actions.StateError):
        actions_agenda.do_open_item_vote(actor=chair, item=report)

    # Item A: 60 yes, 20 no. Three quarters of those present, but not more than half of 120.
    poll_a = open_online_vote(chair, motion_a)  # encrypted to the session's scrutineers
    assert poll_a.origin == f"congress.item:{motion_a.pk}"
    assert poll_a.majority_base == 120
    assert VoterRoll.objects.filter(poll=poll_a).count() == 80  # those present
    with pytest.raises(ResultsNotPublished):
        results_for(poll_a)
    assert q.item_result(AgendaItem.objects.get(pk=motion_a.pk)).result is None
    _vote(poll_a, reps[:80], {"yes": 60, "no": 20})
    with pytest.raises(actions.StateError):  # the session cannot close while a vote is open
        actions.do_close_session(actor=chair, session=session)
    close_online_vote(chair, motion_a)  # and two of the three decrypt the totals
    result_a = q.item_result(AgendaItem.objects.get(pk=motion_a.pk))
    assert result_a.result.motion.yes == 60
    assert result_a.all_representatives == 120
    assert result_a.threshold == 61
    assert result_a.passed is False
    assert result_a.result.motion.passed is False  # the voting module agrees

    # Item B: 61 yes, 19 abstain: passes.
    poll_b = open_online_vote(chair, motion_b)
    _vote(poll_b, reps[:80], {"yes": 61, "abstain": 19})
    close_online_vote(chair, motion_b)
    result_b = q.item_result(AgendaItem.objects.get(pk=motion_b.pk))
    assert result_b.result.motion.yes == 61
    assert result_b.passed is True
    assert SealedBallot.objects.filter(poll=poll_b).count() == 80

    with pytest.raises(actions.StateError):  # item by item: a voted item is not voted again
        actions_agenda.do_open_item_vote(actor=chair, item=motion_b)

    actions.do_close_session(actor=chair, session=session)
    session.refresh_from_db()
    assert session.state == Session.State.CLOSED
    assert [r.passed for r in q.session_results(session)] == [False, True]
    actions_logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "congress.open_session",
        "congress.open_item_vote",
        "congress.close_item_vote",
        "congress.check_in",
    } <= actions_logged


def test_late_arrival_and_checkin_is_idempotent(congress):
    chair, term, reps, session = congress
    actions.do_start_checkin(actor=chair, session=session)
    session.refresh_from_db()
    code = q.checkin_code(reps[0])
    _a, created = actions.do_checkin_by_code(actor=chair, session=session, code=code)
    _b, again = actions.do_checkin_by_code(actor=chair, session=session, code=code)
    assert created and not again
    assert Attendance.objects.filter(session=session).count() == 1
    # Roll call can untick a mistaken tick.
    assert actions.do_roll_call(actor=chair, session=session, rep=reps[0], present=False)
    assert Attendance.objects.filter(session=session).count() == 0


def test_attending_representatives_do_not_count(congress, demo_units):
    chair, term, reps, session = congress
    guests = seat(chair, term, make_members(demo_units["B2-G1"], 10), kind="attending")
    actions.do_start_checkin(actor=chair, session=session)
    session.refresh_from_db()
    for rep in reps[:79] + guests:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    status = q.quorum_status(session)
    assert (status.present, status.total, status.reached) == (79, 120, False)
    assert q.attending_present(session) == 10


def test_ended_representative_leaves_the_base(congress):
    chair, term, reps, session = congress
    for rep in reps[:3]:
        actions.do_end_representative(actor=chair, rep=rep, reason="调离本企业")
    actions.do_start_checkin(actor=chair, session=session)
    session.refresh_from_db()
    with pytest.raises(actions.CheckinRefused):
        actions.do_checkin_by_code(actor=chair, session=session, code=q.checkin_code(reps[0]))
    for rep in reps[3:81]:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    # 117 representatives remain: 78 is exactly two thirds.
    status = q.quorum_status(session)
    assert (status.present, status.total, status.reached) == (78, 117, True)


def test_reset_code_revokes_the_old_one(congress):
    chair, term, reps, session = congress
    old = q.checkin_code(reps[0])
    actions.do_reset_checkin_code(actor=reps[0].member.user, rep=reps[0])
    reps[0].refresh_from_db()
    assert q.representative_for_code(old) is None
    assert q.representative_for_code(q.checkin_code(reps[0])).pk == reps[0].pk
    assert q.representative_for_code(old[:-1] + ("A" if old[-1] != "A" else "B")) is None
    assert q.representative_for_code("") is None
