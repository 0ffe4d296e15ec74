"""Writes an administrator makes to accounts in the admin console: passwords and roles.

Each is an event of the audit log with what changed (old and new values, never a secret), so
that an administrator's power over an account is visible afterwards (issue 11, item 3).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.accounts.models import ApiToken, RoleAssignment, User
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import require

RESET_NOTICE_KIND = "accounts.password_reset_by_admin"
# What the audit log says instead of a password or its hash.
CHANGED = "(changed)"


def describe_assignment(*, role: str, org_unit=None, department=None, title: str = "") -> dict:
    """One role assignment as the audit log writes it: the role and its scope, by id and name."""
    return {
        "role": str(role),
        "org_unit_id": getattr(org_unit, "pk", None),
        "org_unit": str(org_unit) if org_unit is not None else None,
        "department_id": getattr(department, "pk", None),
        "department": str(department) if department is not None else None,
        "title": title or "",
    }


@transaction.atomic
def do_admin_grant_role(
    *, actor: User, user: User, assignment: dict[str, Any], unit=None, **extra
) -> None:
    """Record a role given to `user` in the console (the row is written by the admin form)."""
    require(actor, "core.configure")
    data = {**assignment, **extra}
    if actor.pk == user.pk:
        data["own_account"] = True
    record(actor=actor, action="admin.grant_role", target=user, unit=unit, data=data)


@transaction.atomic
def do_admin_revoke_role(
    *, actor: User, user: User, assignment: dict[str, Any], unit=None, **extra
) -> None:
    """Record a role taken from `user` in the console."""
    require(actor, "core.configure")
    data = {**assignment, **extra}
    if actor.pk == user.pk:
        data["own_account"] = True
    record(actor=actor, action="admin.revoke_role", target=user, unit=unit, data=data)


@transaction.atomic
def do_admin_change_role_title(
    *, actor: User, user: User, assignment: RoleAssignment, old: str, new: str
) -> None:
    """Record a change of an assignment's title only (its role and scope unchanged)."""
    require(actor, "core.configure")
    record(
        actor=actor,
        action="admin.change_role",
        target=user,
        data={
            "assignment_id": assignment.pk,
            "role": assignment.role,
            "fields": ["title"],
            "changed": {"title": [old, new]},
        },
    )


@transaction.atomic
def do_admin_reset_password(
    *, actor: User, user: User, password: str | None, new_account: bool = False
) -> int:
    """An administrator sets `user`'s password (already validated), or disables password
    sign-in (`password=None`). Returns the number of API tokens revoked.

    A password the administrator knows is not the user's own: she must choose a new one at her
    next sign-in (`must_change_password`), unless the administrator set his own. Her API tokens
    are revoked and her other sessions end (Django ties a session to the password hash). She is
    told in her inbox and on her channels, unless the account is new.
    """
    require(actor, "core.configure")
    user = User.objects.select_for_update().get(pk=user.pk)
    if password is None:
        user.set_unusable_password()
        user.must_change_password = False
    else:
        user.set_password(password)
        user.must_change_password = user.pk != actor.pk
    user.save(update_fields=["password", "must_change_password"])
    revoked, _detail = ApiToken.objects.filter(user=user).delete()
    record(
        actor=actor,
        action="admin.reset_password",
        target=user,
        data={
            "password": CHANGED if password is not None else "(disabled)",
            "must_change_password": user.must_change_password,
            "new_account": new_account,
            "api_tokens_revoked": revoked,
        },
    )
    if not new_account and user.pk != actor.pk:
        notify(
            recipients=[user],
            kind=RESET_NOTICE_KIND,
            title=_("管理员重置了您的密码"),
            body=_(
                "系统管理员重置了您的登录密码，下次登录后须先设置新密码。"
                "如果这不是您请求的，请立即联系工会。"
            ),
            url=reverse("accounts:password-change"),
        )
    return revoked
