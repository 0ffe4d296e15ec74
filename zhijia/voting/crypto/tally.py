"""The homomorphic tally and its decryption by any k of the n trustees, with proofs. No Django.

For each option, the tally ciphertext (A, B) is the product of that option's ciphertexts over
all ballots: it encrypts the option's count t, B = K^xi g^t with A = g^xi.

Decryption (the ElectionGuard specification 1.x's scheme):

- every present trustee i publishes M_i = A^(a_i0) with an `EqualityProof` that
  log_g(K_i0) = log_A(M_i);
- for every missing trustee m, every present trustee l publishes M_(m,l) = A^(P_m(l)) from the
  share P_m(l) it received in the ceremony, with an `EqualityProof` against
  g^(P_m(l)) = prod_j K_mj^(l^j), the value the commitments give ("compensated" decryption);
  then M_m = prod_(l in U) M_(m,l)^(w_l) with the Lagrange coefficients at 0 over the present
  set U, w_l = prod_(j in U, j != l) j / (j - l) mod q;
- M = prod_i M_i over all n trustees is A^s for the joint secret s, so B / M = g^t and t is
  found by `discrete_log` (t is at most the number of ballots).

Any |U| >= k works; fewer than k present trustees cannot decrypt (and nothing here tries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zhijia.voting.crypto.ballot import EncryptedBallot, Manifest
from zhijia.voting.crypto.ceremony import TrusteePublic, TrusteeSecret, public_share
from zhijia.voting.crypto.elgamal import Ciphertext, add, discrete_log
from zhijia.voting.crypto.group import Q, int_bytes, inverse, mulmod, p_bytes, powmod
from zhijia.voting.crypto.proofs import EqualityProof, prove_equality, verify_equality


class NotEnoughTrustees(ValueError):
    """Fewer trustees present than the quorum."""


@dataclass(frozen=True)
class PartialDecryption:
    """M_i = A^(a_i0), published by present trustee i."""

    trustee: int
    share: int
    proof: EqualityProof


@dataclass(frozen=True)
class CompensatedShare:
    """M_(m,l) = A^(P_m(l)), published by present trustee l for missing trustee m."""

    missing: int
    trustee: int
    share: int
    proof: EqualityProof


@dataclass(frozen=True)
class OptionDecryption:
    option: str
    ciphertext: Ciphertext
    partials: tuple[PartialDecryption, ...]
    compensated: tuple[CompensatedShare, ...]
    count: int


def tally_ciphertexts(
    manifest: Manifest, ballots: Sequence[EncryptedBallot]
) -> tuple[Ciphertext, ...]:
    """The product of each option's ciphertexts (placeholders are not tallied)."""
    return tuple(
        add(b.selections[i].ciphertext for b in ballots) for i in range(len(manifest.options))
    )


def _partial_context(trustee: int, ct: Ciphertext) -> tuple[bytes, ...]:
    return (int_bytes(0), int_bytes(trustee), p_bytes(ct.beta))


def _compensated_context(missing: int, trustee: int, ct: Ciphertext) -> tuple[bytes, ...]:
    return (int_bytes(missing), int_bytes(trustee), p_bytes(ct.beta))


def partial_decrypt(secret: TrusteeSecret, ct: Ciphertext, qbar: int) -> PartialDecryption:
    share, proof = prove_equality(
        secret.secret_key, ct.alpha, qbar, _partial_context(secret.index, ct)
    )
    return PartialDecryption(secret.index, share, proof)


def compensate(
    missing: int, trustee: int, received_share: int, ct: Ciphertext, qbar: int
) -> CompensatedShare:
    """Trustee `trustee` stands in for `missing` with the share P_missing(trustee)."""
    share, proof = prove_equality(
        received_share, ct.alpha, qbar, _compensated_context(missing, trustee, ct)
    )
    return CompensatedShare(missing, trustee, share, proof)


def verify_partial(
    public: TrusteePublic, ct: Ciphertext, partial: PartialDecryption, qbar: int
) -> bool:
    return public.index == partial.trustee and verify_equality(
        public.public_key,
        ct.alpha,
        partial.share,
        partial.proof,
        qbar,
        _partial_context(partial.trustee, ct),
    )


def verify_compensated(
    missing: TrusteePublic, ct: Ciphertext, part: CompensatedShare, qbar: int
) -> bool:
    return missing.index == part.missing and verify_equality(
        public_share(missing.commitments, part.trustee),
        ct.alpha,
        part.share,
        part.proof,
        qbar,
        _compensated_context(part.missing, part.trustee, ct),
    )


def lagrange_at_zero(present: Sequence[int], trustee: int) -> int:
    """w_l = prod_(j in present, j != l) j / (j - l) mod q."""
    numerator, denominator = 1, 1
    for j in present:
        if j != trustee:
            numerator = numerator * j % Q
            denominator = denominator * (j - trustee) % Q
    return numerator * inverse(denominator, Q) % Q


def combine(
    ct: Ciphertext,
    partials: Sequence[PartialDecryption],
    compensated: Sequence[CompensatedShare],
    trustees: Sequence[int],
) -> int:
    """g^t = B / prod_i M_i, each missing trustee's M_m interpolated from the present ones.
    Raises ValueError when a trustee is neither present nor fully compensated."""
    present = sorted(p.trustee for p in partials)
    if len(set(present)) != len(present):
        raise ValueError("a trustee decrypted twice")
    factors = [p.share for p in partials]
    for m in trustees:
        if m in present:
            continue
        parts = {c.trustee: c.share for c in compensated if c.missing == m}
        if sorted(parts) != present:
            raise ValueError(f"trustee {m} is neither present nor compensated by all present")
        factors += [powmod(parts[ell], lagrange_at_zero(present, ell)) for ell in present]
    return mulmod(ct.beta, inverse(mulmod(*factors)))


def decrypt_option(
    option: str,
    ct: Ciphertext,
    *,
    present: Sequence[TrusteeSecret],
    received: Mapping[tuple[int, int], int],
    trustees: Sequence[int],
    quorum: int,
    qbar: int,
    bound: int,
) -> OptionDecryption:
    """The present trustees' partial decryptions and compensations, combined and counted.
    `received[(m, l)]` is the share P_m(l) that present trustee l received from m."""
    if len(present) < quorum:
        raise NotEnoughTrustees(f"{len(present)} present, {quorum} needed")
    partials = tuple(partial_decrypt(s, ct, qbar) for s in present)
    here = {s.index for s in present}
    compensated = tuple(
        compensate(m, s.index, received[(m, s.index)], ct, qbar)
        for m in trustees
        if m not in here
        for s in present
    )
    count = discrete_log(combine(ct, partials, compensated, trustees), bound)
    return OptionDecryption(option, ct, partials, compensated, count)


def decrypt_tally(
    manifest: Manifest,
    ballots: Sequence[EncryptedBallot],
    *,
    present: Sequence[TrusteeSecret],
    received: Mapping[tuple[int, int], int],
    trustees: Sequence[int],
    quorum: int,
    qbar: int,
) -> tuple[OptionDecryption, ...]:
    """Every option's count, decrypted with proofs by the present trustees."""
    return tuple(
        decrypt_option(
            option,
            ct,
            present=present,
            received=received,
            trustees=trustees,
            quorum=quorum,
            qbar=qbar,
            bound=len(ballots),
        )
        for option, ct in zip(manifest.options, tally_ciphertexts(manifest, ballots), strict=True)
    )


def verify_option(
    decryption: OptionDecryption,
    publics: Sequence[TrusteePublic],
    quorum: int,
    qbar: int,
    bound: int,
) -> bool:
    """Every proof holds, at least `quorum` trustees are present, and the announced count is
    the discrete logarithm of the combined decryption."""
    by_index = {t.index: t for t in publics}
    ct = decryption.ciphertext
    if len(decryption.partials) < quorum:
        return False
    for p in decryption.partials:
        if p.trustee not in by_index or not verify_partial(by_index[p.trustee], ct, p, qbar):
            return False
    for c in decryption.compensated:
        if c.missing not in by_index or not verify_compensated(by_index[c.missing], ct, c, qbar):
            return False
    try:
        power = combine(ct, decryption.partials, decryption.compensated, sorted(by_index))
        return 0 <= decryption.count <= bound and discrete_log(power, bound) == decryption.count
    except ValueError:
        return False
