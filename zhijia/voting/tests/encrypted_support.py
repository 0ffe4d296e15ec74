"""The trustees' steps of an encrypted poll's key ceremony in one process, for tests and the
browser test's setup only: here the trustees' secrets are all in one place, which a real
ceremony (verifier/zhijia_trustee.py on each trustee's computer) never allows; they are
discarded at return."""

from __future__ import annotations

from collections.abc import Sequence


def ceremony_in_process(poll, trustees: Sequence) -> None:
    """Run keygen and shares for the poll's named trustees (users, in index order)."""
    from zhijia.voting import actions, queries
    from zhijia.voting.crypto import trustee as ct

    base = queries.base_hash_of(poll)
    made = [(user, ct.keygen(i, poll.quorum, base)) for i, user in enumerate(trustees, start=1)]
    for user, (_key, public) in made:
        actions.do_post_trustee_public(actor=user, poll=poll, document=public)
    publics = queries.trustee_publics(queries.trustees_of(poll))
    for user, (key, _public) in made:
        secret, _base = ct.key_from_dict(key)
        shares = ct.seal_shares(secret, publics, base)
        actions.do_post_trustee_shares(actor=user, poll=poll, document=shares)
