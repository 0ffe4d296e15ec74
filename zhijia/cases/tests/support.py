"""Helpers for the cases tests: units, departments, clocks and the worker's sweep."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from zhijia.core.models import Notification
from zhijia.org.models import Department, OrgUnit

BJ = ZoneInfo("Asia/Shanghai")
TEXT = "车间连续三个月没有发夜班津贴，班长说是公司统一扣的，没有书面通知。"


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    """A Beijing-time moment."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=BJ)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def inbox(user, kind: str | None = None) -> list[Notification]:
    qs = Notification.objects.filter(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("id"))


def sweep() -> dict:
    """What `zhijia worker` runs every sweep interval (after-commit steps run, as they would
    outside the test's wrapping transaction)."""
    from django.test import TestCase

    from zhijia.core.workflow import sweep_all

    with TestCase.captureOnCommitCallbacks(execute=True):
        return sweep_all()
