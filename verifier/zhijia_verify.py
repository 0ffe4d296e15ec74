#!/usr/bin/env python3
"""zhijia_verify: recount a zhijia election record, independently of zhijia.

    python3 zhijia_verify.py record.json

Python 3.11 standard library only: it imports neither zhijia nor gmpy2, so that anyone can read
it top to bottom and run it on the published record (docs/voting.md, "The election record").
It checks, in this order (the cheap checks first), and stops at the first check that fails:

  format            the document is a zhijia election record, version 1
  group             p, q, g are the ElectionGuard standard 4096-bit group, q | p - 1, g^q = 1
  manifest          the poll's options and allowed votes make sense; the base hash is recomputed
  trustee-proof     every trustee's k commitments with valid Schnorr proofs of knowledge
  joint-key         the joint key is the product of the trustees' keys; the extended hash
  ballot-proof      (its cheap part) every ballot has its selections and all its proofs; no
                    ballot id and no ciphertext twice (a copied ballot has valid proofs)
  tracker-chain     every tracker is the hash chain over the ballots in their order
  tally             each option's tally ciphertext is the product of the ballots' ciphertexts
  decryption-proof  each present trustee's partial decryption and each compensation for an
                    absent trustee have valid Chaum-Pedersen proofs; at least k present
  counts            the decryptions combine to g^count for each announced count
  ballot-proof      every ballot: each selection a valid proof of 0 or 1 (placeholders too)
  ballot-sum-proof  every ballot: a valid proof that its selections sum to the allowed votes

The ballots' proofs come last because they cost the most (some twenty exponentiations per
ballot); nothing is accepted before they all hold.

Exit status 0 with the recounted result on standard output (the count of each option, then the
box's last tracker, to compare with the one announced at the close); 1 with "FAIL <check>: <why>" on
standard error naming the first failing check; 2 when the file cannot be read as JSON.
"""

from __future__ import annotations

import hashlib
import json
import sys

FORMAT = "zhijia-election-record/1"

# The ElectionGuard specification 1.x standard parameters (the same as zhijia's group.py).
P = int(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
    "93C467E37DB0C7A4D1BE3F810152CB56A1CECC3AF65CC0190C03DF34709AFFBD"
    "8E4B59FA03A9F0EED0649CCB621057D11056AE9132135A08E43B4673D74BAFEA"
    "58DEB878CC86D733DBE7BF38154B36CF8A96D1567899AAAE0C09D4C8B6B7B86F"
    "D2A1EA1DE62FF8643EC7C271827977225E6AC2F0BD61C746961542A3CE3BEA5D"
    "B54FE70E63E6D09F8FC28658E80567A47CFDE60EE741E5D85A7BD46931CED822"
    "0365594964B839896FCAABCCC9B31959C083F22AD3EE591C32FAB2C7448F2A05"
    "7DB2DB49EE52E0182741E53865F004CC8E704B7C5C40BF304C4D8C4F13EDF604"
    "7C555302D2238D8CE11DF2424F1B66C2C5D238D0744DB679AF2890487031F9C0"
    "AEA1C4BB6FE9554EE528FDF1B05E5B256223B2F09215F3719F9C7CCC69DDF172"
    "D0D6234217FCC0037F18B93EF5389130B7A661E5C26E54214068BBCAFEA32A67"
    "818BD3075AD1F5C7E9CC3D1737FB28171BAF84DBB6612B7881C1A48E439CD03A"
    "92BF52225A2B38E6542E9F722BCE15A381B5753EA842763381CCAE83512B3051"
    "1B32E5E8D80362149AD030AABA5F3A5798BB22AA7EC1B6D0F17903F4E22D8407"
    "34AA85973F79A93FFB82A75C47C03D43D2F9CA02D03199BACEDDD4533A52566A"
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    16,
)
Q = 2**256 - 189
G = int(
    "1D41E49C477E15EAEEF0C5E4AC08D4A46C268CD3424FC01D13769BDB43673218"
    "587BC86C4C1448D006A03699F3ABAE5FEB19E296F5D143CC5E4A3FC89088C9F4"
    "523D166EE3AE9D5FB03C0BDD77ADD5C017F6C55E2EC92C226FEF5C6C1DF2E7C3"
    "6D90E7EAADE098241D3409983BCCD2B5379E9391FBC62F9F8D939D1208B16036"
    "7C134264122189595EC85C8CDBE5F9D307F46912C04932F8C16815A76B4682BD"
    "6BDC0ED52B00D8D30F59C731D5A7FFAE8165D53CF96649AAC2B743DA56F14F19"
    "DACC5236F29B1AB9F9BEFC69697293D5DEAD8B5BF5DE9BAB6DE67C45719E5634"
    "4A3CBDF3609824B1B578E34EAEB6DD3190AB3571D6D671C512282C1DA7BD36B4"
    "251D2584FADEA80B9E141423074DD9B5FB83ACBDEAD4C87A58FFF517F977A830"
    "80370A3B0CF98A1BC2978C47AAC29611FD6C40E2F9875C35D50443A9AA3F4961"
    "1DCD3A0D6FF3CB3FACF31471BDB61860B92C594D4E46569BB39FEEADFF1FD64C"
    "836A6D6DB85C6BA7241766B7AB56BF739633B054147F7170921412E948D9E474"
    "02D15BB1C257318612C121C36B80EB8433C08E7D0B7149E3AB0A8735A92EDCE8"
    "FF943E28A2DCEACFCC69EC318909CB047BE1C5858844B5AD44F22EEB289E4CC5"
    "54F7A5E2F3DEA026877FF92851816071CE028EB868D965CCB2D2295A8C55BD1C"
    "070B39B09AE06B37D29343B9D8997DC244C468B980970731736EE018BBADB987",
    16,
)
R = (P - 1) // Q


class Failed(Exception):
    """A check failed: its name and why."""

    def __init__(self, check: str, why: str) -> None:
        super().__init__(f"{check}: {why}")
        self.check = check


# ---------------------------------------------------------------- the hash H (group.py)


def hash_parts(*parts: bytes) -> int:
    """SHA-256 over each part prefixed by its length (4 bytes big-endian), mod q."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    return int.from_bytes(h.digest(), "big") % Q


def pb(x: int) -> bytes:
    return x.to_bytes(512, "big")


def qb(x: int) -> bytes:
    return x.to_bytes(32, "big")


def ib(x: int) -> bytes:
    return x.to_bytes(4, "big")


def tb(s: str) -> bytes:
    return s.encode("utf-8")


# ---------------------------------------------------------------- numbers


def num(value: object) -> int:
    """A lowercase hexadecimal string as an int; ValueError otherwise."""
    if not isinstance(value, str) or not value or value.strip("0123456789abcdef"):
        raise ValueError(f"not a lowercase hexadecimal number: {value!r}")
    return int(value, 16)


def in_group(x: int) -> bool:
    return 0 < x < P and pow(x, Q, P) == 1


def in_q(x: int) -> bool:
    return 0 <= x < Q


class FixedBase:
    """base^e mod p for a base used hundreds of times (g and the joint key): a table of
    base^(d * 64^i) for each 6-bit digit d of the exponent, so that a power costs 43
    multiplications instead of some 300 (the verifier runs several times faster)."""

    def __init__(self, base: int) -> None:
        self.rows = []
        for _ in range(43):  # 43 digits of 6 bits cover the 256-bit exponents
            row = [1] * 64
            for d in range(1, 64):
                row[d] = row[d - 1] * base % P
            self.rows.append(row)
            base = row[63] * base % P

    def pow(self, e: int) -> int:
        e %= Q
        result = 1
        for row in self.rows:
            if e & 63:
                result = result * row[e & 63] % P
            e >>= 6
        return result


_FIXED: dict[int, FixedBase] = {}
_USES: dict[int, int] = {}


def fixed_pow(base: int, e: int) -> int:
    """base^e mod p, through a FixedBase table once the base (g, the joint key) has been used
    often enough to pay for its table (some 2,700 multiplications)."""
    if base in _FIXED:
        return _FIXED[base].pow(e)
    _USES[base] = _USES.get(base, 0) + 1
    if _USES[base] >= 16:
        _FIXED[base] = FixedBase(base)
    return pow(base, e % Q, P)


def g_pow(e: int) -> int:
    return fixed_pow(G, e)


G_INVERSE = pow(G, -1, P)


def product(values) -> int:
    result = 1
    for v in values:
        result = result * v % P
    return result


def neg(c: int) -> int:
    """The exponent -c mod q (x^neg(c) = x^-c for x in the subgroup)."""
    return (Q - c) % Q


# ---------------------------------------------------------------- proofs (proofs.py)


def verify_range(alpha, beta, proof, values, key, qbar) -> bool:
    """Disjunctive Chaum-Pedersen: (alpha, beta) encrypts one of `values`."""
    cs = [num(c) for c in proof["challenges"]]
    vs = [num(v) for v in proof["responses"]]
    if len(cs) != len(values) or len(vs) != len(values):
        return False
    if not all(in_q(x) for x in cs + vs) or not (in_group(alpha) and in_group(beta)):
        return False
    parts = [tb("zhijia/v1/range"), qb(qbar), pb(key), ib(len(values))]
    parts += [ib(v) for v in values] + [pb(alpha), pb(beta)]
    for value, c, v in zip(values, cs, vs, strict=True):
        a = g_pow(v) * pow(alpha, neg(c), P) % P
        shifted = beta * pow(G_INVERSE, value, P) % P
        b = fixed_pow(key, v) * pow(shifted, neg(c), P) % P
        parts += [pb(a), pb(b)]
    return sum(cs) % Q == hash_parts(*parts)


def verify_equality(public, base, result, proof, qbar, context) -> bool:
    """Chaum-Pedersen: log_g(public) = log_base(result)."""
    c, v = num(proof["challenge"]), num(proof["response"])
    if not (in_q(c) and in_q(v) and in_group(result)):
        return False
    a = g_pow(v) * pow(public, neg(c), P) % P
    b = pow(base, v, P) * pow(result, neg(c), P) % P
    parts = [pb(public), pb(base), pb(result), pb(a), pb(b)]
    return c == hash_parts(tb("zhijia/v1/equality"), qb(qbar), *parts, *context)


def verify_schnorr(public, proof, base_hash, context) -> bool:
    c, v = num(proof["challenge"]), num(proof["response"])
    if not (in_q(c) and in_q(v) and in_group(public)):
        return False
    h = g_pow(v) * pow(public, neg(c), P) % P
    parts = [tb("zhijia/v1/schnorr"), qb(base_hash), pb(public), pb(h), *context]
    return c == hash_parts(*parts)


# ---------------------------------------------------------------- the checks


def check(condition: bool, name: str, why: str) -> None:
    if not condition:
        raise Failed(name, why)


def check_group(doc) -> None:
    group = doc["group"]
    p, q, g, r = num(group["p"]), num(group["q"]), num(group["g"]), num(group["r"])
    check((p, q, g, r) == (P, Q, G, R), "group", "not the ElectionGuard standard group")
    check((p - 1) == q * r and 1 < g < p and pow(g, q, p) == 1, "group", "g is not of order q")


def check_manifest(doc) -> tuple[list[str], int, int, int]:
    m, c = doc["manifest"], doc["ceremony"]
    options, allowed, kind = m["options"], m["votes_allowed"], m["kind"]
    check(isinstance(options, list) and options, "manifest", "no list of options")
    check(len(set(options)) == len(options), "manifest", "an option is repeated")
    check(all(isinstance(o, str) for o in options), "manifest", "an option is not a text")
    numbers = (allowed, c["trustees"], c["quorum"])
    check(all(type(x) is int for x in numbers), "manifest", "votes, n or k not an integer")
    if kind == "yes_no_abstain":
        placeholders = 0
        check(allowed == 1, "manifest", "a motion allows exactly one vote")
    elif kind == "approval":
        placeholders = allowed
        check(1 <= allowed <= len(options), "manifest", "seats out of range")
    else:
        raise Failed("manifest", f"unknown kind {kind!r}")
    check(m["placeholders"] == placeholders, "manifest", "wrong number of placeholders")
    n, k = c["trustees"], c["quorum"]
    check(1 <= k <= n == len(c["public"]), "manifest", "quorum or trustees out of range")
    parts = [tb("zhijia/v1/base"), pb(P), qb(Q), pb(G), tb(m["poll"]), tb(kind)]
    parts += [ib(len(options))] + [tb(o) for o in options]
    parts += [ib(allowed), ib(n), ib(k)]
    base = hash_parts(*parts)
    check(base == num(c["base_hash"]), "manifest", "the base hash does not match the manifest")
    return options, allowed, placeholders, base


def check_trustees(doc, base: int) -> dict[int, list[int]]:
    c = doc["ceremony"]
    commitments: dict[int, list[int]] = {}
    for t in c["public"]:
        index = t["index"]
        check(isinstance(index, int) and index >= 1, "trustee-proof", f"bad index {index!r}")
        check(index not in commitments, "trustee-proof", f"trustee {index} twice")
        ks = [num(k) for k in t["commitments"]]
        check(
            len(ks) == len(t["proofs"]) == c["quorum"],
            "trustee-proof",
            f"trustee {index} has not exactly k commitments and proofs",
        )
        for j, (k_ij, proof) in enumerate(zip(ks, t["proofs"], strict=True)):
            check(
                verify_schnorr(k_ij, proof, base, (ib(index), ib(j))),
                "trustee-proof",
                f"trustee {index}, coefficient {j}: the proof of knowledge fails",
            )
        commitments[index] = ks
    return commitments


def check_joint_key(doc, base: int, commitments: dict[int, list[int]]) -> tuple[int, int]:
    key = num(doc["joint_key"])
    check(key == product(ks[0] for ks in commitments.values()), "joint-key", "not the product")
    qbar = hash_parts(tb("zhijia/v1/extended"), qb(base), pb(key))
    check(qbar == num(doc["extended_hash"]), "joint-key", "the extended hash does not match")
    return key, qbar


def check_ballot_forms(doc, width: int) -> None:
    """Cheap, before the chain and the tally: every ballot has a fresh id, its selections and
    all its proofs; no ciphertext repeats (a copy of a ballot carries valid proofs, but fresh
    nonces make every alpha unique: a repeat by chance is about 2^-256 likely)."""
    seen, alphas = set(), set()
    for position, b in enumerate(doc["ballots"]):
        where = f"ballot {position} ({b.get('id')!r})"
        check(isinstance(b["id"], str) and b["id"] not in seen, "ballot-proof", f"{where}: id")
        seen.add(b["id"])
        check(len(b["selections"]) == width, "ballot-proof", f"{where}: {width} selections")
        proofs = [(s.get("proof"), 2) for s in b["selections"]] + [(b.get("sum_proof"), 1)]
        for proof, n in proofs:
            check(isinstance(proof, dict), "ballot-proof", f"{where}: a proof is missing")
            numbers = [num(x) for x in proof["challenges"] + proof["responses"]]
            check(len(numbers) == 2 * n, "ballot-proof", f"{where}: a proof of the wrong size")
        for i, s in enumerate(b["selections"]):
            alpha = num(s["alpha"])
            check(
                alpha not in alphas,
                "ballot-proof",
                f"{where}, selection {i}: a copy of an earlier ciphertext",
            )
            alphas.add(alpha)
        num(b["tracker"])


def check_ballot_proofs(doc, allowed: int, key: int, qbar: int) -> None:
    """Every selection proved 0 or 1, every ballot's sum proved to be `allowed`."""
    for position, b in enumerate(doc["ballots"]):
        where = f"ballot {position} ({b['id']!r})"
        alpha, beta = 1, 1
        for i, s in enumerate(b["selections"]):
            a, bb = num(s["alpha"]), num(s["beta"])
            ok = verify_range(a, bb, s["proof"], (0, 1), key, qbar)
            check(ok, "ballot-proof", f"{where}, selection {i}: no valid proof of 0 or 1")
            alpha, beta = alpha * a % P, beta * bb % P
        ok = verify_range(alpha, beta, b["sum_proof"], (allowed,), key, qbar)
        check(ok, "ballot-sum-proof", f"{where}: no valid proof of {allowed} votes in all")


def ballot_digest(b) -> int:
    parts = [tb("zhijia/v1/ballot"), tb(b["id"]), ib(len(b["selections"]))]
    for s in b["selections"]:
        proof = s["proof"]
        parts += [pb(num(s["alpha"])), pb(num(s["beta"]))]
        parts += [qb(num(x)) for x in proof["challenges"] + proof["responses"]]
    sp = b["sum_proof"]
    parts += [qb(num(x)) for x in sp["challenges"] + sp["responses"]]
    return hash_parts(*parts)


def check_trackers(doc, qbar: int) -> None:
    tracker = hash_parts(tb("zhijia/v1/tracker-start"), qb(qbar))
    for position, b in enumerate(doc["ballots"]):
        tracker = hash_parts(tb("zhijia/v1/tracker"), qb(tracker), qb(ballot_digest(b)))
        check(tracker == num(b["tracker"]), "tracker-chain", f"broken at ballot {position}")


def check_tally(doc, options: list[str]) -> list[tuple[int, int]]:
    tally = doc["tally"]
    check([t["option"] for t in tally] == options, "tally", "not one entry per option in order")
    recounted = []
    for i, entry in enumerate(tally):
        alpha = product(num(b["selections"][i]["alpha"]) for b in doc["ballots"])
        beta = product(num(b["selections"][i]["beta"]) for b in doc["ballots"])
        check(
            (alpha, beta) == (num(entry["alpha"]), num(entry["beta"])),
            "tally",
            f"option {entry['option']!r}: not the product of the ballots' ciphertexts",
        )
        recounted.append((alpha, beta))
    return recounted


def public_share(ks: list[int], ell: int) -> int:
    """g^(P_m(ell)) from trustee m's commitments."""
    return product(pow(k_j, pow(ell, j, Q), P) for j, k_j in enumerate(ks))


def lagrange(present: list[int], ell: int) -> int:
    num_, den = 1, 1
    for j in present:
        if j != ell:
            num_, den = num_ * j % Q, den * (j - ell) % Q
    return num_ * pow(den, -1, Q) % Q


def check_decryptions(doc, tally, commitments, k: int, qbar: int) -> list[int]:
    """The proofs, then g^t = beta / M for each option; returns the powers g^t."""
    powers = []
    for entry, (alpha, beta) in zip(doc["tally"], tally, strict=True):
        name = f"option {entry['option']!r}"
        present = sorted(p["trustee"] for p in entry["partials"])
        check(len(set(present)) == len(present) >= k, "decryption-proof", f"{name}: quorum")
        factors = []
        for p in entry["partials"]:
            i = p["trustee"]
            check(i in commitments, "decryption-proof", f"{name}: unknown trustee {i!r}")
            share, context = num(p["share"]), (ib(0), ib(i), pb(beta))
            ok = verify_equality(commitments[i][0], alpha, share, p["proof"], qbar, context)
            check(ok, "decryption-proof", f"{name}: trustee {i}'s partial decryption proof")
            factors.append(share)
        for m in sorted(set(commitments) - set(present)):
            parts = {c["trustee"]: c for c in entry["compensated"] if c["missing"] == m}
            check(
                sorted(parts) == present,
                "decryption-proof",
                f"{name}: absent trustee {m} not compensated by every present trustee",
            )
            for ell in present:
                c = parts[ell]
                share, context = num(c["share"]), (ib(m), ib(ell), pb(beta))
                public = public_share(commitments[m], ell)
                ok = verify_equality(public, alpha, share, c["proof"], qbar, context)
                check(ok, "decryption-proof", f"{name}: trustee {ell}'s compensation for {m}")
                factors.append(pow(share, lagrange(present, ell), P))
        check(
            len(entry["compensated"]) == len(present) * (len(commitments) - len(present)),
            "decryption-proof",
            f"{name}: compensations for trustees that are present",
        )
        powers.append(beta * pow(product(factors), -1, P) % P)
    return powers


def check_counts(doc, powers: list[int]) -> dict[str, int]:
    bound = len(doc["ballots"])
    counts = {}
    for entry, power in zip(doc["tally"], powers, strict=True):
        count = entry["count"]
        check(isinstance(count, int) and 0 <= count <= bound, "counts", "count out of range")
        check(g_pow(count) == power, "counts", f"{entry['option']!r}: {count} is not decrypted")
        counts[entry["option"]] = count
    check(doc["counts"] == counts, "counts", "the announced counts differ from the tally's")
    return counts


def verify(doc) -> dict[str, int]:
    """Every check in order, the cheap ones first; the recounted result, or Failed naming the
    first failing check."""
    step = "format"
    try:
        check(doc.get("format") == FORMAT, "format", f"not {FORMAT}")
        step = "group"
        check_group(doc)
        step = "manifest"
        options, allowed, placeholders, base = check_manifest(doc)
        step = "trustee-proof"
        commitments = check_trustees(doc, base)
        step = "joint-key"
        key, qbar = check_joint_key(doc, base, commitments)
        step = "ballot-proof"
        check_ballot_forms(doc, len(options) + placeholders)
        step = "tracker-chain"
        check_trackers(doc, qbar)
        step = "tally"
        tally = check_tally(doc, options)
        step = "decryption-proof"
        powers = check_decryptions(doc, tally, commitments, doc["ceremony"]["quorum"], qbar)
        step = "counts"
        counts = check_counts(doc, powers)
        step = "ballot-proof"
        check_ballot_proofs(doc, allowed, key, qbar)
        return counts
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
        raise Failed(step, f"malformed record ({exc!r})") from exc


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: zhijia_verify.py record.json\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"cannot read {argv[1]}: {exc}\n")
        return 2
    try:
        counts = verify(doc)
    except Failed as failure:
        sys.stderr.write(f"FAIL {failure}\n")
        return 1
    out = [f"OK {doc['manifest']['poll']}: {len(doc['ballots'])} ballots verified and recounted"]
    out += [f"{option}\t{count}" for option, count in counts.items()]
    # The box's last tracker: compare it with the one announced at the close (in the hall, on
    # the result sheet): a box cut short after the close still chains, but ends elsewhere.
    last = doc["ballots"][-1]["tracker"] if doc["ballots"] else "(empty box)"
    out.append(f"last tracker\t{last}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
