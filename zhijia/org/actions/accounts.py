"""Every member has an account: created with the member, enabled while the member is 在册.

    user = new_member_account(member)          # before member.save(): sets member.user
    attach_accounts(members)                   # the same for many unsaved members (imports)
    sync_account(member)                       # after a status or name change

The account is keyed to the member record (Member.user). Members sign in by 工号 or phone
(zhijia.accounts.backends.find_user), never by the internal username, which is "m." + 工号 at
creation and never shown. A new account has no usable password: the member activates it
(zhijia.accounts activation) with the last six characters of the ID number and a one-time code,
then chooses a password. The account is disabled while the member is 转出, 退休 or 除名, and
enabled again on return to 在册; roles come from the records that grant them (representative
seats, cadre appointments), not from the account.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connections, router
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import Member

USERNAME_PREFIX = "m."
# From this many accounts on, they are inserted with one prepared statement per batch instead of
# bulk_create: the ORM's per-value preparation would cost an import of 100,000 rows ~10 s.
FAST_INSERT_FROM = 50
_VARYING = ("username", "full_name", "password", "is_active")


def _unusable_password() -> str:
    # What set_unusable_password() stores, without 40 calls of secrets.choice per account:
    # imports create tens of thousands at once.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _free_usernames(wanted: list[str]) -> list[str]:
    """The wanted usernames, each made unique against existing accounts and each other."""
    taken = set(
        User.objects.filter(username__in=wanted).values_list("username", flat=True).iterator()
    )
    result: list[str] = []
    for name in wanted:
        candidate = name
        while candidate in taken:
            candidate = f"{name}.{secrets.token_hex(3)}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _account_for(member: Member, username: str, password: str | None) -> User:
    return User(
        username=username,
        full_name=member.name,
        password=password or _unusable_password(),
        is_active=member.status == Member.Status.ACTIVE,
    )


def attach_accounts(
    members: Iterable[Member], *, password_hash: str | None = None, batch_size: int = 2000
) -> int:
    """Create accounts for unsaved (or saved) members that have none; set `member.user`.

    Saved members are updated in place; unsaved ones get their `user` set before their own
    bulk_create. `password_hash` (a make_password() result) is for the demo only: real
    accounts start without a usable password and are activated by their member. Returns the
    number of accounts created. From FAST_INSERT_FROM members on, only `member.user_id` is
    set (the account is loaded when first used).
    """
    pending = [m for m in members if m.user_id is None]
    if not pending:
        return 0
    names = _free_usernames([USERNAME_PREFIX + m.employee_no for m in pending])
    if len(pending) >= FAST_INSERT_FROM and _fast_insert_possible():
        for start in range(0, len(pending), batch_size):
            chunk = pending[start : start + batch_size]
            ids = _insert_accounts(chunk, names[start : start + batch_size], password_hash)
            for member, user_id in zip(chunk, ids, strict=True):
                member.user_id = user_id
    else:
        users = [
            _account_for(m, name, password_hash) for m, name in zip(pending, names, strict=True)
        ]
        User.objects.bulk_create(users, batch_size=batch_size)
        for member, user in zip(pending, users, strict=True):
            member.user = user
    saved = [m for m in pending if m.pk is not None]
    if saved:
        Member.objects.bulk_update(saved, ["user"], batch_size=500)
    return len(pending)


def _fast_insert_possible() -> bool:
    """The fast path fills every column but the varying ones from one prototype account: only
    right while no other column is unique or has a per-account default."""
    for f in User._meta.concrete_fields:
        if f.primary_key or f.name in _VARYING:
            continue
        per_account_default = f.has_default() and callable(f.default)
        if f.unique or (per_account_default and f.default is not timezone.now):
            return False
    return True


def _insert_accounts(members: list[Member], names: list[str], password: str | None) -> list[int]:
    """INSERT the accounts of `members` (usernames `names`, free) in one executemany; their
    ids, in order."""
    connection = connections[router.db_for_write(User)]
    prototype = User(username="", full_name="", password="", is_active=True)
    fields = [f for f in User._meta.concrete_fields if not f.primary_key]
    constant: list[Any] = [
        f.get_db_prep_save(f.pre_save(prototype, True), connection) for f in fields
    ]
    slots = {f.name: index for index, f in enumerate(fields)}
    rows = []
    for member, name in zip(members, names, strict=True):
        row = list(constant)
        row[slots["username"]] = name
        row[slots["full_name"]] = member.name
        row[slots["password"]] = password or _unusable_password()
        row[slots["is_active"]] = member.status == Member.Status.ACTIVE
        rows.append(row)
    quote = connection.ops.quote_name
    # Identifiers from the model's metadata, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(User._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # allow: raw-sql bulk_create's per-value preparation was a third of a 100,000-row import
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    return [ids[name] for name in names]


def new_member_account(member: Member) -> User:
    """The account of one member (created now if it has none)."""
    if member.user_id is None:
        attach_accounts([member])
    assert member.user is not None
    return member.user


def sync_account(member: Member) -> None:
    """The account follows the member: enabled only while 在册, named as the member."""
    if member.user_id is None:
        new_member_account(member)
        return
    active = member.status == Member.Status.ACTIVE
    User.objects.filter(pk=member.user_id).exclude(is_active=active, full_name=member.name).update(
        is_active=active, full_name=member.name
    )
