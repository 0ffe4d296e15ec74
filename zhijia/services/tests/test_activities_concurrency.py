"""200 members press "register" at once for 50 places: exactly 50 registered, 150 waiting.

Real threads with their own database connections against committed data (transactional_db),
as the voting storm does: the activity row lock (SELECT … FOR UPDATE on PostgreSQL, the
immediate transaction on SQLite) serialises them, the unique (activity, member) constraint
keeps one registration per member.
"""

from __future__ import annotations

import random
import threading

from django.db import connection

from zhijia.services.actions import activities as actions
from zhijia.services.actions.activities import ActivityError
from zhijia.services.models import ActivityRegistration
from zhijia.services.tests.activities_support import make_activity, make_member_users

# PostgreSQL's default max_connections is 100 and other test runs may share the server.
PG_CONNECTIONS = 40
SQLITE_CONNECTIONS = 20


def _storm(activity, jobs, connections: int) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    slots = threading.BoundedSemaphore(connections)
    outcomes: list[str] = []
    lock = threading.Lock()

    def register(user):
        barrier.wait()
        with slots:
            try:
                reg = actions.do_register_activity(actor=user, activity=activity)
                outcome = reg.status
            except ActivityError as exc:
                outcome = "again" if exc.status == 409 else f"refused: {exc.message}"
            except Exception as exc:  # reported, so a failure shows what went wrong
                outcome = f"error: {exc!r}"
            finally:
                connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=register, args=(u,)) for u in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    return outcomes


def test_200_concurrent_registrations_for_50_places(transactional_db, personas, demo_units):
    connections = PG_CONNECTIONS if connection.vendor == "postgresql" else SQLITE_CONNECTIONS
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=50)
    users = make_member_users(200, demo_units["B1-G2"])
    # ten of them press twice (210 presses): still one registration each
    jobs = users + users[:10]
    random.shuffle(jobs)
    outcomes = _storm(activity, jobs, connections)
    assert [o for o in outcomes if o.startswith(("error", "refused"))] == []
    assert outcomes.count("again") == 10
    assert outcomes.count("registered") == 50 and outcomes.count("waiting") == 150
    regs = ActivityRegistration.objects.filter(activity=activity)
    assert regs.filter(status="registered").count() == 50
    waiting = list(regs.filter(status="waiting").values_list("position", flat=True))
    assert len(waiting) == 150 and sorted(waiting) == list(range(1, 151))
    assert regs.count() == 200
