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

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from zhijia.accounts.models import User
from zhijia.org.models import Member

USERNAME_PREFIX = "m."


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
    number of accounts created.
    """
    pending = [m for m in members if m.user_id is None]
    if not pending:
        return 0
    names = _free_usernames([USERNAME_PREFIX + m.employee_no for m in pending])
    users = [_account_for(m, name, password_hash) for m, name in zip(pending, names, strict=True)]
    User.objects.bulk_create(users, batch_size=batch_size)
    saved: list[Member] = []
    for member, user in zip(pending, users, strict=True):
        member.user = user
        if member.pk is not None:
            saved.append(member)
    if saved:
        Member.objects.bulk_update(saved, ["user"], batch_size=500)
    return len(users)


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
