"""The world of the cases matrix (tests/access/test_cases.py), built once for the module.

Per target ("b1": a record of a worker of branch 1, "b2": of branch 2), built through the real
actions:
  g    a grievance: b1 worker1's, assigned by branch1 to 人力资源部 (handler1's department);
       b2 worker2's, submitted at branch2
  ga   a grievance already answered (b1: by handler1, b2: by branch2), to rate
  m    a mediation request (b1 worker1's, b2 worker2's), waiting to be accepted
  ma   a mediation case accepted by mediator1 (mediating)
  mg   a mediation case that reached an agreement (its agreement page and PDF)
  entry  a published knowledge entry kept by the branch (branch1 / branch2)
  rule   a routing rule of the branch
and, whatever the target, the receipt code (`code`) of an anonymous grievance (opened from the
box and answered), the departments and units that the forms name.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients
from tests.access.snapshot import table_snapshot


def build_world() -> World:
    from zhijia.cases.actions import box as actions_box
    from zhijia.cases.actions import grievances
    from zhijia.cases.actions import knowledge as actions_knowledge
    from zhijia.cases.actions import mediation as actions_mediation
    from zhijia.cases.actions import routing as actions_routing
    from zhijia.cases.models import (
        BoxItem,
        CaseMessage,
        Grievance,
        KnowledgeEntry,
        MediationCase,
        MediationParty,
        MediationSession,
        RoutingRule,
    )
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, OrgUnit

    ensure_demo_structure()
    p = ensure_demo_accounts()
    unit = {code: OrgUnit.objects.get(code=code) for code in ("U", "B1", "B2")}
    dept = {code: Department.objects.get(code=code) for code in ("D-HR", "D-PROD", "D-EQUIP")}
    worker = {"b1": p["worker1"], "b2": p["worker2"]}
    cadre = {"b1": p["branch1"], "b2": p["branch2"]}
    branch = {"b1": unit["B1"], "b2": unit["B2"]}

    def submit(t, text):
        return grievances.do_submit_grievance(
            actor=worker[t], kind="grievance", category="wages", text=text
        )

    g, ga, m, ma, mg, entry, rule = {}, {}, {}, {}, {}, {}, {}
    for t in ("b1", "b2"):
        g[t] = submit(t, "车间连续三个月没有发夜班津贴，没有书面通知。")
        if t == "b1":
            grievances.do_assign_grievance(actor=cadre[t], grievance=g[t], department=dept["D-HR"])
        ga[t] = submit(t, "高温补贴没有按时发放，请工会帮忙问一问。")
        if t == "b1":
            grievances.do_assign_grievance(actor=cadre[t], grievance=ga[t], department=dept["D-HR"])
            grievances.do_answer_grievance(actor=p["handler1"], grievance=ga[t], text="已补发。")
        else:
            grievances.do_answer_grievance(actor=cadre[t], grievance=ga[t], text="已补发。")

        def request(t=t):
            return actions_mediation.do_request_mediation(
                actor=worker[t],
                category="wages",
                respondent="示例能源集团有限公司",
                claim="拖欠加班费",
            )

        m[t] = request()
        ma[t] = request()
        actions_mediation.do_accept_mediation(
            actor=p["mediator1"], case=ma[t], mediator=p["mediator1"]
        )
        mg[t] = request()
        actions_mediation.do_accept_mediation(
            actor=p["mediator1"], case=mg[t], mediator=p["mediator1"]
        )
        actions_mediation.do_record_agreement(
            actor=p["mediator1"], case=mg[t], text="公司于十日内补发加班费。"
        )
        entry[t] = actions_knowledge.do_create_knowledge(
            actor=cadre[t],
            org_unit=branch[t],
            question=f"加班费怎么算？（{t}）",
            answer="工作日加班不低于工资的 150%。",
            category="wages",
        )
        rule[t] = actions_routing.do_create_routing_rule(
            actor=cadre[t], scope=branch[t], category="safety", department=dept["D-HR"]
        )
    # An anonymous grievance to branch 1, opened from the box and answered: its receipt code
    # follows it up, adds a message and rates it.
    _item, code = actions_box.do_put_in_box(
        kind="grievance", category="other", org_unit=unit["B1"], text="食堂饭菜质量差。"
    )
    actions_box.open_box(include_today=True)
    boxed = Grievance.objects.get(is_anonymous=True)
    grievances.do_answer_grievance(actor=p["branch1"], grievance=boxed, text="已整改。")
    ids = {
        "g": {t: r.pk for t, r in g.items()},
        "ga": {t: r.pk for t, r in ga.items()},
        "m": {t: r.pk for t, r in m.items()},
        "ma": {t: r.pk for t, r in ma.items()},
        "mg": {t: r.pk for t, r in mg.items()},
        "entry": {t: r.pk for t, r in entry.items()},
        "rule": {t: r.pk for t, r in rule.items()},
        "branch": {t: u.pk for t, u in branch.items()},
    }
    data = {
        "U": unit["U"].pk,
        "B1": unit["B1"].pk,
        "D_HR": dept["D-HR"].pk,
        "D_PROD": dept["D-PROD"].pk,
        "mediator1": p["mediator1"].pk,
        "code": code,
        "held_at": (timezone.localtime() - dt.timedelta(hours=1)).isoformat(),
        "held_at_form": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }

    def ids_for(persona, target):
        return {k: v.get(target, 0) for k, v in ids.items()} | data

    models = (
        Grievance,
        CaseMessage,
        RoutingRule,
        BoxItem,
        KnowledgeEntry,
        MediationCase,
        MediationParty,
        MediationSession,
    )
    return World(
        data=data | {"ids": ids},
        ids=ids_for,
        fingerprint=lambda: (fingerprint(), table_snapshot(*models)),
        clients=make_clients(p),
    )
