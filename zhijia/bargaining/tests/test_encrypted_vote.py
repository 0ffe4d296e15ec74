"""A collective contract's vote encrypted to trustees (issue 11, docs/voting.md), through the
API alone: the draft's vote is prepared (the version frozen, its poll encrypted and in draft),
the manager names three trustees with the voting API, they make the key with the trustee tool,
the vote opens through bargaining (never through voting's own open), the representatives cast
ballots encrypted on their side, the first close closes the poll without deciding, two trustees
decrypt, and the second close decides by Art. 36 on the decrypted count."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from zhijia.accounts.models import ApiToken
from zhijia.bargaining.models import Contract
from zhijia.bargaining.tests.support import make_representative, new_contract
from zhijia.bargaining.workflows import CONTRACT
from zhijia.voting.models import Poll
from zhijia.voting.tests.encrypted_support import (
    api_ballot_document,
    api_key_ceremony,
    api_trustee_step,
    encrypt_ballot_for,
    key_file,
)

pytestmark = pytest.mark.django_db

DESK = "/api/v1/bargaining/desk/contracts"


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, two_factor=True)}"})


def _post(client, url: str, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_a_contract_vote_encrypted_to_trustees(personas, tmp_path):
    branch1 = personas["branch1"]
    reps = [personas["rep1"], *(make_representative(f"rep_enc_{i}") for i in range(4))]
    contract = new_contract(branch1)
    desk = _client(branch1)
    clients = {u.pk: _client(u) for u in reps}

    prepared = _post(desk, f"{DESK}/{contract.pk}/vote/prepare")
    assert prepared.status_code == 200, prepared.content.decode()
    poll = Poll.objects.get(pk=prepared.json()["poll_id"])
    assert poll.encrypted and poll.state == Poll.State.DRAFT
    assert _post(desk, f"{DESK}/{contract.pk}/vote/prepare").status_code == 409
    # Not before the trustees' key; not on paper now; not through voting's own open.
    assert _post(desk, f"{DESK}/{contract.pk}/vote/open").status_code == 409
    paper = _post(desk, f"{DESK}/{contract.pk}/vote/open", {"paper": True, "total": 5})
    assert paper.status_code == 400 and "paper" in paper.json()["errors"]
    bypass = _post(desk, f"/api/v1/voting/polls/{poll.pk}/open", {"source": "members"})
    assert bypass.status_code == 409

    trustees = reps[:3]
    named = _post(
        desk, f"/api/v1/voting/polls/{poll.pk}/trustees", {"user_ids": [u.pk for u in trustees]}
    )
    assert named.status_code == 200, named.content.decode()

    def run_step(user, step: str) -> dict:
        key = key_file(tmp_path, user.username)
        return api_trustee_step(clients[user.pk], poll.pk, step, key, tmp_path)

    status = api_key_ceremony({u.username: clients[u.pk] for u in trustees}, poll.pk, tmp_path)
    assert status["key_ready"]

    opened = _post(desk, f"{DESK}/{contract.pk}/vote/open")
    assert opened.status_code == 200, opened.content.decode()
    doc = api_ballot_document(clients[reps[0].pk], poll.pk)
    for user, choice in zip(reps, ["yes", "yes", "yes", "no", "abstain"], strict=True):
        cast = _post(
            clients[user.pk],
            f"/api/v1/voting/polls/{poll.pk}/cast-encrypted",
            {"ballot": encrypt_ballot_for(doc, (choice,))},
        )
        assert cast.status_code == 200, cast.content.decode()

    first = _post(desk, f"{DESK}/{contract.pk}/vote/close")
    assert first.status_code == 200, first.content.decode()
    assert first.json()["decided"] is False and first.json()["yes"] is None
    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED  # closed, though nothing is decided yet
    assert Contract.objects.get(pk=contract.pk).in_state(CONTRACT.states.draft)

    run_step(trustees[0], "decrypt")
    run_step(trustees[2], "decrypt")
    decided = _post(desk, f"{DESK}/{contract.pk}/vote/close")
    assert decided.status_code == 200, decided.content.decode()
    body = decided.json()
    assert body["decided"] and body["passed"]
    assert (body["total"], body["present"], body["yes"]) == (5, 5, 3)
    assert not Contract.objects.get(pk=contract.pk).in_state(CONTRACT.states.draft)


def test_the_pages_of_a_prepared_vote(personas, login):
    contract = new_contract(personas["branch1"])
    page = login("branch1")
    url = reverse("bargaining:contract", args=[contract.pk])
    assert "准备加密表决" in page.get(url).content.decode()
    prepared = page.post(reverse("bargaining:contract-vote-prepare", args=[contract.pk]))
    poll = Poll.objects.get(origin=f"bargaining.contract:{contract.pk}")
    assert prepared.status_code == 302
    assert prepared.url == reverse("voting:manage-poll", args=[poll.pk])
    manage = page.get(prepared.url).content.decode()
    assert 'data-origin="bargaining"' in manage  # opened from the contract's page only
    assert reverse("voting:open", args=[poll.pk]) not in manage
    shown = page.get(url).content.decode()
    assert "加密表决已准备：请在表决页面指定 3 至 5 名监票人" in shown
    assert "准备加密表决" not in shown
