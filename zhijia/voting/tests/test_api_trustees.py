"""An encrypted poll through the API alone (docs/api.md, docs/voting.md): the manager creates it
and names 3 trustees (k = 2); each trustee reads the poll document, runs
verifier/zhijia_trustee.py (in-process here) and posts what it wrote; voters cast ballots
encrypted on their side; after the close 2 of the 3 trustees post their decryptions and the
results equal the plain count. Refusals: a non-manager naming trustees (404), an account
outside the unit (next to `user_ids`), anyone but a trustee reading or posting the trustee
document (404), the key file and a document of no step (400 next to `document`)."""

from __future__ import annotations

import json
from collections import Counter

from zhijia.voting.tests.test_encrypted_poll import _encrypt, _tool

TRUSTEES = ["branch1", "branch2", "rep1"]
VOTES = {"chair": "yes", "worker1": "no", "rep1": "yes"}


def _post(client, url: str, body) -> object:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_an_encrypted_poll_through_the_api(api_client, personas, demo_units, tmp_path):
    tool = _tool()
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
        doc = clients[name].get(trustee_url)
        assert doc.status_code == 200
        doc_path = tmp_path / f"{name}-{step}-poll.json"
        doc_path.write_text(json.dumps(doc.json()))
        out = tmp_path / f"{name}-{step}.json"
        args = [step, str(doc_path), "--key", str(keys[name]), "--out", str(out)]
        assert tool.main(args) == 0
        posted = _post(clients[name], trustee_url, {"document": json.loads(out.read_text())})
        assert posted.status_code == 200, posted.content.decode()
        return posted.json()

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
    assert status["key_ready"]
    assert all(t["public_posted"] and t["shares_posted"] for t in status["trustees"])

    opened = _post(chair, f"/api/v1/voting/polls/{poll_id}/open", {"source": "members"})
    assert opened.status_code == 200, opened.content.decode()
    detail = chair.get(f"/api/v1/voting/polls/{poll_id}").json()
    doc = {
        "poll": f"zhijia-poll-{poll_id}",  # the manifest's name of the poll
        "manifest": detail["encryption"]["manifest"],
        "joint_key": detail["encryption"]["key"],
        "extended_hash": detail["encryption"]["qbar"],
    }
    for name, choice in VOTES.items():
        cast = _post(
            clients[name],
            f"/api/v1/voting/polls/{poll_id}/cast-encrypted",
            {"ballot": _encrypt(doc, (choice,))},
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
