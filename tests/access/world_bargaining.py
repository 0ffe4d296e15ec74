"""The world of tests/access/test_bargaining.py, built once per module.

Targets "b1" / "b2": records of branch1's / branch2's unit. Each has
  round_c  a round collecting demands (worker1 / worker2 gave one);
  round_b  a round in bargaining, with both delegations and an unsigned session;
  draft    a draft contract (two versions, clauses);
  voting   a draft contract whose vote is open (the unit's representatives on the roll);
  voted    a contract approved by the vote, to be signed;
  eff      a contract in force with a pending compliance check (check).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")
KEYS = ("round_c", "round_b", "session", "draft", "voting", "voted", "eff", "check")


def build_world() -> World:
    from zhijia.bargaining.actions import compliance as checks
    from zhijia.bargaining.actions import contracts as contracts
    from zhijia.bargaining.actions import rounds as rounds
    from zhijia.bargaining.models import Contract
    from zhijia.bargaining.tests.support import CLAUSES, EMPLOYER, UNION
    from zhijia.bargaining.workflows import CONTRACT
    from zhijia.core.workflow import do_transition
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.voting import trustee_actions
    from zhijia.voting.tests.encrypted_support import ceremony_in_process

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    worker = {"b1": personas["worker1"], "b2": personas["worker2"]}
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    today = timezone.localdate()
    data: dict = {"personas": personas, "unit": {t: u.pk for t, u in units.items()}}
    data.update({k: {} for k in KEYS})

    def contract(t, title):
        return contracts.do_create_contract(
            actor=cadre[t],
            org_unit=units[t],
            kind="wage",
            title=title,
            employer_name="示例能源集团",
            vote_basis=Contract.VoteBasis.ALL_WORKERS,
            clauses=CLAUSES,
        )

    for t in REC:
        kwargs = {"org_unit": units[t], "kind": "wage", "employer_name": "示例能源集团"}
        round_c = rounds.do_create_round(actor=cadre[t], title=f"征集{t}", **kwargs)
        rounds.do_submit_demand(actor=worker[t], round=round_c, topic="wages", text="涨工资")
        round_b = rounds.do_create_round(actor=cadre[t], title=f"协商{t}", **kwargs)
        rounds.do_send_bargaining_request(
            actor=cadre[t], round=round_b, request_text="要求协商", received_on=today
        )
        rounds.do_record_answer(
            actor=cadre[t], round=round_b, answered_on=today, answer_text="同意"
        )
        rounds.do_set_delegations(actor=cadre[t], round=round_b, union=UNION, employer=EMPLOYER)
        session = rounds.do_add_session(
            actor=cadre[t], round=round_b, held_on=today, minutes="第一次协商。"
        )
        draft = contract(t, f"草案{t}")
        contracts.do_new_version(actor=cadre[t], contract=draft, note="第二稿")
        voting = contract(t, f"表决中{t}")
        # its online vote, encrypted: prepared, three trustees make the key, opened
        poll = contracts.do_prepare_contract_vote(actor=cadre[t], contract=voting)
        trustees = [personas[n] for n in ("rep1", "worker1", "worker2")]
        trustee_actions.do_name_trustees(actor=cadre[t], poll=poll, users=trustees)
        ceremony_in_process(poll, trustees)
        contracts.do_open_contract_vote(actor=cadre[t], contract=voting)
        voted = contract(t, f"已通过{t}")
        do_transition(CONTRACT, voted, "approve", actor=cadre[t])
        eff = contract(t, f"生效{t}")
        Contract.objects.filter(pk=eff.pk).update(
            state=CONTRACT.states.effective,
            effective_on=today - dt.timedelta(days=30),
            expires_on=today + dt.timedelta(days=700),
        )
        check = checks.do_schedule_check(
            actor=cadre[t],
            contract=Contract.objects.get(pk=eff.pk),
            clause_number=1,
            due_on=today + dt.timedelta(days=60),
            responsible="李四",
        )
        for key, record in {
            "round_c": round_c,
            "round_b": round_b,
            "session": session,
            "draft": draft,
            "voting": voting,
            "voted": voted,
            "eff": eff,
            "check": check,
        }.items():
            data[key][t] = record.pk
    data["today"] = today.isoformat()
    cache.clear()

    def ids(persona: str, target) -> dict:
        if target not in REC:
            return {}
        return {key: data[key][target] for key in KEYS}

    return World(
        data=data, ids=ids, fingerprint=bargaining_fingerprint, clients=make_clients(personas)
    )


def bargaining_fingerprint() -> tuple:
    from zhijia.bargaining.models import (
        BargainingSession,
        Clause,
        ComplianceCheck,
        Contract,
        ContractVersion,
        Delegate,
        Demand,
        Round,
    )
    from zhijia.cases.models import Grievance
    from zhijia.voting.models import Ballot, Poll, VoterRoll

    return fingerprint(
        Round,
        Demand,
        Delegate,
        BargainingSession,
        Contract,
        ContractVersion,
        Clause,
        ComplianceCheck,
        Poll,
        VoterRoll,
        Ballot,
        Grievance,
    )
