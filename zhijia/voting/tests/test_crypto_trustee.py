"""zhijia/voting/crypto/trustee.py: the documents a trustee exchanges with the server, checked
the way the server checks them. No database: 3 trustees, k = 2, one tallied ciphertext."""

from __future__ import annotations

import json

import pytest

from zhijia.voting.crypto import ceremony, trustee
from zhijia.voting.crypto.elgamal import encrypt
from zhijia.voting.crypto.group import random_q

N, K = 3, 2


@pytest.fixture(scope="module")
def world():
    base = ceremony.base_hash(
        poll="p",
        kind="yes_no_abstain",
        options=("yes", "no", "abstain"),
        votes_allowed=1,
        trustees=N,
        quorum=K,
    )
    made = [trustee.keygen(i, K, base) for i in range(1, N + 1)]
    keys = [json.loads(json.dumps(k)) for k, _ in made]  # through JSON, as the files travel
    publics = [trustee.public_from_dict(json.loads(json.dumps(p)))[0] for _, p in made]
    assert all(ceremony.verify_trustee(p, K, base) for p in publics)
    secrets_ = [trustee.key_from_dict(k)[0] for k in keys]
    sealed = []
    for s in secrets_:
        doc = json.loads(json.dumps(trustee.seal_shares(s, publics, base)))
        sealed += trustee.sealed_shares_from_dict(
            doc, sender=s.index, trustees=[1, 2, 3], base=base
        )
    joint = ceremony.joint_key(publics)
    qbar = ceremony.extended_hash(base, joint)
    return base, secrets_, publics, sealed, joint, qbar


def test_two_of_three_decrypt_with_the_third_compensated(world):
    base, secrets_, publics, sealed, joint, qbar = world
    tally = [("yes", encrypt(4, random_q(), joint)), ("no", encrypt(1, random_q(), joint))]
    posted = {}
    for s in (secrets_[0], secrets_[2]):
        received = trustee.open_shares(s, sealed, publics, base)
        doc = json.loads(json.dumps(trustee.decrypt_for_tally(s, tally, received, [1, 2, 3], qbar)))
        parsed = trustee.decryption_from_dict(doc, trustee=s.index, options=["yes", "no"])
        assert trustee.verify_decryption(parsed, tally, publics, qbar)
        posted[s.index] = parsed
    decrypted = trustee.combine_tally(tally, posted, [1, 2, 3], bound=10)
    assert {d.option: d.count for d in decrypted} == {"yes": 4, "no": 1}
    assert {c.missing for d in decrypted for c in d.compensated} == {2}

    # A partial decryption that is not the trustee's own fails its proof.
    forged = dict(posted[1])
    p, comps = forged["yes"]
    forged["yes"] = (type(p)(p.trustee, p.share * 2 % (2**4096), p.proof), comps)
    assert not trustee.verify_decryption(forged, tally, publics, qbar)


def test_a_share_that_does_not_fit_names_its_sender(world):
    base, secrets_, publics, sealed, _joint, _qbar = world
    me = secrets_[0]
    wrong = ceremony.TrusteeSecret(2, tuple(random_q() for _ in range(K)))  # not trustee 2's
    forged = [s for s in sealed if s.sender != 2] + [
        ceremony.encrypt_share(wrong, publics[0], base)
    ]
    with pytest.raises(trustee.BadShares) as refused:
        trustee.open_shares(me, forged, publics, base)
    assert refused.value.senders == [2]
    # The check document complains about the sender (and reads back as the server reads it).
    check = trustee.check_document(me, forged, publics, base)
    assert check["complaints"] == [2]
    assert trustee.check_from_dict(check, trustee=1, trustees=[1, 2, 3], base=base) == [2]
    fine = trustee.check_document(me, sealed, publics, base)
    assert trustee.check_from_dict(fine, trustee=1, trustees=[1, 2, 3], base=base) == []
    with pytest.raises(trustee.BadDocument):  # a complaint about oneself
        trustee.check_from_dict(
            {**check, "complaints": [1]}, trustee=1, trustees=[1, 2, 3], base=base
        )
    with pytest.raises(trustee.BadDocument):  # another trustee's check
        trustee.check_from_dict(check, trustee=2, trustees=[1, 2, 3], base=base)


def test_documents_of_another_ceremony_or_shape_are_refused(world):
    base, secrets_, publics, _sealed, _joint, _qbar = world
    doc = trustee.seal_shares(secrets_[0], publics, base)
    with pytest.raises(trustee.BadDocument):
        trustee.sealed_shares_from_dict(doc, sender=1, trustees=[1, 2, 3], base=base + 1)
    with pytest.raises(trustee.BadDocument):  # a share missing
        trustee.sealed_shares_from_dict(
            {**doc, "shares": doc["shares"][:1]}, sender=1, trustees=[1, 2, 3], base=base
        )
    with pytest.raises(trustee.BadDocument):
        trustee.public_from_dict({"format": "zhijia-trustee-public/1", "index": 1})
    with pytest.raises(trustee.BadDocument):
        trustee.key_from_dict([])
