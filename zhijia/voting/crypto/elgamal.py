"""Exponential ElGamal over the group of `group.py`. No Django.

A message m (here 0 or 1, or a count) is encrypted to the public key K = g^s with a nonce xi as

    (alpha, beta) = (g^xi, K^xi * g^m)

so that the product of two ciphertexts encrypts the sum of their messages (the homomorphic
tally). Whoever knows s (no one: it is split among the trustees) or the nonce xi (the voter's
device, to check a challenged ballot) recovers g^m, and m is its discrete logarithm, small here
(at most the number of ballots): `discrete_log` searches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhijia.voting.crypto.group import (
    G,
    P,
    Q,
    g_pow,
    g_pow_secret,
    in_group,
    inverse,
    mulmod,
    powmod,
    powmod_secret,
)


@dataclass(frozen=True)
class Ciphertext:
    alpha: int
    beta: int

    def is_valid(self) -> bool:
        """Both parts are elements of the order-q subgroup."""
        return in_group(self.alpha) and in_group(self.beta)


def encrypt(message: int, nonce: int, public_key: int) -> Ciphertext:
    """(g^nonce, K^nonce * g^message). The same nonce gives the same ciphertext."""
    if not 0 < nonce < Q:
        raise ValueError("nonce out of range")
    # g^(m + q) = g^m, g being of order q: the exponent has the same length whatever the vote,
    # so that the time taken does not tell a 0 from a 1.
    g_m = powmod_secret(G, message % Q + Q)
    return Ciphertext(g_pow_secret(nonce), mulmod(powmod_secret(public_key, nonce), g_m))


def add(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """The homomorphic sum: the componentwise product, an encryption of the sum."""
    alpha, beta = 1, 1
    for ct in ciphertexts:
        alpha, beta = alpha * ct.alpha % P, beta * ct.beta % P
    return Ciphertext(alpha, beta)


def decrypt_to_power(ciphertext: Ciphertext, secret: int) -> int:
    """g^m from the secret key s (beta / alpha^s): for tests and for a single-key check."""
    return mulmod(ciphertext.beta, inverse(powmod_secret(ciphertext.alpha, secret)))


def decrypt_with_nonce(ciphertext: Ciphertext, nonce: int, public_key: int, bound: int) -> int:
    """m from the nonce (beta / K^nonce = g^m), the voter's check of a challenged ballot."""
    if g_pow(nonce) != ciphertext.alpha:
        raise ValueError("the nonce does not open this ciphertext")
    return discrete_log(mulmod(ciphertext.beta, inverse(powmod(public_key, nonce))), bound)


def discrete_log(power: int, bound: int) -> int:
    """The m in [0, bound] with g^m = power, by stepping through g^0, g^1, ... (bound is the
    number of ballots, a few thousand at most: a multiplication each)."""
    value = 1
    for m in range(bound + 1):
        if value == power:
            return m
        value = value * G % P
    raise ValueError("no discrete logarithm within the bound")
