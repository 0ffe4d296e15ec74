"""The world of tests/access/test_satisfaction.py, built once per module.

In each branch t ("b1", "b2") a worker of the branch rated a grievance 不满意, which opened a
follow-up (follow_up[t]) for the branch's cadres.
"""

from __future__ import annotations

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    from zhijia.core import satisfaction_index
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["B1-G1", "B2-G1"])}
    follow_up = {}
    for t, code in (("b1", "B1-G1"), ("b2", "B2-G1")):
        rating = satisfaction_index.record_rating(
            service="cases.grievance",
            rating="dissatisfied",
            unit=units[code],
            record_id=f"9{t}",
            label=f"矩阵诉求 {t}",
        )
        follow_up[t] = rating.follow_up.pk
    data = {"personas": personas, "follow_up": follow_up}

    def ids(persona: str, target) -> dict:
        return {"follow_up": follow_up[target]} if target in follow_up else {}

    return World(
        data=data, ids=ids, fingerprint=satisfaction_fingerprint, clients=make_clients(personas)
    )


def satisfaction_fingerprint() -> tuple:
    from zhijia.core.models import Rating, RatingFollowUp

    return fingerprint(Rating, RatingFollowUp)
