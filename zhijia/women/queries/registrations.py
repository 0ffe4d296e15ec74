"""Reads of pregnancy and birth registrations (sensitive: models.registrations).

`my_registrations(user)` are her own; `visible_to(user)` the ones the women workers'
committee sees (women.view_registration over the registration's unit). `access_registration`
answers 403 to one who is neither her nor a committee member anywhere, 404 to a record outside
the reader's reach (its existence is not revealed). The read of the encrypted details by
anyone but her is audited by the caller through zhijia.women.privacy.record_registration_read.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.women.models import Registration
from zhijia.women.permissions import VIEW_REGISTRATION
from zhijia.women.queries.common import is_woman_member, pk_or_404


def my_registrations(user) -> QuerySet[Registration]:
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return Registration.objects.filter(user=user).select_related("province", "org_unit")


def visible_to(user) -> QuerySet[Registration]:
    """The registrations of the committee member's units (subtree), newest first."""
    return (
        Registration.objects.filter(scope_q(user, VIEW_REGISTRATION))
        .select_related("member", "org_unit", "province")
        .order_by("-created_at", "-id")
    )


def may_see_registrations(user) -> bool:
    return has_perm(user, VIEW_REGISTRATION)


def access_registration(user, registration_id) -> Registration:
    pk = pk_or_404(registration_id)
    own = my_registrations(user).filter(pk=pk).first()
    if own is not None:
        return own
    if not may_see_registrations(user):
        if is_woman_member(user):
            raise Http404  # a member asking for another's record: it is not revealed
        raise PermissionDenied(VIEW_REGISTRATION)
    registration = visible_to(user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def holiday_days(start, end) -> set:
    """The weekday days off of the installation's holiday calendar between start and end
    (statutory holidays and their 调休 days off; zhijia.core.workdays), for a province whose
    leave is extended by holidays. The window is generous: the extension may push the end."""
    import datetime as dt

    from zhijia.core import workdays

    days = set()
    day = start
    while day <= end + dt.timedelta(days=60):
        if day.weekday() < 5 and not workdays.is_workday(day):
            days.add(day)
        day += dt.timedelta(days=1)
    return days


def entitlements_of(registration: Registration, details=None):
    """Her entitlements (rules.Entitlements) under her province's terms."""
    from zhijia.women import rules

    details = details or registration.get_details()
    terms = registration.province.terms()
    args = {
        "kind": details.kind,
        "babies": details.babies,
        "difficult": details.difficult,
        "expected_date": details.expected_date,
        "pregnancy_started": details.pregnancy_started,
        "birth_date": details.birth_date,
        "miscarriage_date": details.miscarriage_date,
        "months_pregnant": details.months_pregnant,
        "terms": terms,
    }
    plain = rules.entitlements(**args)  # type: ignore[arg-type]
    if not terms.holidays_extend or plain.leave is None:
        return plain
    holidays = holiday_days(plain.leave.start, plain.leave.end)
    return rules.entitlements(**args, holidays=holidays)  # type: ignore[arg-type]
