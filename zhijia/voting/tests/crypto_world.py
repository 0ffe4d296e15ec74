"""A whole encrypted election in one process, for the tests only: the trustees' secrets are
all here, which a real ceremony never allows."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from zhijia.voting.crypto import ballot, ceremony, tally
from zhijia.voting.crypto.group import random_q
from zhijia.voting.crypto.record import ElectionRecord

MOTION = ballot.Manifest("poll-motion", ballot.YES_NO_ABSTAIN, ("yes", "no", "abstain"), 1)
ELECTION = ballot.Manifest("poll-election", ballot.APPROVAL, ("c1", "c2", "c3", "c4"), 2)


@dataclass
class World:
    manifest: ballot.Manifest
    quorum: int
    base: int
    secrets: list[ceremony.TrusteeSecret]
    publics: list[ceremony.TrusteePublic]
    received: dict[tuple[int, int], int]
    key: int
    qbar: int
    ballots: list[ballot.EncryptedBallot]

    def cast(self, choice: Sequence[str]) -> ballot.EncryptedBallot:
        previous = self.ballots[-1].tracker if self.ballots else ballot.first_tracker(self.qbar)
        b = ballot.encrypt_ballot(
            self.manifest,
            choice,
            ballot_id=secrets.token_hex(8),
            master_nonce=random_q(),
            key=self.key,
            qbar=self.qbar,
            previous_tracker=previous,
        )
        self.ballots.append(b)
        return b

    def decrypt(self, absent: Sequence[int] = ()) -> tuple[tally.OptionDecryption, ...]:
        return tally.decrypt_tally(
            self.manifest,
            self.ballots,
            present=[s for s in self.secrets if s.index not in absent],
            received=self.received,
            trustees=[t.index for t in self.publics],
            quorum=self.quorum,
            qbar=self.qbar,
        )

    def record(self, absent: Sequence[int] = ()) -> ElectionRecord:
        return ElectionRecord(
            self.manifest,
            self.quorum,
            tuple(self.publics),
            self.base,
            self.key,
            self.qbar,
            tuple(self.ballots),
            self.decrypt(absent),
        )


def key_ceremony(manifest: ballot.Manifest, n: int = 3, k: int = 2) -> World:
    base = ceremony.base_hash(
        poll=manifest.poll,
        kind=manifest.kind,
        options=manifest.options,
        votes_allowed=manifest.votes_allowed,
        trustees=n,
        quorum=k,
    )
    made = [ceremony.make_trustee(i, f"监票人{i}", k, base) for i in range(1, n + 1)]
    secret_list = [s for s, _ in made]
    publics = [p for _, p in made]
    received = {
        (s.index, ell): ceremony.share_for(s, ell)
        for s in secret_list
        for ell in range(1, n + 1)
        if ell != s.index
    }
    assert ceremony.check_shares(publics, received) == []
    key = ceremony.joint_key(publics)
    qbar = ceremony.extended_hash(base, key)
    return World(manifest, k, base, secret_list, publics, received, key, qbar, [])


def election(
    manifest: ballot.Manifest,
    choices: Sequence[Sequence[str]],
    *,
    n: int = 3,
    k: int = 2,
    absent: Sequence[int] = (),
) -> tuple[World, ElectionRecord]:
    world = key_ceremony(manifest, n, k)
    for choice in choices:
        world.cast(choice)
    return world, world.record(absent)
