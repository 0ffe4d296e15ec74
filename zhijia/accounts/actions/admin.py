"""Writes an administrator makes to accounts in the admin console: passwords and roles, and the
second administrator's approval of a reset of a sensitive account's password.

Each is an event of the audit log with what changed (old and new values, never a secret), so
that an administrator's power over an account is visible afterwards (issue 11, item 3).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import ApiToken, PasswordResetRequest, Role, RoleAssignment, User
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require

RESET_NOTICE_KIND = "accounts.password_reset_by_admin"
APPROVAL_NOTICE_KIND = "accounts.password_reset_approval"
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


def _record_role_event(action: str, *, actor: User, user: User, assignment, unit, extra) -> None:
    require(actor, "core.configure")
    data = {**assignment, **extra}
    if actor.pk == user.pk:
        data["own_account"] = True
    record(actor=actor, action=action, target=user, unit=unit, data=data)


@transaction.atomic
def do_admin_grant_role(
    *, actor: User, user: User, assignment: dict[str, Any], unit=None, **extra
) -> None:
    """Record a role given to `user` in the console (the row is written by the admin form)."""
    _record_role_event(
        "admin.grant_role", actor=actor, user=user, assignment=assignment, unit=unit, extra=extra
    )


@transaction.atomic
def do_admin_revoke_role(
    *, actor: User, user: User, assignment: dict[str, Any], unit=None, **extra
) -> None:
    """Record a role taken from `user` in the console."""
    _record_role_event(
        "admin.revoke_role", actor=actor, user=user, assignment=assignment, unit=unit, extra=extra
    )


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


def needs_second_approval(user: User) -> set[str]:
    """The roles of `user` for which a reset by an administrator needs a second one's approval
    (settings.ZHIJIA_RESET_APPROVAL_ROLES); empty when it takes effect at once."""
    return set(user.role_codes) & set(settings.ZHIJIA_RESET_APPROVAL_ROLES)


def _apply_password(
    *, actor: User, user: User, password_hash: str | None, data: dict[str, Any], notify_user: bool
) -> int:
    """Put an administrator's password (as stored: a hash; None disables password sign-in) on
    the account, hold her to choosing her own, revoke her API tokens, audit, tell her."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if password_hash is None:
        user.set_unusable_password()
        user.must_change_password = False
    else:
        user.password = password_hash
        user.must_change_password = user.pk != actor.pk
    user.save(update_fields=["password", "must_change_password"])
    revoked, _detail = ApiToken.objects.filter(user=user).delete()
    record(
        actor=actor,
        action="admin.reset_password",
        target=user,
        data={
            "password": CHANGED if password_hash is not None else "(disabled)",
            "must_change_password": user.must_change_password,
            "api_tokens_revoked": revoked,
            **data,
        },
    )
    if notify_user and user.pk != actor.pk:
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

    For an account holding a role of settings.ZHIJIA_RESET_APPROVAL_ROLES a new password is not
    set here: do_request_password_reset asks a second administrator first.
    """
    require(actor, "core.configure")
    sensitive = password is not None and not new_account and user.pk != actor.pk
    if sensitive and needs_second_approval(user):
        raise ActionRefused(_("该账号持有敏感角色，重置密码须由另一位管理员批准。"), status=409)
    return _apply_password(
        actor=actor,
        user=user,
        password_hash=make_password(password) if password is not None else None,
        data={"new_account": new_account},
        notify_user=not new_account,
    )


def _administrators_but(actor: User) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.ADMIN)
        .exclude(pk=actor.pk)
        .distinct()
    )


@transaction.atomic
def do_request_password_reset(*, actor: User, user: User, password: str) -> PasswordResetRequest:
    """An administrator asks to reset the password (already validated) of an account holding a
    sensitive role; it takes effect when another administrator approves it. A newer request
    for the same account replaces a pending one. The other administrators are told."""
    require(actor, "core.configure")
    roles = needs_second_approval(user)
    if not roles or user.pk == actor.pk:
        raise ActionRefused(_("该账号的密码重置无需审批。"), status=409)
    now = timezone.now()
    replaced = list(
        PasswordResetRequest.objects.select_for_update()
        .filter(user=user, state=PasswordResetRequest.State.PENDING)
        .values_list("pk", flat=True)
    )
    PasswordResetRequest.objects.filter(pk__in=replaced).update(
        state=PasswordResetRequest.State.REPLACED, password_hash="", decided_at=now
    )
    reset = PasswordResetRequest.objects.create(
        user=user, requested_by=actor, requested_at=now, password_hash=make_password(password)
    )
    record(
        actor=actor,
        action="admin.request_password_reset",
        target=user,
        data={"request_id": reset.pk, "roles": sorted(roles), "replaces": replaced},
    )
    notify(
        recipients=_administrators_but(actor),
        kind=APPROVAL_NOTICE_KIND,
        title=_("有一项密码重置等待您批准"),
        body=_("一位管理员申请重置持有敏感角色的账号的密码，须由另一位管理员批准后生效。"),
        url=reverse("zhijia_admin:accounts_passwordresetrequest_decide", args=[reset.pk]),
    )
    return reset


@transaction.atomic
def do_decide_password_reset(
    *, actor: User, reset: PasswordResetRequest, approve: bool
) -> PasswordResetRequest:
    """A second administrator approves (the password takes effect, as do_admin_reset_password
    would set it) or rejects a pending reset. The one who asked cannot decide it."""
    require(actor, "core.configure")
    reset = PasswordResetRequest.objects.select_for_update().get(pk=reset.pk)
    if reset.state != PasswordResetRequest.State.PENDING:
        raise ActionRefused(_("该申请已处理。"), status=409)
    if reset.requested_by_id == actor.pk:
        raise ActionRefused(_("须由另一位管理员批准，申请人不能批准自己的申请。"), status=403)
    if reset.user_id == actor.pk:
        raise ActionRefused(_("不能审批重置自己密码的申请。"), status=403)
    password_hash = reset.password_hash
    reset.state = (
        PasswordResetRequest.State.APPROVED if approve else PasswordResetRequest.State.REJECTED
    )
    reset.decided_by, reset.decided_at, reset.password_hash = actor, timezone.now(), ""
    reset.save(update_fields=["state", "decided_by", "decided_at", "password_hash"])
    record(
        actor=actor,
        action="admin.approve_password_reset" if approve else "admin.reject_password_reset",
        target=reset.user,
        data={"request_id": reset.pk, "requested_by": reset.requested_by_id},
    )
    if approve:
        _apply_password(
            actor=actor,
            user=reset.user,
            password_hash=password_hash,
            data={
                "new_account": False,
                "request_id": reset.pk,
                "requested_by": reset.requested_by_id,
                "approved_by": actor.pk,
            },
            notify_user=True,
        )
    return reset
