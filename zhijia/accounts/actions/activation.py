"""Activation and forgotten passwords: a member proves who they are and chooses a password.

    send_activation_code(user=account, actor=cadre)      # SMS code to the member's phone
    issue_slip_codes(actor=cadre, members=[...])         # codes printed on activation slips
    identify(identifier="E00012", id_tail="12345x", ip=...) -> user or None (counted on a miss)
    check_code(user=..., key=..., code="123456", ip=...)  -> the ActivationCode (not yet used)
    do_complete_activation(user=..., code=..., password="…")   # sets the password, single use

Every account starts without a usable password (zhijia.org.actions.accounts). Its member types their
工号 or phone and the last six characters of their ID number, then a one-time code: an SMS code
(short-lived) or the code printed on an activation slip (weeks). With it they set a password by
the password rules. A forgotten password goes the same way ("reset"), and revokes API tokens.

Secrets: codes are random, stored only as a keyed digest (zhijia.core.crypto, purpose
"activation"), single use; issuing a new code of a channel revokes the older ones. The SMS
text travels through the notification adapters (settings.ZHIJIA_SMS_CHANNEL); its inbox copy is
marked read at once and blanked when the account is activated. Codes never enter the audit log.

Throttling: wrong tries (identity or code) count per account ("acct:<username>"; an identifier
that names no account is counted as typed, "id:<identifier>", so both read the same) and per
client address ("ip:<address>"); a key that reaches its limit is locked for
ZHIJIA_ACTIVATION_LOCK_MINUTES and the refusal says until when. Unknown 工号 and a wrong ID tail
get the same answer.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.backends import find_user, normalise_identifier
from zhijia.accounts.lockout import format_retry_time
from zhijia.accounts.models import ActivationCode, ActivationThrottle, ApiToken, User
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.hooks import directory
from zhijia.core.models import Notification
from zhijia.core.notify import notify
from zhijia.core.permissions import require

KIND = "accounts.activation_code"
SMS_DIGITS = 6
SLIP_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper
SLIP_LENGTH = 8
ID_TAIL_LENGTH = 6
PURPOSES = {ActivationCode.Purpose.ACTIVATE, ActivationCode.Purpose.RESET}


class ActivationError(ActionRefused):
    """A refused activation step (wrong details, no phone, a member who left...)."""


class NoPhone(ActivationError):  # noqa: N818 - named for what it says
    status = 409


class ActivationLocked(ActivationError):  # noqa: N818
    status = 429

    def __init__(self, until: datetime | None):
        self.until = until
        if until is None:
            message = _("尝试次数过多，已暂时锁定，请稍后再试。")
        else:
            message = _("尝试次数过多，已暂时锁定。请于 %(time)s 后再试。") % {
                "time": format_retry_time(until)
            }
        super().__init__(message)


# --- codes -------------------------------------------------------------------------------------


def normalise_code(code: str | None) -> str:
    """ "abcd efgh" / "ＡＢＣＤ-ＥＦＧＨ" -> "ABCDEFGH"."""
    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def normalise_id_tail(tail: str | None) -> str:
    """The last six characters of an ID number as typed: full-width and x in any case accepted."""
    text = unicodedata.normalize("NFKC", tail or "").upper()
    return "".join(text.split())


def format_slip_code(code: str) -> str:
    """ "ABCDEFGH" -> "ABCD EFGH" for print."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _digest(code: str) -> str:
    from zhijia.core import crypto

    return crypto.digest(normalise_code(code), purpose="activation")


def _new_code(channel: str) -> str:
    if channel == ActivationCode.Channel.SMS:
        return f"{secrets.randbelow(10**SMS_DIGITS):0{SMS_DIGITS}d}"
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(SLIP_LENGTH))


def _lifetime(channel: str) -> timedelta:
    if channel == ActivationCode.Channel.SMS:
        return timedelta(minutes=settings.ZHIJIA_ACTIVATION_SMS_MINUTES)
    return timedelta(days=settings.ZHIJIA_ACTIVATION_SLIP_DAYS)


def _purpose_for(user: User, purpose: str | None = None) -> str:
    if purpose in PURPOSES:
        return str(purpose)
    if user.has_usable_password():
        return ActivationCode.Purpose.RESET
    return ActivationCode.Purpose.ACTIVATE


def _member_of(user: User):
    return getattr(user, "member_record", None) if user is not None and user.pk else None


def _can_activate(user: User | None) -> bool:
    """Only the account of a member who is 在册 (its account is then enabled)."""
    member = _member_of(user) if user is not None else None
    return bool(
        user is not None
        and user.is_active
        and member is not None
        and directory().is_enrolled(member)
    )


def _revoke_open(user_ids: Sequence[int], channel: str | None, now: datetime) -> int:
    qs = ActivationCode.objects.filter(
        user_id__in=user_ids, used_at__isnull=True, revoked_at__isnull=True
    )
    if channel is not None:
        qs = qs.filter(channel=channel)
    return qs.update(revoked_at=now)


def _issue(user: User, *, channel: str, purpose: str, actor, now: datetime) -> tuple[str, datetime]:
    _revoke_open([user.pk], channel, now)
    code = _new_code(channel)
    expires = now + _lifetime(channel)
    ActivationCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        code_hash=_digest(code),
        created_at=now,
        expires_at=expires,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    return code, expires


@transaction.atomic
def send_activation_code(*, user, actor=None, purpose: str = "activate") -> None:
    """Issue a one-time code for `user` (a member's account) and queue an SMS to the member's
    phone (settings.ZHIJIA_SMS_CHANNEL: the "sms" adapter, "console" in development). Audited.

    Raises NoPhone (ActionRefused, 409) if the member has no phone, and ActivationError if the
    account is not a 在册 member's. `actor` None is the member themselves or the system. An
    already activated account gets a reset code whatever `purpose` says.
    """
    user = User.objects.select_related("member_record__org_unit").get(pk=user.pk)
    if not _can_activate(user):
        raise ActivationError(_("只有在册会员的账号可以激活。"), status=409)
    member = user.member_record
    if not (member.phone or "").strip():
        raise NoPhone(_("该会员没有登记手机号，无法发送短信验证码，请打印激活单。"), field="phone")
    purpose = _purpose_for(user, None if purpose == ActivationCode.Purpose.ACTIVATE else purpose)
    now = timezone.now()
    code, _expires = _issue(
        user, channel=ActivationCode.Channel.SMS, purpose=purpose, actor=actor, now=now
    )
    minutes = settings.ZHIJIA_ACTIVATION_SMS_MINUTES
    if purpose == ActivationCode.Purpose.RESET:
        body = _(
            "【职工之家】您正在重置密码，验证码 %(code)s，%(minutes)d 分钟内有效。"
            "请勿告诉他人；如非本人操作，请忽略本短信。"
        )
    else:
        body = _(
            "【职工之家】您的账号激活验证码 %(code)s，%(minutes)d 分钟内有效。"
            "请勿告诉他人；如非本人操作，请忽略本短信。"
        )
    notes = notify(
        recipients=[user],
        kind=KIND,
        title=_("职工之家验证码"),
        body=body % {"code": code, "minutes": minutes},
        channels=[settings.ZHIJIA_SMS_CHANNEL],
    )
    # The inbox copy is not for reading in the app (the account cannot sign in yet, or the
    # member is resetting): marked read, and blanked once the code has served.
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(read_at=now)
    record(
        actor=actor,
        action="accounts.issue_activation_code",
        target=user,
        unit=member.org_unit,
        data={"channel": "sms", "purpose": purpose, "minutes": minutes},
    )


@dataclass
class SlipBatch:
    """Codes issued for printing: (member, code, expiry) per slip, and who was skipped."""

    slips: list[tuple[Any, str, datetime]] = field(default_factory=list)
    already_active: list[Any] = field(default_factory=list)
    not_eligible: list[Any] = field(default_factory=list)


@transaction.atomic
def issue_slip_codes(*, actor, members: Iterable, unit=None) -> SlipBatch:
    """New slip codes for members not yet activated (cadre: accounts.manage_activation over each
    member's unit). Members already activated and members who left are skipped and listed.
    One audit event for the batch (count and unit), never the codes."""
    batch = SlipBatch()
    members = list(members)
    for member in members:
        require(actor, "accounts.manage_activation", unit=member.org_unit)
    users = {u.pk: u for u in User.objects.filter(pk__in=[m.user_id for m in members if m.user_id])}
    eligible = []
    for member in members:
        user = users.get(member.user_id)
        if user is None or not user.is_active or not directory().is_enrolled(member):
            batch.not_eligible.append(member)
        elif user.has_usable_password():
            batch.already_active.append(member)
        else:
            eligible.append((member, user))
    now = timezone.now()
    expires = now + _lifetime(ActivationCode.Channel.SLIP)
    _revoke_open([u.pk for _m, u in eligible], ActivationCode.Channel.SLIP, now)
    rows = []
    issued_by = actor if getattr(actor, "pk", None) else None
    for member, user in eligible:
        code = _new_code(ActivationCode.Channel.SLIP)
        rows.append(
            ActivationCode(
                user=user,
                purpose=ActivationCode.Purpose.ACTIVATE,
                channel=ActivationCode.Channel.SLIP,
                code_hash=_digest(code),
                created_at=now,
                expires_at=expires,
                issued_by=issued_by,
            )
        )
        batch.slips.append((member, code, expires))
    ActivationCode.objects.bulk_create(rows, batch_size=500)
    record(
        actor=actor,
        action="accounts.issue_activation_slips",
        unit=unit,
        data={
            "count": len(batch.slips),
            "already_active": len(batch.already_active),
            "not_eligible": len(batch.not_eligible),
            "members": [m.pk for m, _c, _e in batch.slips],
            "days": settings.ZHIJIA_ACTIVATION_SLIP_DAYS,
        },
    )
    return batch


# --- throttling --------------------------------------------------------------------------------


def client_ip(request) -> str:
    """The client's address as django-axes sees it (AXES_CLIENT_IP_CALLABLE, ipware, or
    REMOTE_ADDR)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or ""


def account_key(user: User | None, identifier: str) -> str:
    if user is not None:
        return f"acct:{user.username}"
    return f"id:{normalise_identifier(identifier).lower()[:150]}"


def ip_key(ip: str) -> str:
    return f"ip:{ip or '-'}"


def _limit(key: str) -> int:
    if key.startswith("ip:"):
        return settings.ZHIJIA_ACTIVATION_IP_FAILURES
    return settings.ZHIJIA_ACTIVATION_FAILURES


def _cooloff() -> timedelta:
    return timedelta(minutes=settings.ZHIJIA_ACTIVATION_LOCK_MINUTES)


def locked_until(keys: Iterable[str], *, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    ends = [
        end
        for end in ActivationThrottle.objects.filter(
            key__in=list(keys), locked_until__gt=now
        ).values_list("locked_until", flat=True)
        if end is not None
    ]
    return max(ends, default=None)


def ensure_not_locked(keys: Iterable[str]) -> None:
    until = locked_until(keys)
    if until is not None:
        raise ActivationLocked(until)


def note_failure(keys: Sequence[str], *, user: User | None = None, ip: str = "") -> int | None:
    """Count one failure on each key; returns the failures left on the account key (None when
    it is now locked). Locking the account key is audited (an account, not an unknown name)."""
    now = timezone.now()
    left: int | None = None
    with transaction.atomic():
        for key in keys:
            row, _created = ActivationThrottle.objects.select_for_update().get_or_create(
                key=key, defaults={"window_start": now}
            )
            if row.window_start < now - _cooloff() and not (
                row.locked_until and row.locked_until > now
            ):
                row.failures = 0
                row.window_start = now
                row.locked_until = None
            row.failures += 1
            limit = _limit(key)
            if row.failures >= limit and row.locked_until is None:
                row.locked_until = now + _cooloff()
                if key.startswith("ip:"):
                    record(
                        actor=None,
                        action="accounts.activation_lock_out",
                        data={"failures": row.failures, "ip": ip, "scope": "address"},
                    )
                elif user is not None and key.startswith("acct:"):
                    record(
                        actor=None,
                        action="accounts.activation_lock_out",
                        target=user,
                        data={"failures": row.failures, "ip": ip, "scope": "account"},
                    )
            row.save()
            if not key.startswith("ip:"):
                left = None if row.locked_until else max(limit - row.failures, 0)
    return left


def clear_failures(key: str) -> None:
    ActivationThrottle.objects.filter(key=key).delete()


def _wrong(message: str, left: int | None, *, field: str | None = None) -> ActivationError:
    if left:
        message += " " + _("再输错 %(n)d 次将被暂时锁定。") % {"n": left}
    return ActivationError(message, field=field)


# --- the member's steps ------------------------------------------------------------------------


def _matches_identity(user: User | None, id_tail: str) -> bool:
    typed = normalise_id_tail(id_tail)
    if user is None or not _can_activate(user) or len(typed) != ID_TAIL_LENGTH:
        return False
    actual = (user.member_record.get_id_number() or "").upper()[-ID_TAIL_LENGTH:]
    return len(actual) == ID_TAIL_LENGTH and hmac.compare_digest(actual, typed)


def identify(*, identifier: str, id_tail: str, ip: str, count_miss: bool = True):
    """The account whose member typed this 工号/phone and ID tail, or None (then a failure is
    counted). Returns (user or None, account key). Raises ActivationLocked when locked."""
    user = find_user(identifier)
    if user is not None and _member_of(user) is None:
        user = None  # staff accounts without a member record are not activated this way
    key = account_key(user, identifier)
    ensure_not_locked([key, ip_key(ip)])
    if _matches_identity(user, id_tail):
        return user, key
    if count_miss:
        note_failure([key, ip_key(ip)], user=user, ip=ip)
    return None, key


def request_sms_code(*, identifier: str, id_tail: str, ip: str):
    """The member's "send me a code": the same outcome whether or not the details matched
    (nothing is said about which 工号 exist). Returns (user or None, account key) for the
    next step. Resends are limited per interval and per day; a member without a phone gets
    nothing (their union prints a slip)."""
    user, key = identify(identifier=identifier, id_tail=id_tail, ip=ip)
    if user is None:
        return None, key
    now = timezone.now()
    recent = list(
        ActivationCode.objects.filter(
            user=user, channel=ActivationCode.Channel.SMS, created_at__gte=now - timedelta(days=1)
        ).values_list("created_at", flat=True)
    )
    interval = timedelta(seconds=settings.ZHIJIA_ACTIVATION_SMS_INTERVAL_SECONDS)
    if any(at > now - interval for at in recent):
        return user, key
    if len(recent) >= settings.ZHIJIA_ACTIVATION_SMS_PER_DAY:
        return user, key
    with contextlib.suppress(NoPhone):  # no phone: the union prints an activation slip
        send_activation_code(user=user, actor=None, purpose=_purpose_for(user))
    return user, key


def _open_code(user: User, code: str, now: datetime) -> ActivationCode | None:
    normalised = normalise_code(code)
    if not normalised or len(normalised) > 32:
        return None
    return (
        ActivationCode.objects.filter(
            user=user,
            code_hash=_digest(normalised),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )


def check_code(*, user: User | None, key: str, code: str, ip: str) -> ActivationCode:
    """The open code `code` of `user` (None: nobody, it fails alike). A miss is counted."""
    ensure_not_locked([key, ip_key(ip)])
    row = _open_code(user, code, timezone.now()) if user is not None else None
    if row is None or not _can_activate(user):
        left = note_failure([key, ip_key(ip)], user=user, ip=ip)
        raise _wrong(_("验证码不正确或已过期。"), left, field="code")
    return row


def check_identity_and_code(*, identifier: str, id_tail: str, code: str, ip: str):
    """Slip codes and the API: 工号/phone, ID tail and code together, one failure per try and
    one answer for every kind of mismatch. Returns (user, code row)."""
    user, key = identify(identifier=identifier, id_tail=id_tail, ip=ip, count_miss=False)
    row = _open_code(user, code, timezone.now()) if user is not None else None
    if row is None:
        found = find_user(identifier)
        left = note_failure([key, ip_key(ip)], user=found if user is None else user, ip=ip)
        raise _wrong(_("信息或验证码不正确，请核对后重新输入。"), left)
    return user, row


@transaction.atomic
def consume_code(row: ActivationCode) -> None:
    """Use the code up (once: a second use fails as if it were wrong)."""
    used = ActivationCode.objects.filter(pk=row.pk, used_at__isnull=True, revoked_at__isnull=True)
    if not used.update(used_at=timezone.now()):
        raise ActivationError(_("验证码已使用，请重新获取。"), field="code", status=409)
    row.used_at = timezone.now()


def validate_new_password(user: User, password: str, *, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages), field=field) from None


@transaction.atomic
def do_complete_activation(
    *, user: User, password: str, purpose: str, code: ActivationCode | None = None
) -> int:
    """Set the member's password after a verified code: the account is activated (or its
    password reset). Revokes the account's API tokens and open codes, clears the activation
    and login failure counts; audited. Returns the number of API tokens revoked."""
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("member_record__org_unit")
        .get(pk=user.pk)
    )
    if not _can_activate(user):
        raise ActivationError(_("只有在册会员的账号可以激活。"), status=409)
    validate_new_password(user, password)
    if code is not None:
        consume_code(code)
    was_active = user.has_usable_password()
    user.set_password(password)
    user.must_change_password = False  # her own password now, not one an administrator set
    user.save(update_fields=["password", "must_change_password"])
    revoked, _detail = ApiToken.objects.filter(user=user).delete()
    now = timezone.now()
    _revoke_open([user.pk], None, now)
    Notification.objects.filter(user=user, kind=KIND).exclude(body="").update(body="")
    clear_failures(account_key(user, ""))
    axes_reset(username=user.username)
    action = "accounts.reset_password" if was_active else "accounts.activate"
    record(
        actor=user,
        action=action,
        target=user,
        unit=user.member_record.org_unit,
        data={"purpose": purpose, "api_tokens_revoked": revoked},
    )
    return revoked


# --- cadre actions -----------------------------------------------------------------------------


@dataclass
class ResendResult:
    sent: int = 0
    no_phone: list[Any] = field(default_factory=list)
    already_active: list[Any] = field(default_factory=list)


@transaction.atomic
def do_resend_activation_sms(*, actor, members: Iterable) -> ResendResult:
    """A cadre sends SMS codes to members not yet activated (accounts.manage_activation over
    each member's unit). Activated members (they use 忘记密码) and members without a phone are
    skipped and listed. Each code issued is audited by send_activation_code."""
    result = ResendResult()
    members = list(members)
    for member in members:
        require(actor, "accounts.manage_activation", unit=member.org_unit)
    for member in members:
        user = User.objects.filter(pk=member.user_id).first() if member.user_id else None
        if user is None or not _can_activate(user):
            continue
        if user.has_usable_password():
            result.already_active.append(member)
            continue
        try:
            send_activation_code(user=user, actor=actor)
        except NoPhone:
            result.no_phone.append(member)
        else:
            result.sent += 1
    return result
