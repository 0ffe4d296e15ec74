"""Two-factor sign-in (django-otp): who needs it, and what a signed-in user must do next.

An account with a confirmed device (an authenticator app, and its backup codes) must verify a
code after the password, whatever its role; roles in settings.ZHIJIA_REQUIRE_2FA_ROLES (admin
and counselor by default) must also enrol one before they can use anything else.
"""

from __future__ import annotations

import math

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

VERIFY = "verify"
SETUP = "setup"

BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10


def is_required_for(user) -> bool:
    """Does one of the user's roles require two-factor sign-in?"""
    return bool(set(user.role_codes) & set(settings.ZHIJIA_REQUIRE_2FA_ROLES))


def has_device(user) -> bool:
    """A confirmed device (cached on the user object, i.e. per request)."""
    cached = getattr(user, "_zhijia_has_otp_device", None)
    if cached is None:
        cached = user_has_device(user, confirmed=True)
        remember_has_device(user, cached)
    return cached


def remember_has_device(user, value: bool) -> None:
    """Update the per-request cache after enrolling or removing a device."""
    setattr(user, "_zhijia_has_otp_device", value)  # noqa: B010


def pending_step(user) -> str | None:
    """What a signed-in user still has to do: VERIFY a code, SETUP a device, or nothing."""
    if not user.is_authenticated:
        return None
    # OTPMiddleware adds is_verified(); a user signed in during this request has no device yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if has_device(user):
        return VERIFY
    if is_required_for(user):
        return SETUP
    return None


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user) -> int:
    device = backup_device(user)
    return device.token_set.count() if device else 0


def verify_code(user, code: str):
    """The device that accepts `code` (authenticator first, then backup codes), or None.

    Each device checks and records its own throttling, so guessing gets slower with every miss.
    """
    import django_otp

    code = "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-").lower()
    if not code:
        return None
    looks_like_totp = code.isdigit() and len(code) == 6
    for device in devices_for_user(user, confirmed=True):
        # Each kind sees only codes of its own shape, so a typo costs one throttle, not two.
        if isinstance(device, TOTPDevice) != looks_like_totp:
            continue
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def throttled_seconds(user) -> int:
    """Seconds before the authenticator accepts another try (0 when it does now)."""
    from django.utils import timezone

    device = confirmed_totp_device(user)
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    return max(math.ceil((data["locked_until"] - timezone.now()).total_seconds()), 0)


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no external service)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, border=2, omitsize=True, dark="#000", light="#fff", title=_("两步验证二维码")
    )
