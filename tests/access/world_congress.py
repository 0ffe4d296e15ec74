"""The world of the congress access matrix (tests/access/test_congress.py), built once per test
module, and the fingerprint that a refused write must leave unchanged.

Two targets, "b1" and "b2": a record in branch 1 or in branch 2 of the demo union (and, for
a few rows, "u": the enterprise congress, a term and a session of the committee's unit).
  - sessions: each branch runs its own congress (分厂职代会: a term of the branch, its
    representatives, sessions in every state, agenda items in every vote state). The chair
    (committee) manages both, a branch chair only its own branch's, never the sibling's;
  - elections: an electoral unit in each branch (one nominating, one voting in the enterprise
    congress's term, one closed with an elected candidate);
  - proposals: the enterprise congress (the committee's unit U) collects them; the "b1" ones
    are proposed by rep1 (a representative of branch 1), the "b2" ones by a representative of
    branch 2, each in every state of the workflow, assigned to handler1's department (人力资源部);
  - inspections: a tour of each branch, rep1 (b1) or branch 2's representative (b2) taking
    part, its findings and rectification items owned by handler1's department;
  - follow-up: two resolutions the branch's congress passed, one with its implementation plan
    owned by handler1's department (a milestone open, one done awaiting confirmation), one
    without a plan yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tests.access.framework import World, fingerprint, make_clients

TARGETS = ("b1", "b2")
TEXT = {
    "title": "关于改善食堂饭菜质量的建议",
    "cause": "职工食堂饭菜品种单一，价格偏高，夜班职工下班后没有热饭。",
    "reasons": "一线倒班职工多，吃饭问题直接影响身体健康和工作状态。",
    "measures": "增加菜品种类，设立夜班餐窗口，公开食堂成本。",
    "category": "living",
}


def _representative_account(username: str, unit, name: str):
    """A member of `unit` with an account that holds the representative role in the branch."""
    from zhijia.accounts.models import Role, RoleAssignment
    from zhijia.congress.tests.factory_sessions import make_members

    member = make_members(unit, 1, prefix=username)[0]
    user = member.user
    assert user is not None
    user.full_name = name
    user.save(update_fields=["full_name"])
    branch = unit.parent
    RoleAssignment.objects.create(user=user, role=Role.REPRESENTATIVE, org_unit=branch)
    return member


def build_world() -> World:
    from zhijia.congress.actions import (
        agenda,
        bodies,
        desk,
        elections,
        followup,
        inspections,
        proposals,
        sessions,
    )
    from zhijia.congress.actions import proposal_handling as deciding
    from zhijia.congress.queries import elections as eq
    from zhijia.congress.queries import sessions as q
    from zhijia.congress.tests.factory_sessions import (
        close_online_vote,
        make_members,
        open_online_vote,
        prepare_online_vote,
    )
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, OrgUnit
    from zhijia.voting import actions as voting

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    chair, handler1 = personas["chair"], personas["handler1"]
    hr = Department.objects.get(code="D-HR")
    other_dept = Department.objects.get(code="D-ADMIN")
    unit_u = OrgUnit.objects.get(code="U")
    branch = {t: OrgUnit.objects.get(code=t.upper()) for t in TARGETS}
    group = {t: OrgUnit.objects.get(code=f"{t.upper()}-G1") for t in TARGETS}

    # The representatives: rep1 in branch 1, "mxrb2" in branch 2; a co-signer in each branch.
    rep_member = {
        "b1": personas["rep1"].member_record,
        "b2": _representative_account("mxrb2", group["b2"], "矩阵代表乙"),
    }
    cosigner = {
        t: _representative_account(f"mxc{t}", group[t], f"矩阵附议{t}").user for t in TARGETS
    }
    proposer = {t: rep_member[t].user for t in TARGETS}
    extra = {t: make_members(group[t], 2, prefix=f"mxe{t}") for t in TARGETS}
    extra_more = {t: make_members(group[t], 1, prefix=f"mxf{t}")[0] for t in TARGETS}

    # w["term"]["b1"]: the id of branch 1's term, and so on
    worker = {"b1": personas["worker1"], "b2": personas["worker2"]}
    w: dict = defaultdict(dict)
    w["personas"] = personas
    w["branch"] = {t: branch[t].pk for t in TARGETS}

    # --- the enterprise congress: proposals, and the voting elections ------------------------
    term_u = sessions.do_create_term(
        actor=chair, unit=unit_u, start_date=dt.date(2024, 3, 1), end_date=dt.date(2029, 2, 28)
    )
    session_u = sessions.do_schedule_session(
        actor=chair, term=term_u, date=dt.date(2026, 3, 2), notify_representatives=False
    )
    next_u = sessions.do_schedule_session(
        actor=chair, term=term_u, date=dt.date(2027, 3, 1), notify_representatives=False
    )
    w["session_u"], w["next_session_u"], w["term_u"] = session_u.pk, next_u.pk, term_u.pk
    # target "u": the enterprise congress itself (the committee's; no branch cadre's)
    w["term"]["u"], w["session_planned"]["u"] = term_u.pk, session_u.pk

    for t in TARGETS:
        # --- the branch's congress ------------------------------------------------------------
        term = sessions.do_create_term(
            actor=chair,
            unit=branch[t],
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2029, 2, 28),
        )
        reps = [
            sessions.do_add_representative(actor=chair, term=term, member=m)
            for m in [rep_member[t], *extra[t]]
        ]

        def schedule(day, term=term):
            return sessions.do_schedule_session(
                actor=chair, term=term, date=day, notify_representatives=False
            )

        planned = schedule(dt.date(2026, 9, 1))
        checkin = schedule(dt.date(2026, 6, 1))
        sessions.do_start_checkin(actor=chair, session=checkin)
        opened = schedule(dt.date(2026, 3, 1))
        sessions.do_start_checkin(actor=chair, session=opened)
        for rep in reps:
            sessions.do_roll_call(actor=chair, session=opened, rep=rep, present=True)
        sessions.do_open_session(actor=chair, session=opened)
        item_new = agenda.do_add_item(actor=chair, session=opened, title="矩阵议程甲")
        item_voting = agenda.do_add_item(actor=chair, session=opened, title="矩阵议程乙")
        # Online votes, encrypted to the session's scrutineers (their ceremony in process).
        open_online_vote(chair, item_voting)
        item_done = agenda.do_add_item(actor=chair, session=opened, title="矩阵议程丙")
        open_online_vote(chair, item_done)
        close_online_vote(chair, item_done)
        item_ready = agenda.do_add_item(actor=chair, session=opened, title="矩阵议程戊")
        prepare_online_vote(chair, item_ready)  # its key made: ready to open
        item_report = agenda.do_add_item(
            actor=chair, session=opened, title="矩阵报告", kind="report"
        )
        # The planned session has its scrutineers (the trustees of its encrypted votes) and an
        # item to prepare with them.
        agenda.do_set_scrutineers(actor=chair, session=planned, chief=reps[0], others=reps[1:3])
        item_prepare = agenda.do_add_item(actor=chair, session=planned, title="矩阵议程丁")

        w["term"][t] = term.pk
        w["rep"][t] = reps[0].pk  # the persona's own representation (rep1 in b1)
        w["rep_other"][t] = reps[1].pk
        w["checkin_code"][t] = q.checkin_code(reps[1])
        w["session_planned"][t] = planned.pk
        w["session_checkin"][t] = checkin.pk
        w["hall_token"][t] = checkin.hall_token
        w["session_open"][t] = opened.pk
        w["item_new"][t] = item_new.pk
        w["item_ready"][t] = item_ready.pk
        w["item_voting"][t] = item_voting.pk
        w["item_done"][t] = item_done.pk
        w["item_report"][t] = item_report.pk
        w["item_prepare"][t] = item_prepare.pk
        w["rep_third"][t] = reps[2].pk

        # --- representative elections of the branch -----------------------------------------
        closed = elections.do_create_election(
            actor=chair, term=term, unit=branch[t], seats=1, competitive=False
        )
        elections.do_nominate_candidate(actor=chair, election=closed, member=extra[t][1])
        poll = elections.do_open_election(actor=chair, election=closed)
        choice = [c.poll_key for c in eq.candidates_of(closed)]
        for voter in eq.unit_voters(closed):
            voting.do_cast_ballot(voter=voter, poll=poll, choice=choice)
        elections.do_close_election(actor=chair, election=closed)
        election = elections.do_create_election(
            actor=chair, term=term, unit=branch[t], seats=1, competitive=True
        )
        candidate = elections.do_nominate_candidate(
            actor=chair, election=election, member=extra[t][0]
        )
        # a second one, so that the competitive (差额) ballot may open
        elections.do_nominate_candidate(actor=chair, election=election, member=extra_more[t])
        voting_election = elections.do_create_election(
            actor=chair, term=term_u, unit=branch[t], seats=1, competitive=False
        )
        elections.do_nominate_candidate(actor=chair, election=voting_election, member=extra[t][0])
        elections.do_open_election(actor=chair, election=voting_election)
        w["election"][t] = election.pk
        w["candidate"][t] = candidate.pk
        w["candidate_member"][t] = extra[t][1].pk  # a member of the unit, not yet a candidate
        w["candidate_no"][t] = extra[t][1].employee_no
        w["election_voting"][t] = voting_election.pk
        w["election_closed"][t] = closed.pk

        # --- proposals to the enterprise congress ------------------------------------------------
        def new_draft(author, invite, signed, title):
            p = proposals.do_create_proposal(
                actor=author, session=session_u, cosigners=[invite], **{**TEXT, "title": title}
            )
            if signed:
                proposals.do_cosign_proposal(actor=invite, proposal=p)
            return p

        def submitted(title, author=proposer[t], invite=cosigner[t]):
            p = new_draft(author, invite, True, title)
            return proposals.do_submit_proposal(actor=author, proposal=p)

        # a draft of the target's representative, ready to submit
        w["proposal_draft"][t] = new_draft(proposer[t], cosigner[t], True, f"矩阵草稿{t}").pk
        # a draft of the co-signer that asks the target's representative (rep1 in b1)
        w["proposal_invited"][t] = new_draft(cosigner[t], proposer[t], False, f"矩阵邀请{t}").pk
        w["proposal_submitted"][t] = submitted(f"关于夜班班车的建议{t}").pk
        accepted = submitted(f"关于职工书屋的建议{t}")
        deciding.do_accept_proposal(actor=chair, proposal=accepted)
        w["proposal_accepted"][t] = accepted.pk
        in_hand = submitted(f"关于劳保用品的建议{t}")
        deciding.do_accept_proposal(actor=chair, proposal=in_hand, lead_department=hr)
        w["proposal_handling"][t] = in_hand.pk
        cohandling = submitted(f"关于健康体检的建议{t}")
        deciding.do_accept_proposal(
            actor=chair, proposal=cohandling, lead_department=other_dept, co_departments=[hr]
        )
        w["proposal_cohandling"][t] = cohandling.pk
        answered = submitted(f"关于高温津贴的建议{t}")
        deciding.do_accept_proposal(actor=chair, proposal=answered, lead_department=hr)
        deciding.do_answer_proposal(actor=handler1, proposal=answered, text="已按标准发放。")
        w["proposal_answered"][t] = answered.pk

        # --- an inspection tour of the branch -----------------------------------------------
        tour = inspections.do_create_tour(
            actor=chair,
            org_unit=branch[t],
            title=f"劳动保护巡视{t}",
            scope="劳保用品",
            start_date=dt.date(2026, 9, 21),
            end_date=dt.date(2026, 9, 22),
            participants=[proposer[t]],
        )
        findings = [
            inspections.do_add_finding(
                actor=proposer[t], tour=tour, title=f"安全帽超期{n}", description="6 顶"
            )
            for n in range(4)
        ]
        rects = [
            inspections.do_create_rectification(
                actor=chair, finding=f, department=hr, requirement="更换"
            )
            for f in findings[1:]
        ]
        inspections.do_start_rectification(actor=handler1, item=rects[1])
        inspections.do_start_rectification(actor=handler1, item=rects[2])
        inspections.do_complete_rectification(actor=handler1, item=rects[2], result="已更换")
        w["tour"][t] = tour.pk
        w["tour_finding"][t] = findings[0].pk  # no rectification item yet
        w["rect_new"][t], w["rect_begun"][t], w["rect_done"][t] = (r.pk for r in rects)

        # --- the follow-up of the resolutions the branch's congress passed --------------------
        def passed(title, session=opened, voters=(rep_member[t], *extra[t])):
            item = agenda.do_add_item(actor=chair, session=session, title=title)
            poll = desk.do_open_item_vote_on_paper(actor=chair, item=item)
            n = len(voters)
            counts = {"yes": n, "no": 0, "abstain": 0}
            voting.do_enter_paper_result(actor=chair, poll=poll, counts=counts, valid_ballots=n)
            return item

        planned_item = passed(f"矩阵决议甲{t}")
        plan = followup.do_create_plan(
            actor=chair,
            agenda_item=planned_item,
            department=hr,
            responsible="矩阵责任人",
            measures="按季度落实",
        )
        open_milestone = followup.do_add_milestone(
            actor=chair, plan=plan, title="矩阵节点甲", due_date=dt.date(2026, 12, 31)
        )
        done_milestone = followup.do_add_milestone(
            actor=chair, plan=plan, title="矩阵节点乙", due_date=dt.date(2026, 11, 30)
        )
        followup.do_complete_milestone(actor=handler1, milestone=done_milestone, result="已完成")
        w["item_passed"][t] = passed(f"矩阵决议乙{t}").pk  # no plan yet
        w["plan"][t] = plan.pk
        w["milestone_open"][t], w["milestone_done"][t] = open_milestone.pk, done_milestone.pk

        _channels_world(w, t, chair, branch[t], worker[t], extra[t][0].user, hr)
        _meetings_world(w, t, chair, branch[t], worker[t], rep_member[t])
        # --- the bodies of the branch's congress: a working group (not the 提案 one: that
        # would make its members proposal reviewers) headed by the target's representative
        # (rep1 in b1) with an open task; a duty report of the other representative (rep1
        # and worker1 are her constituents in b1, worker2 in b2); a supervisor (worker1 in
        # b1, worker2 in b2) with an open and an answered observation
        group_body = bodies.do_create_group(
            actor=chair, term=term, kind="labour", name=f"劳动保护委员会{t}", head=reps[0]
        )
        task = bodies.do_add_group_task(
            actor=chair, group=group_body, title="检查劳保用品", due_date=dt.date(2027, 6, 30)
        )
        report = bodies.do_file_duty_report(
            actor=reps[1].member.user,
            representative=reps[1],
            text="一年来的履职情况。",
            today=dt.date(2026, 12, 4),
        )
        appointment = bodies.do_appoint_supervisor(
            actor=chair,
            unit=branch[t],
            member=personas["worker1" if t == "b1" else "worker2"].member_record,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
        )

        def observe(subject, appointment=appointment):
            return bodies.do_file_observation(
                actor=appointment.member.user,
                appointment=appointment,
                subject=subject,
                text="情况说明",
                observed_on=dt.date(2026, 6, 1),
                today=dt.date(2026, 6, 2),
            )

        obs_open = observe("通风设备损坏")
        obs_answered = bodies.do_answer_observation(
            actor=chair, observation=observe("饮水机不出水"), answer="已修好"
        )
        w["bgroup"][t], w["btask"][t], w["breport"][t] = group_body.pk, task.pk, report.pk
        w["bappoint"][t] = appointment.pk
        w["bobs_open"][t], w["bobs_answered"][t] = obs_open.pk, obs_answered.pk

    w["hr"], w["other_dept"] = hr.pk, other_dept.pk
    w["unit_u"] = unit_u.pk
    w["cosigner"] = {t: cosigner[t].pk for t in TARGETS}
    # a representative of the other branch, not yet asked to co-sign the target's draft
    w["proposer_other"] = {"b1": cosigner["b2"].pk, "b2": cosigner["b1"].pk}
    w["group"] = {t: group[t].pk for t in TARGETS}
    return World(
        data=w, ids=_ids(w), fingerprint=congress_fingerprint, clients=make_clients(personas)
    )


def _channels_world(w: dict, t: str, chair, branch, worker, other_member, hr) -> None:
    """The branch's participation channels: a coming reception day with a free slot
    (reception_open, slot_free) and one the worker booked (booking_future); a past day
    (reception_past) with the worker's booking awaiting its outcome (booking_past) and two
    tracked items (reception_item_open, reception_item_done); an open hearing with a comment
    unanswered (hearing_open, comment_open) and one whose every comment is answered
    (hearing_answered)."""
    from zhijia.congress.actions import channels
    from zhijia.congress.models import ReceptionDay, ReceptionSlot

    coming = channels.do_publish_day(
        actor=chair,
        unit=branch,
        leader="矩阵厂长",
        leader_title="厂长",
        date=dt.date(2030, 1, 10),
        place="行政楼",
    )
    free = channels.do_add_slot(actor=chair, day=coming, starts_at=dt.time(9), ends_at=dt.time(10))
    taken = channels.do_add_slot(
        actor=chair, day=coming, starts_at=dt.time(10), ends_at=dt.time(11)
    )
    channels.do_book_slot(actor=other_member, slot=taken, topic="矩阵反映事项")
    mine_day = channels.do_publish_day(
        actor=chair,
        unit=branch,
        leader="矩阵书记",
        leader_title="书记",
        date=dt.date(2030, 1, 11),
        place="行政楼",
    )
    mine_slot = channels.do_add_slot(
        actor=chair, day=mine_day, starts_at=dt.time(9), ends_at=dt.time(10)
    )
    booking_future = channels.do_book_slot(actor=worker, slot=mine_slot, topic="矩阵预约")
    # a day already held (published before; written directly, the action refuses a past date)
    past = ReceptionDay.objects.create(
        org_unit=branch,
        leader="矩阵经理",
        leader_title="经理",
        date=dt.date(2026, 11, 2),
        place="会议室",
    )
    bookings = []
    for hour, member in ((9, worker), (10, other_member), (11, chair)):
        slot = ReceptionSlot.objects.create(
            day=past, starts_at=dt.time(hour), ends_at=dt.time(hour, 30)
        )
        bookings.append(m_booking(slot, member))
    item_open = channels.do_record_outcome(
        actor=chair, booking=bookings[1], outcome="交办", department=hr, action_needed="矩阵事项甲"
    ).item
    item_done = channels.do_record_outcome(
        actor=chair, booking=bookings[2], outcome="交办", department=hr, action_needed="矩阵事项乙"
    ).item
    channels.do_complete_item(actor=chair, item=item_done, result="已办")
    hearing = channels.do_open_hearing(
        actor=chair,
        unit=branch,
        title="矩阵听证甲",
        draft="草案",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2030, 12, 31),
    )
    comment = channels.do_add_comment(actor=worker, hearing=hearing, text="矩阵意见")
    answered = channels.do_open_hearing(
        actor=chair,
        unit=branch,
        title="矩阵听证乙",
        draft="草案",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2030, 12, 31),
    )
    channels.do_answer_comment(
        actor=chair,
        comment=channels.do_add_comment(actor=worker, hearing=answered, text="意见"),
        answer="答复",
    )
    w["reception_open"][t], w["slot_free"][t] = coming.pk, free.pk
    w["booking_future"][t], w["booking_past"][t] = booking_future.pk, bookings[0].pk
    w["reception_past"][t] = past.pk
    w["reception_item_open"][t], w["reception_item_done"][t] = item_open.pk, item_done.pk
    w["hearing_open"][t], w["comment_open"][t] = hearing.pk, comment.pk
    w["hearing_answered"][t] = answered.pk
    w["hearing_fresh"][t] = channels.do_open_hearing(
        actor=chair,
        unit=branch,
        title="矩阵听证丙",
        draft="草案",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2030, 12, 31),
    ).pk


def _meetings_world(w: dict, t: str, chair, branch, worker, rep_member) -> None:
    """The branch's deliberation meeting held without minutes yet (meeting_open) and a
    management meeting its representative sat in on, her report missing (sitin, seat_open)."""
    from zhijia.congress.actions import channels_meetings
    from zhijia.org.models import Member

    meeting = channels_meetings.do_plan_deliberation(
        actor=chair,
        unit=branch,
        kind="deliberation",
        title="矩阵议事会",
        held_on=dt.date(2026, 11, 2),
        agenda="议题",
        participants=[Member.objects.get(user=worker)],
    )
    sitin = channels_meetings.do_plan_sitin(
        actor=chair,
        unit=branch,
        title="矩阵办公会",
        held_on=dt.date(2026, 11, 3),
        body="总经理办公室",
        representatives=[rep_member],
    )
    w["meeting_open"][t], w["sitin"][t] = meeting.pk, sitin.pk
    w["seat_open"][t] = sitin.seats.get().pk
    w["rep_member"][t] = rep_member.pk


def m_booking(slot, member_user):
    """A booking of a past day's slot (written directly: the action refuses a past day)."""
    from zhijia.congress.models import ReceptionBooking
    from zhijia.org.models import Member

    return ReceptionBooking.objects.create(
        slot=slot, member=Member.objects.get(user=member_user), user=member_user, topic="矩阵事项"
    )


def _ids(w: dict):
    """Row.path's values for a target: every id of the world for that target ({term} is
    w["term"][target]) and the world's single ids ({session_u})."""
    single = {k: v for k, v in w.items() if isinstance(v, int | str)}
    by_target = {
        t: {
            **single,
            **{k: v[t] for k, v in w.items() if isinstance(v, dict) and t in v},
        }
        for t in (*TARGETS, "u")
    }
    return lambda persona, target: by_target.get(target, single)


def congress_fingerprint() -> tuple:
    """What a write in congress could change: the audit log, notifications, and every row of
    the congress's records (and of the polls its votes open)."""
    from zhijia.congress import models as m
    from zhijia.voting.models import Poll

    return fingerprint(
        m.Term,
        m.Session,
        m.Representative,
        m.Attendance,
        m.AgendaItem,
        m.RepElection,
        m.Candidate,
        m.Proposal,
        m.ProposalCosigner,
        m.InspectionTour,
        m.InspectionParticipant,
        m.InspectionFinding,
        m.RectificationItem,
        m.FollowupPlan,
        m.Milestone,
        m.FollowupReport,
        m.TourYearReminder,
        m.ReceptionDay,
        m.ReceptionSlot,
        m.ReceptionBooking,
        m.ReceptionItem,
        m.Hearing,
        m.HearingComment,
        m.Deliberation,
        m.SitIn,
        m.SitInSeat,
        m.WorkingGroup,
        m.GroupMember,
        m.GroupTask,
        m.GroupMinutes,
        m.DutyReport,
        m.DutyRating,
        m.SupervisorAppointment,
        m.Observation,
        Poll,
    )
