"""The group, the big-number arithmetic and the hash H of the encrypted ballots. No Django.

The group is the ElectionGuard specification's standard 4096-bit group (specification 1.x,
"Standard parameters", the constants of the reference implementation
electionguard-python/src/electionguard/constants.py): p a 4096-bit prime whose first and last
256 bits are all ones, q = 2^256 - 189 the largest 256-bit prime, q divides p - 1, the cofactor
r = (p - 1) / q and the generator g = 2^r mod p of the subgroup of order q.
`zhijia/voting/tests/test_crypto_group.py` checks that p and q are prime (Miller-Rabin), that q
divides p - 1 and that g has order q.

Arithmetic goes through gmpy2 (GMP) when it is importable, Python's pow otherwise; every value
handed out is a plain int. Exponentiations with a secret exponent use `powmod_secret` (GMP's
constant-time mpz_powm_sec), the public ones (verification) the faster `powmod`.

The hash H (SHA-256, as the specification; the byte encoding is zhijia's own and is the one
the independent verifier `verifier/zhijia_verify.py` re-implements):

    H(part_1, ..., part_n) = int(SHA-256(len(b_1) || b_1 || ... || len(b_n) || b_n)) mod q

where each part b_i is a byte string and len(b_i) its length as 4 bytes big-endian. The parts
are made with `p_bytes` (an element of Z_p: 512 bytes big-endian), `q_bytes` (an exponent
mod q: 32 bytes big-endian), `int_bytes` (a small count or index: 4 bytes big-endian) and
`text_bytes` (UTF-8). The first part of every hash is a text tag naming its purpose
("zhijia/v1/base", "zhijia/v1/selection", ...), so that no hash of one kind can stand for
another.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

try:  # GMP when the wheel is installed (pyproject.toml), Python's pow otherwise.
    import gmpy2

    _HAS_GMPY2 = True
except ImportError:  # pragma: no cover - the fallback is exercised by the verifier's tests
    _HAS_GMPY2 = False

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
R = (P - 1) // Q
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

P_BYTES = 512
Q_BYTES = 32

_P_MPZ = gmpy2.mpz(P) if _HAS_GMPY2 else P


def powmod(base: int, exponent: int, modulus: int = P) -> int:
    """base ** exponent mod modulus (mod p unless told), through GMP when available."""
    if _HAS_GMPY2:
        mod = _P_MPZ if modulus == P else modulus
        return int(gmpy2.powmod(base, exponent, mod))
    return pow(base, exponent, modulus)


def g_pow(exponent: int) -> int:
    """g ** exponent mod p for a PUBLIC exponent (a proof's response, a revealed nonce)."""
    return fixed_base(G).pow(exponent)


_WINDOW = 8  # exponent bits per table row: 32 rows for an exponent below q < 2^256
_mpz = gmpy2.mpz if _HAS_GMPY2 else int


class FixedBase:
    """base ** e mod p for PUBLIC exponents e (mod q), from a table of base^(d * 256^i),
    d < 256: at most 31 multiplications instead of an exponentiation, about 7 times faster
    (the ballot proofs' verification: g and a poll's joint key are the same at every cast).
    Never for a secret: the time depends on the exponent's digits (powmod_secret is for
    secrets)."""

    def __init__(self, base: int) -> None:
        rows: list[list] = []
        power = _mpz(base) % _P_MPZ
        for _row in range((Q.bit_length() + _WINDOW - 1) // _WINDOW):
            row = [_mpz(1)]
            for _digit in range(1, 1 << _WINDOW):
                row.append(row[-1] * power % _P_MPZ)
            rows.append(row)
            power = row[-1] * power % _P_MPZ  # base^(256^(i+1))
        self._rows = rows

    def pow(self, exponent: int) -> int:
        e = exponent % Q
        result = _mpz(1)
        for row in self._rows:
            if not e:
                break
            digit = e & ((1 << _WINDOW) - 1)
            if digit:
                result = result * row[digit] % _P_MPZ
            e >>= _WINDOW
        return int(result)


@functools.lru_cache(maxsize=4)
def fixed_base(base: int) -> FixedBase:
    """The table of a base used at every cast (g, a poll's joint key), kept in the process:
    about 4 MB and 60 ms to make, each."""
    return FixedBase(base)


def powmod_secret(base: int, exponent: int, modulus: int = P) -> int:
    """base ** exponent for a SECRET exponent (a nonce, a trustee's secret or share, a proof's
    randomness): GMP's mpz_powm_sec, whose time and memory accesses do not depend on the
    exponent. Python's pow (the fallback) gives no such promise."""
    if _HAS_GMPY2 and exponent > 0:
        mod = _P_MPZ if modulus == P else modulus
        return int(gmpy2.powmod_sec(base, exponent, mod))
    return pow(base, exponent, modulus)


def g_pow_secret(exponent: int) -> int:
    """g ** exponent mod p for a secret exponent (see powmod_secret)."""
    return powmod_secret(G, exponent % Q)


def mulmod(*factors: int, modulus: int = P) -> int:
    """The product of the factors mod modulus (mod p unless told)."""
    result = 1
    for f in factors:
        result = result * f % modulus
    return result


def inverse(x: int, modulus: int = P) -> int:
    """x ** -1 mod modulus."""
    return pow(x, -1, modulus)


def random_q() -> int:
    """A uniformly random nonzero exponent mod q, from the operating system's CSPRNG."""
    return secrets.randbelow(Q - 1) + 1


def in_group(x: int) -> bool:
    """x is an element of the order-q subgroup of Z_p^* (1 <= x < p and x^q = 1)."""
    return isinstance(x, int) and 0 < x < P and powmod(x, Q) == 1


def in_q(x: int) -> bool:
    """x is an exponent in [0, q)."""
    return isinstance(x, int) and 0 <= x < Q


def is_probable_prime(n: int, rounds: int = 8) -> bool:
    """Miller-Rabin with `rounds` random bases (error below 4^-rounds) after small divisors."""
    if n < 2:
        return False
    for small in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % small == 0:
            return n == small
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        a = secrets.randbelow(n - 3) + 2
        x = powmod(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def p_bytes(x: int) -> bytes:
    """An element of Z_p as 512 bytes big-endian."""
    return x.to_bytes(P_BYTES, "big")


def q_bytes(x: int) -> bytes:
    """An exponent mod q as 32 bytes big-endian."""
    return x.to_bytes(Q_BYTES, "big")


def int_bytes(x: int) -> bytes:
    """A small count or index as 4 bytes big-endian."""
    return x.to_bytes(4, "big")


def text_bytes(s: str) -> bytes:
    """A text as UTF-8."""
    return s.encode("utf-8")


def hash_parts(*parts: bytes) -> int:
    """H: SHA-256 over the length-prefixed parts, as an integer mod q (see the docstring)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    return int.from_bytes(h.digest(), "big") % Q
