"""Zero-knowledge proofs of the encrypted ballots and of the decryption. No Django.

All are non-interactive (Fiat-Shamir with the hash H of `group.py`) and are stored as their
challenges and responses only; the verifier recomputes the commitments from them (as the
ElectionGuard specification 2.0 does) and checks that the challenges hash back.

`RangeProof` (disjunctive Chaum-Pedersen): the ciphertext (alpha, beta) = (g^xi, K^xi g^m)
encrypts one of the listed values. For each value j the verifier recomputes

    a_j = g^(v_j) * alpha^(-c_j)         b_j = K^(v_j) * (beta / g^j)^(-c_j)

and checks that the sum of the c_j is H(tag, Qbar, values, alpha, beta, a_0, b_0, a_1, b_1, ...)
mod q. With the values (0, 1) it proves that a selection is 0 or 1; with the one value (L) it
proves that a ballot's selections (placeholders included) sum to exactly L.

`EqualityProof` (Chaum-Pedersen): log_g(X) = log_A(M), i.e. a trustee's share M = A^s of a
decryption uses the secret s behind its public X = g^s. The verifier recomputes
a = g^v X^(-c), b = A^v M^(-c) and checks c = H(tag, Qbar, X, A, M, a, b, context...).

`SchnorrProof`: knowledge of a with X = g^a (a trustee's polynomial coefficient); the verifier
recomputes h = g^v X^(-c) and checks c = H(tag, base hash, X, h, context...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zhijia.voting.crypto.elgamal import Ciphertext
from zhijia.voting.crypto.group import (
    G,
    Q,
    fixed_base,
    g_pow,
    g_pow_secret,
    hash_parts,
    in_group,
    in_q,
    int_bytes,
    inverse,
    mulmod,
    p_bytes,
    powmod,
    powmod_secret,
    q_bytes,
    random_q,
    text_bytes,
)

TAG_RANGE = "zhijia/v1/range"
TAG_EQUALITY = "zhijia/v1/equality"
TAG_SCHNORR = "zhijia/v1/schnorr"


@dataclass(frozen=True)
class RangeProof:
    challenges: tuple[int, ...]
    responses: tuple[int, ...]


@dataclass(frozen=True)
class EqualityProof:
    challenge: int
    response: int


@dataclass(frozen=True)
class SchnorrProof:
    challenge: int
    response: int


def _range_hash(
    ct: Ciphertext,
    values: Sequence[int],
    key: int,
    qbar: int,
    commitments: Sequence[tuple[int, int]],
) -> int:
    parts = [text_bytes(TAG_RANGE), q_bytes(qbar), p_bytes(key), int_bytes(len(values))]
    parts += [int_bytes(v) for v in values]
    parts += [p_bytes(ct.alpha), p_bytes(ct.beta)]
    for a, b in commitments:
        parts += [p_bytes(a), p_bytes(b)]
    return hash_parts(*parts)


def _range_commitment(ct: Ciphertext, value: int, key: int, c: int, v: int) -> tuple[int, int]:
    a = mulmod(g_pow(v), powmod(ct.alpha, (Q - c) % Q))
    shifted = mulmod(ct.beta, inverse(powmod(G, value)))  # beta / g^value, value small
    b = mulmod(fixed_base(key).pow(v), powmod(shifted, (Q - c) % Q))
    return a, b


def prove_range(
    ct: Ciphertext, nonce: int, message: int, values: Sequence[int], key: int, qbar: int
) -> RangeProof:
    """Prove that ct = encrypt(message, nonce, key) with message among `values`."""
    if message not in values or len(set(values)) != len(values):
        raise ValueError("the message is not among the values")
    real = values.index(message)
    challenges = [0] * len(values)
    responses = [0] * len(values)
    commitments: list[tuple[int, int]] = []
    u = random_q()
    for j, value in enumerate(values):
        if j == real:
            commitments.append((g_pow_secret(u), powmod_secret(key, u)))
        else:
            challenges[j], responses[j] = random_q(), random_q()
            commitments.append(_range_commitment(ct, value, key, challenges[j], responses[j]))
    c = _range_hash(ct, values, key, qbar, commitments)
    challenges[real] = (c - sum(challenges)) % Q
    responses[real] = (u + challenges[real] * nonce) % Q
    return RangeProof(tuple(challenges), tuple(responses))


def verify_range(
    ct: Ciphertext, proof: RangeProof, values: Sequence[int], key: int, qbar: int
) -> bool:
    """The proof shows that ct encrypts one of `values` under key (ct in the group too)."""
    n = len(values)
    if len(proof.challenges) != n or len(proof.responses) != n:
        return False
    if not all(in_q(x) for x in (*proof.challenges, *proof.responses)):
        return False
    if not ct.is_valid():
        return False
    commitments = [
        _range_commitment(ct, value, key, c, v)
        for value, c, v in zip(values, proof.challenges, proof.responses, strict=True)
    ]
    return sum(proof.challenges) % Q == _range_hash(ct, values, key, qbar, commitments)


def _equality_hash(
    qbar: int, public: int, base: int, result: int, a: int, b: int, context: Sequence[bytes]
) -> int:
    return hash_parts(
        text_bytes(TAG_EQUALITY),
        q_bytes(qbar),
        p_bytes(public),
        p_bytes(base),
        p_bytes(result),
        p_bytes(a),
        p_bytes(b),
        *context,
    )


def prove_equality(
    secret: int, base: int, qbar: int, context: Sequence[bytes] = ()
) -> tuple[int, EqualityProof]:
    """M = base^secret and a proof that log_g(g^secret) = log_base(M)."""
    public, result = g_pow_secret(secret), powmod_secret(base, secret)
    u = random_q()
    a, b = g_pow_secret(u), powmod_secret(base, u)
    c = _equality_hash(qbar, public, base, result, a, b, context)
    return result, EqualityProof(c, (u + c * secret) % Q)


def verify_equality(
    public: int,
    base: int,
    result: int,
    proof: EqualityProof,
    qbar: int,
    context: Sequence[bytes] = (),
) -> bool:
    """The proof shows log_g(public) = log_base(result)."""
    c, v = proof.challenge, proof.response
    if not (in_q(c) and in_q(v) and in_group(result)):
        return False
    a = mulmod(g_pow(v), powmod(public, (Q - c) % Q))
    b = mulmod(powmod(base, v), powmod(result, (Q - c) % Q))
    return c == _equality_hash(qbar, public, base, result, a, b, context)


def prove_schnorr(secret: int, base_hash: int, context: Sequence[bytes] = ()) -> SchnorrProof:
    """A proof of knowledge of `secret` behind g^secret."""
    public = g_pow_secret(secret)
    u = random_q()
    c = hash_parts(
        text_bytes(TAG_SCHNORR),
        q_bytes(base_hash),
        p_bytes(public),
        p_bytes(g_pow_secret(u)),
        *context,
    )
    return SchnorrProof(c, (u + c * secret) % Q)


def verify_schnorr(
    public: int, proof: SchnorrProof, base_hash: int, context: Sequence[bytes] = ()
) -> bool:
    c, v = proof.challenge, proof.response
    if not (in_q(c) and in_q(v) and in_group(public)):
        return False
    h = mulmod(g_pow(v), powmod(public, (Q - c) % Q))
    return c == hash_parts(
        text_bytes(TAG_SCHNORR), q_bytes(base_hash), p_bytes(public), p_bytes(h), *context
    )
