"""Proposals end to end through the actions: co-signing, the committee, handling, rating,
reopening once, merging, the publication hook and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.congress import hooks
from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions import proposals as actions
from zhijia.congress.actions.proposals import ProposalError
from zhijia.congress.models import Proposal, ProposalRating
from zhijia.congress.queries import proposals as queries
from zhijia.congress.tests.proposals_support import (
    department,
    draft,
    handling,
    make_representative,
    make_session,
    submitted,
)
from zhijia.core.audit import verify_chain
from zhijia.core.models import AuditEvent, Notification
from zhijia.core.workflow import TransitionError, history


@pytest.fixture
def session(personas):
    return make_session()


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B1", "钱进")


@pytest.fixture
def results():
    """Every ProposalResult announced through the hook during the test."""
    seen = []

    def receiver(sender, result, **kwargs):
        seen.append(result)

    hooks.proposal_handled.connect(receiver, dispatch_uid="test-results")
    yield seen
    hooks.proposal_handled.disconnect(dispatch_uid="test-results")


def inbox(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


def test_full_flow_dissatisfied_reopens_once_then_satisfied(
    personas, session, rep2, results, django_capture_on_commit_callbacks
):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]

    p = draft(rep1, session, [rep2])
    assert p.state == "draft" and p.serial is None
    assert p.org_unit.code == "U" and p.proposer_unit.code == "B1-G1"
    assert inbox(rep2, "congress.proposal_cosign_request").count() == 1

    # Not enough co-signers yet: the submission is refused with the rule in words.
    with pytest.raises(TransitionError) as refused:
        actions.do_submit_proposal(actor=rep1, proposal=p)
    assert "附议人不足" in refused.value.message and refused.value.status == 400

    actions.do_cosign_proposal(actor=rep2, proposal=p)
    assert inbox(rep1, "congress.proposal_cosigned").count() == 1
    actions.do_submit_proposal(actor=rep1, proposal=p)
    p.refresh_from_db()
    assert (p.state, p.serial, p.number) == ("submitted", 1, "001")
    assert p.deadline_at is not None  # the committee's review deadline
    assert inbox(chair, "congress.proposal_submitted").count() == 1
    # Drafts are private, submitted proposals are on the committee's desk.
    assert queries.queue(chair).filter(pk=p.pk).exists()

    actions_proposal_handling.do_accept_proposal(
        actor=chair,
        proposal=p,
        lead_department=department("D-HR"),
        co_departments=[department("D-FIN")],
        workdays=30,
    )
    p.refresh_from_db()
    assert p.state == "handling" and p.lead_department.code == "D-HR"
    assert [d.code for d in p.co_departments.all()] == ["D-FIN"]
    first_deadline = p.deadline_at
    assert inbox(handler1, "congress.proposal_assigned").count() == 1

    actions_proposal_handling.do_answer_proposal(
        actor=handler1, proposal=p, text="已与食堂承包方沟通，下月起增加菜品。", summary="增加菜品"
    )
    p.refresh_from_db()
    assert p.state == "answered" and p.deadline_at is None
    assert inbox(rep1, "congress.proposal_answered").count() == 1

    # 不满意 needs a reason, then sends it back to the department once, with a new deadline.
    with pytest.raises(ProposalError) as no_reason:
        actions_proposal_handling.do_rate_proposal(actor=rep1, proposal=p, rating="dissatisfied")
    assert no_reason.value.field == "comment"
    actions_proposal_handling.do_rate_proposal(
        actor=rep1, proposal=p, rating="dissatisfied", comment="夜班餐窗口没有落实"
    )
    p.refresh_from_db()
    assert (p.state, p.reopen_count, p.rating) == ("handling", 1, "")
    assert p.deadline_at is not None and p.deadline_at != first_deadline
    assert inbox(handler1, "congress.proposal_reopened").count() == 1

    actions_proposal_handling.do_answer_proposal(
        actor=handler1, proposal=p, text="夜班餐窗口已于本月开放。", summary="开设夜班餐窗口"
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions_proposal_handling.do_rate_proposal(
            actor=rep1, proposal=p, rating="satisfied", comment=""
        )
    p.refresh_from_db()
    assert (p.state, p.rating) == ("closed", "satisfied") and p.closed_at is not None

    ratings = list(
        ProposalRating.objects.filter(proposal=p).values_list("round", "rating", "reopened")
    )
    assert ratings == [(1, "dissatisfied", True), (2, "satisfied", False)]
    assert [a.round for a in p.answers.all()] == [1, 2]

    steps = [e.transition for e in history(p)]
    assert steps == [
        "start", "submit", "accept", "assign", "answer", "reopen", "answer", "rate",
    ]  # fmt: skip
    assert [r.outcome for r in results] == ["closed"]
    published = results[0]
    assert published.rating == "satisfied" and published.lead_department == "人力资源部"
    assert published.answer_summary == "开设夜班餐窗口"
    assert published.co_departments == ("财务部",)
    # Public fields only: the proposer is not part of what gets published.
    assert "赵卫东" not in repr(published)
    assert AuditEvent.objects.filter(target_id=str(p.pk), action="congress.proposal.rate").exists()
    assert list(verify_chain()) == []


def test_second_dissatisfied_closes_as_dissatisfied(
    personas, session, rep2, results, django_capture_on_commit_callbacks
):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]
    p = handling(rep1, session, rep2, chair)
    actions_proposal_handling.do_answer_proposal(actor=handler1, proposal=p, text="第一次答复")
    actions_proposal_handling.do_rate_proposal(
        actor=rep1, proposal=p, rating="dissatisfied", comment="没解决"
    )
    actions_proposal_handling.do_answer_proposal(actor=handler1, proposal=p, text="第二次答复")
    with django_capture_on_commit_callbacks(execute=True):
        actions_proposal_handling.do_rate_proposal(
            actor=rep1, proposal=p, rating="dissatisfied", comment="仍未解决"
        )
    p.refresh_from_db()
    assert (p.state, p.rating, p.reopen_count) == ("closed", "dissatisfied", 1)
    assert ProposalRating.objects.filter(proposal=p, rating="dissatisfied").count() == 2
    assert [(r.outcome, r.rating) for r in results] == [("closed", "dissatisfied")]
    assert AuditEvent.objects.filter(target_id=str(p.pk), action="congress.proposal.rate").exists()


def test_only_the_proposer_rates(personas, session, rep2):
    rep1, chair, handler1 = personas["rep1"], personas["chair"], personas["handler1"]
    p = handling(rep1, session, rep2, chair)
    actions_proposal_handling.do_answer_proposal(actor=handler1, proposal=p, text="答复")
    for other in (rep2, chair, handler1):
        with pytest.raises(TransitionError) as refused:
            actions_proposal_handling.do_rate_proposal(actor=other, proposal=p, rating="satisfied")
        assert refused.value.status == 403


def test_minimum_cosigners_is_configurable(personas, session, rep2, settings):
    settings.ZHIJIA_PROPOSAL_MIN_COSIGNERS = 2
    rep1 = personas["rep1"]
    rep3 = make_representative("rep3", "B2", "孙立")
    p = draft(rep1, session, [rep2, rep3])
    actions.do_cosign_proposal(actor=rep2, proposal=p)
    with pytest.raises(TransitionError, match="至少需要 2 位代表附议，目前已有 1 位"):
        actions.do_submit_proposal(actor=rep1, proposal=p)
    actions.do_cosign_proposal(actor=rep3, proposal=p)
    actions.do_submit_proposal(actor=rep1, proposal=p)
    assert Proposal.objects.get(pk=p.pk).state == "submitted"


def test_a_declined_or_withdrawn_cosignature_does_not_count(personas, session, rep2):
    rep1 = personas["rep1"]
    p = draft(rep1, session, [rep2])
    actions.do_cosign_proposal(actor=rep2, proposal=p)
    actions.do_decline_cosign(actor=rep2, proposal=p)
    with pytest.raises(TransitionError, match="附议人不足"):
        actions.do_submit_proposal(actor=rep1, proposal=p)


def test_who_may_cosign(personas, session, rep2):
    rep1 = personas["rep1"]
    p = draft(rep1, session)
    # Not a representative, or the proposer themself: refused next to the field.
    for user, words in ((personas["worker1"], "不是本届职工代表"), (rep1, "不能为自己附议")):
        with pytest.raises(ProposalError, match=words) as refused:
            actions.do_invite_cosigners(actor=rep1, proposal=p, users=[user])
        assert refused.value.field == "cosigners"
    # Someone not invited cannot co-sign; only the proposer invites.
    with pytest.raises(PermissionDenied):
        actions.do_cosign_proposal(actor=rep2, proposal=p)
    with pytest.raises(PermissionDenied):
        actions.do_invite_cosigners(actor=rep2, proposal=p, users=[rep2])
    actions.do_invite_cosigners(actor=rep1, proposal=p, users=[rep2])
    actions.do_cosign_proposal(actor=rep2, proposal=p)
    actions.do_submit_proposal(actor=rep1, proposal=p)
    # After submission the co-signers are fixed.
    with pytest.raises(ProposalError) as late:
        actions.do_decline_cosign(actor=rep2, proposal=p)
    assert late.value.status == 409


def test_only_representatives_draft_proposals(personas, session):
    with pytest.raises(PermissionDenied):
        draft(personas["worker1"], session)
    with pytest.raises(PermissionDenied):
        draft(personas["chair"], session)


def test_a_closed_session_takes_no_new_proposals(personas, session):
    session.state = "closed"
    session.save()
    with pytest.raises(ProposalError, match="正在征集提案的会议"):
        draft(personas["rep1"], session)


def test_the_term_roster_limits_who_proposes(personas, session, rep2):
    """A term that keeps a roster of representatives: only those on it propose and co-sign."""
    from zhijia.congress.models import Representative

    rep1 = personas["rep1"]
    Representative.objects.create(
        term=session.term, member=rep1.member_record, unit=rep1.member_record.org_unit
    )
    p = draft(rep1, session)  # on the roster
    with pytest.raises(ProposalError, match="不是本届职工代表"):
        actions.do_invite_cosigners(actor=rep1, proposal=p, users=[rep2])  # rep2 is not
    with pytest.raises(ProposalError, match="不是本届职工代表"):
        draft(rep2, session)


def test_reject_needs_a_reason(
    personas, session, rep2, results, django_capture_on_commit_callbacks
):
    rep1, chair = personas["rep1"], personas["chair"]
    p = submitted(rep1, session, rep2)
    with pytest.raises(TransitionError, match="请填写理由"):
        actions_proposal_handling.do_reject_proposal(actor=chair, proposal=p, reason="   ")
    assert Proposal.objects.get(pk=p.pk).state == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        actions_proposal_handling.do_reject_proposal(
            actor=chair, proposal=p, reason="属于个人诉求，请走诉求渠道"
        )
    p.refresh_from_db()
    assert p.state == "rejected" and p.reject_reason == "属于个人诉求，请走诉求渠道"
    assert inbox(rep1, "congress.proposal_rejected").count() == 1
    assert "属于个人诉求" in inbox(rep1, "congress.proposal_rejected").get().body
    assert [(r.outcome, r.answer_summary) for r in results] == [
        ("rejected", "属于个人诉求，请走诉求渠道")
    ]


def test_merge_into_a_duplicate(
    personas, session, rep2, results, django_capture_on_commit_callbacks
):
    rep1, chair = personas["rep1"], personas["chair"]
    main = submitted(rep2, session, rep1, title="建议增加夜班职工的热餐供应")
    dup = submitted(rep1, session, rep2)
    with pytest.raises(ProposalError, match="不能并入提案本身"):
        actions_proposal_handling.do_merge_proposal(actor=chair, proposal=dup, into=dup)
    rejected = submitted(rep2, session, rep1, title="另一件提案")
    actions_proposal_handling.do_reject_proposal(
        actor=chair, proposal=rejected, reason="不属于职代会提案范围"
    )
    with pytest.raises(ProposalError, match="只能并入正在审查、办理或已办结的提案"):
        actions_proposal_handling.do_merge_proposal(actor=chair, proposal=dup, into=rejected)
    with django_capture_on_commit_callbacks(execute=True):
        actions_proposal_handling.do_merge_proposal(
            actor=chair, proposal=dup, into=main, note="内容相近"
        )
    dup.refresh_from_db()
    assert dup.state == "merged" and dup.merged_into_id == main.pk
    assert list(main.merged_proposals.all()) == [dup]
    # The merged proposal's proposer follows the main one.
    assert queries.proposals_visible_to(rep1).filter(pk=main.pk).exists()
    assert inbox(rep1, "congress.proposal_merged").count() == 1
    merged = [r for r in results if r.outcome == "merged"]
    assert len(merged) == 1 and main.title in merged[0].answer_summary
    # A merged proposal is finished: nothing more can be decided on it.
    with pytest.raises(TransitionError) as again:
        actions_proposal_handling.do_accept_proposal(actor=chair, proposal=dup)
    assert again.value.status == 409


def test_withdraw_before_the_decision(personas, session, rep2, results):
    rep1 = personas["rep1"]
    p = submitted(rep1, session, rep2)
    actions.do_withdraw_proposal(actor=rep1, proposal=p)
    assert Proposal.objects.get(pk=p.pk).state == "withdrawn"
    assert results == []  # a withdrawal is not a result to publish


def test_accept_without_department_then_assign(personas, session, rep2):
    rep1, chair = personas["rep1"], personas["chair"]
    p = submitted(rep1, session, rep2)
    actions_proposal_handling.do_accept_proposal(actor=chair, proposal=p, note="同意立案")
    p.refresh_from_db()
    assert p.state == "accepted"
    with pytest.raises(ProposalError, match="请选择主办部门"):
        actions_proposal_handling.do_assign_proposal(actor=chair, proposal=p, lead_department=None)
    with pytest.raises(ProposalError, match="1 到 250"):
        actions_proposal_handling.do_assign_proposal(
            actor=chair, proposal=p, lead_department=department("D-HR"), workdays=0
        )
    actions_proposal_handling.do_assign_proposal(
        actor=chair,
        proposal=p,
        lead_department=department("D-HR"),
        co_departments=[department("D-HR"), department("D-SAFE")],
    )
    p.refresh_from_db()
    assert p.state == "handling" and p.handling_workdays == 30
    # the lead department is never also a co-handling one
    assert [d.code for d in p.co_departments.all()] == ["D-SAFE"]


def test_cohandling_department_gives_an_opinion_but_does_not_answer(personas, session, rep2):
    rep1, chair = personas["rep1"], personas["chair"]
    from zhijia.congress.tests.proposals_support import make_handler

    safety = make_handler("safety1", "D-SAFE")
    p = handling(rep1, session, rep2, chair)
    p.co_departments.add(department("D-SAFE"))
    answer = actions_proposal_handling.do_add_cohandling_opinion(
        actor=safety, proposal=p, department=department("D-SAFE"), text="建议同步检查食堂消防"
    )
    assert answer.is_lead is False
    assert inbox(personas["handler1"], "congress.proposal_opinion").count() == 1
    with pytest.raises(TransitionError) as refused:
        actions_proposal_handling.do_answer_proposal(actor=safety, proposal=p, text="越权答复")
    assert refused.value.status == 403
    assert Proposal.objects.get(pk=p.pk).state == "handling"
