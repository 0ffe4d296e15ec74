"""Writes on proposals: do_<verb>_proposal(*, actor, ...), each in one transaction, audited,
with notifications written in the same transaction (sent by the worker after commit).

State changes go through the declared workflow (workflows.PROPOSAL); its checks (permission,
state, guards) raise TransitionError with a Chinese message and an HTTP status. Checks that
are not about the state (who may be a co-signer, which session, which departments) raise
ProposalError, with the form field the message belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress.models import (
    Proposal,
    ProposalCosigner,
)
from zhijia.congress.permissions import (
    SUBMIT_PROPOSAL,
)
from zhijia.congress.queries import proposals as queries
from zhijia.congress.workflows import PROPOSAL, handling_workdays
from zhijia.core import attachments, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm
from zhijia.core.workflow import do_transition, start
from zhijia.org.models import OrgUnit

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
    if not proposal.in_state("draft"):
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
    if not proposal.in_state("draft"):
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
    if not proposal.in_state("draft"):
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
    if not proposal.in_state("draft"):
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
