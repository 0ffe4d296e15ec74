"""Demo data of module congress, for `zhijia seed-demo`: a current term of the demo union with
representatives (rep1 among them) and a session planned for today; an earlier session of the
term that passed a resolution (a hall vote on paper), with its implementation plan, milestones
(one done and confirmed, one overdue) and a follow-up report for every quarter of the year
since; an inspection tour of the demo union with its checklist (facts taken when it was
planned) and the participants' findings, one problem handed to a department; branch 1's
leadership reception
day next week with two of its three slots booked, and a hearing on a draft rule with a
representative's comment. Idempotent.

Call after the demo structure, accounts and members exist (`zhijia seed-demo` does those):

    from zhijia.congress.demo import ensure_demo_congress
    ensure_demo_congress(representatives=120)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import FollowupPlan, Representative, Session, Term
from zhijia.org.models import Member, OrgUnit


@transaction.atomic
def ensure_demo_congress(representatives: int = 120) -> Session:
    """Term 1 of the demo union (this year and the next four), up to `representatives`
    voting representatives drawn from the in-register members with accounts first, then the
    others (they check in by roll call and vote on paper), and today's session."""
    chair = User.objects.get(username="chair")
    unit = OrgUnit.objects.get(code="U")
    today = timezone.localdate()
    term = Term.objects.filter(unit=unit, number=1).first()
    if term is None:
        term = actions.do_create_term(
            actor=chair,
            unit=unit,
            number=1,
            start_date=dt.date(today.year, 1, 1),
            end_date=dt.date(today.year + 4, 12, 31),
        )
    seated = set(Representative.objects.filter(term=term).values_list("member_id", flat=True))
    wanted = max(representatives - len(seated), 0)
    candidates = (
        Member.objects.filter(status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path)
        .exclude(pk__in=seated)
        .exclude(user__username__in=["chair", "branch1", "branch2", "worker1", "worker2"])
        .select_related("org_unit", "user")
        .order_by(F("user_id").asc(nulls_last=True), "employee_no")  # accounts first
    )
    for i, member in enumerate(candidates[:wanted]):
        actions.do_add_representative(
            actor=chair,
            term=term,
            member=member,
            is_manager=i % 9 == 0,
            is_frontline=i % 9 != 0 and i % 3 != 1,
        )
    session = term.sessions.filter(date=today).first()
    if session is None:
        session = actions.do_schedule_session(
            actor=chair,
            term=term,
            date=today,
            place="职工活动中心大礼堂",
            notify_representatives=False,
        )
    return session


RESOLUTION = "关于《职工福利费使用管理办法》的决议"
# passed by the same session; its plan is still to be made (the congress office's next task)
RESOLUTION_UNPLANNED = "关于《劳动防护用品发放标准》的决议"


@transaction.atomic
def ensure_demo_followup(term: Term) -> FollowupPlan | None:
    """An earlier session of `term` (about half a year before today, within the term) that
    passed RESOLUTION and RESOLUTION_UNPLANNED on paper, and the first one's follow-up: the
    plan owned by 人力资源部 (handler1's), a milestone done and confirmed, one overdue, a
    follow-up report on the three points.
    Nothing when the term is too young for an earlier session, or when it is there already."""
    from zhijia.congress.actions import agenda, desk, followup
    from zhijia.org.models import Department
    from zhijia.voting import actions as voting

    existing = FollowupPlan.objects.filter(session__term=term, title=RESOLUTION).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    day = max(today - dt.timedelta(days=180), term.start_date)
    if day >= today - dt.timedelta(days=30):
        return None
    chair = User.objects.get(username="chair")
    session = actions.do_schedule_session(
        actor=chair, term=term, date=day, place="职工活动中心大礼堂", notify_representatives=False
    )
    actions.do_start_checkin(actor=chair, session=session)
    present = desk.do_mark_all_present_except(actor=chair, session=session)
    actions.do_open_session(actor=chair, session=session)
    n = len(present)
    dissent = 3 if n >= 10 else 0  # a small demo union passes them unanimously
    items = []
    for title in (RESOLUTION, RESOLUTION_UNPLANNED):
        item = agenda.do_add_item(actor=chair, session=session, title=title)
        poll = desk.do_open_item_vote_on_paper(actor=chair, item=item)
        voting.do_enter_paper_result(
            actor=chair,
            poll=poll,
            counts={"yes": n - dissent, "no": dissent - dissent // 3, "abstain": dissent // 3},
            valid_ballots=n,
        )
        items.append(item)
    actions.do_close_session(actor=chair, session=session)
    handler = User.objects.get(username="handler1")
    plan = followup.do_create_plan(
        actor=chair,
        agenda_item=items[0],
        department=Department.objects.get(code="D-HR"),
        responsible="人力资源部 李经理",
        measures="修订职工福利费使用管理办法，经职代会审议后印发；每季度向职工公开福利费使用情况。",
    )
    done = followup.do_add_milestone(
        actor=chair, plan=plan, title="办法修订稿印发", due_date=day + dt.timedelta(days=60)
    )
    followup.do_complete_milestone(
        actor=handler, milestone=done, result="已于职代会后印发，并在厂务公开栏公布。"
    )
    followup.do_verify_milestone(actor=chair, milestone=done)
    followup.do_add_milestone(
        actor=chair,
        plan=plan,
        title="公布第三季度福利费使用情况",
        due_date=today - dt.timedelta(days=10),
    )
    followup.do_add_report(
        actor=handler,
        plan=plan,
        period="第三季度",
        progress="办法已印发执行，第二季度使用情况已公布。",
        changes="体检项目由集团统一采购，费用科目相应调整。",
        problems="第三季度使用情况因财务结账推迟，尚未公布，计划本月内补报。",
    )
    return plan


QUARTERS = "一二三四"
# What the plan's department reported in each quarter (实施进度, 变化, 问题和整改情况).
QUARTER_REPORTS = {
    1: (
        "落实方案已制定，正在起草办法修订稿。",
        "无。",
        "部分分工会意见尚未汇总，已督促月底前报送。",
    ),
    2: (
        "办法修订稿已提交职代会审议并通过，正在印发。",
        "根据代表意见增加了困难职工补助条款。",
        "无。",
    ),
    3: (
        "办法已印发执行，第二季度使用情况已公布。",
        "体检项目由集团统一采购，费用科目相应调整。",
        "第三季度使用情况因财务结账推迟，尚未公布，计划本月内补报。",
    ),
    4: (
        "第三季度使用情况已补报公布，全年执行情况正在汇总。",
        "无。",
        "年度使用情况报告待财务部审核后向职代会报告。",
    ),
}


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def ensure_demo_followup_year(plan: FollowupPlan) -> int:
    """A follow-up report for every quarter from the plan's session to today (those missing),
    dated at the quarter's end (today for the current one). Answers how many were added."""
    from zhijia.congress.actions import followup

    handler = User.objects.get(username="handler1")
    today = timezone.localdate()
    start = plan.session.date
    have = list(plan.reports.values_list("period", flat=True))
    added = 0
    if start.year != today.year:
        return 0
    for q in range(_quarter(start), _quarter(today) + 1):
        label = f"第{QUARTERS[q - 1]}季度"
        if not any(period.endswith(label) for period in have):
            progress, changes, problems = QUARTER_REPORTS[q]
            followup.do_add_report(
                actor=handler,
                plan=plan,
                period=label,
                progress=progress,
                changes=changes,
                problems=problems,
            )
            added += 1
        # dated at the quarter's end, as the department would have sent it
        end = dt.date(today.year, 3 * q, 1) + dt.timedelta(days=31)
        end = min(end.replace(day=1) - dt.timedelta(days=1), today)
        at = min(timezone.make_aware(dt.datetime.combine(end, dt.time(16, 0))), timezone.now())
        plan.reports.filter(period=label, created_at__gt=at).update(created_at=at)
    return added


TOUR = "安全生产与厂务公开专项巡视"


# The demo tour planned by this run's seed_demo: seed_demo_late takes its checklist again once
# every module has seeded (congress seeds before safety, cases and disclosure).
_NEW_TOURS: list[str] = []


@transaction.atomic
def ensure_demo_tour(term: Term):
    """An inspection tour of the demo union (rep1 leading, two more representatives) that
    started two days ago: its checklist was taken when it was planned; the participants have
    recorded findings on four subjects, one problem handed to 安全环保部 for rectification."""
    from zhijia.congress.actions import checklist, inspections
    from zhijia.congress.models import InspectionTour
    from zhijia.congress.queries.proposals import representatives_in
    from zhijia.org.models import Department

    existing = InspectionTour.objects.filter(org_unit=term.unit, title=TOUR).first()
    if existing is not None:
        return existing
    _NEW_TOURS.append(TOUR)
    chair = User.objects.get(username="chair")
    rep1 = User.objects.get(username="rep1")
    today = timezone.localdate()
    others = list(
        representatives_in(term.unit).exclude(pk__in=[rep1.pk, chair.pk]).order_by("pk")[:2]
    )
    tour = inspections.do_create_tour(
        actor=chair,
        org_unit=term.unit,
        title=TOUR,
        scope="检查各分工会厂务公开栏、生产现场安全隐患整改、职工诉求和提案办理进度、"
        "集体合同履约检查及职代会决议落实情况。",
        start_date=today - dt.timedelta(days=2),
        end_date=today + dt.timedelta(days=1),
        participants=[rep1, *others],
        leader=rep1,
    )
    findings = [
        (rep1, "disclosure", "ok", "各分工会公开栏按目录更新，职工可查阅。", None),
        (
            chair,
            "safety",
            "problem",
            "检修班组配电室灭火器过期未更换，消防通道堆放杂物。",
            "D-SAFE",
        ),
        (rep1, "contract", "ok", "履约检查按计划开展，未发现新的未履行条款。", None),
        (
            rep1,
            "resolutions",
            "problem",
            "福利费使用情况未按季度公开，落实节点已超期。",
            None,
        ),
    ]
    for actor, subject, verdict, note, dept in findings:
        checklist.do_record_checklist_finding(
            actor=actor,
            tour=tour,
            subject=subject,
            verdict=verdict,
            note=note,
            department=Department.objects.get(code=dept) if dept else None,
            workdays=10 if dept else None,
        )
    return tour


RECEPTION_LEADER = "王志刚"
HEARING_TITLE = "《加班与调休管理办法（草案）》听证"


def ensure_demo_channels() -> str:
    """Branch 1's reception day a week from today (three slots, two booked, worker1's to take)
    and its hearing (open for two weeks, rep1's comment). Nothing when they are there."""
    from zhijia.congress.actions import channels
    from zhijia.congress.models import Hearing, ReceptionDay

    branch = OrgUnit.objects.get(code="B1")
    if ReceptionDay.objects.filter(org_unit=branch, leader=RECEPTION_LEADER).exists():
        return ""
    today = timezone.localdate()
    cadre = User.objects.get(username="branch1")
    rep = User.objects.get(username="rep1")
    day = channels.do_publish_day(
        actor=cadre,
        unit=branch,
        leader=RECEPTION_LEADER,
        leader_title="分厂厂长",
        date=today + dt.timedelta(days=7),
        place="分厂行政楼 201 室",
        note="每人约 30 分钟，请写明反映的事项。",
    )
    slots = [
        channels.do_add_slot(
            actor=cadre, day=day, starts_at=dt.time(9 + i // 2, 30 * (i % 2)), ends_at=end
        )
        for i, end in enumerate((dt.time(9, 30), dt.time(10), dt.time(10, 30)))
    ]
    channels.do_book_slot(
        actor=rep, slot=slots[0], topic="夜班职工下班后没有热饭，希望增设夜班餐窗口。"
    )
    other = (
        Member.objects.filter(org_unit__path__startswith=branch.path, user__isnull=False)
        .exclude(user__username__in=["worker1", "rep1", "branch1"])
        .order_by("pk")
        .first()
    )
    if other is not None and other.user is not None:
        channels.do_book_slot(
            actor=other.user, slot=slots[1], topic="更衣柜年久损坏，希望统一更换。"
        )
    if not Hearing.objects.filter(org_unit=branch, title=HEARING_TITLE).exists():
        hearing = channels.do_open_hearing(
            actor=cadre,
            unit=branch,
            title=HEARING_TITLE,
            draft="第一条 加班应当与职工协商一致。\n第二条 加班后应在三个月内安排同等时间调休。",
            opens_on=today,
            closes_on=today + dt.timedelta(days=14),
        )
        channels.do_add_comment(
            actor=rep, hearing=hearing, text="建议明确调休无法安排时按法定标准支付加班费。"
        )
    meetings = _demo_meetings(branch, cadre, rep)
    return f", reception day of {day.date}, hearing {HEARING_TITLE}{meetings}"


def _demo_meetings(branch, cadre, rep) -> str:
    """A consultation talk held three days ago, its minutes and one decision (a tracked item),
    and a management meeting rep1 sat in on yesterday (her report missing)."""
    from zhijia.congress.actions import channels_meetings
    from zhijia.org.models import Department

    today = timezone.localdate()
    members = list(Member.objects.filter(user__username__in=["worker1", "rep1"]).order_by("pk"))
    meeting = channels_meetings.do_plan_deliberation(
        actor=cadre,
        unit=branch,
        kind="consultation",
        title="第四季度劳资协商恳谈会",
        held_on=today - dt.timedelta(days=3),
        agenda="夜班津贴标准；高温季节作息安排。",
        participants=members,
    )
    department = Department.objects.filter(closed_at__isnull=True).order_by("path").first()
    channels_meetings.do_record_minutes(
        actor=cadre,
        meeting=meeting,
        minutes="双方同意自下月起提高夜班津贴，高温作息另行协商。",
        decisions=[("夜班津贴每班提高 20 元", department)] if department else [],
    )
    from zhijia.congress.actions.channels import _is_representative

    rep_member = Member.objects.filter(user=rep).first()
    if rep_member is not None and _is_representative(rep, branch):
        channels_meetings.do_plan_sitin(
            actor=cadre,
            unit=branch,
            title="分厂月度行政办公会",
            held_on=today - dt.timedelta(days=1),
            body="分厂厂长办公室",
            representatives=[rep_member],
        )
    return f", meeting {meeting.title}"


PROPOSAL_GROUP = "提案工作委员会"


@transaction.atomic
def ensure_demo_bodies(term: Term) -> str:
    """The bodies between sessions: the term's 提案 working group (headed by a representative
    other than rep1, so that the personas keep their rights) with a task; rep1's duty report
    for this term year rated by worker1 (her constituent); worker2 appointed grassroots
    supervisor of branch 2 with one observation. Idempotent; "" when already there."""
    from zhijia.congress.actions import bodies
    from zhijia.congress.models import DutyReport, SupervisorAppointment, WorkingGroup

    if WorkingGroup.objects.filter(term=term, name=PROPOSAL_GROUP).exists():
        return ""
    chair = User.objects.get(username="chair")
    today = timezone.localdate()
    head = (
        Representative.objects.filter(term=term, active=True, member__user__isnull=False)
        .exclude(member__user__username="rep1")
        .order_by("pk")
        .first()
    )
    group = bodies.do_create_group(
        actor=chair,
        term=term,
        kind="proposal",
        name=PROPOSAL_GROUP,
        duties="审查代表提案（立案、不立案、并案），督促提案办理。",
        head=head,
    )
    bodies.do_add_group_task(
        actor=chair,
        group=group,
        title="汇总本年度提案办理情况，向下次会议报告",
        due_date=today + dt.timedelta(days=30),
    )
    rep1 = Representative.objects.filter(term=term, member__user__username="rep1").first()
    if rep1 is not None and not DutyReport.objects.filter(representative=rep1).exists():
        report = bodies.do_file_duty_report(
            actor=rep1.member.user,
            representative=rep1,
            text="一年来参加职代会两次，提交提案两件，参加劳动保护巡视一次，走访班组职工二十余人次。",
        )
        bodies.do_rate_duty_report(
            actor=User.objects.get(username="worker1"), report=report, rating="satisfied"
        )
    worker2 = Member.objects.filter(user__username="worker2").first()
    if worker2 is not None and not SupervisorAppointment.objects.filter(member=worker2).exists():
        appointment = bodies.do_appoint_supervisor(
            actor=chair,
            unit=OrgUnit.objects.get(code="B2"),
            member=worker2,
            starts_on=dt.date(today.year, 1, 1),
            ends_on=dt.date(today.year + 1, 12, 31),
        )
        bodies.do_file_observation(
            actor=worker2.user,
            appointment=appointment,
            subject="装配车间饮水机长期故障",
            text="装配车间东侧饮水机两周未修，夏季职工饮水不便。",
            place="装配车间",
            observed_on=today,
        )
    return f", bodies: {group.name}"


def seed_demo() -> str:
    """Term 1 with 120 representatives (rep1 among them) and a session today; an earlier
    session's resolution with a year of follow-up; an inspection tour with its checklist and
    findings; the participation channels; the bodies between sessions. Idempotent."""
    session = ensure_demo_congress(representatives=120)
    plan = ensure_demo_followup(session.term)
    followup = ""
    if plan is not None:
        reports = ensure_demo_followup_year(plan)
        followup = f", follow-up of {plan.title} (+{reports} quarterly reports)"
    tour = ensure_demo_tour(session.term)
    return (
        f"congress: term {session.term.number}, session {session.number} on {session.date}"
        f"{followup}, inspection tour {tour.title} with its checklist{ensure_demo_channels()}"
        f"{ensure_demo_bodies(session.term)}"
    )


def seed_demo_late() -> str:
    """The checklist of the demo tour planned in this run, taken again now that the other
    modules' demo records exist (the tour starts from their facts, as a real one would)."""
    from zhijia.congress.actions import checklist
    from zhijia.congress.models import InspectionTour

    refreshed = 0
    for tour in InspectionTour.objects.filter(title__in=_NEW_TOURS):
        checklist.do_take_checklist(actor=User.objects.get(username="chair"), tour=tour)
        refreshed += 1
    _NEW_TOURS.clear()
    return f"congress: checklist facts of {refreshed} new demo tour(s) taken after every module"
