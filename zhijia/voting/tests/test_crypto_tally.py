"""The key ceremony, the homomorphic tally and its k-of-n decryption (zhijia/voting/crypto)."""

from __future__ import annotations

import dataclasses
import random

import pytest

from zhijia.voting import rules
from zhijia.voting.crypto import ceremony, record, tally
from zhijia.voting.crypto.group import G, P, Q, g_pow
from zhijia.voting.crypto.proofs import EqualityProof, SchnorrProof
from zhijia.voting.tests.crypto_world import ELECTION, MOTION, election, key_ceremony

MOTION_CHOICES = [("yes",)] * 6 + [("no",)] * 4 + [("abstain",)] * 2


@pytest.fixture(scope="module")
def motion():
    """3 trustees, k = 2, 12 ballots in a random order."""
    choices = list(MOTION_CHOICES)
    random.shuffle(choices)
    world, _ = election(MOTION, choices)
    return world, choices


def test_ceremony_shares_and_joint_key():
    world = key_ceremony(MOTION, n=4, k=3)
    assert all(ceremony.verify_trustee(t, 3, world.base) for t in world.publics)
    # The joint key's secret is the sum of the trustees' constant terms: nobody holds it,
    # but it is what the shares interpolate to.
    joint_secret = sum(s.secret_key for s in world.secrets) % Q
    assert world.key == g_pow(joint_secret)
    shares = {ell: sum(world.received.get((i, ell), 0) for i in range(1, 5)) for ell in (1, 2, 4)}
    for s in world.secrets:
        if s.index in shares:
            shares[s.index] = (shares[s.index] + ceremony.share_for(s, s.index)) % Q
    interpolated = (
        sum(shares[ell] * tally.lagrange_at_zero(sorted(shares), ell) for ell in shares) % Q
    )
    assert interpolated == joint_secret


def test_a_trustee_secret_never_shows_in_its_repr():
    world = key_ceremony(MOTION, n=1, k=2)
    secret = world.secrets[0]
    assert format(secret.secret_key) not in repr(secret)
    assert str(secret.coefficients[1]) not in repr(secret)


def test_ceremony_detects_a_bad_share():
    world = key_ceremony(MOTION, n=3, k=2)
    received = dict(world.received)
    received[(2, 3)] = (received[(2, 3)] + 1) % Q
    assert ceremony.check_shares(world.publics, received) == [ceremony.ShareComplaint(2, 3)]
    del received[(1, 2)]
    assert ceremony.ShareComplaint(1, 2) in ceremony.check_shares(world.publics, received)


def test_shares_travel_encrypted_to_their_recipient():
    world = key_ceremony(MOTION, n=3, k=2)
    s1, s2, s3 = world.secrets
    t2 = world.publics[1]
    sealed = ceremony.encrypt_share(s1, t2, world.base)
    assert sealed.data != ceremony.share_for(s1, 2).to_bytes(32, "big")
    share = ceremony.decrypt_share(sealed, s2, world.base)
    assert share == ceremony.share_for(s1, 2)
    assert ceremony.verify_share(world.publics[0], 2, share)
    # Another trustee, an altered message, another election, a pad outside the group: refused.
    assert ceremony.decrypt_share(dataclasses.replace(sealed, recipient=3), s3, world.base) is None
    flipped = bytes([sealed.data[0] ^ 1]) + sealed.data[1:]
    assert ceremony.decrypt_share(dataclasses.replace(sealed, data=flipped), s2, world.base) is None
    assert ceremony.decrypt_share(sealed, s2, (world.base + 1) % Q) is None
    assert ceremony.decrypt_share(dataclasses.replace(sealed, pad=P - 1), s2, world.base) is None


def test_ceremony_rejects_forged_commitment_proofs():
    world = key_ceremony(MOTION, n=3, k=2)
    t = world.publics[0]
    forged = dataclasses.replace(t, proofs=(t.proofs[0], SchnorrProof(1, 1)))
    assert not ceremony.verify_trustee(forged, 2, world.base)
    # A commitment replaced (by one whose secret the trustee cannot prove) fails.
    swapped = dataclasses.replace(t, commitments=(t.commitments[0], g_pow(5)))
    assert not ceremony.verify_trustee(swapped, 2, world.base)
    # Another trustee's proofs are bound to its index.
    other = world.publics[1]
    assert not ceremony.verify_trustee(dataclasses.replace(other, index=t.index), 2, world.base)
    # Proofs made for another election do not carry over.
    assert not ceremony.verify_trustee(t, 2, (world.base + 1) % Q)
    assert not ceremony.verify_trustee(t, 3, world.base)


def test_tally_equals_the_plain_count_with_one_trustee_absent(motion):
    world, choices = motion
    plain = rules.tally(rules.YES_NO_ABSTAIN, choices, options=rules.YNA_OPTIONS, seats=1)
    for absent in (1, 2, 3):
        decryptions = world.decrypt(absent=(absent,))
        assert {d.option: d.count for d in decryptions} == plain.counts
        for d in decryptions:
            assert [p.trustee for p in d.partials] == [i for i in (1, 2, 3) if i != absent]
            assert {c.missing for c in d.compensated} == {absent}
            assert tally.verify_option(d, world.publics, 2, world.qbar, len(world.ballots))


def test_all_present_and_too_few(motion):
    world, _ = motion
    assert {d.option: d.count for d in world.decrypt()} == {"yes": 6, "no": 4, "abstain": 2}
    with pytest.raises(tally.NotEnoughTrustees):
        world.decrypt(absent=(1, 3))


def test_election_tally_matches_rules():
    choices = [("c1", "c2"), ("c3",), (), ("c1",), ("c2", "c4"), ("c1", "c4")]
    world, rec = election(ELECTION, choices, n=3, k=2, absent=(2,))
    plain = rules.tally(rules.APPROVAL, choices, options=ELECTION.options, seats=2)
    assert rec.counts == plain.counts == {"c1": 3, "c2": 2, "c3": 1, "c4": 2}


def test_decryption_proofs_are_checked(motion):
    world, _ = motion
    d = world.decrypt(absent=(3,))[0]
    verify = tally.verify_option
    n = len(world.ballots)
    lie = dataclasses.replace(d, count=d.count + 1)
    assert not verify(lie, world.publics, 2, world.qbar, n)
    p = d.partials[0]
    bad_partial = dataclasses.replace(p, share=p.share * G % P)
    assert not verify(
        dataclasses.replace(d, partials=(bad_partial, d.partials[1])),
        world.publics,
        2,
        world.qbar,
        n,
    )
    c = d.compensated[0]
    bad_comp = dataclasses.replace(
        c, proof=EqualityProof(c.proof.challenge, (c.proof.response + 1) % Q)
    )
    assert not verify(
        dataclasses.replace(d, compensated=(bad_comp, d.compensated[1])),
        world.publics,
        2,
        world.qbar,
        n,
    )
    # Only one present trustee's compensation: the quorum is not there.
    alone = dataclasses.replace(d, partials=d.partials[:1], compensated=d.compensated[:1])
    assert not verify(alone, world.publics, 2, world.qbar, n)


def test_record_round_trip(motion):
    world, _ = motion
    rec = world.record(absent=(2,))
    text = record.dumps(rec)
    assert record.loads(text) == rec
    doc = record.to_dict(rec)
    assert doc["format"] == record.FORMAT
    assert doc["counts"] == {"yes": 6, "no": 4, "abstain": 2}
    doc["group"]["g"] = format(G * G % P, "x")
    with pytest.raises(record.InvalidRecord):
        record.from_dict(doc)
    with pytest.raises(record.InvalidRecord):
        record.from_dict({"format": record.FORMAT})


def test_five_trustees_three_needed_two_absent():
    # Present {1, 3, 4}: the interpolation runs over indices that are not 1..k.
    world, rec = election(MOTION, [("no",), ("yes",), ("no",)], n=5, k=3, absent=(2, 5))
    assert rec.counts == {"yes": 1, "no": 2, "abstain": 0}
    for d in rec.decryptions:
        assert sorted({c.missing for c in d.compensated}) == [2, 5]
        assert tally.verify_option(d, world.publics, 3, world.qbar, 3)
    with pytest.raises(tally.NotEnoughTrustees):
        world.decrypt(absent=(1, 2, 5))
