"""The verifiable secret ballot's cryptography (issue 11, docs/voting.md). No Django.

Pure functions and frozen dataclasses, following the ElectionGuard specification (not its
package) so that the record can be recounted by `verifier/zhijia_verify.py`, a standard-library
script that does not import zhijia:

  group.py     the 4096-bit group, big-number arithmetic (gmpy2 or pow), the hash H
  elgamal.py   exponential ElGamal: encrypt, homomorphic add, discrete log of a count
  proofs.py    disjunctive Chaum-Pedersen (0 or 1; a ballot's sum), Chaum-Pedersen equality of
               logarithms (decryption), Schnorr (the trustees' coefficients)
  ceremony.py  the trustees' key ceremony: polynomials, Feldman commitments, shares, joint key
  ballot.py    a ballot's selections, placeholders and proofs; the tracker chain
  tally.py     the homomorphic tally, partial and compensated decryptions, k of n
  record.py    the election record (JSON) written and read
"""
