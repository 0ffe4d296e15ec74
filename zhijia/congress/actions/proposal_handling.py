"""Actions of a proposal's handling (提案办理): the proposal committee's 立案 / 不立案 / 并案, the
assignment to departments, answers and co-handling opinions, the proposer's rating,
supervision (督办), carry-over, and the reminder and escalation notices.

Drafting, co-signing and submitting are in zhijia.congress.actions.proposals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import hooks
from zhijia.congress.actions.proposals import (
    ProposalError,
    _clean_text,
    _clean_workdays,
    _departments_handlers,
    _label,
    _lock,
    _name,
    _next_serial,
    _notify,
    _signed_cosigners,
)
from zhijia.congress.models import (
    Proposal,
    ProposalAnswer,
    ProposalCarryOver,
    ProposalRating,
)
from zhijia.congress.permissions import (
    ANSWER_PROPOSAL,
    SUPERVISE_PROPOSAL,
)
from zhijia.congress.queries import proposals as queries
from zhijia.congress.workflows import PROPOSAL
from zhijia.core import satisfaction, satisfaction_index
from zhijia.core.audit import record
from zhijia.core.permissions import has_perm
from zhijia.core.workflow import do_transition, precheck
from zhijia.org.models import Department


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
    precheck(PROPOSAL, proposal, "assign", actor)
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
    precheck(PROPOSAL, proposal, "reassign", actor)
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


@transaction.atomic
def do_answer_proposal(*, actor, proposal: Proposal, text: str, summary: str = "") -> Proposal:
    """The lead department's handler answers; the proposer is asked to rate the answer."""
    _lock(proposal)
    text = _clean_text(text, "text", _("答复内容"))
    summary = (summary or "").strip()
    if len(summary) > 300:
        raise ProposalError(_("办理结果摘要不能超过 300 个字"), field="summary")
    precheck(PROPOSAL, proposal, "answer", actor)
    lead = proposal.lead_department
    assert lead is not None  # the permission is scoped to it: no lead, no answer
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
    if not proposal.in_state("handling", "supervised"):
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


# The proposals' line in the satisfaction index (registered in CongressConfig.ready).
SATISFACTION_SERVICE = "congress.proposal"


@transaction.atomic
def do_rate_proposal(*, actor, proposal: Proposal, rating: str, comment: str = "") -> Proposal:
    """The proposer rates the answer: 满意 / 基本满意 close it; the first 不满意 reopens it
    (back to the department with a new deadline), a second 不满意 closes it as 不满意."""
    _lock(proposal)
    comment = (comment or "").strip()
    outcome = satisfaction.outcome(rating, proposal.reopen_count)
    if outcome == "invalid":
        raise ProposalError(_("请选择满意度"), field="rating")
    round_no = proposal.reopen_count + 1
    reopen = outcome == "reopen"
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
    # The union's index counts every rating; a reopened proposal goes back to its department,
    # so only a final 不满意 asks the cadres for a call-back.
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=proposal.proposer_unit or proposal.org_unit,
        record_id=proposal.pk,
        label=_label(proposal),
        url=proposal.get_absolute_url(),
        follow_up=not reopen,
    )
    label = satisfaction.label(rating)
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


def notify_escalation(proposal: Proposal, event) -> None:
    """Overdue: tell the department (when it has one) and the proposal committee."""
    proposal = Proposal.objects.select_related("lead_department", "org_unit").get(pk=proposal.pk)
    level = event.data.get("level", proposal.escalation_level)
    deadline = (
        timezone.localtime(proposal.deadline_at).strftime("%Y-%m-%d")
        if proposal.deadline_at
        else ""
    )
    if proposal.in_state("handling", "supervised") and proposal.lead_department_id:
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
    if proposal.in_state("handling", "supervised"):
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
