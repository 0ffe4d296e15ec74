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

import datetime as dt
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from zhijia.congress.models import FollowupPlan, FollowupReport, Milestone, Proposal
from zhijia.core.hooks import (
    InspectionFact,
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


# --- the facts of an inspection tour (core.hooks.inspection_facts) --------------------------------
# Congress provides two of the five subjects itself, through the same hook as the other modules:
# 办事进度 (proposals not handled in time) and 会议决议的落实情况 (the follow-up of resolutions).
# Registered in CongressConfig.ready; counts over the tour unit's whole subtree.

# Where the deadline is the union's or a department's (answered: the proposer's rating period).
PROPOSAL_WORKING_STATES = ("submitted", "accepted", "handling", "supervised")
# A plan without a follow-up report for this many days is reported as silent.
SILENT_PLAN_DAYS = 92


def progress_facts(unit) -> list[InspectionFact]:

    working = Proposal.objects.filter(
        org_unit__path__startswith=unit.path, state__in=PROPOSAL_WORKING_STATES
    )
    n_working = working.count()
    n_late = working.filter(deadline_at__lt=timezone.now()).count()
    url = reverse("congress:proposal-queue")
    return [
        InspectionFact(gettext("办理中的职代会提案"), n_working, ok=True, url=url),
        InspectionFact(gettext("超期未办理的职代会提案"), n_late, ok=n_late == 0, url=url),
    ]


def resolution_facts(unit) -> list[InspectionFact]:

    now = timezone.now()
    plans = FollowupPlan.objects.filter(org_unit__path__startswith=unit.path)
    n_plans = plans.count()
    n_late = Milestone.objects.filter(
        org_unit__path__startswith=unit.path, state="open", deadline_at__lt=now
    ).count()
    recent = FollowupReport.objects.filter(
        plan=OuterRef("pk"), created_at__gte=now - dt.timedelta(days=SILENT_PLAN_DAYS)
    )
    unfinished = plans.filter(milestones__state="open").distinct()
    n_silent = unfinished.exclude(Exists(recent)).count()
    url = reverse("congress:followup-list")
    return [
        InspectionFact(gettext("决议和提案的落实方案"), n_plans, ok=True, url=url),
        InspectionFact(gettext("超期未完成的落实节点"), n_late, ok=n_late == 0, url=url),
        InspectionFact(
            gettext("三个月内没有跟踪报告的落实方案"), n_silent, ok=n_silent == 0, url=url
        ),
    ]
