"""The world of tests/access/test_voting.py, built once per module.

In each branch t ("b1", "b2") a poll of the branch in every state that a route acts on:
draft[t] (a draft), open[t] (open, the roll frozen to the branch's members), closed[t]
(closed after one ballot), paper[t] (a hall vote on paper, open, waiting for its totals) and
trusted[t] (an encrypted draft whose trustees are named: branch1, rep1, worker1 in b1;
branch2, worker2, chair in b2). The rolls: branch1, rep1, worker1 in b1; branch2, worker2 in
b2.
"""

from __future__ import annotations

from tests.access.framework import World, fingerprint, make_clients

STATES = ("draft", "open", "closed", "paper", "trusted")
TRUSTEES = {"b1": ("branch1", "rep1", "worker1"), "b2": ("branch2", "worker2", "chair")}


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.voting import actions, queries, trustee_actions

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    chair = personas["chair"]
    branch = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    voter = {"b1": personas["worker1"], "b2": personas["worker2"]}
    polls: dict[str, dict] = {state: {} for state in STATES}
    for t, unit in branch.items():

        def create(title, paper=False, unit=unit):
            return actions.do_create_poll(
                actor=chair, title=title, kind="yes_no_abstain", unit=unit, paper=paper
            )

        roll = list(queries.eligible_members_of_unit(unit))
        polls["draft"][t] = create("矩阵草稿")
        polls["open"][t] = actions.do_open_poll(actor=chair, poll=create("矩阵进行中"), voters=roll)
        closed = actions.do_open_poll(actor=chair, poll=create("矩阵已结束"), voters=roll)
        actions.do_cast_ballot(voter=voter[t], poll=closed, choice=["yes"])
        polls["closed"][t] = actions.do_close_poll(actor=chair, poll=closed)
        polls["paper"][t] = actions.do_open_poll(
            actor=chair, poll=create("矩阵现场", paper=True), voters=[], eligible=5
        )
        trusted = actions.do_create_poll(
            actor=chair, title="矩阵加密", kind="yes_no_abstain", unit=unit, encrypted=True
        )
        trustee_actions.do_name_trustees(
            actor=chair, poll=trusted, users=[personas[n] for n in TRUSTEES[t]]
        )
        polls["trusted"][t] = trusted
    data = {
        "personas": personas,
        "branch": {t: u.pk for t, u in branch.items()},
        **{state: {t: p.pk for t, p in by.items()} for state, by in polls.items()},
    }

    def ids(persona: str, target) -> dict:
        if target not in ("b1", "b2"):
            return {}
        return {state: data[state][target] for state in STATES}

    return World(data=data, ids=ids, fingerprint=voting_fingerprint, clients=make_clients(personas))


def voting_fingerprint() -> tuple:
    from zhijia.voting.models import (
        Ballot,
        Option,
        PaperResult,
        Poll,
        SealedBallot,
        Tracker,
        Trustee,
        VoterRoll,
    )

    return fingerprint(Poll, Option, VoterRoll, Ballot, Tracker, PaperResult, Trustee, SealedBallot)
