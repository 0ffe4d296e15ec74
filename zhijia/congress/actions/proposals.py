"""Writes on proposals: do_<verb>_proposal(*, actor, ...), each in one transaction, audited,
with notifications written in the same transaction (sent by the worker after commit).

State changes go through the declared workflow (workflows.PROPOSAL); its checks (permission,
state, guards) raise TransitionError with a Chinese message and an HTTP status. Checks that
are not about the state (who may be a co-signer, which session, which departments) raise
ProposalError, with the form field the message belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import hooks
from zhijia.congress.models import (
    Proposal,
    ProposalAnswer,
    ProposalCarryOver,
    ProposalCosigner,
    ProposalRating,
)
from zhijia.congress.permissions import (
    ANSWER_PROPOSAL,
    SUBMIT_PROPOSAL,
    SUPERVISE_PROPOSAL,
)
from zhijia.congress.queries import proposals as queries
from zhijia.congress.workflows import PROPOSAL, handling_workdays
from zhijia.core import attachments, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm
from zhijia.core.workflow import TransitionError, do_transition, start
from zhijia.org.models import Department, OrgUnit

MAX_COSIGNERS = 50
MAX_ATTACHMENTS = 5
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}
MAX_WORKDAYS = 250


class ProposalError(ActionRefused):
    """A refused write (see zhijia.core.errors.ActionRefused): a Chinese `message`, the form
    `field` it belongs to, the `status` for the API and pages."""


# --- helpers -------------------------------------------------------------------------------------


def congress_unit_of(session) -> OrgUnit:
    """The org unit whose congress a session belongs to (its proposal committee decides)."""
    return session.term.unit


def proposer_unit_of(user) -> OrgUnit | None:
    """Where the representative is a member (their union group), else their role's unit."""
    member = getattr(user, "member_record", None)
    if member is not None and member.org_unit_id:
        return member.org_unit
    for assignment in user.active_assignments():
        if assignment.role == "representative" and assignment.org_unit is not None:
            return assignment.org_unit
    return None


def _name(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _clean_text(value: str, field: str, label: str, *, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ProposalError(_("请填写%(label)s") % {"label": label}, field=field)
    if max_length and len(text) > max_length:
        raise ProposalError(
            _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}, field=field
        )
    return text


def _clean_workdays(value, field: str = "workdays") -> int:
    if value in (None, ""):
        return handling_workdays()
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ProposalError(_("办理时限须为整数个工作日"), field=field) from None
    if not 1 <= days <= MAX_WORKDAYS:
        raise ProposalError(
            _("办理时限须在 1 到 %(max)d 个工作日之间") % {"max": MAX_WORKDAYS}, field=field
        )
    return days


def _precheck(proposal: Proposal, name: str, *, allowed: bool) -> None:
    """Refuse, with the workflow's own messages, before anything is written: for actions that
    write their data first and fire the transition after (its guards read that data)."""
    transition = PROPOSAL.transition(name)
    if not allowed:
        raise TransitionError(
            _("您无权执行“%(action)s”操作") % {"action": transition.label},
            code=TransitionError.FORBIDDEN,
        )
    if proposal.state not in transition.source:
        raise TransitionError(
            _("当前状态为“%(state)s”，不能执行“%(action)s”")
            % {"state": PROPOSAL.state_label(proposal.state), "action": transition.label},
            code=TransitionError.STATE,
        )


def _index(proposal: Proposal) -> None:
    search.index(
        queries.SEARCH_TYPE,
        proposal.pk,
        title=proposal.title,
        text="\n".join([proposal.cause, proposal.reasons, proposal.measures]),
        unit_path=proposal.proposer_unit.path,
    )


def _refresh(proposal: Proposal) -> Proposal:
    proposal.refresh_from_db()
    return proposal


def _lock(proposal: Proposal) -> Proposal:
    """Lock the row for the rest of the transaction and read it afresh."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    for field in Proposal._meta.concrete_fields:
        setattr(proposal, field.attname, getattr(locked, field.attname))
    return proposal


def _notify(users, kind: str, title: str, body: str, proposal: Proposal) -> None:
    notify(
        recipients=users,
        kind=f"congress.{kind}",
        title=title,
        body=body,
        url=proposal.get_absolute_url(),
        unit=proposal.org_unit,
    )


def _label(proposal: Proposal) -> str:
    prefix = _("第%(n)s号") % {"n": proposal.number} if proposal.serial else ""
    return f"{prefix}《{proposal.title}》"


def _signed_cosigners(proposal: Proposal) -> list:
    return [
        c.user
        for c in proposal.cosigners.select_related("user").filter(
            status=ProposalCosigner.Status.SIGNED
        )
    ]


def _departments_handlers(proposal: Proposal) -> list:
    users = queries.department_handlers(proposal.lead_department)
    for dept in proposal.co_departments.all():
        users += queries.department_handlers(dept)
    return users


def _check_cosigner_candidates(proposal: Proposal, users: Sequence) -> list:
    eligible = set(
        queries.representatives_in(proposal.org_unit, exclude_ids=[proposal.proposer_id])
        .filter(pk__in=[u.pk for u in users])
        .values_list("pk", flat=True)
    )
    for user in users:
        if user.pk == proposal.proposer_id:
            raise ProposalError(_("提案人不能为自己附议"), field="cosigners")
        if user.pk not in eligible or not queries.on_roster(proposal.session, user):
            raise ProposalError(
                _("%(name)s 不是本届职工代表，不能附议") % {"name": _name(user)},
                field="cosigners",
            )
    return list({u.pk: u for u in users}.values())


# --- drafting and co-signing ---------------------------------------------------------------------


@transaction.atomic
def do_create_proposal(
    *,
    actor,
    session,
    title: str,
    cause: str,
    reasons: str,
    measures: str,
    category: str = Proposal.Category.OTHER,
    cosigners: Sequence = (),
    files: Sequence = (),
) -> Proposal:
    """A representative drafts a proposal and (optionally) invites co-signers at once and
    attaches files (photos, PDF, Office documents; checked by their content)."""
    if not has_perm(actor, SUBMIT_PROPOSAL):
        raise PermissionDenied(SUBMIT_PROPOSAL)
    unit = proposer_unit_of(actor)
    if unit is None:
        raise ProposalError(_("您的账号没有所属工会组织，不能提交提案"))
    if session is None or not queries.sessions_for_proposals(actor).filter(pk=session.pk).exists():
        raise ProposalError(_("请选择正在征集提案的会议"), field="session")
    if not queries.on_roster(session, actor):
        raise ProposalError(_("您不是本届职工代表，不能提交提案"), field="session", status=403)
    if category not in Proposal.Category.values:
        raise ProposalError(_("请选择提案类别"), field="category")
    proposal = Proposal.objects.create(
        session=session,
        title=_clean_text(title, "title", _("标题"), max_length=200),
        category=category,
        cause=_clean_text(cause, "cause", _("案由")),
        reasons=_clean_text(reasons, "reasons", _("理由")),
        measures=_clean_text(measures, "measures", _("建议措施")),
        proposer=actor,
        proposer_name=_name(actor),
        proposer_unit=unit,
        org_unit=congress_unit_of(session),
    )
    start(PROPOSAL, proposal, actor=actor)
    record(
        actor=actor,
        action="congress.create_proposal",
        target=proposal,
        unit=proposal.org_unit,
        data={"session": proposal.session_id, "category": category},
    )
    _index(proposal)
    if cosigners:
        _invite(actor, proposal, cosigners)
    _attach(actor, proposal, files)
    return _refresh(proposal)


def _attach(actor, proposal: Proposal, files: Sequence) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ProposalError(_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}, field="attachments")
    for upload in files:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=proposal,
                unit_path=proposal.org_unit.path,
            )
        except ValidationError as exc:
            raise ProposalError(" ".join(exc.messages), field="attachments") from exc


@transaction.atomic
def do_update_proposal(*, actor, proposal: Proposal, **fields) -> Proposal:
    """The proposer edits a draft (title, category, cause, reasons, measures)."""
    _lock(proposal)
    if proposal.proposer_id != actor.pk:
        raise PermissionDenied
    if proposal.state != "draft":
        raise ProposalError(_("提案已提交，不能再修改"), status=409)
    labels = {
        "title": _("标题"),
        "cause": _("案由"),
        "reasons": _("理由"),
        "measures": _("建议措施"),
    }
    changed = []
    for name, value in fields.items():
        if value is None:
            continue
        if name == "category":
            if value not in Proposal.Category.values:
                raise ProposalError(_("请选择提案类别"), field="category")
        elif name in labels:
            value = _clean_text(
                value, name, labels[name], max_length=200 if name == "title" else None
            )
        else:
            raise ProposalError(_("不能修改此项"), field=name)
        if getattr(proposal, name) != value:
            setattr(proposal, name, value)
            changed.append(name)
    if changed:
        proposal.save(update_fields=[*changed, "updated_at"])
        record(
            actor=actor,
            action="congress.update_proposal",
            target=proposal,
            unit=proposal.org_unit,
            data={"changed": sorted(changed)},
        )
        _index(proposal)
    return proposal


def _invite(actor, proposal: Proposal, users: Sequence) -> list[ProposalCosigner]:
    users = _check_cosigner_candidates(proposal, users)
    existing = {c.user_id: c for c in proposal.cosigners.all()}
    if len(set(existing) | {u.pk for u in users}) > MAX_COSIGNERS:
        raise ProposalError(_("附议人最多 %(n)d 位") % {"n": MAX_COSIGNERS}, field="cosigners")
    invited = []
    for user in users:
        row = existing.get(user.pk)
        if row is None:
            row = ProposalCosigner.objects.create(proposal=proposal, user=user, name=_name(user))
        elif row.status == ProposalCosigner.Status.DECLINED:
            row.status = ProposalCosigner.Status.INVITED
            row.responded_at = None
            row.save(update_fields=["status", "responded_at"])
        else:
            continue
        invited.append(row)
    if invited:
        record(
            actor=actor,
            action="congress.invite_cosigners",
            target=proposal,
            unit=proposal.org_unit,
            data={"users": [row.user_id for row in invited]},
        )
        _notify(
            [row.user for row in invited],
            "proposal_cosign_request",
            _("请您附议提案：%(title)s") % {"title": proposal.title},
            _("%(name)s 代表邀请您附议提案%(label)s，请查看后决定是否附议。")
            % {"name": proposal.proposer_name, "label": _label(proposal)},
            proposal,
        )
    return invited


@transaction.atomic
def do_invite_cosigners(*, actor, proposal: Proposal, users: Sequence) -> list[ProposalCosigner]:
    _lock(proposal)
    if proposal.proposer_id != actor.pk:
        raise PermissionDenied
    if proposal.state != "draft":
        raise ProposalError(_("提案已提交，不能再邀请附议"), status=409)
    if not users:
        raise ProposalError(_("请选择要邀请的代表"), field="cosigners")
    return _invite(actor, proposal, users)


@transaction.atomic
def do_cosign_proposal(*, actor, proposal: Proposal) -> ProposalCosigner:
    """An invited representative co-signs (附议) a draft."""
    _lock(proposal)
    row = proposal.cosigners.select_for_update().filter(user=actor).first()
    if row is None:
        raise PermissionDenied
    if proposal.state != "draft":
        raise ProposalError(_("提案已提交或撤回，不能再附议"), status=409)
    if not has_perm(actor, SUBMIT_PROPOSAL):
        raise ProposalError(_("只有职工代表可以附议"), status=403)
    if row.status != ProposalCosigner.Status.SIGNED:
        row.status = ProposalCosigner.Status.SIGNED
        row.responded_at = timezone.now()
        row.save(update_fields=["status", "responded_at"])
        record(
            actor=actor,
            action="congress.cosign_proposal",
            target=proposal,
            unit=proposal.org_unit,
            data={"cosigner": row.pk},
        )
        _notify(
            [proposal.proposer],
            "proposal_cosigned",
            _("%(name)s 已附议您的提案") % {"name": row.name},
            _("提案%(label)s已有 %(n)d 位代表附议。")
            % {"label": _label(proposal), "n": queries.signed_count(proposal)},
            proposal,
        )
    return row


@transaction.atomic
def do_decline_cosign(*, actor, proposal: Proposal) -> ProposalCosigner:
    """An invited representative declines, or withdraws their co-signature before submission."""
    _lock(proposal)
    row = proposal.cosigners.select_for_update().filter(user=actor).first()
    if row is None:
        raise PermissionDenied
    if proposal.state != "draft":
        raise ProposalError(_("提案已提交，附议不能撤回"), status=409)
    if row.status != ProposalCosigner.Status.DECLINED:
        row.status = ProposalCosigner.Status.DECLINED
        row.responded_at = timezone.now()
        row.save(update_fields=["status", "responded_at"])
        record(
            actor=actor,
            action="congress.decline_cosign",
            target=proposal,
            unit=proposal.org_unit,
            data={"cosigner": row.pk},
        )
    return row


# --- submission and the committee ----------------------------------------------------------------


def _next_serial(proposal: Proposal, session) -> int:
    # The session row's lock serialises numbering within a session (also on PostgreSQL).
    list(type(session)._base_manager.select_for_update().filter(pk=session.pk).values_list("pk"))
    top = Proposal.objects.filter(session=session).aggregate(m=Max("serial"))["m"] or 0
    return top + 1


@transaction.atomic
def do_submit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """The proposer submits a draft with enough co-signers to the proposal committee."""
    _lock(proposal)
    do_transition(PROPOSAL, proposal, "submit", actor=actor)
    proposal.serial = _next_serial(proposal, proposal.session)
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["serial", "submitted_at", "updated_at"])
    # Invitations nobody answered lapse with the submission.
    proposal.cosigners.filter(status=ProposalCosigner.Status.INVITED).update(
        status=ProposalCosigner.Status.DECLINED, responded_at=timezone.now()
    )
    _index(proposal)
    _notify(
        queries.committee_members(proposal),
        "proposal_submitted",
        _("新提案待审查：%(title)s") % {"title": proposal.title},
        _("%(name)s 代表提交了提案%(label)s，请提案工作委员会审查。")
        % {"name": proposal.proposer_name, "label": _label(proposal)},
        proposal,
    )
    return proposal


@transaction.atomic
def do_withdraw_proposal(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    _lock(proposal)
    do_transition(PROPOSAL, proposal, "withdraw", actor=actor, note=note)
    return proposal


def _set_departments(proposal: Proposal, lead: Department | None, co: Iterable[Department]):
    if lead is None:
        raise ProposalError(_("请选择主办部门"), field="lead_department")
    co = [d for d in {d.pk: d for d in co}.values() if d.pk != lead.pk]
    proposal.lead_department = lead
    proposal.save(update_fields=["lead_department", "handling_workdays", "updated_at"])
    proposal.co_departments.set(co)
    return co


@transaction.atomic
def do_accept_proposal(
    *,
    actor,
    proposal: Proposal,
    note: str = "",
    lead_department: Department | None = None,
    co_departments: Sequence[Department] = (),
    workdays=None,
) -> Proposal:
    """立案. With a lead department, the proposal is assigned (交办) in the same step."""
    _lock(proposal)
    do_transition(PROPOSAL, proposal, "accept", actor=actor, note=note)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["decided_at", "updated_at"])
    _notify(
        [proposal.proposer, *_signed_cosigners(proposal)],
        "proposal_accepted",
        _("提案已立案：%(title)s") % {"title": proposal.title},
        _("提案%(label)s经提案工作委员会审查，予以立案。") % {"label": _label(proposal)},
        proposal,
    )
    if lead_department is not None:
        _assign(actor, proposal, lead_department, co_departments, workdays, note="")
    return proposal


@transaction.atomic
def do_reject_proposal(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """不予立案, with the reason the proposer reads."""
    _lock(proposal)
    reason = (reason or "").strip()
    do_transition(PROPOSAL, proposal, "reject", actor=actor, note=reason)
    proposal.reject_reason = reason
    proposal.decided_at = proposal.closed_at = timezone.now()
    proposal.save(update_fields=["reject_reason", "decided_at", "closed_at", "updated_at"])
    _notify(
        [proposal.proposer, *_signed_cosigners(proposal)],
        "proposal_rejected",
        _("提案不予立案：%(title)s") % {"title": proposal.title},
        _("提案%(label)s经审查不予立案。理由：%(reason)s")
        % {"label": _label(proposal), "reason": reason},
        proposal,
    )
    hooks.announce_after_commit(proposal)
    return proposal


@transaction.atomic
def do_merge_proposal(*, actor, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """并案: `proposal` is merged into `into`, which carries on; its proposer follows there."""
    _lock(proposal)
    if into.pk == proposal.pk:
        raise ProposalError(_("不能并入提案本身"), field="into")
    if into.merged_into_id is not None or into.state not in queries.MERGE_TARGET_STATES:
        raise ProposalError(_("只能并入正在审查、办理或已办结的提案"), field="into")
    if into.org_unit_id != proposal.org_unit_id:
        raise ProposalError(_("只能并入同一职代会的提案"), field="into")
    proposal.merged_into = into
    proposal.save(update_fields=["merged_into", "updated_at"])
    do_transition(PROPOSAL, proposal, "merge", actor=actor, note=note, data={"into": into.pk})
    proposal.decided_at = proposal.closed_at = timezone.now()
    proposal.save(update_fields=["decided_at", "closed_at", "updated_at"])
    # Proposals merged into this one follow it to the new target.
    Proposal.objects.filter(merged_into=proposal).update(merged_into=into)
    record(
        actor=actor,
        action="congress.merge_proposal",
        target=proposal,
        unit=proposal.org_unit,
        data={"into": into.pk},
    )
    _notify(
        [proposal.proposer, *_signed_cosigners(proposal)],
        "proposal_merged",
        _("提案已并案：%(title)s") % {"title": proposal.title},
        _("提案%(label)s与提案%(into)s内容相近，已并案办理，请关注并入提案的办理情况。")
        % {"label": _label(proposal), "into": _label(into)},
        proposal,
    )
    hooks.announce_after_commit(proposal)
    return proposal


def _assign(actor, proposal, lead, co, workdays, *, note: str, transition: str = "assign"):
    days = _clean_workdays(workdays)
    proposal.handling_workdays = days
    co = _set_departments(proposal, lead, co)
    do_transition(
        PROPOSAL,
        proposal,
        transition,
        actor=actor,
        note=note,
        data={"lead": lead.pk, "co": [d.pk for d in co], "workdays": days},
    )
    _notify(
        queries.department_handlers(lead),
        "proposal_assigned",
        _("提案交办：%(title)s") % {"title": proposal.title},
        _("提案%(label)s交由贵部门主办，请于 %(deadline)s 前答复。")
        % {
            "label": _label(proposal),
            "deadline": timezone.localtime(proposal.deadline_at).strftime("%Y-%m-%d"),
        },
        proposal,
    )
    co_users = [u for d in co for u in queries.department_handlers(d)]
    if co_users:
        _notify(
            co_users,
            "proposal_assigned",
            _("提案协办：%(title)s") % {"title": proposal.title},
            _("提案%(label)s由%(lead)s主办，贵部门协办，请向主办部门提供协办意见。")
            % {"label": _label(proposal), "lead": lead.name},
            proposal,
        )
    _notify(
        [proposal.proposer],
        "proposal_assigned",
        _("提案已交办：%(title)s") % {"title": proposal.title},
        _("您的提案%(label)s已交由%(lead)s办理。") % {"label": _label(proposal), "lead": lead.name},
        proposal,
    )


@transaction.atomic
def do_assign_proposal(
    *,
    actor,
    proposal: Proposal,
    lead_department: Department | None,
    co_departments: Sequence[Department] = (),
    workdays=None,
    note: str = "",
) -> Proposal:
    """交办 an accepted proposal to a lead department (and co-handling ones) with a deadline."""
    _lock(proposal)
    _precheck(proposal, "assign", allowed=queries.can_review(actor, proposal))
    _assign(actor, proposal, lead_department, co_departments, workdays, note=note)
    return proposal


@transaction.atomic
def do_reassign_proposal(
    *,
    actor,
    proposal: Proposal,
    lead_department: Department | None,
    co_departments: Sequence[Department] = (),
    workdays=None,
    reason: str = "",
) -> Proposal:
    """改派 a proposal in handling to another department (a new deadline starts)."""
    _lock(proposal)
    _precheck(proposal, "reassign", allowed=queries.can_review(actor, proposal))
    if not (reason or "").strip():
        raise ProposalError(_("请填写改派理由"), field="reason")
    _assign(
        actor,
        proposal,
        lead_department,
        co_departments,
        workdays,
        note=reason,
        transition="reassign",
    )
    return proposal


# --- handling ------------------------------------------------------------------------------------


@transaction.atomic
def do_answer_proposal(*, actor, proposal: Proposal, text: str, summary: str = "") -> Proposal:
    """The lead department's handler answers; the proposer is asked to rate the answer."""
    _lock(proposal)
    text = _clean_text(text, "text", _("答复内容"))
    summary = (summary or "").strip()
    if len(summary) > 300:
        raise ProposalError(_("办理结果摘要不能超过 300 个字"), field="summary")
    lead = proposal.lead_department
    allowed = lead is not None and has_perm(actor, ANSWER_PROPOSAL, department=lead)
    _precheck(proposal, "answer", allowed=allowed)
    assert lead is not None  # allowed implies a lead department
    ProposalAnswer.objects.create(
        proposal=proposal,
        round=proposal.reopen_count + 1,
        department=lead,
        is_lead=True,
        summary=summary,
        text=text,
        author=actor,
        author_name=_name(actor),
    )
    do_transition(
        PROPOSAL, proposal, "answer", actor=actor, data={"round": proposal.reopen_count + 1}
    )
    _notify(
        [proposal.proposer],
        "proposal_answered",
        _("提案已答复，请评价：%(title)s") % {"title": proposal.title},
        _("%(dept)s已答复您的提案%(label)s，请查看答复并评价办理结果。")
        % {"dept": lead.name, "label": _label(proposal)},
        proposal,
    )
    return proposal


@transaction.atomic
def do_add_cohandling_opinion(
    *, actor, proposal: Proposal, department: Department, text: str
) -> ProposalAnswer:
    """A co-handling department's handler gives its opinion (协办意见) to the lead department."""
    _lock(proposal)
    if department is None or not proposal.co_departments.filter(pk=department.pk).exists():
        raise ProposalError(_("该部门不是本提案的协办部门"), field="department")
    if not has_perm(actor, ANSWER_PROPOSAL, department=department):
        raise PermissionDenied(ANSWER_PROPOSAL)
    if proposal.state not in ("handling", "supervised"):
        raise ProposalError(_("提案不在办理中，不能提交协办意见"), status=409)
    answer = ProposalAnswer.objects.create(
        proposal=proposal,
        round=proposal.reopen_count + 1,
        department=department,
        is_lead=False,
        text=_clean_text(text, "text", _("协办意见")),
        author=actor,
        author_name=_name(actor),
    )
    record(
        actor=actor,
        action="congress.add_cohandling_opinion",
        target=proposal,
        unit=proposal.org_unit,
        data={"department": department.pk, "answer": answer.pk},
    )
    _notify(
        queries.department_handlers(proposal.lead_department),
        "proposal_opinion",
        _("协办部门已提交意见：%(title)s") % {"title": proposal.title},
        _("%(dept)s对提案%(label)s提交了协办意见。")
        % {"dept": department.name, "label": _label(proposal)},
        proposal,
    )
    return answer


@transaction.atomic
def do_rate_proposal(*, actor, proposal: Proposal, rating: str, comment: str = "") -> Proposal:
    """The proposer rates the answer: 满意 / 基本满意 close it; the first 不满意 reopens it
    (back to the department with a new deadline), a second 不满意 closes it as 不满意."""
    _lock(proposal)
    comment = (comment or "").strip()
    if rating not in Proposal.Rating.values:
        raise ProposalError(_("请选择满意度"), field="rating")
    round_no = proposal.reopen_count + 1
    reopen = rating == Proposal.Rating.DISSATISFIED and proposal.reopen_count == 0
    if reopen:
        if not comment:
            raise ProposalError(_("请说明不满意的原因，便于承办部门重新办理"), field="comment")
        do_transition(
            PROPOSAL, proposal, "reopen", actor=actor, note=comment, data={"rating": rating}
        )
        proposal.reopen_count += 1
        proposal.save(update_fields=["reopen_count", "updated_at"])
    else:
        do_transition(
            PROPOSAL, proposal, "rate", actor=actor, note=comment, data={"rating": rating}
        )
        proposal.rating = rating
        proposal.closed_at = timezone.now()
        proposal.save(update_fields=["rating", "closed_at", "updated_at"])
    ProposalRating.objects.create(
        proposal=proposal,
        round=round_no,
        rating=rating,
        comment=comment,
        reopened=reopen,
        rated_by=actor,
    )
    label = Proposal.Rating(rating).label
    if reopen:
        _notify(
            [*_departments_handlers(proposal), *queries.committee_members(proposal)],
            "proposal_reopened",
            _("提案人不满意，重新办理：%(title)s") % {"title": proposal.title},
            _("提案人对提案%(label)s的答复不满意，提案退回重新办理，请于 %(deadline)s 前再次答复。")
            % {
                "label": _label(proposal),
                "deadline": timezone.localtime(proposal.deadline_at).strftime("%Y-%m-%d"),
            },
            proposal,
        )
    else:
        _notify(
            [*_departments_handlers(proposal), *queries.committee_members(proposal)],
            "proposal_closed",
            _("提案已办结（%(rating)s）：%(title)s") % {"rating": label, "title": proposal.title},
            _("提案人对提案%(label)s的办理结果评价为“%(rating)s”，提案办结。")
            % {"label": _label(proposal), "rating": label},
            proposal,
        )
        hooks.announce_after_commit(proposal)
    return proposal


@transaction.atomic
def do_supervise_proposal(*, actor, proposal: Proposal, note: str) -> Proposal:
    """督办 by hand: the committee presses the department; the deadline stays as it is."""
    _lock(proposal)
    note = (note or "").strip()
    do_transition(PROPOSAL, proposal, "supervise", actor=actor, note=note)
    proposal.manual_supervisions += 1
    proposal.save(update_fields=["manual_supervisions", "updated_at"])
    _notify(
        queries.department_handlers(proposal.lead_department),
        "proposal_supervised",
        _("提案督办：%(title)s") % {"title": proposal.title},
        _("提案工作委员会对提案%(label)s进行督办：%(note)s")
        % {"label": _label(proposal), "note": note},
        proposal,
    )
    return proposal


@transaction.atomic
def do_carry_over_proposal(*, actor, proposal: Proposal, to_session, note: str = "") -> Proposal:
    """转入下次会议: an unfinished proposal moves on to a later session of the same congress.

    It keeps its state, departments and deadline; it gets the next number in the new session;
    the carry-over record keeps where it came from and its old number.
    """
    _lock(proposal)
    if not queries.can_supervise(actor, proposal):
        raise PermissionDenied(SUPERVISE_PROPOSAL)
    if proposal.state not in queries.CARRY_OVER_STATES:
        raise ProposalError(
            _("只有未办结的提案可以转入下次会议（当前状态：%(state)s）")
            % {"state": PROPOSAL.state_label(proposal.state)},
            status=409,
        )
    if to_session is None or not queries.later_sessions(proposal).filter(pk=to_session.pk).exists():
        raise ProposalError(_("请选择本届职代会之后的会议"), field="session")
    from_session, from_serial = proposal.session, proposal.serial
    ProposalCarryOver.objects.create(
        proposal=proposal,
        from_session=from_session,
        to_session=to_session,
        from_serial=from_serial,
        state=proposal.state,
        note=(note or "").strip(),
        actor=actor,
    )
    proposal.session = to_session
    proposal.serial = _next_serial(proposal, to_session)
    proposal.save(update_fields=["session", "serial", "updated_at"])
    record(
        actor=actor,
        action="congress.carry_over_proposal",
        target=proposal,
        unit=proposal.org_unit,
        data={
            "from_session": from_session.pk,
            "to_session": to_session.pk,
            "from_serial": from_serial,
            "serial": proposal.serial,
            "state": proposal.state,
        },
    )
    _notify(
        [proposal.proposer, *queries.department_handlers(proposal.lead_department)],
        "proposal_carried_over",
        _("提案转入下次会议：%(title)s") % {"title": proposal.title},
        _("提案%(label)s尚未办结，已转入%(session)s继续办理。")
        % {"label": _label(proposal), "session": str(to_session)},
        proposal,
    )
    return proposal


# --- the sweep's callbacks (after commit, see workflows.PROPOSAL) --------------------------------


def notify_escalation(proposal: Proposal, event) -> None:
    """Overdue: tell the department (when it has one) and the proposal committee."""
    proposal = Proposal.objects.select_related("lead_department", "org_unit").get(pk=proposal.pk)
    level = event.data.get("level", proposal.escalation_level)
    deadline = (
        timezone.localtime(proposal.deadline_at).strftime("%Y-%m-%d")
        if proposal.deadline_at
        else ""
    )
    if proposal.state in ("handling", "supervised") and proposal.lead_department_id:
        body = _(
            "提案%(label)s已超过办理期限，现第 %(level)d 次督办，请于 %(deadline)s 前答复。"
        ) % {"label": _label(proposal), "level": level, "deadline": deadline}
        users = [*_departments_handlers(proposal), *queries.committee_members(proposal)]
    else:
        body = _("提案%(label)s已超过审查期限（第 %(level)d 次提醒），请尽快审查。") % {
            "label": _label(proposal),
            "level": level,
        }
        users = queries.committee_members(proposal)
    _notify(
        users,
        "proposal_overdue",
        _("提案超期督办：%(title)s") % {"title": proposal.title},
        body,
        proposal,
    )


def notify_reminder(proposal: Proposal) -> None:
    """A deadline is near: remind whoever must act."""
    proposal = Proposal.objects.select_related("lead_department", "org_unit").get(pk=proposal.pk)
    deadline = timezone.localtime(proposal.deadline_at).strftime("%Y-%m-%d")
    if proposal.state in ("handling", "supervised"):
        users = _departments_handlers(proposal)
        body = _("提案%(label)s的办理期限为 %(deadline)s，请按时答复。")
    else:
        users = queries.committee_members(proposal)
        body = _("提案%(label)s的审查期限为 %(deadline)s，请按时审查。")
    _notify(
        users,
        "proposal_reminder",
        _("提案即将到期：%(title)s") % {"title": proposal.title},
        body % {"label": _label(proposal), "deadline": deadline},
        proposal,
    )


__all__ = [
    "ProposalError",
    "congress_unit_of",
    "do_accept_proposal",
    "do_add_cohandling_opinion",
    "do_answer_proposal",
    "do_assign_proposal",
    "do_carry_over_proposal",
    "do_cosign_proposal",
    "do_create_proposal",
    "do_decline_cosign",
    "do_invite_cosigners",
    "do_merge_proposal",
    "do_reassign_proposal",
    "do_reject_proposal",
    "do_rate_proposal",
    "do_submit_proposal",
    "do_supervise_proposal",
    "do_update_proposal",
    "do_withdraw_proposal",
    "notify_escalation",
    "notify_reminder",
    "proposer_unit_of",
]
