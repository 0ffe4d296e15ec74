"""zhijia/voting/static/voting/ballot-crypto.js run with node on a fixed key: its ballots
verify in Python, and with the same master nonce its ciphertexts are Python's."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from zhijia.voting.crypto import ballot, record
from zhijia.voting.crypto.group import random_q
from zhijia.voting.tests.crypto_world import ELECTION, MOTION, key_ceremony

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "voting" / "ballot-crypto.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

RUNNER = """
const crypto = require(process.argv[1]);
const jobs = JSON.parse(require("fs").readFileSync(0, "utf-8"));
(async () => {
  const out = [];
  for (const job of jobs) {
    try {
      out.push(await crypto.encryptBallot(job.manifest, job.choice, job.options));
    } catch (e) {
      out.push({error: e.message});
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def _manifest_json(m: ballot.Manifest) -> dict:
    return {"kind": m.kind, "options": list(m.options), "votes_allowed": m.votes_allowed}


def _run(jobs: list[dict]) -> list[dict]:
    proc = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def _job(world, choice, ballot_id, previous, master=None) -> dict:
    options = {
        "ballotId": ballot_id,
        "key": format(world.key, "x"),
        "qbar": format(world.qbar, "x"),
        "previousTracker": format(previous, "x"),
    }
    if master is not None:
        options["masterNonce"] = format(master, "x")
    return {"manifest": _manifest_json(world.manifest), "choice": list(choice), "options": options}


@pytest.mark.parametrize(
    ("manifest", "choices", "bad"),
    [
        (MOTION, [("yes",), ("abstain",)], ("yes", "no")),
        (ELECTION, [("c1", "c3"), ()], ("c1", "c2", "c3")),
    ],
)
def test_browser_ballots_verify_in_python(manifest, choices, bad):
    world = key_ceremony(manifest, n=2, k=2)
    first = ballot.first_tracker(world.qbar)
    master = random_q()
    jobs = [_job(world, choices[0], "b0", first, master), _job(world, choices[1], "b1", first)]
    jobs.append(_job(world, bad, "b2", first))
    out = _run(jobs)
    assert "error" in out[2]  # an invalid choice is refused before anything is encrypted

    fixed, fresh = (record.ballot_from_dict(o["ballot"]) for o in out[:2])
    for b in (fixed, fresh):
        assert ballot.verify_ballot(manifest, b, world.key, world.qbar)
        assert ballot.verify_trackers([b], world.qbar) is None
    # The same master nonce gives Python's ciphertexts (the proofs' randomness is fresh).
    python = ballot.encrypt_ballot(
        manifest,
        choices[0],
        ballot_id="b0",
        master_nonce=master,
        key=world.key,
        qbar=world.qbar,
        previous_tracker=first,
    )
    assert [s.ciphertext for s in fixed.selections] == [s.ciphertext for s in python.selections]
    assert out[0]["masterNonce"] == format(master, "x")
    assert "masterNonce" not in out[0]["ballot"]
    # The voter's device opens its ballots with the master nonce.
    assert ballot.open_ballot(manifest, fixed, master, world.key) == choices[0]
    opened = ballot.open_ballot(manifest, fresh, int(out[1]["masterNonce"], 16), world.key)
    assert opened == choices[1]


CEREMONY_RUNNER = """
const crypto = require(process.argv[1]);
const job = JSON.parse(require("fs").readFileSync(0, "utf-8"));
(async () => {
  const made = [];
  for (let i = 1; i <= job.n; i++) made.push(await crypto.trusteeKeygen(i, job.k, job.base));
  const publics = made.map((m) => m.public);
  const shares = [];
  for (const m of made) shares.push(await crypto.sealShares(m.key, publics));
  process.stdout.write(JSON.stringify({keys: made.map((m) => m.key), publics, shares}));
})();
"""


def test_a_ceremony_made_in_javascript_verifies_in_python():
    """Three trustees' keys and sealed shares made by ballot-crypto.js (the browser side of
    the ceremony): Python checks every proof, opens every share and checks it against the
    sender's commitments (zhijia/voting/crypto/trustee.py, as the server and the tool do)."""
    from zhijia.voting.crypto import ceremony, trustee

    n, k = 3, 2
    base = ceremony.base_hash(
        poll="p",
        kind="yes_no_abstain",
        options=("yes", "no", "abstain"),
        votes_allowed=1,
        trustees=n,
        quorum=k,
    )
    job = {"n": n, "k": k, "base": format(base, "x")}
    proc = subprocess.run(
        [NODE, "-e", CEREMONY_RUNNER, str(SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(proc.stdout)
    publics = []
    for doc in out["publics"]:
        public, their_base = trustee.public_from_dict(doc)
        assert their_base == base and ceremony.verify_trustee(public, k, base)
        publics.append(public)
    sealed = []
    for doc in out["shares"]:
        sealed += trustee.sealed_shares_from_dict(
            doc, sender=doc["sender"], trustees=[1, 2, 3], base=base
        )
    for key in out["keys"]:
        secret, _ = trustee.key_from_dict(key)
        received = trustee.open_shares(secret, sealed, publics, base)
        assert len(received) == n - 1
    # A share altered in transit is refused by its recipient, naming the sender.
    bad = list(sealed)
    first = bad[0]
    bad[0] = ceremony.EncryptedShare(first.sender, first.recipient, first.pad, bytes(32), first.mac)
    recipient, _ = trustee.key_from_dict(out["keys"][first.recipient - 1])
    with pytest.raises(trustee.BadShares) as refused:
        trustee.open_shares(recipient, bad, publics, base)
    assert refused.value.senders == [first.sender]

    # The decryption side: trustees 1 and 3 decrypt a tally in JavaScript; Python checks the
    # proofs and combines them, trustee 2 compensated.
    from zhijia.voting.crypto.elgamal import encrypt

    joint = ceremony.joint_key(publics)
    qbar = ceremony.extended_hash(base, joint)
    tally = [("yes", encrypt(3, random_q(), joint)), ("no", encrypt(1, random_q(), joint))]
    doc = {
        "base_hash": format(base, "x"),
        "extended_hash": format(qbar, "x"),
        "trustees": [{"index": i} for i in (1, 2, 3)],
        "public": out["publics"],
        "shares": [s for d in out["shares"] for s in d["shares"]],
        "tally": [
            {"option": o, "alpha": format(ct.alpha, "x"), "beta": format(ct.beta, "x")}
            for o, ct in tally
        ],
    }
    # The check step: trustee 3's check in JavaScript complains about nobody, and about
    # trustee 1 once the share trustee 1 sealed to her is altered.
    altered = json.loads(json.dumps(doc))
    for share in altered["shares"]:
        if share["sender"] == 1 and share["recipient"] == 3:
            share["data"] = "00" * (len(share["data"]) // 2)
    checks = json.loads(
        subprocess.run(
            [NODE, "-e", CHECK_RUNNER, str(SCRIPT)],
            input=json.dumps({"key": out["keys"][2], "docs": [doc, altered]}),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    )
    read = [trustee.check_from_dict(c, trustee=3, trustees=[1, 2, 3], base=base) for c in checks]
    assert read == [[], [1]]

    jobs = {"doc": doc, "keys": [out["keys"][0], out["keys"][2]]}
    proc = subprocess.run(
        [NODE, "-e", DECRYPT_RUNNER, str(SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    posted = {}
    for d in json.loads(proc.stdout):
        parsed = trustee.decryption_from_dict(d, trustee=d["trustee"], options=["yes", "no"])
        assert trustee.verify_decryption(parsed, tally, publics, qbar)
        posted[d["trustee"]] = parsed
    counts = {x.option: x.count for x in trustee.combine_tally(tally, posted, [1, 2, 3], 10)}
    assert counts == {"yes": 3, "no": 1}


CHECK_RUNNER = """
const crypto = require(process.argv[1]);
const job = JSON.parse(require("fs").readFileSync(0, "utf-8"));
(async () => {
  const out = [];
  for (const doc of job.docs) out.push(await crypto.checkShares(job.key, doc));
  process.stdout.write(JSON.stringify(out));
})();
"""


DECRYPT_RUNNER = """
const crypto = require(process.argv[1]);
const job = JSON.parse(require("fs").readFileSync(0, "utf-8"));
(async () => {
  const out = [];
  for (const key of job.keys) out.push(await crypto.decryptTally(key, job.doc));
  process.stdout.write(JSON.stringify(out));
})();
"""
