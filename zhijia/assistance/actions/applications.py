"""Writes of campaigns, applications, the public notice and objections.

Notifications carry only safe text ("您的帮扶申请已审批通过"): never the situation, the
category, medical or family details, nor who objected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.assistance import permissions as perms
from zhijia.assistance import rules
from zhijia.assistance.actions.registry import parse_amount
from zhijia.assistance.errors import AssistanceError, ConflictError
from zhijia.assistance.models import (
    Application,
    ApplicationDocument,
    Campaign,
    Category,
    Fund,
    Objection,
    Visit,
)
from zhijia.assistance.queries.applications import (
    is_own_application,
    notice_visible_to,
    open_application_exists,
)
from zhijia.assistance.queries.common import branch_of, config_for
from zhijia.assistance.queries.registry import active_file_of
from zhijia.assistance.workflows import APPLICATION
from zhijia.core import attachments, numbering, satisfaction_index, workdays
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import Member, OrgUnit

DOCUMENT_TYPES = {"image", "pdf"}
MAX_TEXT = 2000


# --- campaigns ----------------------------------------------------------------------------------


def _clean_list(values: Sequence[str] | None) -> list[str]:
    return [v.strip() for v in dict.fromkeys(values or []) if v and v.strip()]


def _campaign_values(values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in values or creating:
        name = str(values.get("name") or "").strip()
        if not name:
            raise AssistanceError(_("请填写活动名称"), field="name")
        clean["name"] = name[:100]
    if "kind" in values or creating:
        if values.get("kind") not in Campaign.Kind.values:
            raise AssistanceError(_("请选择活动类型"), field="kind")
        clean["kind"] = values["kind"]
    if "year" in values or creating:
        try:
            year = int(values.get("year") or timezone.localdate().year)
        except (TypeError, ValueError):
            raise AssistanceError(_("请输入年度"), field="year") from None
        if not 2000 <= year <= 2100:
            raise AssistanceError(_("年度无效"), field="year")
        clean["year"] = year
    for name in ("opens_on", "closes_on"):
        if name in values:
            clean[name] = values[name] or None
    if clean.get("opens_on") and clean.get("closes_on") and clean["closes_on"] < clean["opens_on"]:
        raise AssistanceError(_("申请截止日期不能早于开始日期"), field="closes_on")
    if "amount_cap" in values:
        cap = values["amount_cap"]
        clean["amount_cap"] = None if cap in (None, "") else parse_amount(cap, field="amount_cap")
    if "eligible_categories" in values:
        cats = _clean_list(values["eligible_categories"])
        if any(c not in Category.values for c in cats):
            raise AssistanceError(_("未知的困难类别"), field="eligible_categories")
        clean["eligible_categories"] = cats
    if "required_documents" in values:
        docs = [d[:100] for d in _clean_list(values["required_documents"])]
        if len(docs) > 10:
            raise AssistanceError(_("须提交材料最多 10 项"), field="required_documents")
        clean["required_documents"] = docs
    if "form_fields" in values:
        try:
            clean["form_fields"] = rules.check_form_fields(values["form_fields"] or [])
        except rules.FieldSpecError as exc:
            messages = {
                "key": _("附加项的代码只能由字母、数字和下划线组成：%(s)s"),
                "duplicate": _("附加项代码重复：%(s)s"),
                "label": _("附加项“%(s)s”缺少名称"),
                "kind": _("附加项“%(s)s”的类型无效"),
            }
            raise AssistanceError(
                messages[exc.code] % {"s": exc.subject}, field="form_fields"
            ) from None
    if "notice_workdays" in values:
        n = values["notice_workdays"]
        if n in (None, ""):
            clean["notice_workdays"] = None
        else:
            try:
                n = int(n)
            except (TypeError, ValueError):
                raise AssistanceError(_("请输入公示天数"), field="notice_workdays") from None
            if not 1 <= n <= 30:
                raise AssistanceError(_("公示期应为 1 到 30 个工作日"), field="notice_workdays")
            clean["notice_workdays"] = n
    if "description" in values:
        clean["description"] = str(values["description"] or "").strip()[:MAX_TEXT]
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    return clean


@transaction.atomic
def do_create_campaign(
    *, actor, org_unit: OrgUnit, fund: Fund | None = None, **values: Any
) -> Campaign:
    """A campaign with its rules; without `fund`, a fund of its own is opened for it.

    Rules left out take the defaults of its kind (rules.CAMPAIGN_DEFAULTS)."""
    require(actor, perms.MANAGE_CAMPAIGN, unit=org_unit)
    kind = values.get("kind")
    defaults = rules.CAMPAIGN_DEFAULTS.get(kind or "", rules.CAMPAIGN_DEFAULTS[rules.OTHER])
    values = {
        "amount_cap": defaults.amount_cap,
        "eligible_categories": list(defaults.eligible_categories),
        "required_documents": list(defaults.required_documents),
        "form_fields": list(defaults.form_fields),
        **values,
    }
    clean = _campaign_values(values, creating=True)
    if fund is None:
        fund = Fund.objects.create(
            name=_("%(name)s专项资金") % {"name": clean["name"]},
            org_unit=org_unit,
            created_by=actor,
        )
        record(
            actor=actor,
            action="assistance.create_fund",
            target=fund,
            unit=org_unit,
            data={"name": fund.name},
        )
    elif not fund.org_unit.path.startswith(org_unit.path) and not org_unit.path.startswith(
        fund.org_unit.path
    ):
        raise AssistanceError(_("所选资金不属于本单位"), field="fund")
    campaign = Campaign.objects.create(org_unit=org_unit, fund=fund, created_by=actor, **clean)
    record(
        actor=actor,
        action="assistance.create_campaign",
        target=campaign,
        unit=org_unit,
        data={"kind": campaign.kind, "fund": fund.pk, "year": campaign.year},
    )
    return campaign


@transaction.atomic
def do_update_campaign(*, actor, campaign: Campaign, values: Mapping[str, Any]) -> list[str]:
    require(actor, perms.MANAGE_CAMPAIGN, unit=campaign.org_unit)
    clean = _campaign_values(values, creating=False)
    changed = [k for k, v in clean.items() if getattr(campaign, k) != v]
    for k in changed:
        setattr(campaign, k, clean[k])
    if changed:
        campaign.save(update_fields=changed)
        record(
            actor=actor,
            action="assistance.update_campaign",
            target=campaign,
            unit=campaign.org_unit,
            data={"changed": changed},
        )
    return changed


@transaction.atomic
def do_create_fund(*, actor, org_unit: OrgUnit, name: str, description: str = "") -> Fund:
    require(actor, perms.MANAGE_CAMPAIGN, unit=org_unit)
    name = (name or "").strip()
    if not name:
        raise AssistanceError(_("请填写资金名称"), field="name")
    fund = Fund.objects.create(
        name=name[:100], org_unit=org_unit, description=(description or "")[:300], created_by=actor
    )
    record(actor=actor, action="assistance.create_fund", target=fund, unit=org_unit, data={})
    return fund


# --- applications -------------------------------------------------------------------------------


def _notify_applicant(application: Application, title: str) -> None:
    user = application.member.user
    if user is None:
        return
    notify(
        recipients=[user],
        kind="assistance.application",
        title=title,
        body=_("请查看申请进度。"),
        url=reverse("assistance:application-detail", args=[application.pk]),
        unit=application.org_unit,
    )


def _document_errors_to_field(index: int, exc: ValidationError) -> AssistanceError:
    return AssistanceError("；".join(exc.messages), field=f"doc_{index}")


@transaction.atomic
def do_submit_application(
    *,
    actor,
    campaign: Campaign,
    member: Member,
    amount: Any,
    situation: str,
    answers: Mapping[str, Any] | None = None,
    documents: Sequence[Any] = (),
) -> Application:
    """A worker applies for themselves, or a cadre holding apply_on_behalf over the member's
    unit applies for them. `documents` are uploads, one per required document, in order."""
    own = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not own:
        require(actor, perms.APPLY_ON_BEHALF, unit=member.org_unit)
    if member.status != Member.Status.ACTIVE:
        raise AssistanceError(_("该职工不在册，不能申请"), field="member")
    if not member.org_unit.path.startswith(campaign.org_unit.path):
        raise AssistanceError(_("该职工不在本活动的范围内"), field="campaign", status=404)
    if not campaign.is_open_on(timezone.localdate()):
        raise AssistanceError(_("该帮扶活动当前不接受申请"), field="campaign", status=409)
    value = parse_amount(amount, field="amount")
    if value <= 0:
        raise AssistanceError(_("请填写申请金额"), field="amount")
    if campaign.amount_cap is not None and value > campaign.amount_cap:
        raise AssistanceError(
            _("申请金额不能超过本活动单笔上限 ¥%(cap)s") % {"cap": campaign.amount_cap},
            field="amount",
        )
    text = (situation or "").strip()
    if not text:
        raise AssistanceError(_("请说明家庭困难情况"), field="situation")
    if len(text) > MAX_TEXT:
        raise AssistanceError(_("困难情况说明最多 %(n)d 字") % {"n": MAX_TEXT}, field="situation")
    clean_answers, errors = rules.check_answers(campaign.form_fields, dict(answers or {}))
    if errors:
        labels = {f["key"]: f["label"] for f in campaign.form_fields}
        key, code = next(iter(errors.items()))
        message = {
            "required": _("请填写%(label)s"),
            "number": _("%(label)s须为不小于 0 的数字"),
            "date": _("%(label)s须为日期（如 2026-09-01）"),
        }[code] % {"label": labels.get(key, key)}
        raise AssistanceError(message, field=f"answer_{key}")
    required = list(campaign.required_documents)
    uploads = list(documents or [])
    for index, name in enumerate(required):
        if index >= len(uploads) or not uploads[index]:
            raise AssistanceError(_("请上传%(name)s") % {"name": name}, field=f"doc_{index}")
    # One open application per member and campaign (locks the member row meanwhile).
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if open_application_exists(member, campaign):
        raise AssistanceError(_("您在本活动中已有未办结的申请"), field="campaign", status=409)
    file = active_file_of(member)
    application = Application(
        campaign=campaign,
        member=member,
        org_unit=member.org_unit,
        hardship_file=file,
        category=file.category if file else "",
        amount_requested=value,
        submitted_by=actor,
        on_behalf=not own,
        submitted_at=timezone.now(),
    )
    application.situation = text
    application.answers = clean_answers
    numbering.assign_number(application, "BF", application.submitted_at)
    application.save()
    for index, name in enumerate(required):
        try:
            att = attachments.save_upload(
                uploads[index],
                actor=actor,
                allowed=DOCUMENT_TYPES,
                owner=application,
                unit_path=member.org_unit.path,
            )
        except ValidationError as exc:
            raise _document_errors_to_field(index, exc) from None
        ApplicationDocument.objects.create(application=application, name=name, attachment=att)
    record(
        actor=actor,
        action="assistance.submit_application",
        target=application,
        unit=member.org_unit,
        data={"campaign": campaign.pk, "on_behalf": not own, "documents": len(required)},
    )
    start(APPLICATION, application, actor=actor)
    reviewers = holders(perms.REVIEW_APPLICATION, member.org_unit)
    transaction.on_commit(
        partial(
            _notify_reviewers,
            [u.pk for u in reviewers if u.pk != getattr(actor, "pk", None)],
            application.pk,
        )
    )
    return application


def _notify_reviewers(user_ids: list[int], application_id: int) -> None:
    from zhijia.accounts.models import User

    users = list(User.objects.filter(pk__in=user_ids))
    if users:
        notify(
            recipients=users,
            kind="assistance.review_due",
            title=_("有新的帮扶申请待初审"),
            body=_("请在工作台查看。"),
            url=reverse("assistance:application-detail", args=[application_id]),
        )


@transaction.atomic
def do_review_application(
    *,
    actor,
    application: Application,
    visited_on: dt.date,
    visitors: str,
    findings: str,
    category: str,
    amount: Any = None,
    note: str = "",
) -> Application:
    """The branch review: records the home visit (入户核查), confirms the category and the
    recommended amount, and passes the application on to the public notice."""
    require(actor, perms.REVIEW_APPLICATION, unit=application.org_unit)
    if visited_on is None or visited_on > timezone.localdate():
        raise AssistanceError(_("请填写入户核查日期（不晚于今天）"), field="visited_on")
    if not (visitors or "").strip():
        raise AssistanceError(_("请填写入户核查人员"), field="visitors")
    if not (findings or "").strip():
        raise AssistanceError(_("请填写核查情况"), field="findings")
    if category not in Category.values:
        raise AssistanceError(_("请确认困难类别"), field="category")
    if not application.in_state("submitted"):
        raise ConflictError(_("该申请已不在待初审状态"))
    visit = Visit(
        member=application.member,
        org_unit=application.org_unit,
        kind=Visit.Kind.HOME_CHECK,
        status=Visit.Status.DONE,
        hardship_file=application.hardship_file,
        application=application,
        campaign=application.campaign,
        planned_on=visited_on,
        visited_on=visited_on,
        visitors=visitors.strip()[:200],
        created_by=actor,
    )
    visit.findings = findings
    visit.save()
    application.category = category
    fields = ["category"]
    if amount not in (None, ""):
        value = parse_amount(amount, field="amount")
        if value <= 0:
            raise AssistanceError(_("核定金额须大于 0"), field="amount")
        application.amount_approved = value
        fields.append("amount_approved")
    application.save(update_fields=fields)
    record(
        actor=actor,
        action="assistance.record_visit",
        target=visit,
        unit=application.org_unit,
        data={"application": application.pk, "kind": visit.kind},
    )
    do_transition(
        APPLICATION,
        application,
        "review",
        actor=actor,
        note=note,
        data={"visit": visit.pk, "category": category},
    )
    transaction.on_commit(partial(_notify_applicant, application, _("您的帮扶申请已通过初审")))
    return application


@transaction.atomic
def do_decline_application(*, actor, application: Application, reason: str) -> Application:
    do_transition(APPLICATION, application, "decline", actor=actor, note=(reason or "").strip())
    transaction.on_commit(partial(_notify_applicant, application, _("您的帮扶申请未通过初审")))
    return application


def notice_unit_choices(application: Application) -> list[OrgUnit]:
    """Where a notice may be published: the applicant's unit and every unit above it."""
    return list(reversed(application.org_unit.lineage()))


@transaction.atomic
def do_publish_notice(
    *,
    actor,
    application: Application,
    notice_unit: OrgUnit | None = None,
    workdays_count: int | None = None,
) -> Application:
    """Start the public notice (公示): from now to the end of the N-th working day (5 by
    default, or the campaign's / the unit's setting), shown to the members of `notice_unit`'s
    subtree (by default the applicant's branch union)."""
    require(actor, perms.MANAGE_NOTICE, unit=application.org_unit)
    unit = notice_unit or branch_of(application.org_unit)
    if not application.org_unit.path.startswith(unit.path):
        raise AssistanceError(_("公示范围须包含申请人所在单位"), field="notice_unit")
    n = (
        workdays_count
        or application.campaign.notice_workdays
        or config_for(application.org_unit).notice_workdays
    )
    if not 1 <= int(n) <= 30:
        raise AssistanceError(_("公示期应为 1 到 30 个工作日"), field="workdays")
    now = timezone.now()
    application.notice_unit = unit
    application.notice_starts_at = now
    application.notice_ends_at = workdays.deadline_after(now, int(n))
    application.notice_masked_name = rules.mask_name(application.member.name)
    application.save(
        update_fields=["notice_unit", "notice_starts_at", "notice_ends_at", "notice_masked_name"]
    )
    do_transition(
        APPLICATION,
        application,
        "publish",
        actor=actor,
        data={
            "notice_unit": unit.pk,
            "workdays": int(n),
            "ends_at": timezone.localtime(application.notice_ends_at).isoformat(),
        },
    )
    transaction.on_commit(partial(_notify_applicant, application, _("您的帮扶申请正在公示")))
    return application


@transaction.atomic
def do_submit_objection(
    *, actor, application: Application, text: str, anonymous: bool
) -> Objection:
    """An objection to an application under notice. Anonymous: nothing of the sender is kept
    (no user, no time of day, and the audit event has no actor)."""
    if not notice_visible_to(actor, application):
        raise PermissionDenied
    body = (text or "").strip()
    if not body:
        raise AssistanceError(_("请填写异议内容"), field="text")
    if len(body) > MAX_TEXT:
        raise AssistanceError(_("异议内容最多 %(n)d 字") % {"n": MAX_TEXT}, field="text")
    if not application.notice_is_running():
        raise AssistanceError(_("公示期已结束，不再受理异议"), status=409)
    objection = Objection.objects.create(
        application=application,
        text=body,
        anonymous=bool(anonymous),
        submitted_by=None if anonymous else actor,
        received_on=timezone.localdate(),
    )
    record(
        actor=None if anonymous else actor,
        action="assistance.submit_objection",
        target=objection,
        unit=application.org_unit,
        data={"application": application.pk, "anonymous": bool(anonymous)},
    )
    handlers = holders(perms.MANAGE_NOTICE, application.org_unit)
    if handlers:
        notify(
            recipients=handlers,
            kind="assistance.objection",
            title=_("帮扶公示收到新的异议"),
            body=_("请及时核实处理，异议处理完毕前不能审批。"),
            url=reverse("assistance:objection-list"),
            unit=application.org_unit,
        )
    return objection


@transaction.atomic
def do_resolve_objection(*, actor, objection: Objection, resolution: str, note: str) -> Objection:
    application = objection.application
    require(actor, perms.MANAGE_NOTICE, unit=application.org_unit)
    if resolution not in Objection.Resolution.values:
        raise AssistanceError(_("请选择处理结论"), field="resolution")
    if not (note or "").strip():
        raise AssistanceError(_("请填写核实情况和处理说明"), field="note")
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.status != Objection.Status.OPEN:
        raise ConflictError(_("该异议已处理"))
    locked.status = Objection.Status.RESOLVED
    locked.resolution = resolution
    locked.resolution_note = note.strip()[:500]
    locked.resolved_by = actor
    locked.resolved_at = timezone.now()
    locked.save()
    record(
        actor=actor,
        action="assistance.resolve_objection",
        target=locked,
        unit=application.org_unit,
        data={"application": application.pk, "resolution": resolution},
    )
    return locked


@transaction.atomic
def do_approve_application(
    *, actor, application: Application, amount: Any = None, note: str = ""
) -> Application:
    """The union committee's approval, after the notice period and with every objection
    resolved (the workflow's guards say so in Chinese otherwise)."""
    if amount not in (None, ""):
        value = parse_amount(amount, field="amount")
        if value <= 0:
            raise AssistanceError(_("核定金额须大于 0"), field="amount")
        application.amount_approved = value
    elif application.amount_approved is None:
        application.amount_approved = application.amount_requested
    do_transition(APPLICATION, application, "approve", actor=actor, note=note)
    application.decided_at = timezone.now()
    application.save(update_fields=["amount_approved", "decided_at"])
    transaction.on_commit(partial(_notify_applicant, application, _("您的帮扶申请已审批通过")))
    return application


@transaction.atomic
def do_reject_application(*, actor, application: Application, reason: str) -> Application:
    do_transition(APPLICATION, application, "reject", actor=actor, note=(reason or "").strip())
    application.decided_at = timezone.now()
    application.save(update_fields=["decided_at"])
    transaction.on_commit(partial(_notify_applicant, application, _("您的帮扶申请未获审批")))
    return application


@transaction.atomic
def do_withdraw_application(*, actor, application: Application) -> Application:
    do_transition(APPLICATION, application, "withdraw", actor=actor)
    return application


# Assistance's line in the satisfaction index (registered in AssistanceConfig.ready).
SATISFACTION_SERVICE = "assistance.payment"


@transaction.atomic
def do_rate_application(*, actor, application: Application, rating: str) -> Application:
    """The applicant rates the help once it is paid, once; a 不满意 asks the cadres of the
    applicant's unit to call back (core.satisfaction_index)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not is_own_application(actor, application):
        raise PermissionDenied
    if not application.in_state("paid"):
        raise ConflictError(_("帮扶款发放后才能评价"))
    if application.rated_at is not None:
        raise ConflictError(_("您已评价过这次帮扶"))
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=application.org_unit,
        record_id=application.pk,
        label=application.number,
        url=reverse("assistance:application-detail", args=[application.pk]),
    )
    application.rated_at = timezone.now()
    application.save(update_fields=["rated_at"])
    record(actor=actor, action="assistance.rate_application", target=application, data={})
    return application


__all__ = [
    "do_approve_application",
    "do_create_campaign",
    "do_create_fund",
    "do_decline_application",
    "do_publish_notice",
    "do_rate_application",
    "do_reject_application",
    "do_resolve_objection",
    "do_review_application",
    "do_submit_application",
    "do_submit_objection",
    "do_update_campaign",
    "do_withdraw_application",
    "notice_unit_choices",
]
