"""The trustees' side of an encrypted poll, and the documents they exchange with the server.
No Django.

A trustee's secret never reaches the server. The trustee runs `verifier/zhijia_trustee.py`
on their own computer (it imports this package and nothing else of zhijia):

  1. keygen   from the poll's ceremony document (downloaded from the ceremony page): draws
              the polynomial, writes the KEY FILE (the secret, kept by the trustee) and the
              PUBLIC document (commitments and Schnorr proofs), which the trustee uploads;
  2. shares   once every trustee's public document is on the server: the share P_i(l) for
              every other trustee l, sealed to l's key K_l0 (hashed ElGamal), uploaded;
  3. check    once every trustee's shares are on the server: opens the shares sealed to
              this trustee, checks each against its sender's commitments and writes the
              CHECK document (uploaded): the senders whose share does not fit, empty when all
              fit. The poll opens only when every trustee has checked without a complaint;
              a complaint fails the ceremony, which the manager restarts;
  4. decrypt  after the close, from the tally document: checks the received shares again,
              then writes this trustee's partial decryption of every option's tally and the
              compensating shares M_(m,l) for every other trustee m (the server keeps only
              those of trustees who turn out to be absent), each with its Chaum-Pedersen
              proof; uploaded.

The server checks every proof it receives (`public_from_dict` + ceremony.verify_trustee,
`sealed_shares_from_dict`, `decryption_from_dict` + `verify_decryption`) and, once k
trustees have decrypted, combines them (`combine_tally`) into the record's tally.

Every number is lowercase hexadecimal, as in the election record (record.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zhijia.voting.crypto.ceremony import (
    EncryptedShare,
    TrusteePublic,
    TrusteeSecret,
    decrypt_share,
    encrypt_share,
    make_trustee,
    verify_share,
)
from zhijia.voting.crypto.elgamal import Ciphertext, discrete_log
from zhijia.voting.crypto.group import Q, in_group
from zhijia.voting.crypto.proofs import EqualityProof, SchnorrProof
from zhijia.voting.crypto.record import InvalidRecord, _h, _i
from zhijia.voting.crypto.tally import (
    CompensatedShare,
    OptionDecryption,
    PartialDecryption,
    combine,
    compensate,
    partial_decrypt,
    verify_compensated,
    verify_partial,
)

KEY_FORMAT = "zhijia-trustee-key/1"
PUBLIC_FORMAT = "zhijia-trustee-public/1"
SHARES_FORMAT = "zhijia-trustee-shares/1"
DECRYPTION_FORMAT = "zhijia-trustee-decryption/1"
CHECK_FORMAT = "zhijia-trustee-check/1"


class BadDocument(ValueError):
    """An uploaded or downloaded document that does not have the expected shape or values."""


class BadShares(ValueError):
    """Shares sealed to this trustee that fail: `senders` are the trustees to complain about."""

    def __init__(self, senders: Sequence[int]) -> None:
        super().__init__(f"shares from trustees {list(senders)} do not fit their commitments")
        self.senders = list(senders)


def _check(condition: bool, why: str) -> None:
    if not condition:
        raise BadDocument(why)


def _fmt(doc: Any, expected: str) -> Mapping[str, Any]:
    _check(isinstance(doc, Mapping), "not a JSON object")
    _check(doc.get("format") == expected, f"not a {expected} document")
    return doc


# --- 1. key generation ------------------------------------------------------------------------


def keygen(index: int, quorum: int, base: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(key file, public document) for trustee `index`."""
    secret, public = make_trustee(index, "", quorum, base)
    key = {
        "format": KEY_FORMAT,
        "base_hash": _h(base),
        "index": index,
        "quorum": quorum,
        "coefficients": [_h(a) for a in secret.coefficients],
    }
    return key, public_to_dict(public, base)


def key_from_dict(doc: Any) -> tuple[TrusteeSecret, int]:
    """(secret, base hash) from a key file."""
    doc = _fmt(doc, KEY_FORMAT)
    try:
        coefficients = tuple(_i(a) for a in doc["coefficients"])
        _check(all(0 <= a < Q for a in coefficients), "coefficient out of range")
        _check(len(coefficients) == int(doc["quorum"]), "wrong number of coefficients")
        return TrusteeSecret(int(doc["index"]), coefficients), _i(doc["base_hash"])
    except (KeyError, TypeError, ValueError, InvalidRecord) as exc:
        raise BadDocument(f"malformed key file: {exc}") from exc


def public_to_dict(public: TrusteePublic, base: int) -> dict[str, Any]:
    return {
        "format": PUBLIC_FORMAT,
        "base_hash": _h(base),
        "index": public.index,
        "commitments": [_h(k) for k in public.commitments],
        "proofs": [
            {"challenge": _h(p.challenge), "response": _h(p.response)} for p in public.proofs
        ],
    }


def public_from_dict(doc: Any, *, name: str = "") -> tuple[TrusteePublic, int]:
    """(public record, base hash) of an uploaded public document; proofs NOT checked
    (ceremony.verify_trustee does)."""
    doc = _fmt(doc, PUBLIC_FORMAT)
    try:
        public = TrusteePublic(
            int(doc["index"]),
            name,
            tuple(_i(k) for k in doc["commitments"]),
            tuple(SchnorrProof(_i(p["challenge"]), _i(p["response"])) for p in doc["proofs"]),
        )
        return public, _i(doc["base_hash"])
    except (KeyError, TypeError, ValueError, InvalidRecord) as exc:
        raise BadDocument(f"malformed public document: {exc}") from exc


# --- 2. sealed shares -------------------------------------------------------------------------


def seal_shares(
    secret: TrusteeSecret, publics: Sequence[TrusteePublic], base: int
) -> dict[str, Any]:
    """The shares document: P_i(l) sealed to every other trustee l."""
    sealed = [encrypt_share(secret, p, base) for p in publics if p.index != secret.index]
    return {
        "format": SHARES_FORMAT,
        "base_hash": _h(base),
        "sender": secret.index,
        "shares": [share_to_dict(s) for s in sealed],
    }


def share_to_dict(s: EncryptedShare) -> dict[str, Any]:
    return {
        "sender": s.sender,
        "recipient": s.recipient,
        "pad": _h(s.pad),
        "data": s.data.hex(),
        "mac": s.mac.hex(),
    }


def share_from_dict(d: Any) -> EncryptedShare:
    try:
        share = EncryptedShare(
            int(d["sender"]),
            int(d["recipient"]),
            _i(d["pad"]),
            bytes.fromhex(d["data"]),
            bytes.fromhex(d["mac"]),
        )
    except (KeyError, TypeError, ValueError, InvalidRecord) as exc:
        raise BadDocument(f"malformed share: {exc}") from exc
    _check(len(share.data) == 32 and len(share.mac) == 32, "share of the wrong length")
    _check(in_group(share.pad), "share pad not in the group")
    return share


def sealed_shares_from_dict(
    doc: Any, *, sender: int, trustees: Sequence[int], base: int
) -> list[EncryptedShare]:
    """The shares of an uploaded document, checked for shape: from `sender`, exactly one to
    every other trustee, for this ceremony. Their content only the recipients can check."""
    doc = _fmt(doc, SHARES_FORMAT)
    _check(doc.get("base_hash") == _h(base), "shares made for another ceremony")
    _check(doc.get("sender") == sender, "shares of another trustee")
    raw = doc.get("shares")
    _check(isinstance(raw, list), "no shares")
    shares = [share_from_dict(d) for d in raw]
    _check(all(s.sender == sender for s in shares), "a share of another sender")
    expected = sorted(t for t in trustees if t != sender)
    _check(sorted(s.recipient for s in shares) == expected, "not one share for each trustee")
    return shares


def open_shares(
    secret: TrusteeSecret,
    sealed: Sequence[EncryptedShare],
    publics: Sequence[TrusteePublic],
    base: int,
) -> dict[tuple[int, int], int]:
    """{(sender, me): P_sender(me)} for every other trustee, each checked against the
    sender's commitments; raises BadShares naming every sender whose share fails or is
    missing."""
    mine = {s.sender: s for s in sealed if s.recipient == secret.index}
    received: dict[tuple[int, int], int] = {}
    bad = []
    for public in publics:
        if public.index == secret.index:
            continue
        share = mine.get(public.index)
        value = decrypt_share(share, secret, base) if share is not None else None
        if value is None or not verify_share(public, secret.index, value):
            bad.append(public.index)
        else:
            received[(public.index, secret.index)] = value
    if bad:
        raise BadShares(bad)
    return received


# --- 3. check ---------------------------------------------------------------------------------


def check_document(
    secret: TrusteeSecret,
    sealed: Sequence[EncryptedShare],
    publics: Sequence[TrusteePublic],
    base: int,
) -> dict[str, Any]:
    """The check document: the senders whose shares sealed to this trustee fail (missing, or
    not fitting their commitments); an empty list says every share fits."""
    try:
        open_shares(secret, sealed, publics, base)
        bad: list[int] = []
    except BadShares as exc:
        bad = exc.senders
    return {
        "format": CHECK_FORMAT,
        "base_hash": _h(base),
        "trustee": secret.index,
        "complaints": bad,
    }


def check_from_dict(doc: Any, *, trustee: int, trustees: Sequence[int], base: int) -> list[int]:
    """The senders an uploaded check document complains about (sorted; empty: none), checked
    for shape: this ceremony, this trustee, senders among the other trustees."""
    doc = _fmt(doc, CHECK_FORMAT)
    _check(doc.get("base_hash") == _h(base), "a check made for another ceremony")
    _check(doc.get("trustee") == trustee, "the check of another trustee")
    raw = doc.get("complaints")
    _check(isinstance(raw, list), "no complaints list")
    _check(all(type(i) is int for i in raw), "complaints are trustee numbers")
    others = {t for t in trustees if t != trustee}
    _check(set(raw) <= others, "a complaint about no other trustee")
    return sorted(set(raw))


# --- 4. decryption ----------------------------------------------------------------------------


def decrypt_for_tally(
    secret: TrusteeSecret,
    tally: Sequence[tuple[str, Ciphertext]],
    received: Mapping[tuple[int, int], int],
    trustees: Sequence[int],
    qbar: int,
) -> dict[str, Any]:
    """The decryption document: for each option, this trustee's partial decryption and its
    compensating share for every other trustee, with proofs."""
    options = []
    for option, ct in tally:
        p = partial_decrypt(secret, ct, qbar)
        comps = [
            compensate(m, secret.index, received[(m, secret.index)], ct, qbar)
            for m in trustees
            if m != secret.index
        ]
        options.append(
            {
                "option": option,
                "partial": {"share": _h(p.share), "proof": _proof(p.proof)},
                "compensated": [
                    {"missing": c.missing, "share": _h(c.share), "proof": _proof(c.proof)}
                    for c in comps
                ],
            }
        )
    return {"format": DECRYPTION_FORMAT, "trustee": secret.index, "options": options}


def _proof(p: EqualityProof) -> dict[str, str]:
    return {"challenge": _h(p.challenge), "response": _h(p.response)}


def _proof_from(d: Any) -> EqualityProof:
    return EqualityProof(_i(d["challenge"]), _i(d["response"]))


Decryption = dict[str, tuple[PartialDecryption, tuple[CompensatedShare, ...]]]


def decryption_from_dict(doc: Any, *, trustee: int, options: Sequence[str]) -> Decryption:
    """{option: (partial, compensations)} of an uploaded decryption; proofs NOT checked."""
    doc = _fmt(doc, DECRYPTION_FORMAT)
    _check(doc.get("trustee") == trustee, "decryption of another trustee")
    try:
        parsed: Decryption = {}
        for d in doc["options"]:
            p = PartialDecryption(
                trustee, _i(d["partial"]["share"]), _proof_from(d["partial"]["proof"])
            )
            comps = tuple(
                CompensatedShare(
                    int(c["missing"]), trustee, _i(c["share"]), _proof_from(c["proof"])
                )
                for c in d["compensated"]
            )
            parsed[str(d["option"])] = (p, comps)
    except (KeyError, TypeError, ValueError, InvalidRecord) as exc:
        raise BadDocument(f"malformed decryption: {exc}") from exc
    _check(sorted(parsed) == sorted(options) and len(doc["options"]) == len(options), "options")
    return parsed


def verify_decryption(
    parsed: Decryption,
    tally: Sequence[tuple[str, Ciphertext]],
    publics: Sequence[TrusteePublic],
    qbar: int,
) -> bool:
    """Every partial and compensating share of one trustee proven, one compensation for each
    other trustee."""
    by_index = {t.index: t for t in publics}
    for option, ct in tally:
        partial, comps = parsed[option]
        if partial.trustee not in by_index:
            return False
        if not verify_partial(by_index[partial.trustee], ct, partial, qbar):
            return False
        others = sorted(i for i in by_index if i != partial.trustee)
        if sorted(c.missing for c in comps) != others:
            return False
        for c in comps:
            if not verify_compensated(by_index[c.missing], ct, c, qbar):
                return False
    return True


def combine_tally(
    tally: Sequence[tuple[str, Ciphertext]],
    posted: Mapping[int, Decryption],
    trustees: Sequence[int],
    bound: int,
) -> tuple[OptionDecryption, ...]:
    """The record's tally from the decryptions of the present trustees (`posted`, already
    verified): absent trustees are compensated by every present one."""
    present = sorted(posted)
    out = []
    for option, ct in tally:
        partials = tuple(posted[i][option][0] for i in present)
        compensated = tuple(
            c
            for m in trustees
            if m not in posted
            for i in present
            for c in posted[i][option][1]
            if c.missing == m
        )
        count = discrete_log(combine(ct, partials, compensated, trustees), bound)
        out.append(OptionDecryption(option, ct, partials, compensated, count))
    return tuple(out)
