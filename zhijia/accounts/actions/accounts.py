"""Writes of module accounts: passwords, two-factor devices, unlocking. Each one is audited."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhijia.accounts import twofactor
from zhijia.accounts.models import ApiToken, User
from zhijia.core.audit import record
from zhijia.core.permissions import require

PENDING_DEVICE_NAME = "pending"


@transaction.atomic
def do_change_password(*, actor: User, new_password: str) -> None:
    """Set the actor's own password (already validated) and revoke their API tokens; a
    password an administrator had set (must_change_password) is hers no longer.

    Other browser sessions end by themselves: Django ties a session to the password hash.
    """
    was_forced = actor.must_change_password
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    revoked, _ = ApiToken.objects.filter(user=actor).delete()
    data: dict = {"api_tokens_revoked": revoked}
    if was_forced:
        data["replaces_admin_set_password"] = True
    record(actor=actor, action="accounts.change_password", target=actor, data=data)


@transaction.atomic
def do_start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator the actor is enrolling (created once, kept across reloads)."""
    device = TOTPDevice.objects.filter(
        user=actor, confirmed=False, name=PENDING_DEVICE_NAME
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=PENDING_DEVICE_NAME, confirmed=False)
    return device


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(
        user=user, name=twofactor.BACKUP_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(twofactor.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def do_confirm_totp_enrolment(*, actor: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns new backup codes.

    Returns None when the code is wrong (the miss is recorded for throttling). On success the
    actor's earlier authenticators and backup codes are replaced.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise ValueError("not a pending device of this user")
    code = "".join((code or "").split())
    if not device.verify_token(code):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.name = "authenticator"
        device.confirmed = True
        device.save(update_fields=["name", "confirmed"])
        codes = _new_backup_codes(actor)
        record(actor=actor, action="accounts.enable_two_factor", target=actor)
    twofactor.remember_has_device(actor, True)
    return codes


@transaction.atomic
def do_regenerate_backup_codes(*, actor: User) -> list[str]:
    """Replace the actor's backup codes (the old ones stop working)."""
    if twofactor.confirmed_totp_device(actor) is None:
        raise ValueError(_("尚未启用两步验证。"))
    codes = _new_backup_codes(actor)
    record(actor=actor, action="accounts.regenerate_backup_codes", target=actor)
    return codes


@transaction.atomic
def do_disable_two_factor(*, actor: User) -> None:
    """Remove the actor's own devices; refused for roles that require two-factor sign-in."""
    if twofactor.is_required_for(actor):
        raise ValueError(_("您的角色必须使用两步验证，不能关闭。"))
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    twofactor.remember_has_device(actor, False)
    record(actor=actor, action="accounts.disable_two_factor", target=actor)


@transaction.atomic
def do_reset_two_factor(*, actor: User, user: User) -> None:
    """An administrator removes somebody's devices (a lost phone); they enrol again."""
    require(actor, "accounts.manage_accounts")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(actor=actor, action="accounts.reset_two_factor", target=user)


@transaction.atomic
def do_unlock_account(*, actor: User, user: User) -> int:
    """An administrator lifts a lockout before it runs out; returns the records cleared."""
    require(actor, "accounts.manage_accounts")
    cleared = axes_reset(username=user.username)
    record(actor=actor, action="accounts.unlock_account", target=user, data={"cleared": cleared})
    return cleared
