"""Encrypted ballots, their proofs and the tracker chain of the public ballot box. No Django.

A ballot is one ciphertext per option (1 marked, 0 not) followed by placeholder selections:

  yes_no_abstain  three options, exactly one marked: no placeholder, the selections sum to 1;
  approval        n candidates, at most `seats` marked: `seats` placeholders, of which as many
                  are set to 1 as there are unmarked seats, so that all selections sum to
                  exactly `seats` (the ElectionGuard specification's placeholder selections).

Each selection carries a `RangeProof` that it is 0 or 1, the ballot a `RangeProof` that the
product of all its selections encrypts exactly `votes_allowed`. The placeholders are not
tallied.

The nonce of selection i is derived from the ballot's master nonce,
xi_i = H("zhijia/v1/nonce", master, ballot id, i) (never 0), so that a voter's device that keeps
the master nonce can re-derive and open every selection of a challenged ballot
(`open_ballot`).

Trackers (the voter's receipt) are a hash chain over the ballot box in casting order:

    T_0 = H("zhijia/v1/tracker-start", Qbar)
    T_i = H("zhijia/v1/tracker", T_(i-1), H_ballot(B_i))

where H_ballot hashes the ballot id, every selection's alpha, beta, challenges and responses,
and the sum proof (`ballot_hash`). Removing, inserting, reordering or altering a ballot breaks
every later tracker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from zhijia.voting.crypto.elgamal import Ciphertext, add, decrypt_with_nonce, encrypt
from zhijia.voting.crypto.group import (
    hash_parts,
    int_bytes,
    p_bytes,
    q_bytes,
    text_bytes,
)
from zhijia.voting.crypto.proofs import RangeProof, prove_range, verify_range

YES_NO_ABSTAIN = "yes_no_abstain"
APPROVAL = "approval"
SELECTION_VALUES = (0, 1)

TAG_NONCE = "zhijia/v1/nonce"
TAG_BALLOT = "zhijia/v1/ballot"
TAG_TRACKER_START = "zhijia/v1/tracker-start"
TAG_TRACKER = "zhijia/v1/tracker"


class InvalidBallot(ValueError):
    """The manifest is not a valid poll, or the plaintext choice does not fit it."""


@dataclass(frozen=True)
class Manifest:
    """What is voted on: the poll's identifier, its kind, its option keys in order, and how
    many may be marked (1 for a motion, the seats for an election)."""

    poll: str
    kind: str
    options: tuple[str, ...]
    votes_allowed: int

    def __post_init__(self) -> None:
        if not self.options or len(set(self.options)) != len(self.options):
            raise InvalidBallot("options empty or repeated")
        if self.kind == YES_NO_ABSTAIN:
            if self.votes_allowed != 1:
                raise InvalidBallot("a motion allows exactly one vote")
        elif self.kind == APPROVAL:
            if not 1 <= self.votes_allowed <= len(self.options):
                raise InvalidBallot("seats out of range")
        else:
            raise InvalidBallot("unknown kind")

    @property
    def placeholders(self) -> int:
        return self.votes_allowed if self.kind == APPROVAL else 0

    @property
    def width(self) -> int:
        """Selections on a ballot, placeholders included."""
        return len(self.options) + self.placeholders

    def plaintext(self, choice: Sequence[str]) -> tuple[int, ...]:
        """The 0/1 vector of a choice (option keys), placeholders filled to sum votes_allowed."""
        marked = set(choice)
        if len(marked) != len(choice) or not marked <= set(self.options):
            raise InvalidBallot("unknown or repeated option")
        if self.kind == YES_NO_ABSTAIN and len(marked) != 1:
            raise InvalidBallot("a motion takes exactly one of its options")
        if self.kind == APPROVAL and len(marked) > self.votes_allowed:
            raise InvalidBallot("more candidates marked than seats")
        votes = tuple(1 if o in marked else 0 for o in self.options)
        fill = self.votes_allowed - len(marked)
        return votes + tuple(1 if i < fill else 0 for i in range(self.placeholders))


@dataclass(frozen=True)
class EncryptedSelection:
    ciphertext: Ciphertext
    proof: RangeProof


@dataclass(frozen=True)
class EncryptedBallot:
    ballot_id: str
    selections: tuple[EncryptedSelection, ...]
    sum_proof: RangeProof
    tracker: int


def selection_nonce(master: int, ballot_id: str, i: int) -> int:
    """xi_i, re-derivable from the ballot's master nonce (1 <= xi_i < q)."""
    nonce = hash_parts(text_bytes(TAG_NONCE), q_bytes(master), text_bytes(ballot_id), int_bytes(i))
    return nonce or 1


def ballot_hash(
    ballot_id: str, selections: Sequence[EncryptedSelection], sum_proof: RangeProof
) -> int:
    parts = [text_bytes(TAG_BALLOT), text_bytes(ballot_id), int_bytes(len(selections))]
    for s in selections:
        parts += [p_bytes(s.ciphertext.alpha), p_bytes(s.ciphertext.beta)]
        parts += [q_bytes(x) for x in (*s.proof.challenges, *s.proof.responses)]
    parts += [q_bytes(x) for x in (*sum_proof.challenges, *sum_proof.responses)]
    return hash_parts(*parts)


def first_tracker(qbar: int) -> int:
    return hash_parts(text_bytes(TAG_TRACKER_START), q_bytes(qbar))


def next_tracker(previous: int, ballot_digest: int) -> int:
    return hash_parts(text_bytes(TAG_TRACKER), q_bytes(previous), q_bytes(ballot_digest))


def encrypt_ballot(
    manifest: Manifest,
    choice: Sequence[str],
    *,
    ballot_id: str,
    master_nonce: int,
    key: int,
    qbar: int,
    previous_tracker: int,
) -> EncryptedBallot:
    """Encrypt a choice with its proofs and chain it after `previous_tracker`."""
    votes = manifest.plaintext(choice)
    nonces = [selection_nonce(master_nonce, ballot_id, i) for i in range(len(votes))]
    selections = []
    for vote, nonce in zip(votes, nonces, strict=True):
        ct = encrypt(vote, nonce, key)
        selections.append(
            EncryptedSelection(ct, prove_range(ct, nonce, vote, SELECTION_VALUES, key, qbar))
        )
    total = add(s.ciphertext for s in selections)
    sum_proof = prove_range(
        total, sum(nonces), manifest.votes_allowed, (manifest.votes_allowed,), key, qbar
    )
    digest = ballot_hash(ballot_id, selections, sum_proof)
    return EncryptedBallot(
        ballot_id, tuple(selections), sum_proof, next_tracker(previous_tracker, digest)
    )


def verify_ballot(manifest: Manifest, ballot: EncryptedBallot, key: int, qbar: int) -> bool:
    """Every selection is 0 or 1 and they sum to votes_allowed (the tracker is checked by
    `verify_trackers`)."""
    if len(ballot.selections) != manifest.width:
        return False
    if not all(
        verify_range(s.ciphertext, s.proof, SELECTION_VALUES, key, qbar) for s in ballot.selections
    ):
        return False
    total = add(s.ciphertext for s in ballot.selections)
    return verify_range(total, ballot.sum_proof, (manifest.votes_allowed,), key, qbar)


def verify_trackers(ballots: Sequence[EncryptedBallot], qbar: int) -> int | None:
    """The position of the first ballot whose tracker breaks the chain, None when all hold."""
    tracker = first_tracker(qbar)
    for position, ballot in enumerate(ballots):
        tracker = next_tracker(
            tracker, ballot_hash(ballot.ballot_id, ballot.selections, ballot.sum_proof)
        )
        if ballot.tracker != tracker:
            return position
    return None


def fingerprints(ballot: EncryptedBallot) -> list[str]:
    """What no other ballot of the poll may repeat, as digests: its id and each selection's
    ciphertext. A copy of a cast ballot carries valid proofs, so only a repeat finds ballots
    stuffed by copying (fresh nonces make one by chance about 2^-256 likely). Kept per poll
    under a unique index while it is open (voting.CastFingerprint): a cast whose digests
    repeat each other or an earlier ballot's is refused without reading the box."""
    parts = [b"id:" + text_bytes(ballot.ballot_id)]
    parts += [b"alpha:" + p_bytes(s.ciphertext.alpha) for s in ballot.selections]
    return [hashlib.sha256(part).hexdigest() for part in parts]


def open_ballot(
    manifest: Manifest, ballot: EncryptedBallot, master_nonce: int, key: int
) -> tuple[str, ...]:
    """The choice in a challenged ballot, re-derived from its master nonce (the voter's check
    that the device encrypted what was marked; a challenged ballot is not cast)."""
    votes = [
        decrypt_with_nonce(s.ciphertext, selection_nonce(master_nonce, ballot.ballot_id, i), key, 1)
        for i, s in enumerate(ballot.selections)
    ]
    return tuple(o for o, v in zip(manifest.options, votes, strict=False) if v == 1)
