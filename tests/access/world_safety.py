"""The world of tests/access/test_safety.py, built once per module.

In each branch t ("b1", "b2") hazards in the states the routes act on, reported by the
branch's worker (worker1 in B1-G1, worker2 in B2-G1): reported[t] (waiting to be assigned),
assigned[t] (owned by the HR department, handler1's), fixed[t] (reported fixed, waiting to be
verified); and an active mass safety supervisor of each branch: rep1 for branch1, a member
without an account for branch2.
"""

from __future__ import annotations

from tests.access.framework import World, fingerprint, make_clients

HAZARDS = ("reported", "assigned", "fixed")


def build_world() -> World:
    from zhijia.accounts.tests.activation_helpers import new_member
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, OrgUnit
    from zhijia.safety import actions

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    units = {u.code: u for u in OrgUnit.objects.all()}
    hr = Department.objects.get(code="D-HR")
    branch = {"b1": units["B1"], "b2": units["B2"]}
    group = {"b1": units["B1-G1"], "b2": units["B2-G1"]}
    reporter = {"b1": personas["worker1"], "b2": personas["worker2"]}
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}

    def report(t, place):
        return actions.do_report_hazard(
            actor=reporter[t],
            org_unit=group[t],
            place=place,
            description="配电箱门锁损坏，电线外露",
            category="electrical",
            level="general",
            photo=None,
        )

    hazards: dict[str, dict] = {state: {} for state in HAZARDS}
    supervisor = {}
    for t in branch:
        hazards["reported"][t] = report(t, "矩阵待分派")
        assigned = report(t, "矩阵待整改")
        actions.do_assign_hazard(actor=cadre[t], hazard=assigned, department=hr, workdays=5)
        hazards["assigned"][t] = assigned
        fixed = report(t, "矩阵待验收")
        actions.do_assign_hazard(actor=cadre[t], hazard=fixed, department=hr, workdays=5)
        actions.do_fix_hazard(actor=personas["handler1"], hazard=fixed, result="已整改")
        hazards["fixed"][t] = fixed
    b2_member = new_member(
        personas["chair"], "M9500", unit_code="B2-G1", phone="13812349500", serial=960
    )[0]
    for t, member in (("b1", personas["rep1"].member_record), ("b2", b2_member)):
        supervisor[t] = actions.do_designate_supervisor(
            actor=cadre[t], member=member, org_unit=branch[t]
        )
    data = {
        "personas": personas,
        "branch": {t: u.pk for t, u in branch.items()},
        "group": {t: u.pk for t, u in group.items()},
        "dept": hr.pk,
        "supervisor": {t: s.pk for t, s in supervisor.items()},
        "employee_no": {"b1": "E0103", "b2": "E0202"},
        **{state: {t: h.pk for t, h in by.items()} for state, by in hazards.items()},
    }

    def ids(persona: str, target) -> dict:
        if target not in ("b1", "b2"):
            return {}
        return {key: data[key][target] for key in (*HAZARDS, "branch", "group", "supervisor")}

    return World(data=data, ids=ids, fingerprint=safety_fingerprint, clients=make_clients(personas))


def safety_fingerprint() -> tuple:
    from zhijia.core.models import Attachment
    from zhijia.safety.models import HazardReport, SafetySupervisor

    return fingerprint(HazardReport, SafetySupervisor, Attachment)
