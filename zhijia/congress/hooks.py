"""The publication hook: a proposal's handled result, for the affairs-disclosure board.

When a proposal reaches a final state with a result — closed after the proposer's rating
(办结), not accepted (不予立案) or merged into another (并案) — module congress announces it
through core's `proposal_handled` event (zhijia.core.hooks), after the transaction has
committed, with the fields that may be published. The disclosure module (厂务公开) subscribes
there and publishes; neither module imports the other.

Guarantees:
  * sent once per final transition, only after the commit (a rolled-back action sends
    nothing); a withdrawn proposal (撤回) is not a result and is not announced;
  * a failing receiver is logged and does not affect the proposal or other receivers
    (send_robust);
  * the payload holds public fields only: no proposer, co-signers, ratings' comments or
    department staff names. `answer_summary` is the department's own publishable summary
    (办理结果摘要), the committee's reason for 不予立案, or the note of which proposal it was
    merged into.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from zhijia.core.hooks import (
    ProposalResult,
    on_proposal_result,
    proposal_handled,
)
from zhijia.core.hooks import send_proposal_result as _send

# The final states that are results worth publishing.
RESULT_STATES = frozenset({"closed", "rejected", "merged"})


def result_of(proposal) -> ProposalResult:
    """The publishable result of a proposal in a final state."""
    from zhijia.congress.workflows import PROPOSAL

    summary = ""
    if proposal.in_state("closed"):
        answer = proposal.answers.filter(is_lead=True).order_by("-round", "-id").first()
        if answer is not None:
            summary = answer.summary or answer.text[:300]
    elif proposal.in_state("rejected"):
        summary = proposal.reject_reason
    elif proposal.in_state("merged") and proposal.merged_into_id:
        target = proposal.merged_into
        summary = gettext("并入第%(n)s号提案《%(title)s》") % {
            "n": target.number,
            "title": target.title,
        }
    return ProposalResult(
        proposal_id=proposal.pk,
        session_id=proposal.session_id,
        number=proposal.number,
        title=proposal.title,
        category=proposal.category,
        category_label=str(proposal.get_category_display()),
        outcome=proposal.state,
        outcome_label=PROPOSAL.state_label(proposal.state),
        lead_department=proposal.lead_department.name if proposal.lead_department_id else "",
        co_departments=tuple(d.name for d in proposal.co_departments.order_by("path")),
        answer_summary=summary,
        rating=proposal.rating,
        rating_label=str(proposal.get_rating_display()) if proposal.rating else "",
        merged_into_id=proposal.merged_into_id,
        finished_at=proposal.closed_at or proposal.state_changed_at,
        unit_path=proposal.org_unit.path,
        url=proposal.get_absolute_url(),
    )


def announce_after_commit(proposal) -> None:
    """Called by the actions, inside their transaction, when a proposal reached a result."""
    if proposal.state not in RESULT_STATES:
        return
    result = result_of(proposal)  # built now: the payload is what this transaction wrote
    transaction.on_commit(partial(_send, type(proposal), result))


__all__ = [
    "RESULT_STATES",
    "ProposalResult",
    "announce_after_commit",
    "on_proposal_result",
    "proposal_handled",
    "result_of",
]
