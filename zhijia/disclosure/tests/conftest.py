"""Fixtures of the disclosure tests: the default catalogue, a pinned clock, a publisher."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.catalogue import ensure_default_catalogue
from zhijia.disclosure.models import CatalogueEntry

CHINA = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


@pytest.fixture
def now():
    """Thursday 12 November 2026, 10:00 in Beijing (October's bonus was due on the 10th)."""
    with time_machine.travel(at(2026, 11, 12, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db, now):
    ensure_default_catalogue()
    return {e.code: e for e in CatalogueEntry.objects.all()}


@pytest.fixture
def publish(personas, demo_units, catalogue):
    """publish("B1", title=..., entry="workshop-bonus", period="2026-10", by="branch1", ...)."""

    def _publish(unit_code: str, *, by: str = "chair", entry: str | None = None, period="", **kw):
        kw.setdefault("title", "公开事项")
        kw.setdefault("body", "公开内容")
        audience = kw.pop("audience", None)
        return actions.do_publish_item(
            actor=personas[by],
            unit=demo_units[unit_code],
            audience_unit=demo_units[audience] if audience else None,
            entry=catalogue[entry] if entry else None,
            period_key=period,
            **kw,
        )

    return _publish
