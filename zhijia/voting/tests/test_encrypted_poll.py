"""An encrypted poll end to end over HTTP (docs/voting.md, issue 11 item 1): the manager names
3 trustees (k = 2), each runs verifier/zhijia_trustee.py (keygen, shares, check) and uploads
on the trustee page; the poll opens on the joint key; voters post ballots encrypted on their
side; a ballot with a bad proof is refused; the close tallies homomorphically; 2 of the 3
trustees decrypt (the third is compensated); the published record recounts with the
independent verifier (a separate process without site-packages) to the plain count, and a
tampered copy is rejected. The database holds no trustee secret anywhere.

One world for the module: the 4096-bit arithmetic costs milliseconds per exponentiation."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from zhijia.core.home import todos_for
from zhijia.core.models import AuditEvent
from zhijia.voting import actions, trustee_actions
from zhijia.voting.errors import BadInput, PollStateError
from zhijia.voting.models import Poll, SealedBallot, Trustee, VoterRoll
from zhijia.voting.tests.encrypted_support import (
    ceremony_in_process,
    encrypt_ballot_for,
    trustee_tool,
)

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "verifier" / "zhijia_trustee.py"
VERIFIER = ROOT / "verifier" / "zhijia_verify.py"
TRUSTEES = ["branch1", "branch2", "rep1"]  # indices 1, 2, 3
VOTES = {"chair": "yes", "worker1": "yes", "worker2": "no", "branch1": "abstain", "rep1": "yes"}
PLAIN_COUNT = Counter(VOTES.values())


def _download(client, poll_id: int, path: Path) -> dict:
    got = client.get(reverse("voting:trustee-document", args=[poll_id]))
    assert got.status_code == 200
    path.write_bytes(got.content)
    return json.loads(got.content)


def _upload(client, poll_id: int, path: Path):
    document = SimpleUploadedFile(path.name, path.read_bytes(), "application/json")
    return client.post(reverse("voting:trustee", args=[poll_id]), {"document": document})


def _every_text_in_database() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_encrypted_poll_end_to_end(login, api_client, personas, demo_units, tmp_path):
    tool = trustee_tool()
    signed_in: dict = {}

    def login_once(name: str):
        if name not in signed_in:
            signed_in[name] = login(name)
        return signed_in[name]

    chair = login_once("chair")
    poll = actions.do_create_poll(
        actor=personas["chair"],
        title="关于职工食堂改造方案的决议",
        kind="yes_no_abstain",
        unit=demo_units["U"],
        encrypted=True,
    )
    # The manager names the trustees; the poll cannot open before the ceremony.
    named = chair.post(
        reverse("voting:trustees", args=[poll.pk]), {"usernames": "\n".join(TRUSTEES)}
    )
    assert named.status_code == 302, named.content.decode()
    poll.refresh_from_db()
    assert poll.quorum == 2
    with pytest.raises(PollStateError):
        actions.do_open_poll(actor=personas["chair"], poll=poll, voters=[personas["worker1"]])
    # Each trustee is told on the home page; nobody else.
    trustee_url = reverse("voting:trustee", args=[poll.pk])
    assert any(t.url == trustee_url for t in todos_for(personas["rep1"]))
    assert not any(t.url == trustee_url for t in todos_for(personas["worker1"]))
    # Not a trustee: no trustee page.
    assert login_once("worker1").get(reverse("voting:trustee", args=[poll.pk])).status_code == 404

    # Round 1: keygen on the trustee's computer, the public document uploaded.
    clients = {name: login_once(name) for name in TRUSTEES}
    keys = {name: tmp_path / f"{name}-key.json" for name in TRUSTEES}
    for name in TRUSTEES:
        doc_path = tmp_path / f"{name}-poll.json"
        _download(clients[name], poll.pk, doc_path)
        out = tmp_path / f"{name}-public.json"
        if name == TRUSTEES[0]:  # once as an outsider would run it: a separate process
            run = subprocess.run(
                [
                    sys.executable,
                    "-I",
                    str(TOOL),
                    "keygen",
                    str(doc_path),
                    "--key",
                    str(keys[name]),
                    "--out",
                    str(out),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert run.returncode == 0, run.stderr
        else:
            assert (
                tool.main(["keygen", str(doc_path), "--key", str(keys[name]), "--out", str(out)])
                == 0
            )
        assert _upload(clients[name], poll.pk, out).status_code == 302
    # The key file itself is refused (and kept nowhere: see the search at the end).
    mistaken = _upload(clients["rep1"], poll.pk, keys["rep1"])
    assert mistaken.status_code == 400 and "密钥文件" in mistaken.content.decode()
    # An upload twice is refused, next to the field.
    again = _upload(clients["branch1"], poll.pk, tmp_path / "branch1-public.json")
    assert again.status_code == 400 and "不能更换" in again.content.decode()

    # Round 2: shares sealed to each other trustee.
    for name in TRUSTEES:
        doc_path = tmp_path / f"{name}-poll.json"
        _download(clients[name], poll.pk, doc_path)
        out = tmp_path / f"{name}-shares.json"
        assert (
            tool.main(["shares", str(doc_path), "--key", str(keys[name]), "--out", str(out)]) == 0
        )
        assert _upload(clients[name], poll.pk, out).status_code == 302
    poll.refresh_from_db()
    assert poll.joint_key and poll.extended_hash
    early = chair.post(reverse("voting:open", args=[poll.pk]), {"source": "members"})
    assert early.status_code == 302
    poll.refresh_from_db()
    assert not poll.is_open  # each trustee checks the shares sealed to her first

    # Round 3: each trustee checks the shares sealed to her and uploads the check.
    for name in TRUSTEES:
        doc_path = tmp_path / f"{name}-check-poll.json"
        doc = _download(clients[name], poll.pk, doc_path)
        out = tmp_path / f"{name}-check.json"
        assert tool.main(["check", str(doc_path), "--key", str(keys[name]), "--out", str(out)]) == 0
        assert json.loads(out.read_text())["complaints"] == []
        assert _upload(clients[name], poll.pk, out).status_code == 302

    opened = chair.post(reverse("voting:open", args=[poll.pk]), {"source": "members"})
    assert opened.status_code == 302
    poll.refresh_from_db()
    assert poll.is_open

    # The ballot page carries the key and the browser's script, and no named choice input.
    page = login_once("worker1").get(reverse("voting:poll-detail", args=[poll.pk])).content.decode()
    assert 'id="ballot-context"' in page and "encrypt-form.js" in page
    assert 'name="choice"' not in page

    # A ballot with a bad proof is refused; the voter may still vote.
    bad = encrypt_ballot_for(doc, ("yes",))
    bad["selections"][0]["proof"]["responses"][0] = format(
        (int(bad["selections"][0]["proof"]["responses"][0], 16) + 1) % (2**256 - 189), "x"
    )
    refused = login_once("worker2").post(
        reverse("voting:cast", args=[poll.pk]), {"ballot": json.dumps(bad)}
    )
    assert refused.status_code == 400
    assert not VoterRoll.objects.get(poll=poll, user=personas["worker2"]).voted
    # A plain choice is refused on an encrypted poll.
    plain = login_once("worker2").post(reverse("voting:cast", args=[poll.pk]), {"choice": "yes"})
    assert plain.status_code == 400

    trackers = {}
    for name, choice in VOTES.items():
        ballot = encrypt_ballot_for(doc, (choice,))
        if name == "rep1":  # through the API, with the key the poll's detail gives
            api = api_client(name)
            detail = api.get(f"/api/v1/voting/polls/{poll.pk}").json()
            assert detail["encrypted"] and detail["encryption"]["key"] == doc["joint_key"]
            cast = api.post(
                f"/api/v1/voting/polls/{poll.pk}/cast-encrypted",
                data=json.dumps({"ballot": ballot}),
                content_type="application/json",
            )
            assert cast.status_code == 200, cast.content.decode()
            trackers[name] = cast.json()["tracker"]
            continue
        cast = login_once(name).post(
            reverse("voting:cast", args=[poll.pk]), {"ballot": json.dumps(ballot)}
        )
        assert cast.status_code == 200, cast.content.decode()
        trackers[name] = cast.context["tracker"]
    # The copy of a cast ballot (valid proofs) is refused.
    stored = SealedBallot.objects.filter(poll=poll).first().body
    copied = login_once("branch2").post(
        reverse("voting:cast", args=[poll.pk]), {"ballot": json.dumps(stored)}
    )
    assert copied.status_code == 400, copied.content.decode()[-3000:]
    assert not AuditEvent.objects.filter(action__startswith="voting.cast").exists()

    closed = chair.post(reverse("voting:close", args=[poll.pk]))
    assert closed.status_code == 302
    poll.refresh_from_db()
    assert poll.encrypted_tally["ballots"] == len(VOTES)
    close_event = AuditEvent.objects.get(action="voting.close_poll", target_id=str(poll.pk))
    assert close_event.data["last_tracker"] == poll.last_tracker
    record_url = reverse("voting:record", args=[poll.pk])
    assert chair.get(record_url).status_code == 409  # not decrypted yet

    # Trustees 1 and 3 decrypt (2 = k); trustee 2 is absent and compensated.
    for name in ("branch1", "rep1"):
        doc_path = tmp_path / f"{name}-tally.json"
        _download(clients[name], poll.pk, doc_path)
        out = tmp_path / f"{name}-decryption.json"
        assert (
            tool.main(["decrypt", str(doc_path), "--key", str(keys[name]), "--out", str(out)]) == 0
        )
        assert _upload(clients[name], poll.pk, out).status_code == 302
    poll.refresh_from_db()
    assert poll.election_record
    assert not any(t.url == trustee_url for t in todos_for(personas["rep1"]))

    # Published: results, ballot box (every voter finds her tracker), record.
    results = login_once("worker1").get(reverse("voting:results", args=[poll.pk]))
    assert results.status_code == 200
    assert {o.key: o.votes for o in results.context["result"].options} == {
        k: PLAIN_COUNT.get(k, 0) for k in ("yes", "no", "abstain")
    }
    assert results.context["result"].consistent
    assert sorted(results.context["trackers"]) == sorted(trackers.values())
    found = login_once("chair").post(
        reverse("voting:results", args=[poll.pk]), {"tracker": trackers["chair"].upper()}
    )
    assert found.context["present"] is True

    got = login_once("worker1").get(record_url)
    assert got.status_code == 200
    via_api = api_client("worker1").get(f"/api/v1/voting/polls/{poll.pk}/record")
    assert via_api.status_code == 200 and via_api.json() == json.loads(got.content)
    record_path = tmp_path / "record.json"
    record_path.write_bytes(got.content)
    run = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(record_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = dict(line.split("\t") for line in run.stdout.splitlines() if "\t" in line)
    assert {k: int(lines[k]) for k in ("yes", "no", "abstain")} == {
        k: PLAIN_COUNT.get(k, 0) for k in ("yes", "no", "abstain")
    }
    assert lines["last tracker"] == poll.last_tracker
    assert json.loads(got.content)["tally"][0]["compensated"]  # trustee 2 compensated

    # A box cut short (the last ballot dropped: the chain still holds, the tally does not);
    # forged counts and the other tamperings: tests/test_verifier.py.
    tampered = copy.deepcopy(json.loads(got.content))
    tampered["ballots"].pop()
    bad_path = tmp_path / "tampered.json"
    bad_path.write_text(json.dumps(tampered))
    run = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(bad_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1 and run.stderr.startswith("FAIL"), run.stderr

    # No trustee secret anywhere in the database (every table, every column, as text).
    everything = _every_text_in_database()
    for name in TRUSTEES:
        for coefficient in json.loads(keys[name].read_text())["coefficients"]:
            assert coefficient not in everything
            assert str(int(coefficient, 16)) not in everything
    assert Trustee.objects.filter(poll=poll).count() == 3
    assert Poll.objects.get(pk=poll.pk).is_closed


def test_trustees_are_three_to_five_with_a_quorum_of_two_or_more(personas, demo_units):
    poll = actions.do_create_poll(
        actor=personas["chair"],
        title="加密表决",
        kind="yes_no_abstain",
        unit=demo_units["U"],
        encrypted=True,
    )
    three = [personas[n] for n in TRUSTEES]
    with pytest.raises(BadInput):
        trustee_actions.do_name_trustees(actor=personas["chair"], poll=poll, users=three[:2])
    with pytest.raises(BadInput):
        trustee_actions.do_name_trustees(actor=personas["chair"], poll=poll, users=three, quorum=1)
    trustee_actions.do_name_trustees(actor=personas["chair"], poll=poll, users=three, quorum=3)
    assert poll.quorum == 3
    with pytest.raises(BadInput):  # paper polls are never encrypted
        actions.do_create_poll(
            actor=personas["chair"],
            title="x",
            kind="yes_no_abstain",
            unit=demo_units["U"],
            encrypted=True,
            paper=True,
        )


def test_an_encrypted_poll_nobody_voted_in_closes_with_zero_counts(login, personas, demo_units):
    chair = personas["chair"]
    poll = actions.do_create_poll(
        actor=chair,
        title="无人投票",
        kind="approval",
        unit=demo_units["U"],
        candidates=["甲", "乙", "丙"],
        seats=2,
        encrypted=True,
    )
    trustee_actions.do_name_trustees(actor=chair, poll=poll, users=[personas[n] for n in TRUSTEES])
    ceremony_in_process(poll, [personas[n] for n in TRUSTEES])
    actions.do_open_poll(actor=chair, poll=poll, voters=[personas["worker1"]])
    actions.do_close_poll(actor=chair, poll=poll)
    results = login("worker1").get(reverse("voting:results", args=[poll.pk]))
    assert results.status_code == 200
    assert [o.votes for o in results.context["result"].options] == [0, 0, 0]
    with pytest.raises(PollStateError):  # nothing to decrypt
        trustee_actions.do_post_trustee_decryption(actor=personas["rep1"], poll=poll, document={})
