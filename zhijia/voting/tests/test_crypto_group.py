"""The group, the arithmetic and the hash of the encrypted ballots (zhijia/voting/crypto)."""

from __future__ import annotations

import subprocess
import sys

from zhijia.voting.crypto import group
from zhijia.voting.crypto.group import G, P, Q, R


def test_crypto_imports_no_django():
    code = (
        "import sys, zhijia.voting.crypto.record, zhijia.voting.crypto.tally;"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_standard_group_shape():
    # The ElectionGuard standard parameters: q = 2^256 - 189, p of 4096 bits whose first and
    # last 256 bits are ones, r = (p - 1) / q, g = 2^r mod p.
    assert Q == 2**256 - 189
    assert P.bit_length() == 4096
    assert P >> (4096 - 256) == 2**256 - 1
    assert P % 2**256 == 2**256 - 1
    assert (P - 1) % Q == 0 and R == (P - 1) // Q
    assert pow(2, R, P) == G


def test_p_and_q_are_prime():
    assert group.is_probable_prime(Q, rounds=16)
    assert group.is_probable_prime(P, rounds=8)
    assert not group.is_probable_prime(P - 2)  # odd, composite
    assert not group.is_probable_prime(Q * 3)
    assert not group.is_probable_prime(561)  # a Carmichael number


def test_g_has_order_q():
    assert G != 1
    assert pow(G, Q, P) == 1  # the order divides q, a prime, and g != 1: it is q
    assert group.in_group(G)
    assert not group.in_group(P - 1)  # -1 has order 2
    assert not group.in_group(0) and not group.in_group(P)


def test_gmpy2_and_pow_agree():
    x = group.random_q()
    assert group.powmod(G, x) == pow(G, x, P)
    assert group.g_pow(x) == pow(G, x, P)
    assert group.powmod(3, x, 1009) == pow(3, x, 1009)
    assert isinstance(group.powmod(G, x), int)
    # The constant-time variant for secret exponents gives the same values.
    assert group.powmod_secret(G, x) == pow(G, x, P) == group.g_pow_secret(x)
    assert group.powmod_secret(G, 0) == 1
    assert group.powmod_secret(G, Q + 1) == G  # g^(m + q) = g^m: how a vote is encoded
    assert isinstance(group.powmod_secret(G, x), int)


def test_a_fixed_base_table_gives_the_exponentiation():
    """FixedBase (g and a poll's joint key at every cast) equals pow for every kind of public
    exponent: zero, one, a digit boundary, q - 1, random ones, and exponents taken mod q."""
    key = group.g_pow_secret(group.random_q())
    for base in (G, key):
        table = group.FixedBase(base)
        for e in (0, 1, 255, 256, 257, 2**255, Q - 1, *(group.random_q() for _ in range(20))):
            assert table.pow(e) == pow(base, e, P), e
        assert table.pow(Q) == 1 and table.pow(Q + 5) == pow(base, 5, P)
        assert isinstance(table.pow(7), int)
    assert group.fixed_base(G) is group.fixed_base(G)  # one table per process


def test_without_gmpy2_python_pow_does_the_same():
    # In a fresh interpreter where gmpy2 cannot be imported: a ballot is encrypted, proved
    # and verified with Python's pow alone.
    code = """
import sys
sys.modules["gmpy2"] = None
from zhijia.voting.crypto import group, ballot
from zhijia.voting.crypto.group import g_pow, random_q
assert not group._HAS_GMPY2
key, qbar = g_pow(random_q()), random_q()
m = ballot.Manifest("p", ballot.YES_NO_ABSTAIN, ("yes", "no", "abstain"), 1)
b = ballot.encrypt_ballot(m, ("no",), ballot_id="b", master_nonce=random_q(), key=key,
                          qbar=qbar, previous_tracker=ballot.first_tracker(qbar))
assert ballot.verify_ballot(m, b, key, qbar)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_hash_encoding_is_length_prefixed_and_fixed_width():
    h = group.hash_parts
    assert h(b"ab", b"c") != h(b"a", b"bc")
    assert 0 <= h(b"x") < Q
    assert len(group.p_bytes(P - 1)) == 512
    assert len(group.q_bytes(Q - 1)) == 32
    # Pinned: SHA-256 of 00000006 "zhijia" 00000004 00000001, mod q (docs/voting.md).
    digest = "e59e9f27a4cb9dfe9210a37b005d525881a439bef860be3b056e4e031b20b9eb"
    assert h(group.text_bytes("zhijia"), group.int_bytes(1)) == int(digest, 16)
