"""Carry-over: an unfinished proposal moves on to the next session, its history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions.proposals import ProposalError
from zhijia.congress.models import ProposalCarryOver
from zhijia.congress.queries import proposals as queries
from zhijia.congress.tests.proposals_support import (
    handling,
    make_representative,
    make_session,
    make_term,
    submitted,
)
from zhijia.core.models import AuditEvent
from zhijia.core.workflow import history


@pytest.fixture
def sessions(personas):
    term = make_term()
    first = make_session(term, 1, dt.date(2026, 3, 2))
    second = make_session(term, 2, dt.date(2027, 3, 1))
    return first, second


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B1", "钱进")


def test_unfinished_proposal_is_carried_over_with_its_history(personas, sessions, rep2):
    first, second = sessions
    rep1, chair = personas["rep1"], personas["chair"]
    earlier = submitted(rep2, second, rep1, title="下次会议的第一件提案")
    p = handling(rep1, first, rep2, chair)
    deadline, steps = p.deadline_at, [e.transition for e in history(p)]
    assert list(queries.later_sessions(p)) == [second]

    actions_proposal_handling.do_carry_over_proposal(
        actor=chair, proposal=p, to_session=second, note="年内未办结"
    )
    p.refresh_from_db()
    assert p.session == second and p.serial == 2 and earlier.serial == 1
    assert (p.state, p.deadline_at, p.lead_department.code) == ("handling", deadline, "D-HR")
    assert [e.transition for e in history(p)] == steps  # the history is untouched
    (trail,) = ProposalCarryOver.objects.filter(proposal=p)
    assert (trail.from_session, trail.to_session, trail.from_serial, trail.state) == (
        first,
        second,
        1,
        "handling",
    )
    assert trail.note == "年内未办结" and trail.actor == chair
    event = AuditEvent.objects.get(action="congress.carry_over_proposal", target_id=str(p.pk))
    assert event.data["from_session"] == first.pk and event.data["to_session"] == second.pk
    # It carries on in the new session: the handler answers, the proposer rates.
    actions_proposal_handling.do_answer_proposal(
        actor=personas["handler1"], proposal=p, text="已办理"
    )
    actions_proposal_handling.do_rate_proposal(actor=rep1, proposal=p, rating="basically")
    p.refresh_from_db()
    assert (p.state, p.rating) == ("closed", "basically")


def test_carry_over_is_refused_when_it_makes_no_sense(personas, sessions, rep2):
    first, second = sessions
    rep1, chair = personas["rep1"], personas["chair"]
    p = handling(rep1, second, rep2, chair)
    # Only to a later session of the same congress.
    with pytest.raises(ProposalError, match="之后的会议") as back:
        actions_proposal_handling.do_carry_over_proposal(actor=chair, proposal=p, to_session=first)
    assert back.value.field == "session"
    other_congress = make_session(make_term("B2"), 1, dt.date(2028, 1, 1))
    with pytest.raises(ProposalError, match="之后的会议"):
        actions_proposal_handling.do_carry_over_proposal(
            actor=chair, proposal=p, to_session=other_congress
        )
    # Not by a branch cadre.
    with pytest.raises(PermissionDenied):
        actions_proposal_handling.do_carry_over_proposal(
            actor=personas["branch1"], proposal=p, to_session=second
        )
    # Not once it is finished.
    q = handling(rep1, first, rep2, chair)
    actions_proposal_handling.do_answer_proposal(
        actor=personas["handler1"], proposal=q, text="已办理"
    )
    actions_proposal_handling.do_rate_proposal(actor=rep1, proposal=q, rating="satisfied")
    with pytest.raises(ProposalError, match="只有未办结的提案") as done:
        actions_proposal_handling.do_carry_over_proposal(actor=chair, proposal=q, to_session=second)
    assert done.value.status == 409
    assert not ProposalCarryOver.objects.exists()
