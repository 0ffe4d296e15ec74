"""The declared workflows of module congress: proposals (提案) and rectification items (整改).

Proposal (`congress.proposal`):

    draft ──submit──▶ submitted ──accept──▶ accepted ──assign──▶ handling ──answer──▶ answered
      │                  │  │                   │                  │  ▲                 │
      └──withdraw──┐     │  └──reject──▶ rejected                  │  └──reopen (once)──┤
                   ▼     └──merge──▶ merged ◀──merge──┘            │                    │
               withdrawn                        supervise (督办) ───▶ supervised ─answer─┘
                                                                              rate ──▶ closed

* submit needs at least ZHIJIA_PROPOSAL_MIN_COSIGNERS co-signers (附议, default 1);
* the committee has ZHIJIA_PROPOSAL_REVIEW_WORKDAYS working days to decide (default 10);
* reject needs a reason; merge needs the proposal it is merged into;
* assign gives the lead department the number of working days chosen at assignment
  (ZHIJIA_PROPOSAL_HANDLING_WORKDAYS, default 30);
* the proposer rates the answer; 不满意 the first time reopens it (reopen, with
  ZHIJIA_PROPOSAL_REOPEN_WORKDAYS, default 15), the second time closes it as 不满意;
* overdue: the sweep escalates: while handling it fires `overdue_supervise` (督办, the
  department gets ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS more, default 5); in any other state with a
  deadline the level rises and the same extension is given; every escalation notifies the
  department's handlers and the proposal committee (actions.proposal_handling.notify_escalation,
  the escalation's effect, in its transaction);
* reminders go out ZHIJIA_PROPOSAL_REMIND_WORKDAYS working days before a deadline (default 3).

Rectification item (`congress.rectification`): open → rectifying (begin) → done (complete) →
verified (verify), with send_back (done → rectifying) when the verification finds it not put
right; verified by a cadre of the tour's unit or one of the tour's participants.

Milestone of a follow-up plan (`congress.milestone`): open → done (complete: the responsible
department's handler or the congress office, with what was done) → verified (verify: the
congress office), with send_back (done → open, with a reason). The deadline is the milestone's
due date (models/followup.py: supervised from the start of the next working day after it; the
action sets it when the milestone is created, the workflow keeps it); overdue, the sweep
escalates (督办): the level rises, the department gets ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS more,
and the escalation's effect notifies the department's handlers and the congress office
(actions.followup.notify_milestone_escalation), at most three times.

Tracked item of a reception day (`congress.reception_item`, 领导接待日): open → done (complete:
the cadre records what the responsible department did) → closed (close: the cadre closes it),
with send_back (done → open, with a reason). It has ZHIJIA_CONGRESS_RECEPTION_ITEM_WORKDAYS
working days (default 15) from the outcome; overdue, the sweep escalates (督办) like a
milestone: the level rises, ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS more, the department's handlers
and the cadres are told (actions.channels.notify_item_escalation), at most three times.

Hearing (`congress.hearing`, 职工代表听证): open → closed (close: the cadre), guarded: a hearing
cannot close while a comment is unanswered (every_comment_answered).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhijia.congress.permissions import (
    ANSWER_PROPOSAL,
    MANAGE_BODIES,
    MANAGE_CHANNELS,
    MANAGE_FOLLOWUP,
    MANAGE_INSPECTION,
    RECTIFY_INSPECTION,
    REPORT_FOLLOWUP,
    REVIEW_PROPOSAL,
    SUPERVISE_PROPOSAL,
)
from zhijia.core import satisfaction
from zhijia.core.workflow import KEEP, Escalation, Transition, Workflow

# --- configuration (settings, with the defaults of common union practice) ---------------------


def min_cosigners() -> int:
    return max(0, settings.ZHIJIA_PROPOSAL_MIN_COSIGNERS)


def review_workdays() -> int:
    return settings.ZHIJIA_PROPOSAL_REVIEW_WORKDAYS


def handling_workdays() -> int:
    return settings.ZHIJIA_PROPOSAL_HANDLING_WORKDAYS


def reopen_workdays() -> int:
    return settings.ZHIJIA_PROPOSAL_REOPEN_WORKDAYS


def supervise_workdays() -> int:
    return settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS


def rectification_workdays() -> int:
    return settings.ZHIJIA_RECTIFICATION_WORKDAYS


# --- guards and actor rules ---------------------------------------------------------------------


def is_proposer(proposal, user) -> bool:
    return proposal.proposer_id is not None and proposal.proposer_id == user.pk


def reviews_proposals(proposal, user) -> bool:
    """The proposal committee of the proposal's term: its 提案 working group (the one place
    that decides it, cadres included, is queries.bodies.may_review_proposals)."""
    from zhijia.congress.queries.bodies import may_review_proposals

    return may_review_proposals(user, proposal.session.term)


def enough_cosigners(proposal, ctx):
    from zhijia.congress.models import ProposalCosigner

    needed = min_cosigners()
    signed = proposal.cosigners.filter(status=ProposalCosigner.Status.SIGNED).count()
    if signed < needed:
        return _("附议人不足：至少需要 %(needed)d 位代表附议，目前已有 %(signed)d 位") % {
            "needed": needed,
            "signed": signed,
        }
    return None


def needs_reason(record, ctx):
    return None if ctx.note.strip() else _("请填写理由")


def has_lead_department(proposal, ctx):
    return None if proposal.lead_department_id else _("请选择主办部门")


def has_merge_target(proposal, ctx):
    return None if proposal.merged_into_id else _("请选择要并入的提案")


def has_lead_answer(proposal, ctx):
    from zhijia.congress.models import ProposalAnswer

    exists = ProposalAnswer.objects.filter(
        proposal=proposal, round=proposal.reopen_count + 1, is_lead=True
    ).exists()
    return None if exists else _("请填写答复内容")


def not_reopened_yet(proposal, ctx):
    if proposal.reopen_count >= satisfaction.MAX_REOPENS:
        return _("该提案已重新办理过一次，不能再次重新办理")
    return None


def valid_final_rating(proposal, ctx):
    outcome = satisfaction.outcome(ctx.data.get("rating") or "", proposal.reopen_count)
    if outcome == "invalid":
        return _("请选择满意度")
    if outcome == "reopen":
        # The first 不满意 reopens the proposal (transition reopen), it never closes it.
        return _("首次评价为不满意时，提案将重新办理")
    return None


def _handling_days(proposal) -> int:
    return int(proposal.handling_workdays or handling_workdays())


PROPOSAL = Workflow(
    name="congress.proposal",
    model="congress.Proposal",
    states={
        "draft": _("征集附议"),
        "submitted": _("待审查"),
        "accepted": _("已立案"),
        "rejected": _("不予立案"),
        "merged": _("已并案"),
        "handling": _("办理中"),
        "supervised": _("督办中"),
        "answered": _("已答复"),
        "closed": _("已办结"),
        "withdrawn": _("已撤回"),
    },
    initial="draft",
    transitions=[
        Transition(
            "submit",
            source=["draft"],
            target="submitted",
            actor_rule=is_proposer,
            guards=[enough_cosigners],
            deadline_workdays=lambda p: review_workdays(),
            label=_("提交"),
            action="zhijia.congress.actions.proposals.do_submit_proposal",
        ),
        Transition(
            "withdraw",
            source=["draft", "submitted"],
            target="withdrawn",
            actor_rule=is_proposer,
            deadline_workdays=None,
            label=_("撤回"),
            action="zhijia.congress.actions.proposals.do_withdraw_proposal",
        ),
        Transition(
            "accept",
            source=["submitted"],
            target="accepted",
            permission=REVIEW_PROPOSAL,
            actor_rule=reviews_proposals,
            deadline_workdays=KEEP,
            label=_("立案"),
            action="zhijia.congress.actions.proposal_handling.do_accept_proposal",
        ),
        Transition(
            "reject",
            source=["submitted"],
            target="rejected",
            permission=REVIEW_PROPOSAL,
            actor_rule=reviews_proposals,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("不予立案"),
            action="zhijia.congress.actions.proposal_handling.do_reject_proposal",
        ),
        Transition(
            "merge",
            source=["submitted", "accepted"],
            target="merged",
            permission=REVIEW_PROPOSAL,
            actor_rule=reviews_proposals,
            guards=[has_merge_target],
            deadline_workdays=None,
            label=_("并案"),
            action="zhijia.congress.actions.proposal_handling.do_merge_proposal",
        ),
        Transition(
            "assign",
            source=["accepted"],
            target="handling",
            permission=REVIEW_PROPOSAL,
            actor_rule=reviews_proposals,
            guards=[has_lead_department],
            deadline_workdays=_handling_days,
            label=_("交办"),
            action="zhijia.congress.actions.proposal_handling.do_assign_proposal",
        ),
        Transition(
            "reassign",
            source=["handling", "supervised"],
            target="handling",
            permission=REVIEW_PROPOSAL,
            actor_rule=reviews_proposals,
            guards=[has_lead_department, needs_reason],
            deadline_workdays=_handling_days,
            label=_("改派"),
            action="zhijia.congress.actions.proposal_handling.do_reassign_proposal",
        ),
        Transition(
            "supervise",
            source=["handling", "supervised"],
            target="supervised",
            permission=SUPERVISE_PROPOSAL,
            guards=[needs_reason],
            deadline_workdays=KEEP,
            label=_("督办"),
            action="zhijia.congress.actions.proposal_handling.do_supervise_proposal",
        ),
        Transition(
            "overdue_supervise",
            source=["handling"],
            target="supervised",
            deadline_workdays=lambda p: supervise_workdays(),
            label=_("超期督办"),
        ),
        Transition(
            "answer",
            source=["handling", "supervised"],
            target="answered",
            permission=ANSWER_PROPOSAL,
            guards=[has_lead_answer],
            deadline_workdays=None,
            label=_("答复"),
            action="zhijia.congress.actions.proposal_handling.do_answer_proposal",
        ),
        Transition(
            "reopen",
            source=["answered"],
            target="handling",
            actor_rule=is_proposer,
            guards=[not_reopened_yet],
            deadline_workdays=lambda p: reopen_workdays(),
            label=_("不满意，重新办理"),
        ),
        Transition(
            "rate",
            source=["answered"],
            target="closed",
            actor_rule=is_proposer,
            guards=[valid_final_rating],
            deadline_workdays=None,
            label=_("评价"),
            action="zhijia.congress.actions.proposal_handling.do_rate_proposal",
        ),
    ],
    escalation=Escalation(
        transition="overdue_supervise",
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=settings.ZHIJIA_PROPOSAL_MAX_SUPERVISION,
        effect="zhijia.congress.actions.proposal_handling.notify_escalation",
    ),
    on_reminder="zhijia.congress.actions.proposal_handling.notify_reminder",
    remind_within_workdays=settings.ZHIJIA_PROPOSAL_REMIND_WORKDAYS,
)


# --- rectification items -------------------------------------------------------------------------


def is_tour_participant(item, user) -> bool:
    from zhijia.congress.models import InspectionParticipant

    return InspectionParticipant.objects.filter(tour_id=item.finding.tour_id, user=user).exists()


def has_result(item, ctx):
    return None if (item.result or "").strip() else _("请填写整改结果")


def _item_days(item) -> int:
    return int(item.deadline_workdays or rectification_workdays())


RECTIFICATION = Workflow(
    name="congress.rectification",
    model="congress.RectificationItem",
    states={
        "open": _("待整改"),
        "rectifying": _("整改中"),
        "done": _("待验收"),
        "verified": _("已验收"),
    },
    initial="open",
    initial_deadline_workdays=_item_days,
    transitions=[
        Transition(
            "begin",
            source=["open"],
            target="rectifying",
            permission=RECTIFY_INSPECTION,
            deadline_workdays=KEEP,
            label=_("开始整改"),
            action="zhijia.congress.actions.inspections.do_start_rectification",
        ),
        Transition(
            "complete",
            source=["open", "rectifying"],
            target="done",
            permission=RECTIFY_INSPECTION,
            guards=[has_result],
            deadline_workdays=None,
            label=_("整改完成"),
            action="zhijia.congress.actions.inspections.do_complete_rectification",
            form="zhijia.congress.forms.proposals.ResultForm",
        ),
        Transition(
            "verify",
            source=["done"],
            target="verified",
            permission=MANAGE_INSPECTION,
            actor_rule=is_tour_participant,
            deadline_workdays=None,
            label=_("验收通过"),
            action="zhijia.congress.actions.inspections.do_verify_rectification",
        ),
        Transition(
            "send_back",
            source=["done"],
            target="rectifying",
            permission=MANAGE_INSPECTION,
            actor_rule=is_tour_participant,
            guards=[needs_reason],
            deadline_workdays=_item_days,
            label=_("验收不通过，退回整改"),
            action="zhijia.congress.actions.inspections.do_send_back_rectification",
            form="zhijia.congress.forms.proposals.ReasonForm",
        ),
    ],
    escalation=Escalation(
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=3,
        effect="zhijia.congress.actions.inspections.notify_rectification_escalation",
    ),
    on_reminder="zhijia.congress.actions.inspections.notify_rectification_reminder",
    remind_within_workdays=settings.ZHIJIA_PROPOSAL_REMIND_WORKDAYS,
)


# --- milestones of follow-up plans ---------------------------------------------------------------


def manages_followup(milestone, user) -> bool:
    from zhijia.core.permissions import has_perm

    return has_perm(user, MANAGE_FOLLOWUP, unit=milestone.org_unit)


MILESTONE = Workflow(
    name="congress.milestone",
    model="congress.Milestone",
    states={
        "open": _("落实中"),
        "done": _("待确认"),
        "verified": _("已完成"),
    },
    initial="open",
    # The due date, not a number of working days: set by actions.followup.do_add_milestone.
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "complete",
            source=["open"],
            target="done",
            permission=REPORT_FOLLOWUP,
            actor_rule=manages_followup,
            guards=[has_result],
            deadline_workdays=None,
            label=_("节点完成"),
            action="zhijia.congress.actions.followup.do_complete_milestone",
            form="zhijia.congress.forms.followup.MilestoneResultForm",
        ),
        Transition(
            "verify",
            source=["done"],
            target="verified",
            permission=MANAGE_FOLLOWUP,
            deadline_workdays=None,
            label=_("确认完成"),
            action="zhijia.congress.actions.followup.do_verify_milestone",
        ),
        Transition(
            "send_back",
            source=["done"],
            target="open",
            permission=MANAGE_FOLLOWUP,
            guards=[needs_reason],
            deadline_workdays=KEEP,
            label=_("退回继续落实"),
            action="zhijia.congress.actions.followup.do_send_back_milestone",
            form="zhijia.congress.forms.proposals.ReasonForm",
        ),
    ],
    escalation=Escalation(
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=3,
        effect="zhijia.congress.actions.followup.notify_milestone_escalation",
    ),
    on_reminder="zhijia.congress.actions.followup.notify_milestone_reminder",
    remind_within_workdays=settings.ZHIJIA_PROPOSAL_REMIND_WORKDAYS,
)


# --- participation channels: reception days' tracked items, hearings ---------------------------


def reception_item_workdays() -> int:
    return settings.ZHIJIA_CONGRESS_RECEPTION_ITEM_WORKDAYS


def _reception_item_workdays(record) -> int:
    return reception_item_workdays()


def has_item_result(item, ctx):
    return None if (item.result or "").strip() else _("请填写办理结果")


RECEPTION_ITEM = Workflow(
    name="congress.reception_item",
    model="congress.ReceptionItem",
    states={
        "open": _("办理中"),
        "done": _("待确认"),
        "closed": _("已办结"),
    },
    initial="open",
    initial_deadline_workdays=_reception_item_workdays,
    transitions=[
        Transition(
            "complete",
            source=["open"],
            target="done",
            permission=MANAGE_CHANNELS,
            guards=[has_item_result],
            deadline_workdays=KEEP,
            label=_("办理完成"),
            action="zhijia.congress.actions.channels.do_complete_item",
            form="zhijia.congress.forms.channels.ItemResultForm",
        ),
        Transition(
            "close",
            source=["done"],
            target="closed",
            permission=MANAGE_CHANNELS,
            deadline_workdays=None,
            label=_("确认办结"),
            action="zhijia.congress.actions.channels.do_close_item",
        ),
        Transition(
            "send_back",
            source=["done"],
            target="open",
            permission=MANAGE_CHANNELS,
            guards=[needs_reason],
            deadline_workdays=KEEP,
            label=_("退回继续办理"),
            action="zhijia.congress.actions.channels.do_send_back_item",
            form="zhijia.congress.forms.proposals.ReasonForm",
        ),
    ],
    escalation=Escalation(
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=3,
        effect="zhijia.congress.actions.channels.notify_item_escalation",
    ),
    remind_within_workdays=settings.ZHIJIA_PROPOSAL_REMIND_WORKDAYS,
)


def every_comment_answered(hearing, ctx):
    from zhijia.congress.models import HearingComment

    open_comments = HearingComment.objects.filter(hearing=hearing, answered_at__isnull=True)
    n = open_comments.count()
    if n:
        return _("还有 %(n)d 条意见未答复，答复全部意见后才能结束听证") % {"n": n}
    return None


HEARING = Workflow(
    name="congress.hearing",
    model="congress.Hearing",
    states={
        "open": _("征求意见中"),
        "closed": _("已结束"),
    },
    initial="open",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "close",
            source=["open"],
            target="closed",
            permission=MANAGE_CHANNELS,
            guards=[every_comment_answered],
            deadline_workdays=None,
            label=_("结束听证"),
            action="zhijia.congress.actions.channels.do_close_hearing",
        ),
    ],
)


# --- the bodies between sessions: working-group tasks and supervisors' observations -------------


def manages_bodies(record, user) -> bool:
    from zhijia.core.permissions import has_perm

    return has_perm(user, MANAGE_BODIES, unit=record.org_unit)


def is_group_member(task, user) -> bool:
    from zhijia.congress.queries.bodies import sits_in_group

    return sits_in_group(user, task.group)


def is_observer(observation, user) -> bool:
    from zhijia.congress.queries.bodies import is_supervisor_of

    return is_supervisor_of(user, observation)


def has_answer(record, ctx):
    return None if (record.answer or "").strip() else _("请填写答复")


def observation_workdays() -> int:
    return settings.ZHIJIA_OBSERVATION_ANSWER_WORKDAYS


GROUP_TASK = Workflow(
    name="congress.group_task",
    model="congress.GroupTask",
    states={"open": _("进行中"), "done": _("已完成")},
    initial="open",
    # The due date, as follow-up milestones: set by actions.bodies.do_add_group_task.
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "complete",
            source=["open"],
            target="done",
            permission=MANAGE_BODIES,
            actor_rule=is_group_member,
            guards=[has_result],
            deadline_workdays=None,
            label=_("任务完成"),
            action="zhijia.congress.actions.bodies.do_complete_group_task",
            form="zhijia.congress.forms.followup.MilestoneResultForm",
        ),
    ],
    escalation=Escalation(
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=3,
        effect="zhijia.congress.actions.bodies.notify_task_escalation",
    ),
)


OBSERVATION = Workflow(
    name="congress.observation",
    model="congress.Observation",
    states={"open": _("待答复"), "answered": _("已答复"), "closed": _("已办结")},
    initial="open",
    initial_deadline_workdays=lambda o: observation_workdays(),
    transitions=[
        Transition(
            "answer",
            source=["open"],
            target="answered",
            permission=MANAGE_BODIES,
            guards=[has_answer],
            deadline_workdays=None,
            label=_("答复"),
            action="zhijia.congress.actions.bodies.do_answer_observation",
            form="zhijia.congress.forms.bodies.AnswerForm",
        ),
        Transition(
            "close",
            source=["answered"],
            target="closed",
            permission=MANAGE_BODIES,
            actor_rule=is_observer,
            deadline_workdays=None,
            label=_("办结"),
            action="zhijia.congress.actions.bodies.do_close_observation",
        ),
    ],
    escalation=Escalation(
        extend_workdays=settings.ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS,
        max_level=3,
        effect="zhijia.congress.actions.bodies.notify_observation_escalation",
    ),
)
