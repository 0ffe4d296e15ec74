"""The world of the site-wide tables (test_root.py: the root pages and the API's own pages;
test_admin.py: the admin site), built once per module."""

from __future__ import annotations

import datetime as dt

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    """The demo union and its personas, signed in, and one record of every model that the
    admin site registers (a user, a union unit, a department, a holiday override, a pending
    reset of counselor1's password asked by the admin)."""
    from django.utils import timezone

    from zhijia.accounts.models import PasswordResetRequest
    from zhijia.core.models import WorkdayOverride
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, OrgUnit

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    override = WorkdayOverride.objects.create(
        date=dt.date(2031, 1, 6), is_workday=False, note="矩阵调休"
    )
    reset = PasswordResetRequest.objects.create(
        user=personas["counselor1"],
        requested_by=personas["admin"],
        requested_at=timezone.now(),
        password_hash="!matrix",
    )
    data = {
        "personas": personas,
        "user": personas["worker1"].pk,
        "unit": OrgUnit.objects.get(code="B1").pk,
        "dept": Department.objects.get(code="D-PROD").pk,
        "override": override.pk,
        "reset": reset.pk,
    }

    def ids(persona: str, target) -> dict:
        return {key: data[key] for key in ("user", "unit", "dept", "override", "reset")}

    return World(data=data, ids=ids, fingerprint=site_fingerprint, clients=make_clients(personas))


def site_fingerprint() -> tuple:
    from zhijia.accounts.models import PasswordResetRequest, RoleAssignment, User
    from zhijia.core.models import WorkdayOverride
    from zhijia.org.models import Department, OrgUnit

    return fingerprint(
        User, RoleAssignment, OrgUnit, Department, WorkdayOverride, PasswordResetRequest
    )
