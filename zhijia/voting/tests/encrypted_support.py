"""The trustees' steps of an encrypted poll's key ceremony in one process, for tests and the
browser test's setup only: here the trustees' secrets are all in one place, which a real
ceremony (verifier/zhijia_trustee.py on each trustee's computer) never allows; they are
discarded at return."""

from __future__ import annotations

from collections.abc import Sequence


def ceremony_in_process(poll, trustees: Sequence) -> list[tuple]:
    """Run keygen, shares and the check for the poll's named trustees (users, in index
    order): the poll may open after it. Returns each trustee's (user, key file content), for
    decrypt_in_process."""
    from zhijia.voting import queries, trustee_actions
    from zhijia.voting.crypto import trustee as ct

    base = queries.base_hash_of(poll)
    made = [(user, ct.keygen(i, poll.quorum, base)) for i, user in enumerate(trustees, start=1)]
    for user, (_key, public) in made:
        trustee_actions.do_post_trustee_public(actor=user, poll=poll, document=public)
    publics = queries.trustee_publics(queries.trustees_of(poll))
    for user, (key, _public) in made:
        secret, _base = ct.key_from_dict(key)
        shares = ct.seal_shares(secret, publics, base)
        trustee_actions.do_post_trustee_shares(actor=user, poll=poll, document=shares)
    for user, (key, _public) in made:
        check_in_process(poll, user, key)
    return [(user, key) for user, (key, _public) in made]


def decrypt_in_process(poll, keys: Sequence[tuple]) -> None:
    """After the close, the first k trustees of `keys` ((user, key) from ceremony_in_process)
    each decrypt with the trustee tool's step and post it: the result is published."""
    from zhijia.voting import queries, trustee_actions

    tool = trustee_tool()
    trustees = {t.user_id: t for t in queries.trustees_of(poll)}
    for user, key in keys[: poll.quorum]:
        doc = queries.trustee_document(poll, trustees[user.pk])
        trustee_actions.do_post_trustee_decryption(
            actor=user, poll=poll, document=tool.decrypt(doc, key)
        )


def check_in_process(poll, user, key: dict) -> None:
    """The trustee `user` (her key file's content `key`) checks the shares sealed to her and
    posts the check, once every trustee's shares are in."""
    from zhijia.voting import queries, trustee_actions
    from zhijia.voting.crypto import trustee as ct

    secret, base = ct.key_from_dict(key)
    publics = queries.trustee_publics(queries.trustees_of(poll))
    sealed = [ct.share_from_dict(s) for s in queries.trustee_document(poll, None)["shares"]]
    check = ct.check_document(secret, sealed, publics, base)
    trustee_actions.do_post_trustee_check(actor=user, poll=poll, document=check)


def trustee_tool():
    """verifier/zhijia_trustee.py, the trustee's command-line tool, loaded as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "verifier" / "zhijia_trustee.py"
    spec = importlib.util.spec_from_file_location("zhijia_trustee", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encrypt_ballot_for(doc: dict, choice: Sequence[str]) -> dict:
    """A ballot for `choice` (option keys) encrypted as a voter's device encrypts it
    (ballot-crypto.js computes the same), as the cast takes it. `doc`: what the device
    encrypts to (api_ballot_document: the poll's name, manifest, joint key, Q-bar)."""
    import secrets

    from zhijia.voting.crypto import ballot as cballot
    from zhijia.voting.crypto.group import random_q
    from zhijia.voting.crypto.record import ballot_to_dict

    m = doc["manifest"]
    manifest = cballot.Manifest(doc["poll"], m["kind"], tuple(m["options"]), m["votes_allowed"])
    encrypted = cballot.encrypt_ballot(
        manifest,
        tuple(choice),
        ballot_id=secrets.token_hex(16),
        master_nonce=random_q(),
        key=int(doc["joint_key"], 16),
        qbar=int(doc["extended_hash"], 16),
        previous_tracker=0,  # the server chains it
    )
    return ballot_to_dict(encrypted)


def ballot_document(poll) -> dict:
    """What a voter's device encrypts to (the `doc` of encrypt_ballot_for), read from the
    database."""
    from zhijia.voting import queries

    context = queries.ballot_context(poll)
    assert context is not None, "the poll has no key yet"
    return {
        "poll": queries.manifest_of(poll).poll,
        "manifest": context["manifest"],
        "joint_key": context["key"],
        "extended_hash": context["qbar"],
    }


def ballot_in_process(poll, choice: Sequence[str]) -> dict:
    """encrypt_ballot_for, to the poll read from the database (a test's setup)."""
    return encrypt_ballot_for(ballot_document(poll), choice)


# --- a whole encrypted vote in one process: the key, the casts, the decryption ----------------

# The trustees' key files of the polls whose key make_key made, until decrypt() uses them.
_KEYS: dict[int, list[tuple]] = {}


def make_key(poll, trustees: Sequence) -> None:
    """ceremony_in_process for the poll's named trustees (users, in index order), keeping
    their key files for decrypt()."""
    _KEYS[poll.pk] = ceremony_in_process(poll, trustees)


def cast(voter, poll, choice: Sequence[str]) -> str:
    """The voter's ballot, encrypted as her phone encrypts it, cast; its tracker."""
    from zhijia.voting import actions

    ballot = ballot_in_process(poll, choice)
    return actions.do_cast_encrypted_ballot(voter=voter, poll=poll, ballot=ballot)


def decrypt(poll):
    """After the close, k of the trustees whose key make_key made decrypt the totals (when
    there are ballots): the result is published. The poll, read again."""
    poll.refresh_from_db()
    keys = _KEYS.pop(poll.pk)
    if poll.encrypted_tally.get("ballots"):
        decrypt_in_process(poll, keys)
    poll.refresh_from_db()
    return poll


def api_trustee_step(client, poll_id: int, step: str, key, workdir) -> dict:
    """A trustee's step through the API, as a trustee does it: download the poll document,
    run verifier/zhijia_trustee.py `step` (keygen, shares, check, decrypt) with her key file `key`
    (a path, written by keygen), post what it wrote; the answer's body."""
    import json

    url = f"/api/v1/voting/polls/{poll_id}/trustee"
    doc = client.get(url)
    assert doc.status_code == 200, doc.content.decode()
    doc_path = workdir / f"{key.stem}-{step}-poll.json"
    doc_path.write_text(json.dumps(doc.json()))
    out = workdir / f"{key.stem}-{step}.json"
    assert trustee_tool().main([step, str(doc_path), "--key", str(key), "--out", str(out)]) == 0
    posted = client.post(
        url,
        data=json.dumps({"document": json.loads(out.read_text())}),
        content_type="application/json",
    )
    assert posted.status_code == 200, posted.content.decode()
    return posted.json()


def key_file(workdir, name: str):
    """Where the trustee `name` keeps her key file in a test's directory."""
    return workdir / f"{name}-key.json"


def api_key_ceremony(clients: dict, poll_id: int, workdir) -> dict:
    """Every trustee's keygen, then shares, then check through the API (`clients`: trustee
    name → her API client, in index order); the last answer's body (`key_ready` in it)."""
    status: dict = {}
    for step in ("keygen", "shares", "check"):
        for name, client in clients.items():
            status = api_trustee_step(client, poll_id, step, key_file(workdir, name), workdir)
    return status


def api_ballot_document(client, poll_id: int) -> dict:
    """What a voter's device encrypts to, from GET /polls/{id} (the `doc` of encrypt_ballot_for)."""
    detail = client.get(f"/api/v1/voting/polls/{poll_id}").json()
    return {
        "poll": f"zhijia-poll-{poll_id}",  # the manifest's name of the poll
        "manifest": detail["encryption"]["manifest"],
        "joint_key": detail["encryption"]["key"],
        "extended_hash": detail["encryption"]["qbar"],
    }
