"""Encryption, the ballot proofs and the tracker chain (zhijia/voting/crypto)."""

from __future__ import annotations

import dataclasses

import pytest

from zhijia.voting.crypto import ballot, elgamal, proofs
from zhijia.voting.crypto.group import G, P, Q, g_pow, random_q
from zhijia.voting.tests.crypto_world import ELECTION, MOTION, key_ceremony


@pytest.fixture(scope="module")
def world():
    return key_ceremony(MOTION)


@pytest.fixture(scope="module")
def single_key():
    secret = random_q()
    return secret, g_pow(secret)


def test_encryption_round_trip(single_key):
    secret, key = single_key
    for m in (0, 1, 7):
        nonce = random_q()
        ct = elgamal.encrypt(m, nonce, key)
        assert ct.is_valid()
        assert elgamal.discrete_log(elgamal.decrypt_to_power(ct, secret), 10) == m
        # The nonce re-derives the same ciphertext and opens it.
        assert elgamal.encrypt(m, nonce, key) == ct
        assert elgamal.decrypt_with_nonce(ct, nonce, key, 10) == m
        with pytest.raises(ValueError, match="does not open"):
            elgamal.decrypt_with_nonce(ct, nonce + 1, key, 10)
    # Fresh nonces: the same vote encrypts differently.
    assert elgamal.encrypt(1, random_q(), key) != elgamal.encrypt(1, random_q(), key)


def test_homomorphic_sum(single_key):
    secret, key = single_key
    votes = [1, 0, 1, 1, 0]
    total = elgamal.add(elgamal.encrypt(v, random_q(), key) for v in votes)
    assert elgamal.discrete_log(elgamal.decrypt_to_power(total, secret), len(votes)) == 3


def test_zero_or_one_proofs_verify(single_key):
    _, key = single_key
    qbar = random_q()
    for m in (0, 1):
        nonce = random_q()
        ct = elgamal.encrypt(m, nonce, key)
        proof = proofs.prove_range(ct, nonce, m, (0, 1), key, qbar)
        assert proofs.verify_range(ct, proof, (0, 1), key, qbar)


def test_a_proof_for_two_does_not_verify(single_key):
    _, key = single_key
    qbar = random_q()
    nonce = random_q()
    two = elgamal.encrypt(2, nonce, key)
    with pytest.raises(ValueError):
        proofs.prove_range(two, nonce, 2, (0, 1), key, qbar)
    # A cheating prover runs the honest algorithm claiming either branch: it fails.
    for claimed in (0, 1):
        forged = proofs.prove_range(two, nonce, claimed, (0, 1), key, qbar)
        assert not proofs.verify_range(two, forged, (0, 1), key, qbar)
    # An honest proof that it is 2 does not pass for "0 or 1".
    honest = proofs.prove_range(two, nonce, 2, (2,), key, qbar)
    assert proofs.verify_range(two, honest, (2,), key, qbar)
    assert not proofs.verify_range(two, honest, (0, 1), key, qbar)


def test_forged_proofs_are_rejected(single_key):
    _, key = single_key
    qbar = random_q()
    nonce = random_q()
    ct = elgamal.encrypt(1, nonce, key)
    proof = proofs.prove_range(ct, nonce, 1, (0, 1), key, qbar)
    c0, c1 = proof.challenges
    v0, v1 = proof.responses
    forgeries = [
        proofs.RangeProof((c0, c1), (v0, (v1 + 1) % Q)),  # a response changed
        proofs.RangeProof(((c0 + 1) % Q, (c1 - 1) % Q), (v0, v1)),  # challenges shifted
        proofs.RangeProof((c1, c0), (v1, v0)),  # branches swapped
        proofs.RangeProof((c0, c1 + Q), (v0, v1)),  # out of range
        proofs.RangeProof((c0,), (v0,)),  # truncated
    ]
    for forged in forgeries:
        assert not proofs.verify_range(ct, forged, (0, 1), key, qbar)
    # The proof is bound to its ciphertext, its key and its election.
    other = elgamal.encrypt(1, random_q(), key)
    assert not proofs.verify_range(other, proof, (0, 1), key, qbar)
    assert not proofs.verify_range(ct, proof, (0, 1), key, (qbar + 1) % Q)
    # A ciphertext outside the subgroup is refused whatever the proof.
    outside = elgamal.Ciphertext(P - 1, ct.beta)
    assert not proofs.verify_range(outside, proof, (0, 1), key, qbar)


def test_equality_and_schnorr_proofs():
    secret, base, qbar = random_q(), g_pow(random_q()), random_q()
    result, proof = proofs.prove_equality(secret, base, qbar, (b"ctx",))
    assert result == pow(base, secret, P)
    assert proofs.verify_equality(g_pow(secret), base, result, proof, qbar, (b"ctx",))
    assert not proofs.verify_equality(g_pow(secret), base, result, proof, qbar, (b"other",))
    assert not proofs.verify_equality(g_pow(secret), base, result * G % P, proof, qbar, (b"ctx",))
    schnorr = proofs.prove_schnorr(secret, qbar)
    assert proofs.verify_schnorr(g_pow(secret), schnorr, qbar)
    assert not proofs.verify_schnorr(g_pow(secret + 1), schnorr, qbar)


def test_motion_ballot_verifies_and_reopens(world):
    master = random_q()
    b = ballot.encrypt_ballot(
        MOTION,
        ("no",),
        ballot_id="b1",
        master_nonce=master,
        key=world.key,
        qbar=world.qbar,
        previous_tracker=ballot.first_tracker(world.qbar),
    )
    assert len(b.selections) == 3
    assert ballot.verify_ballot(MOTION, b, world.key, world.qbar)
    assert ballot.open_ballot(MOTION, b, master, world.key) == ("no",)
    with pytest.raises(ballot.InvalidBallot):
        MOTION.plaintext(("yes", "no"))
    with pytest.raises(ballot.InvalidBallot):
        MOTION.plaintext(())


def test_manifests_are_checked():
    with pytest.raises(ballot.InvalidBallot):
        ballot.Manifest("p", ballot.YES_NO_ABSTAIN, ("yes", "no", "abstain"), 2)
    with pytest.raises(ballot.InvalidBallot):
        ballot.Manifest("p", ballot.APPROVAL, ("c1", "c2"), 3)
    with pytest.raises(ballot.InvalidBallot):
        ballot.Manifest("p", ballot.APPROVAL, ("c1", "c1"), 1)
    with pytest.raises(ballot.InvalidBallot):
        ballot.Manifest("p", "ranked", ("c1", "c2"), 1)


def test_election_ballot_placeholders():
    world = key_ceremony(ELECTION, n=2, k=2)
    assert ELECTION.plaintext(("c2",)) == (0, 1, 0, 0, 1, 0)
    assert ELECTION.plaintext(()) == (0, 0, 0, 0, 1, 1)
    assert ELECTION.plaintext(("c1", "c4")) == (1, 0, 0, 1, 0, 0)
    with pytest.raises(ballot.InvalidBallot):
        ELECTION.plaintext(("c1", "c2", "c3"))
    for choice in [(), ("c3",), ("c1", "c4")]:
        b = world.cast(choice)
        assert len(b.selections) == 6
        assert ballot.verify_ballot(ELECTION, b, world.key, world.qbar)


def test_overvote_fails_the_sum_proof(world):
    # Every selection 0 or 1 with a valid proof, but two marked on a motion: the sum proof
    # cannot be made honestly, and a proof claiming 1 does not verify.
    key, qbar = world.key, world.qbar
    nonces = [random_q() for _ in range(3)]
    selections = []
    for vote, nonce in zip((1, 1, 0), nonces, strict=True):
        ct = elgamal.encrypt(vote, nonce, key)
        selections.append(
            ballot.EncryptedSelection(ct, proofs.prove_range(ct, nonce, vote, (0, 1), key, qbar))
        )
    total = elgamal.add(s.ciphertext for s in selections)
    forged_sum = proofs.prove_range(total, sum(nonces), 1, (1,), key, qbar)
    overvote = ballot.EncryptedBallot("x", tuple(selections), forged_sum, 0)
    assert not ballot.verify_ballot(MOTION, overvote, key, qbar)


def test_tracker_chain_detects_any_change(world):
    w = key_ceremony(MOTION, n=1, k=1)
    for choice in [("yes",), ("no",), ("abstain",), ("yes",)]:
        w.cast(choice)
    assert ballot.verify_trackers(w.ballots, w.qbar) is None
    swapped = [w.ballots[0], w.ballots[2], w.ballots[1], w.ballots[3]]
    assert ballot.verify_trackers(swapped, w.qbar) == 1
    assert ballot.verify_trackers(w.ballots[1:], w.qbar) == 0
    altered = dataclasses.replace(w.ballots[2], ballot_id="other")
    assert ballot.verify_trackers([*w.ballots[:2], altered, w.ballots[3]], w.qbar) == 2
    # Trackers of another election never chain.
    assert ballot.verify_trackers(w.ballots, world.qbar) == 0


def test_copied_ballots_are_found():
    """By their fingerprints, as the cast finds them (voting.CastFingerprint's index)."""
    w = key_ceremony(MOTION, n=1, k=1)
    for choice in [("yes",), ("no",), ("yes",)]:
        w.cast(choice)
    cast: set[str] = set()
    for b in w.ballots:
        mine = ballot.fingerprints(b)
        assert len(set(mine)) == len(mine) and not cast.intersection(mine)
        cast.update(mine)
    copy = dataclasses.replace(w.ballots[0], ballot_id="copy")
    # The copy's proofs are valid: only the repeat gives it away.
    assert ballot.verify_ballot(MOTION, copy, w.key, w.qbar)
    assert cast.intersection(ballot.fingerprints(copy))
    assert set(ballot.fingerprints(w.ballots[1])) <= cast
