"""Demo data of module congress, for `zhijia seed-demo`: a current term of the demo union with
representatives (rep1 among them) and a session planned for today; an earlier session of the
term that passed a resolution (a hall vote on paper), with its implementation plan, milestones
(one done and confirmed, one overdue) and a follow-up report. Idempotent.

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
    session's resolution with its follow-up; the bodies between sessions. Idempotent."""
    session = ensure_demo_congress(representatives=120)
    plan = ensure_demo_followup(session.term)
    followup = f", follow-up of {plan.title}" if plan is not None else ""
    bodies = ensure_demo_bodies(session.term)
    return (
        f"congress: term {session.term.number}, session {session.number} on {session.date}"
        f"{followup}{bodies}"
    )
