#!/usr/bin/env python3
"""The trustee's tool of an encrypted zhijia poll (docs/voting.md, "Trustees").

Run on the trustee's OWN computer, with Python 3.11 and a copy of zhijia's source: it imports
zhijia/voting/crypto (pure Python; gmpy2 is used when installed, Python's pow otherwise) and
nothing else of zhijia, no Django, no third-party package. The key file it writes is the
trustee's secret: it never goes to the server; keep it (a USB stick, a printed copy) until
the poll's results are published.

  python3 zhijia_trustee.py keygen  poll.json --key my-key.json --out public.json
  python3 zhijia_trustee.py shares  poll.json --key my-key.json --out shares.json
  python3 zhijia_trustee.py check   poll.json --key my-key.json --out check.json
  python3 zhijia_trustee.py decrypt poll.json --key my-key.json --out decryption.json

poll.json is the document downloaded from the poll's trustee page (it grows: the others'
public keys after step 1, the sealed shares after step 2, the tally after the close); each
--out file is uploaded on the same page. `check` writes the check document whether the shares
sealed to you fit or not (a complaint names the senders whose shares do not fit: upload it,
the poll then cannot open until its manager restarts the ceremony). Exit 0 on success (a
check with no complaint), 2 for a check written with a complaint, 1 with a message otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zhijia.voting.crypto import trustee as t  # noqa: E402
from zhijia.voting.crypto.elgamal import Ciphertext  # noqa: E402
from zhijia.voting.crypto.record import _i  # noqa: E402

POLL_FORMAT = "zhijia-trustee-poll/1"


class Refused(Exception):
    """A step that cannot be done (yet); the message says why."""


def _poll(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("format") != POLL_FORMAT:
        raise Refused("poll.json is not the document of a poll's trustee page")
    if not isinstance(doc.get("you"), int):
        raise Refused("poll.json was not downloaded by a trustee of this poll")
    return doc


def _publics(doc: dict[str, Any]) -> list:
    publics = []
    for d in doc.get("public", []):
        public, _base = t.public_from_dict(d)
        publics.append(public)
    return publics


def _secret(doc: dict[str, Any], key: dict[str, Any]):
    secret, base = t.key_from_dict(key)
    if base != _i(doc["base_hash"]) or secret.index != doc["you"]:
        raise Refused("this key file is not yours for this poll")
    return secret, base


def _received(doc: dict[str, Any], secret, base: int) -> dict[tuple[int, int], int]:
    publics = _publics(doc)
    if len(publics) != len(doc["trustees"]):
        raise Refused("not every trustee has published a public key yet")
    sealed = [t.share_from_dict(s) for s in doc.get("shares", [])]
    try:
        return t.open_shares(secret, sealed, publics, base)
    except t.BadShares as exc:
        raise Refused(
            "the shares from trustee(s) "
            + ", ".join(map(str, exc.senders))
            + " are missing or do not fit their commitments: tell the poll's manager"
        ) from exc


def keygen(doc: dict[str, Any], key_path: Path) -> dict[str, Any]:
    if key_path.exists():
        raise Refused(f"{key_path} exists: a key is made once, never overwritten")
    key, public = t.keygen(doc["you"], int(doc["quorum"]), _i(doc["base_hash"]))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(key, f)
    return public


def shares(doc: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    secret, base = _secret(doc, key)
    publics = _publics(doc)
    if len(publics) != len(doc["trustees"]):
        raise Refused("not every trustee has published a public key yet")
    return t.seal_shares(secret, publics, base)


def check(doc: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    """The check document: the senders whose shares sealed to this trustee do not fit."""
    secret, base = _secret(doc, key)
    publics = _publics(doc)
    if len(publics) != len(doc["trustees"]):
        raise Refused("not every trustee has published a public key yet")
    sealed = [t.share_from_dict(s) for s in doc.get("shares", [])]
    return t.check_document(secret, sealed, publics, base)


def decrypt(doc: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    secret, base = _secret(doc, key)
    if not doc.get("tally"):
        raise Refused("the poll is not closed and tallied yet")
    received = _received(doc, secret, base)
    tally = [(d["option"], Ciphertext(_i(d["alpha"]), _i(d["beta"]))) for d in doc["tally"]]
    indices = [d["index"] for d in doc["trustees"]]
    return t.decrypt_for_tally(secret, tally, received, indices, _i(doc["extended_hash"]))


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(f"cannot read {path}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["keygen", "shares", "check", "decrypt"])
    parser.add_argument("poll", type=Path)
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    try:
        doc = _poll(_load(args.poll))
        if args.command == "keygen":
            out = keygen(doc, args.key)
        elif args.command == "check":
            out = check(doc, _load(args.key))
            if out["complaints"]:
                senders = ", ".join(map(str, out["complaints"]))
                sys.stderr.write(
                    f"COMPLAINT: the shares from trustee(s) {senders} are missing or do not "
                    "fit their commitments; upload the check document to tell the server\n"
                )
            else:
                sys.stdout.write("OK: the shares sealed to you fit their senders' commitments\n")
        elif args.command == "shares":
            out = shares(doc, _load(args.key))
        else:
            out = decrypt(doc, _load(args.key))
    except (Refused, t.BadDocument) as exc:
        sys.stderr.write(f"FAIL: {exc}\n")
        return 1
    text = json.dumps(out)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        sys.stdout.write(f"OK: wrote {args.out}; upload it on the poll's trustee page\n")
    else:
        sys.stdout.write(text + "\n")
    return 2 if out.get("complaints") else 0


if __name__ == "__main__":
    sys.exit(main())
