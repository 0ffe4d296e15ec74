"""The key ceremony: n trustees, any k of whom can decrypt. No Django.

The trustees are the session's 总监票人 and 监票人 (docs/voting.md). Each trustee i (numbered
1..n) draws a secret polynomial of degree k - 1 over Z_q,

    P_i(x) = a_i0 + a_i1 x + ... + a_i(k-1) x^(k-1),

publishes its Feldman commitments K_ij = g^(a_ij) with a Schnorr proof of knowledge of each
a_ij, and hands every other trustee l its share P_i(l) (in person, or encrypted to that
trustee with `encrypt_share`, hashed ElGamal to its key K_l0, so that the server can relay
it without reading it). Trustee l decrypts (`decrypt_share`) and checks each share it
receives against the commitments:

    g^(P_i(l)) = prod_j K_ij^(l^j)                                   (`verify_share`)

and a trustee who gets a bad share names the sender (`ShareComplaint`), so the ceremony is
started again without it. The joint election key is K = prod_i K_i0 = g^(sum_i a_i0); its
secret sum_i a_i0 is never in one place. Trustee i decrypts with a_i0; a missing trustee m is
"compensated" by the others from their shares P_m(l) (tally.py).

The server stores only `TrusteePublic` records (commitments and proofs) and the joint key;
`TrusteeSecret` and the shares stay with the trustees.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zhijia.voting.crypto.group import (
    G,
    P,
    Q,
    g_pow_secret,
    hash_parts,
    in_group,
    int_bytes,
    mulmod,
    p_bytes,
    powmod,
    powmod_secret,
    q_bytes,
    random_q,
    text_bytes,
)
from zhijia.voting.crypto.proofs import SchnorrProof, prove_schnorr, verify_schnorr

TAG_BASE = "zhijia/v1/base"
TAG_SHARE = "zhijia/v1/share"
TAG_EXTENDED = "zhijia/v1/extended"


@dataclass(frozen=True)
class TrusteeSecret:
    index: int
    coefficients: tuple[int, ...] = field(repr=False)  # never in a log or a traceback

    @property
    def secret_key(self) -> int:
        """a_i0, this trustee's part of the election secret."""
        return self.coefficients[0]


@dataclass(frozen=True)
class TrusteePublic:
    index: int
    name: str
    commitments: tuple[int, ...]
    proofs: tuple[SchnorrProof, ...]

    @property
    def public_key(self) -> int:
        """K_i0 = g^(a_i0)."""
        return self.commitments[0]


@dataclass(frozen=True)
class EncryptedShare:
    """P_sender(recipient) encrypted to the recipient's key K_recipient,0 (hashed ElGamal, as
    the ElectionGuard specification 2.0 sends shares): the server can relay it, not read it."""

    sender: int
    recipient: int
    pad: int  # g^xi
    data: bytes  # the share's 32 bytes XOR the key stream
    mac: bytes  # HMAC-SHA-256 over the indices, pad and data


@dataclass(frozen=True)
class ShareComplaint:
    """Trustee `recipient` received from `sender` a share that fails the commitments."""

    sender: int
    recipient: int


def base_hash(
    *, poll: str, kind: str, options: Sequence[str], votes_allowed: int, trustees: int, quorum: int
) -> int:
    """Q: the hash of the group, the poll's manifest and the ceremony's n and k, bound into
    every proof of the key ceremony."""
    parts = [text_bytes(TAG_BASE), p_bytes(P), q_bytes(Q), p_bytes(G)]
    parts += [text_bytes(poll), text_bytes(kind), int_bytes(len(options))]
    parts += [text_bytes(o) for o in options]
    parts += [int_bytes(votes_allowed), int_bytes(trustees), int_bytes(quorum)]
    return hash_parts(*parts)


def extended_hash(base: int, joint_key: int) -> int:
    """Qbar = H(Q, K): bound into every proof of the ballots and of the decryption."""
    return hash_parts(text_bytes(TAG_EXTENDED), q_bytes(base), p_bytes(joint_key))


def _coefficient_context(index: int, j: int) -> tuple[bytes, bytes]:
    return int_bytes(index), int_bytes(j)


def make_trustee(
    index: int, name: str, quorum: int, base: int
) -> tuple[TrusteeSecret, TrusteePublic]:
    """Trustee `index` (1..n) draws its polynomial of degree quorum - 1 and proves its
    commitments."""
    if index < 1 or quorum < 1:
        raise ValueError("trustees are numbered from 1 and the quorum is at least 1")
    coefficients = tuple(random_q() for _ in range(quorum))
    commitments = tuple(g_pow_secret(a) for a in coefficients)
    proofs = tuple(
        prove_schnorr(a, base, _coefficient_context(index, j)) for j, a in enumerate(coefficients)
    )
    return TrusteeSecret(index, coefficients), TrusteePublic(index, name, commitments, proofs)


def verify_trustee(public: TrusteePublic, quorum: int, base: int) -> bool:
    """k commitments, each with a valid proof of knowledge bound to this trustee and index."""
    if len(public.commitments) != quorum or len(public.proofs) != quorum:
        return False
    return all(
        verify_schnorr(k_ij, proof, base, _coefficient_context(public.index, j))
        for j, (k_ij, proof) in enumerate(zip(public.commitments, public.proofs, strict=True))
    )


def share_for(secret: TrusteeSecret, recipient: int) -> int:
    """P_i(recipient), the share trustee i hands to trustee `recipient`."""
    value = 0
    for a in reversed(secret.coefficients):
        value = (value * recipient + a) % Q
    return value


def public_share(commitments: Sequence[int], recipient: int) -> int:
    """g^(P_i(recipient)) computed from the public commitments alone."""
    return mulmod(
        *(powmod(k_ij, pow(recipient, j, Q)) for j, k_ij in enumerate(commitments)),
    )


def verify_share(public: TrusteePublic, recipient: int, share: int) -> bool:
    """The share received by `recipient` from trustee `public.index` fits its commitments."""
    return 0 <= share < Q and g_pow_secret(share) == public_share(public.commitments, recipient)


def _share_keys(secret_point: int, sender: int, recipient: int, base: int) -> tuple[bytes, bytes]:
    """The encryption and MAC keys from K_recipient^xi (= pad^a_recipient,0)."""
    seed = hashlib.sha256(
        b"".join(
            (
                text_bytes(TAG_SHARE),
                q_bytes(base),
                int_bytes(sender),
                int_bytes(recipient),
                p_bytes(secret_point),
            )
        )
    ).digest()
    stream = hmac.new(seed, b"encrypt", hashlib.sha256).digest()
    return stream, hmac.new(seed, b"mac", hashlib.sha256).digest()


def _share_mac(mac_key: bytes, sender: int, recipient: int, pad: int, data: bytes) -> bytes:
    message = int_bytes(sender) + int_bytes(recipient) + p_bytes(pad) + data
    return hmac.new(mac_key, message, hashlib.sha256).digest()


def encrypt_share(secret: TrusteeSecret, recipient: TrusteePublic, base: int) -> EncryptedShare:
    """The share for `recipient`, encrypted to its public key K_recipient,0."""
    xi = random_q()
    pad = g_pow_secret(xi)
    stream, mac_key = _share_keys(
        powmod_secret(recipient.public_key, xi), secret.index, recipient.index, base
    )
    plain = q_bytes(share_for(secret, recipient.index))
    data = bytes(a ^ b for a, b in zip(plain, stream, strict=True))
    mac = _share_mac(mac_key, secret.index, recipient.index, pad, data)
    return EncryptedShare(secret.index, recipient.index, pad, data, mac)


def decrypt_share(encrypted: EncryptedShare, recipient: TrusteeSecret, base: int) -> int | None:
    """The share, or None when the message was not made for this trustee or was altered (a
    complaint, like a share that fails the commitments)."""
    if encrypted.recipient != recipient.index or len(encrypted.data) != 32:
        return None
    if not in_group(encrypted.pad):  # a pad of small order would leak bits of the secret
        return None
    point = powmod_secret(encrypted.pad, recipient.secret_key)
    stream, mac_key = _share_keys(point, encrypted.sender, encrypted.recipient, base)
    expected = _share_mac(
        mac_key, encrypted.sender, encrypted.recipient, encrypted.pad, encrypted.data
    )
    if not hmac.compare_digest(expected, encrypted.mac):
        return None
    share = int.from_bytes(bytes(a ^ b for a, b in zip(encrypted.data, stream, strict=True)), "big")
    return share if share < Q else None


def check_shares(
    publics: Sequence[TrusteePublic], received: Mapping[tuple[int, int], int]
) -> list[ShareComplaint]:
    """Every share (sender, recipient) -> value checked; the complaints, empty when all fit.
    A missing share is a complaint too."""
    complaints = []
    for sender in publics:
        for recipient in publics:
            if sender.index == recipient.index:
                continue
            share = received.get((sender.index, recipient.index))
            if share is None or not verify_share(sender, recipient.index, share):
                complaints.append(ShareComplaint(sender.index, recipient.index))
    return complaints


def joint_key(publics: Sequence[TrusteePublic]) -> int:
    """K = prod_i K_i0."""
    return mulmod(*(t.public_key for t in publics))
