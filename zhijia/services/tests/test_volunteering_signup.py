"""Shift sign-up: never beyond the places, withdraw frees a place, audience and state rules."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from zhijia.core.home import todos_for
from zhijia.services.actions import volunteering as actions
from zhijia.services.actions.volunteering import VolunteeringError
from zhijia.services.models import VolunteerSignup
from zhijia.services.queries import volunteering as queries
from zhijia.services.tests.volunteering_support import make_worker, project_with_shift


def _active(shift) -> int:
    return VolunteerSignup.objects.filter(shift=shift, status="signed_up").count()


@pytest.mark.django_db
def test_places_are_never_exceeded_and_withdraw_frees_one(personas):
    _project, shift = project_with_shift(personas["branch1"], places=2)
    a = actions.do_sign_up_volunteer(actor=personas["worker1"], shift=shift)
    actions.do_sign_up_volunteer(actor=personas["rep1"], shift=shift)
    with pytest.raises(VolunteeringError, match="报满") as exc:
        actions.do_sign_up_volunteer(actor=personas["branch1"], shift=shift)
    assert exc.value.status == 409
    assert _active(shift) == 2
    with pytest.raises(VolunteeringError, match="已报名"):
        actions.do_sign_up_volunteer(actor=personas["worker1"], shift=shift)
    actions.do_withdraw_volunteer(actor=personas["worker1"], signup=a)
    assert _active(shift) == 1
    actions.do_sign_up_volunteer(actor=personas["branch1"], shift=shift)
    assert _active(shift) == 2
    with pytest.raises(VolunteeringError, match="已退出"):
        actions.do_withdraw_volunteer(actor=personas["worker1"], signup=a)


@pytest.mark.django_db
def test_audience_state_and_start_rules(personas):
    project, shift = project_with_shift(personas["branch1"], places=5, hours_ahead=3)
    # worker2 is in branch2: the project is branch1's, not theirs to see
    with pytest.raises(Http404):
        actions.do_sign_up_volunteer(actor=personas["worker2"], shift=shift)
    for name in ("admin", "handler1", "counselor1"):
        with pytest.raises(PermissionDenied):
            actions.do_sign_up_volunteer(actor=personas[name], shift=shift)
    signup = actions.do_sign_up_volunteer(actor=personas["worker1"], shift=shift)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_volunteer(actor=personas["rep1"], signup=signup)
    # the home to-do: a shift within two days
    assert list(queries.upcoming_signups(personas["worker1"])) == [signup]
    todos = [t for t in todos_for(personas["worker1"]) if project.title in t.label]
    assert len(todos) == 1 and "职工之家广场" in todos[0].detail
    assert not [t for t in todos_for(personas["rep1"]) if project.title in t.label]
    with time_machine.travel(timezone.now() + dt.timedelta(hours=4), tick=False):
        with pytest.raises(VolunteeringError, match="已开始"):
            actions.do_withdraw_volunteer(actor=personas["worker1"], signup=signup)
        with pytest.raises(VolunteeringError, match="已开始"):
            actions.do_sign_up_volunteer(actor=personas["rep1"], shift=shift)
    actions.do_finish_volunteer_project(actor=personas["branch1"], project=project)
    with pytest.raises(VolunteeringError, match="不在招募"):
        actions.do_sign_up_volunteer(actor=personas["rep1"], shift=shift)


PLACES = 3
THREADS = 10


@pytest.fixture
def crowded_shift(transactional_db, personas):
    _project, shift = project_with_shift(personas["branch1"], places=PLACES)
    workers = [make_worker(f"vol{i:02d}", name=f"志愿者{i:02d}") for i in range(THREADS)]
    return shift, workers


def test_concurrent_sign_ups_fill_exactly_the_places(crowded_shift):
    """Ten members press 报名 at the same moment for three places: the shift's row lock
    (PostgreSQL) or the IMMEDIATE write transaction (SQLite) serialises them; three get in."""
    shift, workers = crowded_shift
    barrier = threading.Barrier(len(workers))
    results: list[str] = []
    lock = threading.Lock()

    def sign_up(worker):
        connection.ensure_connection()
        barrier.wait()
        try:
            actions.do_sign_up_volunteer(actor=worker, shift=shift)
            outcome = "in"
        except VolunteeringError as exc:
            outcome = "full" if "报满" in exc.message else f"refused: {exc.message}"
        except Exception as exc:  # reported, so a failure shows what went wrong
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=sign_up, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    assert sorted(results) == ["full"] * (THREADS - PLACES) + ["in"] * PLACES, results
    assert _active(shift) == PLACES
