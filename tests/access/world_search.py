"""The world of tests/access/test_search.py, built once per module: the demo personas and a
named grievance in each branch (worker1's in branch 1, worker2's in branch 2), indexed by the
action that submits them, so a search for 加班 reaches both."""

from __future__ import annotations

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    from zhijia.cases.actions.grievances import do_submit_grievance
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    grievance = {
        t: do_submit_grievance(
            actor=personas[worker], kind="grievance", category="wages", text=f"矩阵加班工资 {t}"
        ).pk
        for t, worker in (("b1", "worker1"), ("b2", "worker2"))
    }
    data = {"personas": personas, "grievance": grievance}
    return World(
        data=data,
        ids=lambda persona, target: {},
        fingerprint=search_fingerprint,
        clients=make_clients(personas),
    )


def search_fingerprint() -> tuple:
    from zhijia.core.models import SearchEntry

    return fingerprint(SearchEntry)
