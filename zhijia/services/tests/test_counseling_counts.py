"""counseling_counts(period): the dashboard's numbers, and nothing but numbers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhijia.services.actions import counseling as actions
from zhijia.services.queries.counseling import counseling_counts
from zhijia.services.tests.counseling_support import publish

pytestmark = pytest.mark.django_db


def test_counts_of_a_year_and_of_a_period(personas):
    with time_machine.travel("2026-05-04 09:00:00+08:00", tick=False):
        c1 = personas["counselor1"]
        held = publish(c1, hours_ahead=3)
        missed = publish(c1, hours_ahead=5)
        cancelled = publish(c1, hours_ahead=7)
        group = publish(c1, hours_ahead=30, kind="group", capacity=2)
        b_held = actions.do_book_counseling(actor=personas["worker1"], slot=held)
        b_missed = actions.do_book_counseling(actor=personas["worker2"], slot=missed)
        b_gone = actions.do_book_counseling(actor=personas["rep1"], slot=cancelled)
        actions.do_cancel_counseling_booking(actor=personas["rep1"], booking=b_gone)
        for name in ("worker1", "worker2", "rep1"):  # two seats, one waiting
            actions.do_book_counseling(actor=personas[name], slot=group)
        actions.do_cancel_counseling_slot(actor=c1, slot=cancelled, reason="调整")
        actions.do_ask_counseling_question(actor=personas["worker1"], topic="work", body="累")
        q, _code = actions.do_ask_counseling_question(
            actor=personas["worker2"], topic="sleep", body="睡不着"
        )
        actions.do_answer_counseling_question(actor=c1, question=q, body="试试放松")
    with time_machine.travel("2026-05-04 16:00:00+08:00", tick=False):
        actions.do_record_counseling_outcome(actor=c1, booking=b_held, outcome="attended")
        actions.do_record_counseling_outcome(actor=c1, booking=b_missed, outcome="no_show")
    counts = counseling_counts(2026)
    assert counts == {
        "slots_published": 3,
        "individual_booked": 2,
        "individual_attended": 1,
        "no_shows": 1,
        "cancellations": 1,
        "group_sessions": 1,
        "group_participants": 2,
        "questions_asked": 2,
        "questions_answered": 1,
    }
    assert all(type(v) is int for v in counts.values())
    assert counseling_counts(2025) == dict.fromkeys(counts, 0)
    may = counseling_counts((dt.date(2026, 5, 1), dt.date(2026, 5, 4)))
    assert may["individual_attended"] == 1 and may["questions_asked"] == 2
    assert counseling_counts((dt.date(2026, 5, 5), dt.date(2026, 5, 31)))["group_sessions"] == 1
