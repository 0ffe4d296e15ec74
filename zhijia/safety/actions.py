"""Writes of module safety, each in one transaction, audited (directly or through the workflow),
with notifications queued in the same transaction (sent by the worker after commit)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, numbering
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused, text_field
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm, holders
from zhijia.core.workflow import do_transition, precheck, start
from zhijia.safety import queries
from zhijia.safety.models import HazardReport, SafetySupervisor
from zhijia.safety.permissions import MANAGE_HAZARD, RECTIFY_HAZARD
from zhijia.safety.workflows import HAZARD, rectify_workdays

MAX_WORKDAYS = 250
PHOTO_KINDS = {"image"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024

__all__ = [
    "HazardError",
    "do_assign_hazard",
    "do_designate_supervisor",
    "do_dismiss_hazard",
    "do_end_supervisor",
    "do_fix_hazard",
    "do_reassign_hazard",
    "do_reopen_hazard",
    "do_report_hazard",
    "do_start_rectification",
    "do_verify_hazard",
    "notify_escalation",
    "notify_reminder",
]


class HazardError(ActionRefused):
    """A refused write (see zhijia.core.errors.ActionRefused): a Chinese `message`, the form
    `field` it belongs to, the `status` for the API and pages."""


def _text(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=HazardError)


def _url(hazard: HazardReport) -> str:
    return reverse("safety:hazard-detail", args=[hazard.pk])


def _save_photo(upload, *, actor, hazard: HazardReport, field: str):
    try:
        return attachments.save_upload(
            upload,
            actor=actor,
            allowed=PHOTO_KINDS,
            max_bytes=PHOTO_MAX_BYTES,
            owner=hazard,
            unit_path=hazard.org_unit.path,
        )
    except ValidationError as exc:
        raise HazardError(exc.messages[0], field=field) from exc


def _lock(hazard: HazardReport) -> HazardReport:
    return HazardReport.objects.select_for_update().select_related("org_unit").get(pk=hazard.pk)


# --- reporting ------------------------------------------------------------------------------------


@transaction.atomic
def do_report_hazard(
    *,
    actor,
    org_unit,
    place: str,
    description: str,
    category: str,
    level: str = HazardReport.Level.GENERAL,
    photo=None,
) -> HazardReport:
    """A member reports a hazard (隐患随手拍): where, what, optionally a photo. The cadres of
    the nearest level of the unit are told it waits for assignment."""
    if not queries.is_member(actor):
        raise PermissionDenied
    if org_unit is None:
        raise HazardError(_("请选择所在单位"), field="org_unit")
    if category not in HazardReport.Category.values:
        raise HazardError(_("请选择隐患类别"), field="category")
    if level not in HazardReport.Level.values:
        raise HazardError(_("请选择隐患等级"), field="level")
    hazard = HazardReport(
        reporter=actor,
        org_unit=org_unit,
        place=_text(place, "place", _("地点"), 200),
        description=_text(description, "description", _("隐患描述"), 2000),
        category=category,
        level=level,
        reported_at=timezone.now(),
    )
    numbering.assign_number(hazard, "YH", hazard.reported_at)
    hazard.save(force_insert=True)
    if photo is not None:
        hazard.photo = _save_photo(photo, actor=actor, hazard=hazard, field="photo")
        hazard.save(update_fields=["photo"])
    record(
        actor=actor,
        action="safety.report_hazard",
        target=hazard,
        unit=org_unit,
        data={"category": category, "level": level, "photo": hazard.photo_id is not None},
    )
    start(HAZARD, hazard, actor=actor)
    notify(
        recipients=holders(MANAGE_HAZARD, org_unit, nearest=True, include_global=False),
        kind="safety.hazard_reported",
        title=_("新的安全隐患待分派：%(place)s") % {"place": hazard.place},
        body=_("%(unit)s 有职工报告了%(level)s（%(category)s），请分派整改责任。")
        % {
            "unit": org_unit.name,
            "level": hazard.get_level_display(),
            "category": hazard.get_category_display(),
        },
        url=_url(hazard),
        unit=org_unit,
    )
    return hazard


# --- assignment -----------------------------------------------------------------------------------


def _set_owner(hazard, *, department, owner, workdays, requirement) -> None:
    if (department is None) == (owner is None):
        raise HazardError(_("请指定整改责任部门或责任人（二选一）"), field="department")
    if (
        owner is not None
        and not queries.owner_cadres_for(hazard.org_unit).filter(pk=owner.pk).exists()
    ):
        raise HazardError(_("责任人须为该单位或上级工会的干部"), field="owner")
    if workdays is None:
        workdays = rectify_workdays()
    if not 1 <= int(workdays) <= MAX_WORKDAYS:
        raise HazardError(
            _("整改期限应在 1 到 %(n)d 个工作日之间") % {"n": MAX_WORKDAYS}, field="workdays"
        )
    hazard.owner_department = department
    hazard.owner_user = owner
    hazard.rectify_workdays = int(workdays)
    hazard.requirement = _text(requirement, "requirement", _("整改要求"), 2000, required=False)
    hazard.save(update_fields=["owner_department", "owner_user", "rectify_workdays", "requirement"])


def _owners(hazard: HazardReport) -> list:
    """Who works the hazard: the owner department's handlers, or the named cadre."""
    if hazard.owner_department is not None:
        return holders(RECTIFY_HAZARD, department=hazard.owner_department, include_global=False)
    if hazard.owner_user is not None:
        return [hazard.owner_user]
    return []


def _notify_owner(hazard: HazardReport, *, kind: str, title: str, body: str) -> None:
    recipients = _owners(hazard)
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=_url(hazard),
        unit=hazard.org_unit,
    )


def _after_assignment(hazard: HazardReport) -> None:
    hazard.due_at = hazard.deadline_at
    hazard.save(update_fields=["due_at"])
    _notify_owner(
        hazard,
        kind="safety.hazard_assigned",
        title=_("请整改安全隐患：%(place)s") % {"place": hazard.place},
        body=_("%(unit)s 的%(level)s已交由您负责整改，期限 %(due)s。")
        % {
            "unit": hazard.org_unit.name,
            "level": hazard.get_level_display(),
            "due": timezone.localtime(hazard.due_at).strftime("%Y-%m-%d"),
        },
    )


@transaction.atomic
def do_assign_hazard(
    *, actor, hazard, department=None, owner=None, workdays=None, requirement: str = ""
) -> HazardReport:
    hazard = _lock(hazard)
    checked = precheck(HAZARD, hazard, "assign", actor)
    _set_owner(
        hazard, department=department, owner=owner, workdays=workdays, requirement=requirement
    )
    do_transition(
        HAZARD,
        hazard,
        "assign",
        actor=actor,
        prechecked=checked,
        note=hazard.requirement,
        data={
            "department": hazard.owner_department_id,
            "owner": hazard.owner_user_id,
            "workdays": hazard.rectify_workdays,
        },
    )
    _after_assignment(hazard)
    return hazard


@transaction.atomic
def do_reassign_hazard(
    *, actor, hazard, reason: str, department=None, owner=None, workdays=None, requirement=""
) -> HazardReport:
    hazard = _lock(hazard)
    checked = precheck(HAZARD, hazard, "reassign", actor)
    reason = _text(reason, "reason", _("改派理由"), 500)
    _set_owner(
        hazard,
        department=department,
        owner=owner,
        workdays=workdays,
        requirement=requirement or hazard.requirement,
    )
    do_transition(
        HAZARD,
        hazard,
        "reassign",
        actor=actor,
        prechecked=checked,
        note=reason,
        data={"department": hazard.owner_department_id, "owner": hazard.owner_user_id},
    )
    _after_assignment(hazard)
    return hazard


@transaction.atomic
def do_dismiss_hazard(*, actor, hazard, reason: str) -> HazardReport:
    hazard = _lock(hazard)
    reason = _text(reason, "reason", _("理由"), 500)
    do_transition(HAZARD, hazard, "dismiss", actor=actor, note=reason)
    hazard.closing_note = reason
    hazard.save(update_fields=["closing_note"])
    notify(
        recipients=[hazard.reporter],
        kind="safety.hazard_dismissed",
        title=_("您报告的隐患未予立项"),
        body=_("您在 %(place)s 报告的隐患未予立项：%(reason)s。感谢您对安全生产的关注。")
        % {"place": hazard.place, "reason": reason},
        url=_url(hazard),
        unit=hazard.org_unit,
    )
    return hazard


# --- rectification --------------------------------------------------------------------------------


@transaction.atomic
def do_start_rectification(*, actor, hazard) -> HazardReport:
    hazard = _lock(hazard)
    do_transition(HAZARD, hazard, "begin", actor=actor)
    return hazard


@transaction.atomic
def do_fix_hazard(*, actor, hazard, result: str, photo=None) -> HazardReport:
    """The owner reports the hazard put right; the reporter and the unit's supervisors are
    asked to verify."""
    hazard = _lock(hazard)
    hazard.result = _text(result, "result", _("整改结果"), 2000)
    hazard.fixed_at = timezone.now()
    hazard.fixed_by = actor
    hazard.save(update_fields=["result", "fixed_at", "fixed_by"])
    # A refusal raises and rolls the whole action back, these fields included.
    do_transition(HAZARD, hazard, "fix", actor=actor, note=hazard.result)
    if photo is not None:
        hazard.fix_photo = _save_photo(photo, actor=actor, hazard=hazard, field="photo")
        hazard.save(update_fields=["fix_photo"])
    verifiers = [hazard.reporter, *queries.active_supervisors_of(hazard.org_unit)]
    notify(
        recipients=[u for u in verifiers if u.pk != actor.pk],
        kind="safety.hazard_fixed",
        title=_("隐患已整改，请验收：%(place)s") % {"place": hazard.place},
        body=_("%(unit)s %(place)s 的隐患已整改完成，请到现场核实后验收。")
        % {"unit": hazard.org_unit.name, "place": hazard.place},
        url=_url(hazard),
        unit=hazard.org_unit,
    )
    return hazard


# --- verification ---------------------------------------------------------------------------------


@transaction.atomic
def do_verify_hazard(*, actor, hazard, note: str = "") -> HazardReport:
    hazard = _lock(hazard)
    note = _text(note, "note", _("验收意见"), 500, required=False)
    do_transition(HAZARD, hazard, "verify", actor=actor, note=note)
    hazard.verified_at = timezone.now()
    hazard.verified_by = actor
    hazard.closing_note = note
    hazard.save(update_fields=["verified_at", "verified_by", "closing_note"])
    _notify_owner(
        hazard,
        kind="safety.hazard_verified",
        title=_("隐患整改已验收：%(place)s") % {"place": hazard.place},
        body=_("%(place)s 的隐患整改已验收通过。") % {"place": hazard.place},
    )
    return hazard


@transaction.atomic
def do_reopen_hazard(*, actor, hazard, reason: str) -> HazardReport:
    hazard = _lock(hazard)
    reason = _text(reason, "reason", _("不通过的理由"), 500)
    do_transition(HAZARD, hazard, "reopen", actor=actor, note=reason)
    hazard.reopen_count += 1
    hazard.save(update_fields=["reopen_count"])
    _notify_owner(
        hazard,
        kind="safety.hazard_reopened",
        title=_("隐患整改验收未通过：%(place)s") % {"place": hazard.place},
        body=_("%(place)s 的隐患整改未通过验收：%(reason)s。请重新整改。")
        % {"place": hazard.place, "reason": reason},
    )
    return hazard


# --- deadlines (called by the workflow sweep) -----------------------------------------------------


def notify_escalation(hazard: HazardReport, event) -> None:
    """The escalation's effect (run in its transaction): the owner and the cadres of the
    level above the unit's are told."""
    level = event.data.get("level", 1)
    unit = hazard.org_unit
    above = unit.parent if level >= 2 and unit.parent is not None else unit
    cadres = holders(MANAGE_HAZARD, above, nearest=True, include_global=False)
    owners = _owners(hazard) if hazard.in_state("assigned", "rectifying", "reopened") else []
    notify(
        recipients=[*owners, *cadres],
        kind="safety.hazard_overdue",
        title=_("安全隐患超期未办：%(place)s") % {"place": hazard.place},
        body=_("%(unit)s %(place)s 的隐患（%(state)s）已超过期限，请督促办理。")
        % {"unit": unit.name, "place": hazard.place, "state": HAZARD.state_label(hazard.state)},
        url=_url(hazard),
        unit=unit,
    )


def notify_reminder(hazard: HazardReport) -> None:
    if not hazard.in_state("assigned", "rectifying", "reopened"):
        return
    _notify_owner(
        hazard,
        kind="safety.hazard_due",
        title=_("隐患整改即将到期：%(place)s") % {"place": hazard.place},
        body=_("%(place)s 的隐患整改期限为 %(due)s，请按时完成。")
        % {
            "place": hazard.place,
            "due": timezone.localtime(hazard.deadline_at).strftime("%Y-%m-%d"),
        },
    )


# --- supervisors ----------------------------------------------------------------------------------


@transaction.atomic
def do_designate_supervisor(*, actor, member, org_unit, note: str = "") -> SafetySupervisor:
    """Designate a member 群众安全监督员 of a unit (the member must belong to its subtree)."""
    if org_unit is None:
        raise HazardError(_("请选择监督范围"), field="org_unit")
    if not has_perm(actor, MANAGE_HAZARD, unit=org_unit):
        raise PermissionDenied(MANAGE_HAZARD)
    if member is None:
        raise HazardError(_("请选择会员"), field="member")
    if not member.org_unit.path.startswith(org_unit.path):
        raise HazardError(_("监督员须是该单位的会员"), field="member")
    if member.status != "active":
        raise HazardError(_("该会员不在册"), field="member")
    try:
        with transaction.atomic():
            row = SafetySupervisor.objects.create(
                member=member,
                org_unit=org_unit,
                appointed_on=timezone.localdate(),
                appointed_by=actor,
                note=_text(note, "note", _("备注"), 200, required=False),
            )
    except IntegrityError:
        raise HazardError(_("该会员已是本单位的监督员"), field="member", status=409) from None
    record(
        actor=actor,
        action="safety.designate_supervisor",
        target=row,
        unit=org_unit,
        data={"member": member.pk},
    )
    if member.user_id:
        notify(
            recipients=[member.user],
            kind="safety.supervisor_designated",
            title=_("您已被聘为群众安全监督员"),
            body=_("您已被聘为 %(unit)s 的群众安全监督员，可以验收本单位隐患的整改。")
            % {"unit": org_unit.name},
            url=reverse("safety:home"),
            unit=org_unit,
        )
    return row


@transaction.atomic
def do_end_supervisor(*, actor, supervisor: SafetySupervisor) -> SafetySupervisor:
    row = SafetySupervisor.objects.select_for_update().get(pk=supervisor.pk)
    if not has_perm(actor, MANAGE_HAZARD, unit=row.org_unit):
        raise PermissionDenied(MANAGE_HAZARD)
    if row.ended_on is not None:
        raise HazardError(_("该监督员已解聘"), status=409)
    row.ended_on = timezone.localdate()
    row.save(update_fields=["ended_on"])
    record(
        actor=actor,
        action="safety.end_supervisor",
        target=row,
        unit=row.org_unit,
        data={"member": row.member_id},
    )
    return row
