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
