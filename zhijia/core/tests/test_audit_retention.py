"""The audit log's retention: events older than the configured days (never fewer than 180)
are purged oldest first, the chain still verifies from its new start, and the purge is itself
an event of the chain."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhijia.core import audit
from zhijia.core.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _events(at: dt.datetime, n: int, action: str = "test.event") -> None:
    with time_machine.travel(at, tick=False):
        for i in range(n):
            audit.record(actor=None, action=action, data={"i": i})


def test_old_events_are_purged_and_the_chain_still_verifies(settings):
    settings.ZHIJIA_AUDIT_RETENTION_DAYS = 365
    _events(NOW - dt.timedelta(days=800), 3, "test.old")
    _events(NOW - dt.timedelta(days=400), 2, "test.old")
    _events(NOW - dt.timedelta(days=100), 4, "test.recent")
    assert list(audit.verify_chain()) == []

    assert audit.purge_expired(now=NOW, batch_size=2) == 5  # three batches
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "test.recent",
        "audit.purge",
    }
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.data["count"] == 5 and purge.data["through_seq"] == 5
    head = AuditHead.objects.get()
    assert head.base_seq == 5
    assert list(audit.verify_chain()) == []
    # Nothing more to purge: no second purge event.
    assert audit.purge_expired(now=NOW) == 0
    assert AuditEvent.objects.filter(action="audit.purge").count() == 1


def test_a_break_after_a_purge_still_shows(settings):
    settings.ZHIJIA_AUDIT_RETENTION_DAYS = 365
    _events(NOW - dt.timedelta(days=800), 2)
    _events(NOW - dt.timedelta(days=10), 3)
    audit.purge_expired(now=NOW)
    # Deleting the first remaining event is a gap against the head's base.
    first = AuditEvent.objects.order_by("seq").first()
    AuditEvent.objects.filter(pk=first.pk).delete()
    problems = list(audit.verify_chain())
    assert problems and problems[0].seq == first.seq + 1


def test_retention_never_goes_below_180_days_and_zero_keeps_everything(settings):
    _events(NOW - dt.timedelta(days=200), 1, "test.half_year")
    _events(NOW - dt.timedelta(days=100), 1, "test.recent")
    settings.ZHIJIA_AUDIT_RETENTION_DAYS = 0
    assert audit.purge_expired(now=NOW) == 0
    settings.ZHIJIA_AUDIT_RETENTION_DAYS = 30  # counts as 180
    assert audit.purge_expired(now=NOW) == 1
    assert AuditEvent.objects.filter(action="test.recent").exists()
    assert not AuditEvent.objects.filter(action="test.half_year").exists()
