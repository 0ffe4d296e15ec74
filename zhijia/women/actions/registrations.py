"""Writes of pregnancy and birth registrations, each in one transaction with its audit event
(which names the registration, never its health data); reminders through the outbox
(zhijia.core.notify).

She registers by her own choice, with her consent (`consent=True`, the text she agreed to is
stored with the time); `department_consent` (separate) lets the reminders go to her
department's handlers too. She may record the birth on a pregnancy registration, change her
department consent, or withdraw: withdrawing deletes the registration (models.registrations).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders
from zhijia.women import rules
from zhijia.women.models import Province, Registration
from zhijia.women.models.registrations import (
    CONSENT_TEXT,
    DEPARTMENT_CONSENT_TEXT,
    Details,
    Kind,
)
from zhijia.women.permissions import DEPARTMENT_REMINDERS
from zhijia.women.queries import registrations as queries
from zhijia.women.queries.common import own_member

__all__ = [
    "RegistrationError",
    "do_record_birth",
    "do_register_pregnancy",
    "do_set_department_consent",
    "do_withdraw_registration",
    "sweep_reminders",
]

MAX_FUTURE_DAYS = 300  # an expected date at most this far ahead
MAX_PAST_DAYS = 400  # a birth or miscarriage at most this far back


class RegistrationError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def _date(value, field: str, *, today: dt.date, past: bool) -> dt.date:
    if not isinstance(value, dt.date):
        raise RegistrationError(_("请填写日期"), field=field)
    if past:
        if value > today:
            raise RegistrationError(_("日期不能晚于今天"), field=field)
        if value < today - dt.timedelta(days=MAX_PAST_DAYS):
            raise RegistrationError(_("日期太早，登记只针对近一年内的情况"), field=field)
    elif not today - dt.timedelta(days=30) <= value <= today + dt.timedelta(days=MAX_FUTURE_DAYS):
        raise RegistrationError(_("预产期应在今后十个月之内"), field=field)
    return value


def _details(
    *,
    kind: str,
    babies,
    difficult: bool,
    expected_date,
    birth_date,
    miscarriage_date,
    months_pregnant,
) -> Details:
    today = timezone.localdate()
    if kind not in Kind.values:
        raise RegistrationError(_("请选择登记类型"), field="kind")
    try:
        babies = int(babies or 1)
    except (TypeError, ValueError):
        babies = 0
    if not 1 <= babies <= rules.MAX_BABIES:
        raise RegistrationError(
            _("婴儿数应在 1 到 %(n)d 之间") % {"n": rules.MAX_BABIES}, field="babies"
        )
    if kind == Kind.MISCARRIAGE:
        try:
            months = int(months_pregnant)
        except (TypeError, ValueError):
            months = 0
        if not 1 <= months <= 10:
            raise RegistrationError(_("请填写怀孕月数（1 至 10）"), field="months_pregnant")
        day = _date(miscarriage_date, "miscarriage_date", today=today, past=True)
        return Details(kind=kind, miscarriage_date=day, months_pregnant=months)
    if kind == Kind.PREGNANCY:
        day = _date(expected_date, "expected_date", today=today, past=False)
        return Details(kind=kind, babies=babies, expected_date=day)
    day = _date(birth_date, "birth_date", today=today, past=True)
    return Details(kind=kind, babies=babies, difficult=bool(difficult), birth_date=day)


def _province(province) -> Province:
    if isinstance(province, Province):
        return province
    found = Province.objects.filter(pk=province).first() if province else None
    if found is None:
        raise RegistrationError(_("请选择适用的省份"), field="province")
    return found


@transaction.atomic
def do_register_pregnancy(
    *,
    actor,
    kind: str,
    province,
    consent: bool,
    department_consent: bool = False,
    babies=1,
    difficult: bool = False,
    expected_date=None,
    birth_date=None,
    miscarriage_date=None,
    months_pregnant=None,
) -> Registration:
    """A woman member registers her own pregnancy, birth or miscarriage, with her consent."""
    member = own_member(actor)
    if member is None or member.gender != member.Gender.FEMALE:
        raise PermissionDenied
    if not consent:
        raise RegistrationError(_("登记需要您本人的同意"), field="consent")
    details = _details(
        kind=kind,
        babies=babies,
        difficult=difficult,
        expected_date=expected_date,
        birth_date=birth_date,
        miscarriage_date=miscarriage_date,
        months_pregnant=months_pregnant,
    )
    now = timezone.now()
    registration = Registration(
        member=member,
        user=actor,
        org_unit=member.org_unit,
        province=_province(province),
        consent_text=str(CONSENT_TEXT),
        consented_at=now,
        department_consent=bool(department_consent),
        department_consented_at=now if department_consent else None,
    )
    registration.set_details(details)
    registration.save()
    record(
        actor=actor,
        action="women.register",
        target=registration,
        unit=member.org_unit,
        data={"department_consent": bool(department_consent)},
    )
    return registration


def _own(actor, registration: Registration) -> Registration:
    if registration.user_id != actor.pk:
        raise PermissionDenied
    return (
        Registration.objects.select_for_update().select_related("province").get(pk=registration.pk)
    )


@transaction.atomic
def do_record_birth(
    *, actor, registration: Registration, birth_date, babies=1, difficult: bool = False
) -> Registration:
    """She records the birth on her registration (of a pregnancy, or corrects a birth)."""
    registration = _own(actor, registration)
    old = registration.get_details()
    if old.kind == Kind.MISCARRIAGE:
        raise RegistrationError(_("该登记不能记录生育"), status=409)
    details = _details(
        kind=Kind.BIRTH,
        babies=babies,
        difficult=difficult,
        expected_date=None,
        birth_date=birth_date,
        miscarriage_date=None,
        months_pregnant=None,
    )
    details.expected_date = old.expected_date
    registration.set_details(details)
    registration.reminders_sent = [c for c in registration.reminders_sent if c != "nursing_end"]
    registration.save(update_fields=["details_encrypted", "reminders_sent", "updated_at"])
    record(actor=actor, action="women.record_birth", target=registration)
    return registration


@transaction.atomic
def do_set_department_consent(*, actor, registration: Registration, consent: bool):
    registration = _own(actor, registration)
    registration.department_consent = bool(consent)
    registration.department_consented_at = timezone.now() if consent else None
    registration.save(update_fields=["department_consent", "department_consented_at", "updated_at"])
    record(
        actor=actor,
        action="women.department_consent",
        target=registration,
        data={"consent": bool(consent), "text": str(DEPARTMENT_CONSENT_TEXT) if consent else ""},
    )
    return registration


@transaction.atomic
def do_withdraw_registration(*, actor, registration: Registration) -> None:
    """She withdraws her consent: the registration and its data are deleted; reminders stop."""
    registration = _own(actor, registration)
    pk, unit = registration.pk, registration.org_unit
    registration.delete()
    record(actor=actor, action="women.withdraw", target=("women.registration", pk), unit=unit)


# --- reminders ------------------------------------------------------------------------------------


def _reminder_text(code: str, ent: rules.Entitlements) -> tuple[str, str]:
    if code == "seventh_month":
        day = ent.no_night_shift_from
        return (
            _("孕期保护提醒"),
            _(
                "自 %(day)s 起进入怀孕第7个月：用人单位不得延长劳动时间或安排夜班劳动，"
                "并应在劳动时间内安排一定的休息时间（《女职工劳动保护特别规定》第六条）。"
            )
            % {"day": day},
        )
    if code == "leave_start":
        assert ent.leave is not None
        return (
            _("产假提醒"),
            _("产假自 %(start)s 起，至 %(end)s 止，共 %(days)d 天。")
            % {"start": ent.leave.start, "end": ent.leave.end, "days": ent.leave.days},
        )
    return (
        _("哺乳期提醒"),
        _("哺乳期保护（每天哺乳时间、不安排夜班）至 %(day)s 结束（婴儿满一周岁）。")
        % {"day": ent.nursing_until},
    )


def _department_text(code: str, name: str, ent: rules.Entitlements) -> str:
    day = {
        "seventh_month": ent.no_night_shift_from,
        "leave_start": ent.leave.start if ent.leave else None,
        "nursing_end": ent.nursing_until,
    }[code]
    what = {
        "seventh_month": _("起不安排加班和夜班"),
        "leave_start": _("起休产假"),
        "nursing_end": _("哺乳期结束"),
    }[code]
    return _("%(name)s：%(day)s %(what)s（经本人同意告知部门）。") % {
        "name": name,
        "day": day,
        "what": what,
    }


def sweep_reminders(today: dt.date | None = None) -> int:
    """Send the due reminders of every registration, each once (idempotent: the codes sent are
    kept on the row, locked while it is worked). Returns the number of reminders sent."""
    today = today or timezone.localdate()
    sent_count = 0
    for pk in Registration.objects.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            registration = (
                # of= locks the registration's row alone (PostgreSQL refuses to lock the
                # nullable side of the department's outer join)
                Registration.objects.select_for_update(of=("self",))
                .select_related("province", "member", "member__department", "user")
                .filter(pk=pk)
                .first()
            )
            if registration is None:
                continue
            ent = queries.entitlements_of(registration)
            due = rules.due_reminders(ent, today, registration.reminders_sent)
            if not due:
                continue
            url = reverse("women:registration", args=[registration.pk])
            department = registration.member.department
            for code in due:
                title, body = _reminder_text(code, ent)
                notify(
                    recipients=[registration.user],
                    kind=f"women.{code}",
                    title=title,
                    body=body,
                    url=url,
                    unit=registration.org_unit,
                )
                if registration.department_consent and department is not None:
                    notify(
                        recipients=holders(DEPARTMENT_REMINDERS, department=department),
                        kind=f"women.department_{code}",
                        title=_("本部门女职工权益提醒"),
                        body=_department_text(code, registration.member.name, ent),
                        unit=registration.org_unit,
                    )
                sent_count += 1
            registration.reminders_sent = [*registration.reminders_sent, *due]
            registration.save(update_fields=["reminders_sent"])
    return sent_count
