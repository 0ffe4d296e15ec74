"""Writes of online joining (网上入会).

    receipt = do_submit_join_application(actor=None, name=..., id_number=..., ...)
    member = do_approve_join_application(actor=cadre, application=a, employee_no="E1234")
    do_refuse_join_application(actor=cadre, application=a, reason="...")

Submitting is public (the applicant has no account yet): the application gets a receipt code,
shown once, with which the applicant follows its progress. Approving creates the member through
zhijia.org.actions.members.do_create_member, hence its account, and sends the account's
activation code by SMS (zhijia.accounts.actions.activation). Each step is a workflow event
and an audit event.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import receipts, throttle
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.models import WorkflowEvent
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, start
from zhijia.org import rules
from zhijia.org.actions.members import MemberRefused, do_create_member
from zhijia.org.models import Department, JoinApplication, Member, OrgUnit
from zhijia.org.queries import joining as queries
from zhijia.org.workflows import JOIN, REVIEW_JOIN

logger = logging.getLogger(__name__)

# The version of the personal-information notice the applicant agreed to (templates
# org/_join_consent.html): bump it when the text changes.
CONSENT_VERSION = "2026-12"
STATEMENT_MAX = 500
REASON_MAX = 500


class JoinRefused(ActionRefused):
    """A refused joining step."""


@dataclass(frozen=True)
class JoinReceipt:
    application: JoinApplication
    code: str  # shown once to the applicant; only its digest is stored


def _text(value: Any) -> str:
    return " ".join(rules.strip_control(str(value or "")).split())


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise JoinRefused(next(iter(errors.values())), errors=errors)


def _clean_application(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    name = _text(rules.to_half_width(str(fields.get("name") or "")))
    if not name:
        errors["name"] = _("请填写姓名")
    elif len(name) > 64:
        errors["name"] = _("姓名不能超过64个字符")
    out["name"] = name
    id_number = rules.normalize_id_number(_text(fields.get("id_number")))
    if not id_number:
        errors["id_number"] = _("请填写身份证号")
    else:
        message = rules.id_number_error(id_number)
        if message:
            errors["id_number"] = _(message)
    out["id_number"] = id_number
    phone = rules.normalize_phone(_text(fields.get("phone")))
    message = rules.mobile_error(phone)
    if message:
        errors["phone"] = _(message)
    out["phone"] = phone
    unit = fields.get("org_unit")
    if not isinstance(unit, OrgUnit) or queries.join_unit(unit.pk) is None:
        errors["org_unit"] = _("请选择要加入的分工会或工会小组")
    out["org_unit"] = unit
    department = fields.get("department")
    if department is not None and not isinstance(department, Department):
        errors["department"] = _("部门不存在")
    out["department"] = department
    kind = fields.get("employment_type") or ""
    if kind not in Member.EmploymentType.values:
        errors["employment_type"] = _("请选择用工性质")
    out["employment_type"] = kind
    statement = rules.strip_control(str(fields.get("statement") or "")).strip()
    if len(statement) > STATEMENT_MAX:
        errors["statement"] = _("入会申请不能超过500个字符")
    out["statement"] = statement
    if fields.get("pledge") is not True:
        errors["pledge"] = _("请确认自愿加入工会、承认并遵守工会章程")
    if fields.get("consent") is not True:
        errors["consent"] = _("请阅读并同意个人信息处理说明，否则无法办理入会")
    _refuse(errors)
    return out


def _tell_reviewers(application: JoinApplication) -> None:
    """The nearest cadres holding org.review_join over the unit (the branch's own, else the
    level above): that an application is waiting, not who applied."""
    deadline = application.deadline_at
    when = timezone.localtime(deadline).strftime("%Y-%m-%d") if deadline else ""
    notify(
        recipients=holders(REVIEW_JOIN, application.org_unit, nearest=True),
        kind="org.join_submitted",
        title=_("新的入会申请待审核"),
        body=_("%(unit)s收到一份网上入会申请，请在 %(date)s 前审核。")
        % {"unit": application.org_unit.name, "date": when},
        url=reverse("org:join-review-detail", args=[application.pk]),
        unit=application.org_unit,
    )


@transaction.atomic
def do_submit_join_application(*, actor=None, **fields: Any) -> JoinReceipt:
    """A worker applies to join. Fields: name, id_number (in clear), phone, org_unit,
    department (or None), employment_type, statement, pledge (bool), consent (bool).

    Refused plainly when the 身份证号 already belongs to a member record (without saying whose)
    or to an application under review (409).
    """
    data = _clean_application(fields)
    id_number = data.pop("id_number")
    existing = queries.member_with_id_number(id_number)
    if existing is not None:
        if existing.status == Member.Status.ACTIVE:
            message = _("该身份证号已是本会在册会员，无需再次申请。如需帮助请联系所在工会。")
        else:
            message = _("该身份证号已有会员档案（曾入会），请联系工会办理恢复会籍，无需网上申请。")
        raise JoinRefused(message, field="id_number", status=409)
    if queries.pending_with_id_number(id_number) is not None:
        raise JoinRefused(
            _("该身份证号已有一份入会申请正在审核中，请用回执码查询进度，不要重复提交。"),
            field="id_number",
            status=409,
        )
    code = receipts.new_receipt_code()
    application = JoinApplication(
        receipt_digest=receipts.receipt_digest(code),
        gender=rules.id_number_gender(id_number),
        consent_version=CONSENT_VERSION,
        **data,
    )
    application.set_id_number(id_number)
    try:
        with transaction.atomic():
            application.save()
            start(JOIN, application, actor=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        # A concurrent submission with the same 身份证号 was first.
        raise JoinRefused(
            _("该身份证号已有一份入会申请正在审核中，请用回执码查询进度，不要重复提交。"),
            field="id_number",
            status=409,
        ) from None
    _tell_reviewers(application)
    return JoinReceipt(application=application, code=code)


def _locked(application: JoinApplication) -> JoinApplication:
    locked = (
        JoinApplication.objects.select_for_update(of=("self",))
        .select_related("org_unit", "department")
        .get(pk=application.pk)
    )
    if locked.state != queries.PENDING:
        raise JoinRefused(
            _("该申请已经处理（%(state)s），不能再次审核")
            % {"state": JOIN.state_label(locked.state)},
            status=409,
        )
    return locked


def _send_activation(user, actor) -> bool:
    """Issue the new account's one-time activation code by SMS (zhijia.accounts.actions.activation).

    Imported when called: the activation module is built on its own branch. Without it the
    member and the account exist and the code can be sent later from the account pages."""
    try:
        activation = importlib.import_module("zhijia.accounts.actions.activation")
    except ImportError:
        logger.warning("accounts.activation is not installed: no activation code sent")
        return False
    activation.send_activation_code(user=user, actor=actor, purpose="activate")
    return True


def _member_error(exc: MemberRefused) -> JoinRefused:
    errors = {
        ("employee_no" if field in ("employee_no", "__all__") else field): messages[0]
        for field, messages in exc.errors.items()
    }
    return JoinRefused(exc.message, errors=errors, status=exc.status)


@transaction.atomic
def do_approve_join_application(
    *, actor, application: JoinApplication, employee_no: str, join_date: dt.date | None = None
) -> Member:
    """Approve: the member is created in the applied unit with the 工号 the cadre types (and
    so its account), the applicant's activation code is sent, and the application is closed."""
    require(actor, REVIEW_JOIN, unit=application.org_unit)
    application = _locked(application)
    employee_no = rules.normalize_employee_no(_text(employee_no))
    if not employee_no:
        raise JoinRefused(_("请填写工号"), field="employee_no")
    if queries.employee_no_taken(employee_no):
        raise JoinRefused(
            _("工号 %(no)s 已被其他会员使用") % {"no": employee_no}, field="employee_no", status=409
        )
    join_date = join_date or timezone.localdate()
    try:
        member = do_create_member(
            actor=actor,
            org_unit=application.org_unit,
            employee_no=employee_no,
            name=application.name,
            gender=application.gender,
            id_number=application.get_id_number(),
            phone=application.phone,
            department=application.department,
            employment_type=application.employment_type,
            join_date=join_date,
        )
    except MemberRefused as exc:
        raise _member_error(exc) from None
    application.member = member
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    # The member record now keeps the 身份证号; the application keeps only its digest and
    # masked form (data minimisation).
    application.id_number_encrypted = ""
    application.save(update_fields=["member", "reviewed_by", "reviewed_at", "id_number_encrypted"])
    do_transition(
        JOIN,
        application,
        "approve",
        actor=actor,
        data={"member": member.pk, "employee_no": member.employee_no},
    )
    assert member.user is not None
    _send_activation(member.user, actor)
    return member


@transaction.atomic
def do_refuse_join_application(
    *, actor, application: JoinApplication, reason: str
) -> JoinApplication:
    """Refuse, with the reason the applicant will read on the status page."""
    require(actor, REVIEW_JOIN, unit=application.org_unit)
    reason = rules.strip_control(str(reason or "")).strip()
    if not reason:
        raise JoinRefused(_("请填写不予批准的理由，申请人会看到它"), field="reason")
    if len(reason) > REASON_MAX:
        raise JoinRefused(_("理由不能超过500个字符"), field="reason")
    application = _locked(application)
    application.refusal_reason = reason
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    application.save(update_fields=["refusal_reason", "reviewed_by", "reviewed_at"])
    do_transition(JOIN, application, "refuse", actor=actor, note=reason)
    return application


def refused_keep_days() -> int:
    return settings.ZHIJIA_JOIN_REFUSED_KEEP_DAYS


@transaction.atomic
def do_purge_refused_applications(*, now: dt.datetime | None = None) -> int:
    """Delete refused applications answered more than ZHIJIA_JOIN_REFUSED_KEEP_DAYS ago (the
    retention promised in the personal-information notice); run daily with the sweeps.
    Returns how many were deleted; the audit event keeps the count only."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=refused_keep_days())
    old = JoinApplication.objects.filter(state="refused", reviewed_at__lt=cutoff)
    ids = list(old.values_list("pk", flat=True)[:5000])
    if not ids:
        return 0
    WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(JoinApplication), object_id__in=ids
    ).delete()  # their notes hold the refusal reasons
    JoinApplication.objects.filter(pk__in=ids).delete()
    record(actor=None, action="org.join.purge", data={"deleted": len(ids)})
    return len(ids)


# --- the brake on the public joining page -------------------------------------------------------
SUBMIT_WINDOW_SECONDS = 3600


def count_submission(request) -> None:
    """Count one application from this client address: at most
    settings.ZHIJIA_JOIN_SUBMITS_PER_HOUR per address per hour reach the action (spam on the
    public page); past it, core.throttle.Throttled (429)."""
    throttle.count_submission(
        request,
        "org.join.submit",
        limit=int(settings.ZHIJIA_JOIN_SUBMITS_PER_HOUR),
        seconds=SUBMIT_WINDOW_SECONDS,
    )
