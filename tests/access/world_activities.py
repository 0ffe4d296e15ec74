"""The world of tests/access/test_activities.py (activities and interest groups), built once
per module.

Targets "b1" / "b2": an activity organised by branch 1 / branch 2 for its subtree, published,
starting in an hour (registration open, check-in open), with worker1 registered in b1's and
worker2 in b2's; an interest group of each branch, worker1 leading b1's and worker2 b2's, with
a pending join request (rep1 for b1's, branch2 for b2's).
Targets "own" / "other": worker1's registration / worker2's.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.services.actions import activities as actions
    from zhijia.services.actions import clubs as club_actions
    from zhijia.services.models import ClubMembership
    from zhijia.services.tests.activities_support import make_activity

    cache.clear()
    units = ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    worker = {"b1": personas["worker1"], "b2": personas["worker2"]}
    asker = {"b1": personas["rep1"], "b2": personas["branch2"]}
    activity, reg, token, club, request, leader = {}, {}, {}, {}, {}, {}
    for t, unit in (("b1", units["B1"]), ("b2", units["B2"])):
        activity[t] = make_activity(
            cadre[t], unit, capacity=10, starts_in=dt.timedelta(hours=1), title=f"{t} 活动"
        )
        reg[t] = actions.do_register_activity(actor=worker[t], activity=activity[t])
        token[t] = actions.checkin_token(reg[t])
        club[t] = club_actions.do_create_club(
            actor=cadre[t], name=f"{t} 摄影协会", description="", org_unit=unit
        )
        row = club_actions.do_request_club_join(actor=worker[t], club=club[t])
        club_actions.do_decide_club_request(actor=cadre[t], membership=row, approve=True)
        leader[t] = club_actions.do_set_club_leader(actor=cadre[t], membership=row, leader=True)
        request[t] = club_actions.do_request_club_join(actor=asker[t], club=club[t])
    assert ClubMembership.objects.count() == 4
    data = {
        "personas": personas,
        "token": token,
        "b1_unit": units["B1"].pk,
    }
    cache.clear()
    by_owner = {"own": reg["b1"], "other": reg["b2"]}

    def ids(persona: str, target) -> dict:
        if target in ("own", "other"):
            return {"reg": by_owner[target].pk}
        if target in ("b1", "b2"):
            return {
                "activity": activity[target].pk,
                "reg": reg[target].pk,
                "club": club[target].pk,
                "request": request[target].pk,
                "leader": leader[target].pk,
            }
        return {}

    return World(
        data=data, ids=ids, fingerprint=activities_fingerprint, clients=make_clients(personas)
    )


def activities_fingerprint() -> tuple:
    from zhijia.services.models import Activity, ActivityRegistration, Club, ClubMembership

    return fingerprint(Activity, ActivityRegistration, Club, ClubMembership)
