"""Helpers for the congress session tests: members with accounts, a term with its
representatives, a session ready for check-in, an item's online vote (always encrypted to
the session's scrutineers) opened, cast and decrypted in one process."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from zhijia.congress.actions import agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import AgendaItem, Representative, Term
from zhijia.congress.queries import sessions as q
from zhijia.org.models import Member, OrgUnit
from zhijia.voting.models import Poll
from zhijia.voting.queries import trustees_of
from zhijia.voting.tests import encrypted_support
from zhijia.voting.tests.encrypted_support import cast as cast  # for the congress tests
from zhijia.voting.tests.encrypted_support import decrypt as decrypt

_batch = itertools.count(1)


def make_members(
    unit: OrgUnit,
    n: int,
    *,
    prefix: str | None = None,
    gender: str = "M",
    employment_type: str = Member.EmploymentType.REGULAR,
    with_accounts: bool = True,
) -> list[Member]:
    """n in-register members of `unit`, each with an active account (bulk, fast)."""
    prefix = prefix or f"c{next(_batch):03d}"
    User = get_user_model()
    users = []
    if with_accounts:
        User.objects.bulk_create(
            User(username=f"{prefix}-{i:04d}", full_name=f"代表{prefix}{i}") for i in range(n)
        )
        users = list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))
    Member.objects.bulk_create(
        Member(
            employee_no=f"{prefix.upper()}{i:05d}",
            name=f"代表{prefix}{i}",
            gender=gender,
            org_unit=unit,
            employment_type=employment_type,
            user=users[i] if with_accounts else None,
        )
        for i in range(n)
    )
    return list(
        Member.objects.filter(employee_no__startswith=prefix.upper())
        .select_related("org_unit", "user")
        .order_by("employee_no")
    )


def make_term(actor, unit: OrgUnit, **kwargs) -> Term:
    defaults = {"start_date": dt.date(2024, 3, 1), "end_date": dt.date(2029, 2, 28)}
    defaults.update(kwargs)
    return actions.do_create_term(actor=actor, unit=unit, **defaults)


def seat(actor, term: Term, members, **kwargs) -> list[Representative]:
    return [
        actions.do_add_representative(actor=actor, term=term, member=m, **kwargs) for m in members
    ]


def prepare_online_vote(chair, item: AgendaItem) -> Poll:
    """What the chair and the scrutineers do before an item's online vote opens: record the
    term's first three representatives who can sign in as scrutineers (when the session has
    none), prepare the encrypted vote and make its key (the ceremony, in one process)."""
    session = item.session
    if not q.scrutineers_of(session).exists():
        chief, *others = scrutineers_who_can_sign_in(session.term)
        agenda.do_set_scrutineers(actor=chair, session=session, chief=chief, others=others)
    poll = agenda.do_prepare_item_vote(actor=chair, item=item)
    make_key(poll)
    return poll


def scrutineers_who_can_sign_in(term: Term) -> list[Representative]:
    """The term's first three representatives who can sign in (the chief first)."""
    choices = q.scrutineer_choices(term)
    return [r for r in choices if r.member.user.has_usable_password()][:3]


def make_key(poll: Poll) -> None:
    """The key ceremony of a prepared vote by its trustees, in one process; their key files
    are kept for decrypt()."""
    encrypted_support.make_key(poll, [t.user for t in trustees_of(poll)])


def open_online_vote(chair, item: AgendaItem) -> Poll:
    """prepare_online_vote, then the chair opens the vote."""
    prepare_online_vote(chair, item)
    return agenda.do_open_item_vote(actor=chair, item=item)


def close_online_vote(chair, item: AgendaItem) -> Poll:
    """Close the item's online vote and let k scrutineers decrypt the totals: the result is
    published (as after the scrutineers' decryption at the hall)."""
    return decrypt(agenda.do_close_item_vote(actor=chair, item=item))
