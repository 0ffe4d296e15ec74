"""The world of tests/access/test_dashboard.py, built once per module: the demo union and
its accounts (the dashboards write nothing and need no records to be reached)."""

from __future__ import annotations

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    units = {u.code: u for u in OrgUnit.objects.all()}
    data = {"personas": personas, "branch": {"b1": units["B1"].pk, "b2": units["B2"].pk}}

    def ids(persona: str, target) -> dict:
        if target not in ("b1", "b2"):
            return {}
        return {"branch": data["branch"][target]}

    return World(data=data, ids=ids, fingerprint=fingerprint, clients=make_clients(personas))
