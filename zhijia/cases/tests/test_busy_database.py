"""A grievance submitted while the database is busy is stored, not dropped with a 500.

On SQLite every writer takes the database lock at BEGIN (IMMEDIATE) and waits up to the busy
timeout for it (settings). Here several threads keep writing, one of them holding the lock for
over a second, while worker1 submits through the page: the submission waits its turn and is
stored. If the lock is still held when the wait runs out, the page answers 503 in Chinese with
the form as it was (the text is kept) and nothing half-written stays.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from zhijia.cases.actions import grievances as actions_grievances
from zhijia.cases.models import Grievance
from zhijia.cases.tests.support import TEXT
from zhijia.core import audit
from zhijia.core.models import AuditEvent

WRITERS = 4


def _writer(index: int, hold_seconds: float, stop: threading.Event, errors: list, done: list):
    try:
        n = 0
        while not stop.is_set():
            with transaction.atomic():
                audit.record(actor=None, action="test.busy_writer", data={"w": index, "n": n})
                if n == 0 and hold_seconds:
                    time.sleep(hold_seconds)  # hold the write lock
            n += 1
            time.sleep(0.01)
        done.append(n)
    except Exception as exc:  # pragma: no cover - reported below
        errors.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_grievance_submitted_under_concurrent_writers_is_stored(login, personas):
    worker = login("worker1")
    worker.get("/cases/new/")
    stop = threading.Event()
    errors: list[str] = []
    done: list[int] = []
    threads = [
        threading.Thread(target=_writer, args=(i, 1.5 if i == 0 else 0, stop, errors, done))
        for i in range(WRITERS)
    ]
    for t in threads:
        t.start()
    time.sleep(0.3)  # writer 0 now holds the lock
    started = time.monotonic()
    response = worker.post("/cases/new/", {"kind": "grievance", "category": "wages", "text": TEXT})
    waited = time.monotonic() - started
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert response.status_code == 302, response.content.decode()[:500]
    g = Grievance.objects.get()
    assert g.text == TEXT and g.submitter == personas["worker1"] and g.state == "submitted"
    assert AuditEvent.objects.filter(action="test.busy_writer").count() == sum(done)
    if connection.vendor == "sqlite":
        assert waited > 0.5  # it really waited for the lock (a figure, not a speed claim)


@pytest.mark.django_db
def test_still_busy_after_the_wait_answers_503_and_keeps_the_text(login, personas, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(actions_grievances, "do_submit_grievance", locked)
    response = login("worker1").post(
        "/cases/new/", {"kind": "grievance", "category": "safety", "text": TEXT}
    )
    assert response.status_code == 503
    html = response.content.decode()
    assert "系统繁忙" in html and "您填写的内容还在下面" in html
    assert TEXT in html  # the textarea still holds it
    assert 'value="safety" selected' in html or 'value="safety" selected=""' in html
    assert not Grievance.objects.exists()


@pytest.mark.django_db
def test_busy_database_is_503_on_the_api_and_the_box(api_client, personas, demo_units, monkeypatch):
    from django.test import Client

    from zhijia.cases.actions import box as actions_box

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(actions_grievances, "do_submit_grievance", locked)
    monkeypatch.setattr(actions_box, "do_put_in_box", locked)
    api = api_client("worker1").post(
        "/api/v1/cases/grievances",
        {"category": "wages", "text": TEXT},
        content_type="application/json",
    )
    assert api.status_code == 503 and "系统繁忙" in api.json()["detail"]
    box = Client().post(
        "/cases/box/",
        {"kind": "grievance", "category": "wages", "org_unit": demo_units["B1"].pk, "text": TEXT},
    )
    assert box.status_code == 503 and TEXT in box.content.decode()
