"""An encrypted poll through the API alone (docs/api.md, docs/voting.md): the manager creates it
and names 3 trustees (k = 2); each trustee reads the poll document, runs
verifier/zhijia_trustee.py (in-process here) and posts what it wrote; voters cast ballots
encrypted on their side; after the close 2 of the 3 trustees post their decryptions and the
results equal the plain count. Refusals: a non-manager naming trustees (404), an account
outside the unit (next to `user_ids`), anyone but a trustee reading or posting the trustee
document (404), the key file and a document of no step (400 next to `document`). A trustee's
complaint about a share fails the ceremony (the poll cannot open) until the manager restarts
it; the trustees then make new keys."""

from __future__ import annotations

import json
from collections import Counter

from zhijia.voting.tests.encrypted_support import (
    api_ballot_document,
    api_trustee_step,
    encrypt_ballot_for,
)

TRUSTEES = ["branch1", "branch2", "rep1"]
VOTES = {"chair": "yes", "worker1": "no", "rep1": "yes"}


def _post(client, url: str, body) -> object:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_an_encrypted_poll_through_the_api(api_client, login, personas, demo_units, tmp_path):
    clients = {name: api_client(name) for name in {*TRUSTEES, *VOTES, "worker2"}}
    chair = clients["chair"]
    created = _post(
        chair,
        "/api/v1/voting/polls",
        {
            "title": "关于职工食堂改造方案的决议",
            "kind": "yes_no_abstain",
            "unit_id": demo_units["U"].pk,
            "encrypted": True,
        },
    )
    assert created.status_code == 201, created.content.decode()
    poll_id = created.json()["id"]
    trustees_url = f"/api/v1/voting/polls/{poll_id}/trustees"
    trustee_url = f"/api/v1/voting/polls/{poll_id}/trustee"
    ids = [personas[name].pk for name in TRUSTEES]

    # Naming: the manager only (the poll is not revealed to others), members of the unit only.
    assert _post(clients["worker1"], trustees_url, {"user_ids": ids}).status_code == 404
    stranger = personas["admin"].pk  # an account without a member record
    outside = _post(chair, trustees_url, {"user_ids": [*ids[:2], stranger]})
    assert outside.status_code == 400 and "user_ids" in outside.json()["errors"]
    named = _post(chair, trustees_url, {"user_ids": ids})
    assert named.status_code == 200, named.content.decode()
    assert named.json()["quorum"] == 2 and not named.json()["key_ready"]
    assert [t["user_id"] for t in named.json()["trustees"]] == ids

    # Only a trustee reads or posts the trustee document.
    assert clients["worker2"].get(trustee_url).status_code == 404
    assert _post(clients["worker2"], trustee_url, {"document": {}}).status_code == 404

    keys = {name: tmp_path / f"{name}-key.json" for name in TRUSTEES}

    def run_step(name: str, step: str) -> dict:
        """The trustee downloads the poll document, runs the tool's `step` and posts its
        output; the answer's body."""
        return api_trustee_step(clients[name], poll_id, step, keys[name], tmp_path)

    for name in TRUSTEES:
        run_step(name, "keygen")
    key_file = _post(
        clients["rep1"], trustee_url, {"document": json.loads(keys["rep1"].read_text())}
    )
    assert key_file.status_code == 400 and "document" in key_file.json()["errors"]
    nothing = _post(clients["rep1"], trustee_url, {"document": {"format": "something/1"}})
    assert nothing.status_code == 400 and "document" in nothing.json()["errors"]
    for name in TRUSTEES:
        status = run_step(name, "shares")
    assert not status["key_ready"]  # each trustee checks the shares sealed to her first
    run_step("branch1", "check")
    run_step("branch2", "check")

    # rep1 complains about trustee 1's share: the ceremony fails until the manager restarts it.
    doc = clients["rep1"].get(trustee_url).json()
    complaint = {
        "format": "zhijia-trustee-check/1",
        "base_hash": doc["base_hash"],
        "trustee": 3,
        "complaints": [1],
    }
    failed = _post(clients["rep1"], trustee_url, {"document": complaint})
    assert failed.status_code == 200 and not failed.json()["key_ready"]
    assert [t["complaints"] for t in failed.json()["trustees"]] == [[], [], [1]]
    refused = _post(chair, f"/api/v1/voting/polls/{poll_id}/open", {"source": "members"})
    assert refused.status_code == 409
    # The pages say so: the manager's (with the restart), the trustees'.
    manage = login("chair").get(f"/voting/manage/{poll_id}/").content.decode()
    assert "第 3 号监票人对第 1 号监票人发来的份额提出异议" in manage
    assert f"/voting/manage/{poll_id}/trustees/restart/" in manage
    page = login("branch1").get(f"/voting/{poll_id}/trustee/").content.decode()
    assert "data-complaints" in page and "异议：第 1 号" in page
    assert _post(clients["rep1"], f"{trustees_url}/restart", {}).status_code == 404
    restarted = _post(chair, f"{trustees_url}/restart", {})
    assert restarted.status_code == 200, restarted.content.decode()
    assert not any(t["public_posted"] for t in restarted.json()["trustees"])
    # On the record: the complaint with its author and the accused, the restart, and the
    # manager told.
    from zhijia.core.models import AuditEvent, Notification

    (complained,) = AuditEvent.objects.filter(action="voting.trustee_complaint")
    assert complained.actor_id == personas["rep1"].pk
    assert complained.data == {"trustee": 3, "complaints": [1]}
    (restart,) = AuditEvent.objects.filter(action="voting.restart_ceremony")
    assert restart.data == {"complaints": {"3": [1]}}
    assert Notification.objects.filter(
        user=personas["chair"], kind="voting.trustee_complaint"
    ).exists()

    # Again, with new keys (a key file is never overwritten: new ones).
    keys.update({name: tmp_path / f"{name}-key-2.json" for name in TRUSTEES})
    for step in ("keygen", "shares", "check"):
        for name in TRUSTEES:
            status = run_step(name, step)
    assert status["key_ready"]
    assert all(t["public_posted"] and t["complaints"] == [] for t in status["trustees"])

    opened = _post(chair, f"/api/v1/voting/polls/{poll_id}/open", {"source": "members"})
    assert opened.status_code == 200, opened.content.decode()
    doc = api_ballot_document(chair, poll_id)
    for name, choice in VOTES.items():
        cast = _post(
            clients[name],
            f"/api/v1/voting/polls/{poll_id}/cast-encrypted",
            {"ballot": encrypt_ballot_for(doc, (choice,))},
        )
        assert cast.status_code == 200, cast.content.decode()
    closed = _post(chair, f"/api/v1/voting/polls/{poll_id}/close", {})
    assert closed.status_code == 200, closed.content.decode()

    # Trustees 1 and 3 decrypt (k = 2); trustee 2 is compensated.
    run_step("branch1", "decrypt")
    final = run_step("rep1", "decrypt")
    assert [t["decryption_posted"] for t in final["trustees"]] == [True, False, True]
    results = clients["worker1"].get(f"/api/v1/voting/polls/{poll_id}/results")
    assert results.status_code == 200, results.content.decode()
    counts = {o["key"]: o["votes"] for o in results.json()["options"]}
    expected = Counter(VOTES.values())
    assert counts == {k: expected.get(k, 0) for k in ("yes", "no", "abstain")}
    assert clients["worker1"].get(f"/api/v1/voting/polls/{poll_id}/record").status_code == 200
