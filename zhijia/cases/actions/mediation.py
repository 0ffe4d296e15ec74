"""Writes on labour-dispute mediation cases (劳动争议调解).

The 15-day rule (劳动争议调解仲裁法 Art. 14) runs on the workflow's deadline and escalation
(workflows.MEDIATION): when the period passes without an agreement the worker's sweep runs
`notify_arbitration_right` in the escalation's own transaction; it tells the applicant in plain
words that they may apply for arbitration now and reminds them of the one-year limitation
(Art. 27). Failure and refusal tell
them the same at once. The page shows the notice too, so it never depends on the message.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.cases.actions.grievances import clean_text
from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import Category, MediationCase, MediationParty, MediationSession
from zhijia.cases.permissions import MANAGE_MEDIATION
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import mediation as queries_mediation
from zhijia.cases.workflows import MEDIATION
from zhijia.core import audit, numbering, workdays
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm
from zhijia.core.workflow import TransitionError, can_transition, do_transition, start

logger = logging.getLogger(__name__)


def arbitration_notice_text(case: MediationCase) -> str:
    """The plain-words notice of the right to arbitration and of the limitation period."""
    text = _(
        "您于 %(date)s 提出的劳动争议调解申请，自调解组织收到申请之日起已满 15 日，"
        "还没有达成调解协议。根据《劳动争议调解仲裁法》第十四条，您现在就可以向劳动争议"
        "仲裁委员会申请仲裁，不必等调解结束；双方都愿意的，调解也可以继续。\n"
        "请注意时间：申请仲裁的时效是一年，从您知道或者应当知道自己的权利受到侵害之日起计算"
        "（第二十七条）。申请调解会使时效中断、重新计算，但请不要拖延。"
    ) % {"date": case.requested_on.strftime("%Y-%m-%d")}
    if case.in_state("failed", "declined"):
        text = _(
            "您的劳动争议调解申请%(how)s。根据《劳动争议调解仲裁法》第十四条，您可以向劳动"
            "争议仲裁委员会申请仲裁。\n"
            "请注意时间：申请仲裁的时效是一年，从您知道或者应当知道自己的权利受到侵害之日起"
            "计算（第二十七条）。申请调解会使时效中断、重新计算，但请不要拖延。"
        ) % {"how": _("调解不成，已终结") if case.in_state("failed") else _("未被受理")}
    if case.category == Category.WAGES:
        text += _(
            "\n拖欠工资（劳动报酬）的争议，在劳动关系存续期间不受一年时效的限制；劳动关系终止的，"
            "应当自终止之日起一年内提出。"
        )
    return text + _("\n工会可以帮您准备仲裁申请材料。")


def _notify_arbitration(case: MediationCase) -> None:
    case.arbitration_notified_at = timezone.now()
    case.save(update_fields=["arbitration_notified_at"])
    notify(
        recipients=[case.applicant],
        kind="cases.arbitration_right",
        title=_("您可以申请劳动仲裁"),
        body=arbitration_notice_text(case),
        url=case.get_absolute_url(),
        unit=case.org_unit,
    )
    audit.record(
        actor=None,
        action="cases.arbitration_notice",
        target=case,
        unit=case.org_unit,
        data={"state": case.state},
    )


def notify_arbitration_right(case: MediationCase, event=None) -> bool:
    """Tell the applicant, once, that the 15-day period passed without an agreement.

    The escalation's effect (workflows.MEDIATION, Escalation.effect): the sweep runs it in the
    escalation's transaction under the row lock, so the notice commits with the escalation."""
    if case.arbitration_notified_at is not None:
        return False
    if not case.in_state("requested", "mediating") or case.escalation_level < 1:
        return False
    _notify_arbitration(case)
    return True


def _require_manage(actor, case: MediationCase) -> None:
    if not has_perm(actor, MANAGE_MEDIATION, unit=case.org_unit):
        raise PermissionDenied(MANAGE_MEDIATION)


def _locked(case: MediationCase) -> MediationCase:
    return (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("applicant", "org_unit", "mediator")
        .get(pk=case.pk)
    )


@transaction.atomic
def do_request_mediation(
    *, actor, category: str, respondent: str, claim: str, contact: str = ""
) -> MediationCase:
    unit = queries.member_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有登记在册的会员可以申请调解"))
    errors = {}
    if category not in dict(Category.choices):
        errors["category"] = _("请选择有效的选项")
    respondent = (respondent or "").strip()
    if not respondent:
        errors["respondent"] = _("请填写被申请人（一般为用人单位名称）")
    try:
        claim = clean_text(claim, field="claim")
    except CasesRefused as exc:
        errors.update({k: v[0] for k, v in exc.errors.items()})
    if errors:
        raise CasesRefused.for_fields(errors)
    case = MediationCase(
        applicant=actor,
        org_unit=unit,
        category=category,
        respondent=respondent[:200],
        claim=claim,
        requested_on=workdays.local_date(timezone.now()),
    )
    numbering.assign_number(case, "TJ", case.requested_on)
    case.save(force_insert=True)
    MediationParty.objects.create(
        case=case,
        side=MediationParty.Side.APPLICANT,
        name=actor.get_full_name(),
        contact=(contact or "").strip()[:100],
    )
    MediationParty.objects.create(
        case=case, side=MediationParty.Side.RESPONDENT, name=respondent[:200]
    )
    start(MEDIATION, case, actor=actor)
    notify(
        recipients=queries_mediation.mediators_for(case),
        kind="cases.mediation_new",
        title=_("新的劳动争议调解申请"),
        body=_(
            "请及时受理并指派调解员；自收到申请之日起 15 日内未达成协议的，当事人可以申请仲裁。"
        ),
        url=case.get_absolute_url(),
        unit=case.org_unit,
    )
    return case


@transaction.atomic
def do_accept_mediation(*, actor, case: MediationCase, mediator, note: str = "") -> MediationCase:
    case = _locked(case)
    if not can_transition(MEDIATION, case, "accept", actor):
        raise TransitionError(_("您无权受理该调解申请，或申请已不在待受理状态"), code="forbidden")
    if mediator is None or not has_perm(mediator, MANAGE_MEDIATION, unit=case.org_unit):
        raise CasesRefused(_("请选择负责本单位调解的调解员"), field="mediator")
    case.mediator = mediator
    case.save(update_fields=["mediator"])
    do_transition(
        MEDIATION, case, "accept", actor=actor, note=note.strip(), data={"mediator": mediator.pk}
    )
    notify(
        recipients=[case.applicant, mediator],
        kind="cases.mediation_accepted",
        title=_("劳动争议调解申请已受理"),
        body=_("调解员：%(name)s") % {"name": mediator.get_full_name()},
        url=case.get_absolute_url(),
        unit=case.org_unit,
    )
    return case


@transaction.atomic
def do_add_party(
    *, actor, case: MediationCase, side: str, name: str, representative: str = "", contact=""
) -> MediationParty:
    case = _locked(case)
    _require_manage(actor, case)
    if side not in dict(MediationParty.Side.choices):
        raise CasesRefused(_("请选择有效的选项"), field="side")
    name = (name or "").strip()
    if not name:
        raise CasesRefused(_("请填写名称或姓名"), field="name")
    party = MediationParty.objects.create(
        case=case,
        side=side,
        name=name[:200],
        representative=(representative or "").strip()[:100],
        contact=(contact or "").strip()[:100],
    )
    audit.record(
        actor=actor,
        action="cases.add_mediation_party",
        target=case,
        unit=case.org_unit,
        data={"party": party.pk, "side": side},
    )
    return party


@transaction.atomic
def do_record_session(
    *, actor, case: MediationCase, held_at: datetime, place: str, attendees: str, minutes: str
) -> MediationSession:
    case = _locked(case)
    _require_manage(actor, case)
    if not case.in_state("mediating"):
        raise TransitionError(_("受理后才能记录调解过程"), code=TransitionError.STATE)
    errors = {}
    if held_at is None:
        errors["held_at"] = _("请填写调解时间")
    elif held_at > timezone.now():
        errors["held_at"] = _("调解时间不能晚于现在")
    if not (place or "").strip():
        errors["place"] = _("请填写地点")
    if not (attendees or "").strip():
        errors["attendees"] = _("请填写参加人员")
    try:
        minutes = clean_text(minutes, field="minutes", max_length=20000)
    except CasesRefused as exc:
        errors.update({k: v[0] for k, v in exc.errors.items()})
    if errors:
        raise CasesRefused.for_fields(errors)
    session = MediationSession.objects.create(
        case=case,
        held_at=held_at,
        place=place.strip()[:200],
        attendees=attendees.strip()[:500],
        minutes=minutes,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="cases.record_mediation_session",
        target=case,
        unit=case.org_unit,
        data={"session": session.pk},
    )
    return session


@transaction.atomic
def do_record_agreement(
    *, actor, case: MediationCase, text: str, performance_deadline=None
) -> MediationCase:
    case = _locked(case)
    case.agreement_text = clean_text(text, field="agreement_text", max_length=20000)
    case.agreed_on = workdays.local_date(timezone.now())
    case.performance_deadline = performance_deadline
    case.save(update_fields=["agreement_text", "agreed_on", "performance_deadline"])
    do_transition(MEDIATION, case, "agree", actor=actor)
    notify(
        recipients=[case.applicant],
        kind="cases.mediation_agreed",
        title=_("劳动争议调解已达成协议"),
        body=_("请查看调解协议书。对方在约定期限内不履行的，您可以依法申请仲裁。"),
        url=case.get_absolute_url(),
        unit=case.org_unit,
    )
    return case


def _close_without_agreement(actor, case: MediationCase, name: str, reason: str):
    case = _locked(case)
    reason = clean_text(reason, field="reason", max_length=2000)
    case.closing_reason = reason
    case.save(update_fields=["closing_reason"])
    do_transition(MEDIATION, case, name, actor=actor, note=reason)
    _notify_arbitration(case)
    return case


@transaction.atomic
def do_record_failure(*, actor, case: MediationCase, reason: str) -> MediationCase:
    return _close_without_agreement(actor, case, "fail", reason)


@transaction.atomic
def do_decline_mediation(*, actor, case: MediationCase, reason: str) -> MediationCase:
    return _close_without_agreement(actor, case, "decline", reason)


@transaction.atomic
def do_withdraw_mediation(*, actor, case: MediationCase, note: str = "") -> MediationCase:
    case = _locked(case)
    do_transition(MEDIATION, case, "withdraw", actor=actor, note=(note or "").strip())
    if case.mediator_id:
        notify(
            recipients=[case.mediator],
            kind="cases.mediation_withdrawn",
            title=_("当事人撤回了调解申请"),
            body="",
            url=case.get_absolute_url(),
            unit=case.org_unit,
        )
    return case
