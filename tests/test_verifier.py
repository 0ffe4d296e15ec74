"""verifier/zhijia_verify.py, the independent recount, run as an outsider would: a separate
Python process without site-packages (so neither zhijia nor gmpy2 can be imported) on a
record written by zhijia/voting/crypto/record.py, and on tampered copies of it.

The verifier's runs take up to two seconds of CPU each with Python's pow (the ballots' proofs
are checked last, so most tamperings are found in a fraction of that): see `Runs`."""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhijia.voting.crypto import ballot, record
from zhijia.voting.tests.crypto_world import MOTION, election

VERIFIER = Path(__file__).resolve().parent.parent / "verifier" / "zhijia_verify.py"
CHOICES = [("yes",), ("no",), ("yes",)]


def _verifier_module():
    spec = importlib.util.spec_from_file_location("zhijia_verify", VERIFIER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rechain(doc: dict, zv) -> None:
    """Recompute every tracker, as a forger who altered a ballot would."""
    tracker = zv.hash_parts(zv.tb("zhijia/v1/tracker-start"), zv.qb(int(doc["extended_hash"], 16)))
    for b in doc["ballots"]:
        tracker = zv.hash_parts(
            zv.tb("zhijia/v1/tracker"), zv.qb(tracker), zv.qb(zv.ballot_digest(b))
        )
        b["tracker"] = format(tracker, "x")


def _tampered(good: dict) -> dict[str, dict]:
    zv = _verifier_module()
    p, g = zv.P, zv.G
    cases = {}

    def shift(entry: dict, factor: int) -> None:
        entry["beta"] = format(int(entry["beta"], 16) * factor % p, "x")

    doc = copy.deepcopy(good)  # a vote turned from 0 into 1 in ballot 1, nothing else
    shift(doc["ballots"][1]["selections"][0], g)
    cases["altered_ciphertext"] = doc

    doc = copy.deepcopy(good)  # the same, the chain and the tally recomputed
    shift(doc["ballots"][1]["selections"][0], g)
    _rechain(doc, zv)
    shift(doc["tally"][0], g)
    cases["altered_ciphertext_rechained"] = doc

    doc = copy.deepcopy(good)  # a "yes" moved from ballot 0 to ballot 1: the tally is the same
    shift(doc["ballots"][0]["selections"][0], pow(g, -1, p))
    shift(doc["ballots"][1]["selections"][0], g)
    _rechain(doc, zv)
    cases["moved_vote"] = doc

    doc = copy.deepcopy(good)  # a ballot stuffed in first, without its proofs
    stuffed = copy.deepcopy(doc["ballots"][0])
    stuffed["id"] = "stuffed"
    for s in stuffed["selections"]:
        del s["proof"]
    del stuffed["sum_proof"]
    doc["ballots"].insert(0, stuffed)
    cases["added_without_proof"] = doc

    doc = copy.deepcopy(good)  # a cast ballot copied under a new id, the chain recomputed
    stuffed = copy.deepcopy(doc["ballots"][0])
    stuffed["id"] = "copy"
    doc["ballots"].insert(1, stuffed)
    _rechain(doc, zv)
    cases["copied_ballot"] = doc

    doc = copy.deepcopy(good)  # one more "yes" announced, consistently in both places
    doc["tally"][0]["count"] += 1
    doc["counts"]["yes"] += 1
    cases["altered_count"] = doc

    doc = copy.deepcopy(good)
    proof = doc["tally"][1]["partials"][0]["proof"]
    proof["response"] = format((int(proof["response"], 16) + 1) % zv.Q, "x")
    cases["altered_partial_proof"] = doc

    doc = copy.deepcopy(good)  # a trustee's commitment replaced (its proof no longer holds)
    doc["ceremony"]["public"][1]["commitments"][1] = format(pow(g, 5, p), "x")
    cases["altered_commitment"] = doc

    doc = copy.deepcopy(good)  # another generator (g^2, of order q too): not the standard group
    doc["group"]["g"] = format(g * g % p, "x")
    cases["other_group"] = doc

    doc = copy.deepcopy(good)  # two ballots swapped in the box
    doc["ballots"][1], doc["ballots"][2] = doc["ballots"][2], doc["ballots"][1]
    cases["broken_chain"] = doc

    doc = copy.deepcopy(good)  # the last ballot dropped: the chain's prefix still holds
    doc["ballots"].pop()
    cases["removed_ballot"] = doc
    return cases


class Runs:
    """The verifier's run on each record: all started together when the module runs in one
    process (they take up to two seconds of CPU each: the machine's cores share them), one
    at a time as each test asks under pytest-xdist (where the tests of this module may be
    spread over several workers: no worker runs a case it was not given)."""

    def __init__(self, docs: dict[str, dict], folder: Path) -> None:
        self.paths = {}
        for name, doc in docs.items():
            self.paths[name] = folder / f"{name}.json"
            self.paths[name].write_text(json.dumps(doc), encoding="utf-8")
        self.last_tracker = docs["good"]["ballots"][-1]["tracker"]
        self.procs: dict[str, subprocess.Popen] = {}
        if "PYTEST_XDIST_WORKER" not in os.environ:
            for name in self.paths:
                self._start(name)

    def _start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-I", "-S", str(VERIFIER), str(self.paths[name])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __getitem__(self, name: str) -> tuple[int, str, str]:
        if name not in self.procs:
            self._start(name)
        out, err = self.procs[name].communicate(timeout=120)
        return self.procs[name].returncode, out, err


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    _, rec = election(MOTION, CHOICES, n=3, k=2, absent=(2,))
    good = record.to_dict(rec)
    small = ballot.Manifest("poll-election", ballot.APPROVAL, ("c1", "c2", "c3"), 2)
    _, election_record = election(small, [("c1", "c3"), ()], n=3, k=2, absent=(1,))
    docs = {"good": good, "election": record.to_dict(election_record), **_tampered(good)}
    return Runs(docs, tmp_path_factory.mktemp("records"))


def test_accepts_the_record_and_prints_the_recount(runs):
    rc, out, err = runs["good"]
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "OK poll-motion: 3 ballots verified and recounted"
    assert lines[1:4] == ["yes\t2", "no\t1", "abstain\t0"]
    assert lines[4] == f"last tracker\t{runs.last_tracker}"


def test_accepts_an_election_with_placeholders(runs):
    # Two seats of three candidates: each ballot carries two placeholder selections, and the
    # blank ballot is valid.
    rc, out, err = runs["election"]
    assert rc == 0, err
    assert out.splitlines()[:4] == [
        "OK poll-election: 2 ballots verified and recounted",
        "c1\t1",
        "c2\t0",
        "c3\t1",
    ]


@pytest.mark.parametrize(
    ("case", "check", "why"),
    [
        ("altered_ciphertext", "tracker-chain", "broken at ballot 1"),
        # The partial decryptions' proofs are bound to the tally's beta.
        ("altered_ciphertext_rechained", "decryption-proof", "option 'yes': trustee 1's"),
        ("moved_vote", "ballot-proof", "selection 0: no valid proof of 0 or 1"),
        ("added_without_proof", "ballot-proof", "a proof is missing"),
        ("copied_ballot", "ballot-proof", "selection 0: a copy"),
        ("altered_count", "counts", "'yes': 3 is not decrypted"),
        ("altered_partial_proof", "decryption-proof", "option 'no': trustee 1's partial"),
        ("altered_commitment", "trustee-proof", "trustee 2, coefficient 1"),
        ("other_group", "group", "not the ElectionGuard standard group"),
        ("broken_chain", "tracker-chain", "broken at ballot 1"),
        ("removed_ballot", "tally", "not the product of the ballots' ciphertexts"),
    ],
)
def test_rejects_a_tampered_record_naming_the_check(runs, case, check, why):
    rc, out, err = runs[case]
    assert rc == 1
    assert out == ""
    assert err.startswith(f"FAIL {check}: "), err
    assert why in err, err


def test_unreadable_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_verifier_imports_only_the_standard_library():
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names


def test_verifier_and_zhijia_agree_on_the_hash():
    zv = _verifier_module()
    from zhijia.voting.crypto import group

    parts = (b"zhijia", group.p_bytes(group.G), group.q_bytes(5))
    assert zv.hash_parts(*parts) == group.hash_parts(*parts)
    assert (zv.P, zv.Q, zv.G, zv.R) == (group.P, group.Q, group.G, group.R)
