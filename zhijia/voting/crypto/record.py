"""The election record: one JSON document anyone can recount (docs/voting.md, "The election
record"; checked by verifier/zhijia_verify.py). No Django.

Every big number is a lowercase hexadecimal string without prefix (group elements and
exponents alike); indices and counts are JSON integers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zhijia.voting.crypto.ballot import EncryptedBallot, EncryptedSelection, Manifest
from zhijia.voting.crypto.ceremony import TrusteePublic
from zhijia.voting.crypto.elgamal import Ciphertext
from zhijia.voting.crypto.group import G, P, Q, R
from zhijia.voting.crypto.proofs import EqualityProof, RangeProof, SchnorrProof
from zhijia.voting.crypto.tally import CompensatedShare, OptionDecryption, PartialDecryption

FORMAT = "zhijia-election-record/1"


class InvalidRecord(ValueError):
    """The document is not an election record of this format."""


@dataclass(frozen=True)
class ElectionRecord:
    manifest: Manifest
    quorum: int
    trustees: tuple[TrusteePublic, ...]
    base_hash: int
    joint_key: int
    extended_hash: int
    ballots: tuple[EncryptedBallot, ...]
    decryptions: tuple[OptionDecryption, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {d.option: d.count for d in self.decryptions}


def _h(x: int) -> str:
    return format(x, "x")


def _i(s: Any) -> int:
    if not isinstance(s, str) or not s or s.strip("0123456789abcdef"):
        raise InvalidRecord(f"not a lowercase hexadecimal number: {s!r}")
    return int(s, 16)


def _ct(ct: Ciphertext) -> dict[str, str]:
    return {"alpha": _h(ct.alpha), "beta": _h(ct.beta)}


def _range(p: RangeProof) -> dict[str, list[str]]:
    return {"challenges": [_h(c) for c in p.challenges], "responses": [_h(v) for v in p.responses]}


def _eq(p: EqualityProof | SchnorrProof) -> dict[str, str]:
    return {"challenge": _h(p.challenge), "response": _h(p.response)}


def ballot_to_dict(b: EncryptedBallot) -> dict[str, Any]:
    """One ballot as the record (and the ballot box) writes it."""
    return {
        "id": b.ballot_id,
        "selections": [{**_ct(s.ciphertext), "proof": _range(s.proof)} for s in b.selections],
        "sum_proof": _range(b.sum_proof),
        "tracker": _h(b.tracker),
    }


def to_dict(record: ElectionRecord) -> dict[str, Any]:
    m = record.manifest
    return {
        "format": FORMAT,
        "group": {"p": _h(P), "q": _h(Q), "r": _h(R), "g": _h(G)},
        "manifest": {
            "poll": m.poll,
            "kind": m.kind,
            "options": list(m.options),
            "votes_allowed": m.votes_allowed,
            "placeholders": m.placeholders,
        },
        "ceremony": {
            "trustees": len(record.trustees),
            "quorum": record.quorum,
            "base_hash": _h(record.base_hash),
            "public": [
                {
                    "index": t.index,
                    "name": t.name,
                    "commitments": [_h(k) for k in t.commitments],
                    "proofs": [_eq(p) for p in t.proofs],
                }
                for t in record.trustees
            ],
        },
        "joint_key": _h(record.joint_key),
        "extended_hash": _h(record.extended_hash),
        "ballots": [ballot_to_dict(b) for b in record.ballots],
        "tally": [
            {
                "option": d.option,
                **_ct(d.ciphertext),
                "partials": [
                    {"trustee": p.trustee, "share": _h(p.share), "proof": _eq(p.proof)}
                    for p in d.partials
                ],
                "compensated": [
                    {
                        "missing": c.missing,
                        "trustee": c.trustee,
                        "share": _h(c.share),
                        "proof": _eq(c.proof),
                    }
                    for c in d.compensated
                ],
                "count": d.count,
            }
            for d in record.decryptions
        ],
        "counts": record.counts,
    }


def dumps(record: ElectionRecord) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False, indent=1)


def _range_from(d: Mapping[str, Any]) -> RangeProof:
    return RangeProof(tuple(_i(c) for c in d["challenges"]), tuple(_i(v) for v in d["responses"]))


def ballot_from_dict(b: Mapping[str, Any]) -> EncryptedBallot:
    """One ballot of the record (or as the browser sends it, ballot-crypto.js); unchecked."""
    try:
        return EncryptedBallot(
            b["id"],
            tuple(
                EncryptedSelection(
                    Ciphertext(_i(s["alpha"]), _i(s["beta"])), _range_from(s["proof"])
                )
                for s in b["selections"]
            ),
            _range_from(b["sum_proof"]),
            _i(b["tracker"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidRecord(f"malformed ballot: {exc!r}") from exc


def from_dict(doc: Mapping[str, Any]) -> ElectionRecord:
    """The record, its numbers parsed; raises InvalidRecord when the shape is wrong. Parsing
    checks no proof: verify the record (verifier/zhijia_verify.py) before trusting it."""
    try:
        if doc["format"] != FORMAT:
            raise InvalidRecord(f"unknown format {doc['format']!r}")
        group = doc["group"]
        if (_i(group["p"]), _i(group["q"]), _i(group["g"])) != (P, Q, G):
            raise InvalidRecord("not the standard group")
        m = doc["manifest"]
        manifest = Manifest(m["poll"], m["kind"], tuple(m["options"]), int(m["votes_allowed"]))
        c = doc["ceremony"]
        trustees = tuple(
            TrusteePublic(
                int(t["index"]),
                t["name"],
                tuple(_i(k) for k in t["commitments"]),
                tuple(SchnorrProof(_i(p["challenge"]), _i(p["response"])) for p in t["proofs"]),
            )
            for t in c["public"]
        )
        ballots = tuple(ballot_from_dict(b) for b in doc["ballots"])
        decryptions = tuple(
            OptionDecryption(
                d["option"],
                Ciphertext(_i(d["alpha"]), _i(d["beta"])),
                tuple(
                    PartialDecryption(
                        int(p["trustee"]),
                        _i(p["share"]),
                        EqualityProof(_i(p["proof"]["challenge"]), _i(p["proof"]["response"])),
                    )
                    for p in d["partials"]
                ),
                tuple(
                    CompensatedShare(
                        int(x["missing"]),
                        int(x["trustee"]),
                        _i(x["share"]),
                        EqualityProof(_i(x["proof"]["challenge"]), _i(x["proof"]["response"])),
                    )
                    for x in d["compensated"]
                ),
                int(d["count"]),
            )
            for d in doc["tally"]
        )
        return ElectionRecord(
            manifest,
            int(c["quorum"]),
            trustees,
            _i(c["base_hash"]),
            _i(doc["joint_key"]),
            _i(doc["extended_hash"]),
            ballots,
            decryptions,
        )
    except InvalidRecord:
        raise
    except (KeyError, TypeError, AttributeError, OverflowError, ValueError) as exc:
        raise InvalidRecord(f"malformed record: {exc!r}") from exc


def loads(text: str) -> ElectionRecord:
    return from_dict(json.loads(text))
