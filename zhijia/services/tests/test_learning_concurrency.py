"""Concurrent writes of learning, with real threads and their own connections against
committed data (transactional_db), as the activities' storm: 30 members press "报名" at once
for a session of 10 seats (the session's row lock serialises them: exactly 10 enrolled), and
one member's attempt handed in twice at the same moment (the attempt's row lock: scored once,
the hours credited once, one certificate)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.actions.learning import LearningError
from zhijia.services.models import LearningCertificate, LearningEnrolment
from zhijia.services.queries import learning as queries
from zhijia.services.tests.activities_support import make_member_users
from zhijia.services.tests.learning_support import published_course


def _at_once(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job):
        barrier.wait()
        try:
            job()
            outcome = "ok"
        except LearningError as exc:
            outcome = f"refused {exc.status}"
        except Exception as exc:  # reported, so a failure shows what went wrong
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    return outcomes


def test_seats_and_a_double_hand_in(transactional_db, personas, demo_units):
    cadre = personas["branch1"]
    room = actions.do_create_learning_course(
        actor=cadre, title="安全生产", org_unit=demo_units["B1"], kind="classroom", hours="3"
    )
    start = timezone.now() + dt.timedelta(days=2)
    session = actions.do_add_learning_session(
        actor=cadre,
        course=room,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="职工之家",
        capacity=10,
    )
    actions.do_publish_learning_course(actor=cadre, course=room)
    users = make_member_users(30, demo_units["B1-G2"], prefix="lrn")
    outcomes = _at_once(
        [
            lambda u=u: actions.do_enrol_learning(actor=u, course=room, session=session)
            for u in users
        ]
    )
    assert [o for o in outcomes if o.startswith("error")] == []
    assert outcomes.count("ok") == 10 and outcomes.count("refused 409") == 20
    assert LearningEnrolment.objects.filter(session=session).count() == 10

    worker = personas["worker1"]
    course = published_course(cadre, bank=4, draw=2)
    enrolment = actions.do_enrol_learning(actor=worker, course=course)
    attempt = test_actions.do_start_learning_attempt(actor=worker, enrolment=enrolment)
    answers = {str(q): "A" for q in attempt.question_ids}
    outcomes = _at_once(
        [
            lambda: test_actions.do_submit_learning_attempt(
                actor=worker, attempt=attempt, answers=answers
            )
        ]
        * 2
    )
    assert sorted(outcomes) == ["ok", "refused 409"]
    assert LearningCertificate.objects.filter(enrolment=enrolment).count() == 1
    assert queries.yearly_hours(worker, timezone.localdate().year) == Decimal("2.0")
