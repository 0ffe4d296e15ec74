"""At most one ballot per voter under concurrent requests, and none slipping in at close.

Real threads with their own database connections against committed data (transactional_db):
on PostgreSQL 200 threads for 100 voters, each voter twice; on SQLite (one writer at a time,
IMMEDIATE transactions) the same with fewer threads.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from zhijia.voting import actions
from zhijia.voting.errors import AlreadyVoted, PollNotOpen
from zhijia.voting.models import Ballot, Tracker, VoterRoll
from zhijia.voting.tests.conftest import make_voters

# PostgreSQL's default max_connections is 100 and other test runs may share the server: the
# threads all start together, and at most this many hold a connection at the same moment.
PG_CONNECTIONS = 40


def _cast_concurrently(poll, voters, *, times: int, connections: int, closer=None):
    """Start len(voters) × times threads at once; return [(user_id, outcome, tracker)]."""
    jobs = [v for v in voters for _ in range(times)]
    random.shuffle(jobs)
    parties = len(jobs) + (1 if closer else 0)
    barrier = threading.Barrier(parties)
    slots = threading.BoundedSemaphore(connections)
    results: list[tuple[int, str, str | None]] = []
    lock = threading.Lock()

    def cast(voter):
        barrier.wait()
        with slots:
            try:
                tracker = actions.do_cast_ballot(voter=voter, poll=poll, choice=["yes"])
                outcome = ("ok", tracker)
            except AlreadyVoted:
                outcome = ("again", None)
            except PollNotOpen:
                outcome = ("closed", None)
            except Exception as exc:  # reported, so a failure shows what went wrong
                outcome = (f"error: {exc!r}", None)
            finally:
                connection.close()
        with lock:
            results.append((voter.pk, *outcome))

    def close():
        barrier.wait()
        with slots:
            try:
                closer()
            finally:
                connection.close()

    threads = [threading.Thread(target=cast, args=(v,)) for v in jobs]
    if closer:
        threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    return results


def _check_exactly_once(poll, voters, results):
    errors = [r for r in results if r[1].startswith("error")]
    assert errors == []
    ok = [r for r in results if r[1] == "ok"]
    assert len(ok) == len(voters)
    assert sorted(r[0] for r in ok) == sorted(v.pk for v in voters)  # each voter once
    assert sum(1 for r in results if r[1] == "again") == len(results) - len(voters)
    assert Ballot.objects.filter(poll=poll).count() == len(voters)
    codes = list(Tracker.objects.filter(poll=poll).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == len(voters)
    assert set(codes) == {r[2] for r in ok}
    assert VoterRoll.objects.filter(poll=poll, voted=True).count() == len(voters)


@pytest.fixture
def poll_for(transactional_db, personas, demo_units):
    def _make(voters):
        poll = actions.do_create_poll(
            actor=personas["chair"], title="并发测试", kind="yes_no_abstain", unit=demo_units["U"]
        )
        return actions.do_open_poll(actor=personas["chair"], poll=poll, voters=voters)

    return _make


def test_postgres_200_threads_100_voters_twice(poll_for):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgres://...")
    voters = make_voters(100, prefix="conc")
    poll = poll_for(voters)
    results = _cast_concurrently(poll, voters, times=2, connections=PG_CONNECTIONS)
    assert len(results) == 200
    _check_exactly_once(poll, voters, results)


def test_sqlite_threads_each_voter_twice(poll_for):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite variant: runs when the suite runs on SQLite")
    voters = make_voters(15, prefix="conc")
    poll = poll_for(voters)
    results = _cast_concurrently(poll, voters, times=2, connections=30)
    assert len(results) == 30
    _check_exactly_once(poll, voters, results)


def test_close_during_casting_lets_no_ballot_slip_in(poll_for, personas):
    """Casting and closing race: every ballot is either in before the close (and re-stored,
    published and counted) or refused; trackers, ballots and markers still agree."""
    n = 60 if connection.vendor == "postgresql" else 15
    voters = make_voters(n, prefix="race")
    poll = poll_for(voters)
    results = _cast_concurrently(
        poll,
        voters,
        times=1,
        connections=PG_CONNECTIONS if connection.vendor == "postgresql" else n + 1,
        closer=lambda: actions.do_close_poll(actor=personas["chair"], poll=poll),
    )
    assert [r for r in results if r[1].startswith("error")] == []
    ok = [r for r in results if r[1] == "ok"]
    assert all(r[1] in {"ok", "closed"} for r in results)
    assert Ballot.objects.filter(poll=poll).count() == len(ok)
    assert Tracker.objects.filter(poll=poll).count() == len(ok)
    assert VoterRoll.objects.filter(poll=poll, voted=True).count() == len(ok)
    assert set(Tracker.objects.filter(poll=poll).values_list("code", flat=True)) == {
        r[2] for r in ok
    }
