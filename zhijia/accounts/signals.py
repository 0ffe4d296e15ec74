"""Lockouts go into the audit log (django-axes keeps its own records only until they expire)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.dispatch import receiver

from zhijia.accounts.models import User
from zhijia.core.audit import record


@receiver(user_locked_out, dispatch_uid="zhijia.accounts.audit_lockout")
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # axes also sends this signal for every attempt refused while the account is locked; only
    # the failure that locks it has counted failures on the request.
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        return  # an identifier that names no account: locked all the same, nothing to audit
    record(
        actor=None,
        action="accounts.lock_out",
        target=user,
        data={"failures": request.axes_failures_since_start, "ip": ip_address or ""},
    )
