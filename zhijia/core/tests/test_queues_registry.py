"""The work-queue registry of core (zhijia.core.queues): ordering and failing providers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from zhijia.core import queues as registry
from zhijia.core.queues import Queue, ordered, queues_for


def _q(key, count, overdue=0, days_ago=None):
    since = None if days_ago is None else timezone.localdate() - dt.timedelta(days=days_ago)
    return Queue(key=key, label=key, count=count, url="/", overdue=overdue, oldest_since=since)


def test_overdue_first_then_the_oldest_and_empty_last():
    got = ordered(
        [
            _q("empty", 0),
            _q("recent", 2, days_ago=1),
            _q("old", 1, days_ago=9),
            _q("late", 1, overdue=1, days_ago=2),
        ]
    )
    assert [q.key for q in got] == ["late", "old", "recent", "empty"]
    assert got[1].waiting_days == 9 and not got[1].upcoming
    assert _q("ahead", 1, days_ago=-2).upcoming


def test_a_failing_provider_is_skipped_and_the_anonymous_get_none(monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    def fine(user):
        yield _q("fine", 1, days_ago=0)

    monkeypatch.setattr(registry, "_PROVIDERS", [broken, fine])
    user = SimpleNamespace(is_authenticated=True)
    assert [q.key for q in queues_for(user)] == ["fine"]
    assert queues_for(SimpleNamespace(is_authenticated=False)) == []
