"""Demo data of module services, for `zhijia seed-demo`: one function per subject. Idempotent.

Surveys (ensure_demo_surveys): a closed named survey with answers (the canteen), an open
anonymous one (culture and sports wishes, not yet answered by worker1, whom the browser test
has answer it) and an open pre-congress consultation with suggested topics. The demo members
have no accounts, so the answers come from the demo accounts that have a member record.

Activities (`ensure_demo_activities`): an upcoming badminton match of branch 1 with
registrations (branch1, rep1), a walk of branch 1 later today (open, so that a member
can register and be checked in on the day), a New Year gala whose tickets are drawn (a few
applicants), and an autumn hike that is over, with its attendance and ratings; two interest
groups with leaders, members and a pending join request. No notification is sent.

Learning (`ensure_demo_learning`, in learning_demo.py): a year of courses, a bank and a test,
a classroom session held, plans and certificates.

Honours (`ensure_demo_honours`, in honours_demo.py): 劳模 at several levels, a 工匠, a team
honour, the "五型"班组 criteria and two assessments, this year's care records and an
innovation studio.

Suggestions (`ensure_demo_suggestions`, in suggestions_demo.py): a year of 合理化建议 over the
three branches in every state, with scores, milestones, certified benefits and rewards.

Volunteering (`ensure_demo_volunteering`): branch1's project 社区义诊志愿服务 with a shift last
month (worker1 and rep1 served, hours confirmed) and one next week (worker1 signed up), and the
union committee's drive 为受灾职工献爱心 taking money (booked in the assistance fund 职工爱心
基金 through zhijia.core.hooks.fund_ledger()) and goods: worker1 gave money, rep1 money but
left out of the thank-you list, worker2 pledged, an outside firm gave goods.

Competitions (`ensure_demo_competitions`, in competitions_demo.py): the union
committee's 技能竞赛 2026年度电焊工技能竞赛 (重点工程) with two weighted items, a preliminary (top 3
advance) and a final, three judges (handler1, mediator1, counselor1; counselor1
declared a conflict with branch 1's team), branch 1's team, branch 2's team and two
individuals; both stages scored and closed, the ranking published for its 公示 period.
And 节能减排岗位练兵 open for registration (worker2 entered), where branch1 may enter a team
of her branch (the browser test does).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.core.hooks import fund_ledger
from zhijia.org.models import Member, OrgUnit
from zhijia.services.actions import activities as activity_actions
from zhijia.services.actions import surveys as survey_actions
from zhijia.services.actions import volunteering as volunteering_actions
from zhijia.services.models import (
    Activity,
    ActivityRegistration,
    Club,
    ClubMembership,
    DonationDrive,
    Survey,
    VolunteerProject,
    VolunteerShift,
)
from zhijia.services.workflows import ACTIVITY

R = ActivityRegistration.Status


def _activity(title: str, unit: OrgUnit, cadre: User, **fields) -> tuple[Activity, bool]:
    existing = Activity.objects.filter(title=title, org_unit=unit).first()
    if existing is not None:
        return existing, False
    activity = activity_actions.do_create_activity(
        actor=cadre,
        title=title,
        org_unit=unit,
        club=None,
        fee=fields.pop("fee", ""),
        draw=fields.pop("draw", False),
        offer_hours=24,
        **fields,
    )
    return activity, True


def _register(activity: Activity, users: list[User]) -> None:
    for user in users:
        if not ActivityRegistration.objects.filter(activity=activity, user=user).exists():
            activity_actions.do_register_activity(actor=user, activity=activity)


@transaction.atomic
def ensure_demo_activities() -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=_PERSONAS)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["U", "B1", "B2"])}
    chair, branch1 = users["chair"], users["branch1"]
    now = timezone.now()
    local = timezone.localtime(now)

    # 1. Branch 1's badminton match in ten days, registration open.
    start = (local + dt.timedelta(days=10)).replace(hour=14, minute=0, second=0, microsecond=0)
    match, new = _activity(
        "第一分工会羽毛球友谊赛",
        units["B1"],
        branch1,
        description="单打、双打均可报名，球拍自备，赛后有纪念品。",
        kind=Activity.Kind.SPORTS,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        place="职工活动中心羽毛球馆",
        capacity=16,
        opens_at=now - dt.timedelta(days=1),
        closes_at=start - dt.timedelta(days=2),
        fee="免费",
    )
    if new:
        activity_actions.do_publish_activity(actor=branch1, activity=match)
        _register(match, [branch1, users["rep1"]])

    # 2. Branch 1's walk later today: register, show the QR code, be checked in.
    walk_title = f"午间健步走（{local:%m月%d日}）"
    start = now + dt.timedelta(hours=2)
    walk, new = _activity(
        walk_title,
        units["B1"],
        branch1,
        description="沿厂区绿道步行 5 公里，完成者领取运动毛巾一条。",
        kind=Activity.Kind.SPORTS,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="厂区东门集合",
        capacity=100,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=start - dt.timedelta(minutes=15),
    )
    if new:
        activity_actions.do_publish_activity(actor=branch1, activity=walk)

    # 3. The New Year gala: more applicants than seats, drawn after the window.
    start = (local + dt.timedelta(days=20)).replace(hour=19, minute=0, second=0, microsecond=0)
    gala, new = _activity(
        "新春文艺汇演（门票抽签）",
        units["U"],
        chair,
        description="报名截止后按公示的抽签种子抽取观众，未中签者按抽签顺序候补。",
        kind=Activity.Kind.SHOW,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2, minutes=30),
        place="职工文化宫大剧场",
        capacity=2,
        opens_at=now - dt.timedelta(days=1),
        closes_at=start - dt.timedelta(days=5),
        draw=True,
    )
    if new:
        activity_actions.do_publish_activity(actor=chair, activity=gala)
        _register(gala, [branch1, users["branch2"], users["rep1"]])

    # 4. The autumn hike, over: attendance and ratings (written as the records they left).
    start = (local - dt.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    hike = Activity.objects.filter(title="秋季登山活动", org_unit=units["U"]).first()
    if hike is None:
        hike = Activity.objects.create(
            title="秋季登山活动",
            description="香山登山，统一乘车前往。",
            kind=Activity.Kind.TRIP,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
            place="香山公园东门",
            org_unit=units["U"],
            capacity=40,
            opens_at=start - dt.timedelta(days=14),
            closes_at=start - dt.timedelta(days=2),
            fee="每人 30 元（含午餐）",
            state=ACTIVITY.states.finished,
            created_by=chair,
            published_at=start - dt.timedelta(days=14),
        )
        ratings = {"chair": "satisfied", "branch1": "satisfied", "rep1": "basically"}
        for index, name in enumerate(["chair", "branch1", "branch2", "rep1", "worker2"]):
            user = users[name]
            ActivityRegistration.objects.create(
                activity=hike,
                member=user.member_record,
                user=user,
                status=R.REGISTERED,
                registered_at=start - dt.timedelta(days=10, hours=index),
                checked_in_at=start - dt.timedelta(minutes=20 - index),
                checked_in_by=chair,
                rating=ratings.get(name, ""),
                rated_at=start + dt.timedelta(days=1) if name in ratings else None,
            )
    return {"activities": Activity.objects.count()}


@transaction.atomic
def ensure_demo_clubs() -> int:
    users = {u.username: u for u in User.objects.filter(username__in=_PERSONAS)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["U", "B1"])}
    now = timezone.now()
    plans = [
        (
            "摄影协会",
            units["U"],
            "用镜头记录工厂生活，每月一次外拍，每年举办职工摄影展。",
            {"chair": True, "rep1": False, "worker2": False},
            ["branch2"],
        ),
        (
            "羽毛球俱乐部",
            units["B1"],
            "每周三晚上在职工活动中心练球，欢迎第一分工会的会员加入。",
            {"branch1": True, "rep1": False},
            [],
        ),
    ]
    for name, unit, description, members, requests in plans:
        club, _ = Club.objects.get_or_create(
            name=name, org_unit=unit, defaults={"description": description}
        )
        for username, leader in members.items():
            member = Member.objects.get(user=users[username])
            ClubMembership.objects.get_or_create(
                club=club,
                member=member,
                defaults={
                    "status": ClubMembership.Status.MEMBER,
                    "is_leader": leader,
                    "requested_at": now - dt.timedelta(days=60),
                    "decided_at": now - dt.timedelta(days=59),
                },
            )
        for username in requests:
            member = Member.objects.get(user=users[username])
            ClubMembership.objects.get_or_create(
                club=club,
                member=member,
                defaults={
                    "status": ClubMembership.Status.REQUESTED,
                    "note": "想参加外拍活动",
                    "requested_at": now - dt.timedelta(days=1),
                },
            )
    return Club.objects.count()


_PERSONAS = ["chair", "branch1", "branch2", "rep1", "worker1", "worker2"]


# --- surveys --------------------------------------------------------------------------------

CANTEEN = "2026年职工食堂满意度调查"
CULTURE = "职工文化体育活动需求调查"
CONSULTATION = "第一届职代会第三次会议会前征求意见"

CANTEEN_QUESTIONS = [
    {
        "kind": "single",
        "text": "您多久在职工食堂就餐一次？",
        "options": ["每天", "每周两三次", "很少"],
    },
    {"kind": "rating", "text": "饭菜口味打分", "scale": "stars"},
    {"kind": "rating", "text": "您对职工食堂总体是否满意？", "scale": "satisfaction"},
    {
        "kind": "matrix",
        "text": "请评价以下方面",
        "rows": ["价格", "卫生", "排队时间"],
        "options": ["满意", "一般", "不满意"],
    },
    {"kind": "text", "text": "您对食堂还有什么建议？", "required": False},
]


def _m(*picks: str) -> dict[str, str]:
    """A matrix answer: row index -> option index."""
    return {str(row): pick for row, pick in enumerate(picks)}


CANTEEN_ANSWERS = {
    "chair": ["0", "4", "satisfied", _m("0", "0", "1"), "希望增加夜班职工的供餐时间"],
    "branch1": ["1", "3", "basically", _m("1", "0", "2"), "排队时间太长，希望增加窗口"],
    "branch2": ["0", "5", "satisfied", _m("0", "0", "0"), ""],
    "rep1": ["0", "2", "dissatisfied", _m("2", "1", "2"), "饭菜价格偏高，排队时间太长"],
    "worker1": ["1", "4", "basically", _m("1", "0", "1"), "希望增加清淡的菜品"],
    "worker2": ["2", "3", "basically", _m("1", "1", "2"), "夜班职工吃饭不方便"],
}

CULTURE_QUESTIONS = [
    {
        "kind": "multiple",
        "text": "您希望工会组织哪些活动？（最多选 3 项）",
        "options": ["篮球、羽毛球等球类比赛", "读书会", "职工旅游", "文艺汇演", "健步走"],
        "min_picks": 1,
        "max_picks": 3,
    },
    {
        "kind": "single",
        "text": "哪个时间段参加活动最方便？",
        "options": ["工作日晚上", "周末", "午休时间"],
    },
    {"kind": "rating", "text": "您对工会去年组织的活动打几分？", "scale": "stars"},
    {"kind": "text", "text": "其他想法", "required": False},
]
CULTURE_ANSWERS = {
    "chair": [["0", "2"], "1", "4", "希望多组织户外活动"],
    "branch1": [["1", "3"], "0", "5", ""],
    "branch2": [["0", "4"], "1", "4", "球类比赛可以按分工会组队"],
    "rep1": [["2"], "1", "3", "希望组织职工旅游"],
    "worker2": [["0", "2", "4"], "2", "4", ""],
}

CONSULTATION_QUESTIONS = [
    {
        "kind": "topic",
        "text": "您建议本次职代会讨论哪些议题？（每行写一个）",
    },
    {"kind": "text", "text": "对议题的具体意见", "required": False},
]
CONSULTATION_ANSWERS = {
    "chair": ["职工食堂改善\n夜班津贴标准"],
    "branch1": ["夜班津贴标准\n带薪年休假落实"],
    "branch2": ["职工食堂改善\n班车线路调整"],
    "rep1": ["夜班津贴标准\n职工食堂改善\n劳动防护用品发放"],
    "worker1": ["带薪年休假落实"],
    "worker2": ["夜班津贴标准"],
}


def _answers(survey: Survey, values: list) -> dict:
    keys = [str(pk) for pk in survey.questions.order_by("position").values_list("pk", flat=True)]
    return {k: v for k, v in zip(keys, values, strict=False) if v not in ("", None)}


def _make(title: str, questions, answers: dict, *, anonymous: bool, kind: str, close: bool):
    chair = User.objects.get(username="chair")
    unit = OrgUnit.objects.get(code="U")
    survey = Survey.objects.filter(title=title, org_unit=unit).first()
    if survey is not None:
        return survey
    survey = survey_actions.do_create_survey(
        actor=chair,
        title=title,
        org_unit=unit,
        questions=questions,
        kind=kind,
        anonymous=anonymous,
        intro="本问卷由工会委员会发起，请如实填写。",
        closes_at=None if close else timezone.now() + dt.timedelta(days=14),
    )
    survey = survey_actions.do_open_survey(actor=chair, survey=survey)
    users = {u.username: u for u in User.objects.filter(username__in=list(answers))}
    for username, values in answers.items():
        survey_actions.do_answer_survey(
            actor=users[username], survey=survey, answers=_answers(survey, values)
        )
    if close:
        survey = survey_actions.do_close_survey(actor=chair, survey=survey)
    return survey


@transaction.atomic
def ensure_demo_surveys() -> list[Survey]:
    return [
        _make(
            CANTEEN,
            CANTEEN_QUESTIONS,
            CANTEEN_ANSWERS,
            anonymous=False,
            kind=Survey.Kind.GENERAL,
            close=True,
        ),
        _make(
            CULTURE,
            CULTURE_QUESTIONS,
            CULTURE_ANSWERS,
            anonymous=True,
            kind=Survey.Kind.GENERAL,
            close=False,
        ),
        _make(
            CONSULTATION,
            CONSULTATION_QUESTIONS,
            CONSULTATION_ANSWERS,
            anonymous=True,
            kind=Survey.Kind.CONSULTATION,
            close=False,
        ),
    ]


# --- volunteering ------------------------------------------------------------------------------

PROJECT_TITLE = "社区义诊志愿服务"
DRIVE_TITLE = "为受灾职工献爱心"
FUND_NAME = "职工爱心基金"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _demo_project(users: dict[str, User]) -> VolunteerProject:
    branch1 = users["branch1"]
    project = VolunteerProject.objects.filter(title=PROJECT_TITLE).first()
    if project is not None:
        return project
    today = timezone.localdate()
    project = volunteering_actions.do_create_volunteer_project(
        actor=branch1,
        title=PROJECT_TITLE,
        description="每月一次，到结对社区为老人测量血压、讲解健康知识。欢迎有医护经验的会员报名。",
        org_unit=OrgUnit.objects.get(code="B1"),
        leader=users["rep1"],
        contact="李春梅 13900000101",
    )
    past = volunteering_actions.do_add_volunteer_shift(
        actor=branch1,
        project=project,
        starts_at=_at(today + dt.timedelta(days=1), 9),
        ends_at=_at(today + dt.timedelta(days=1), 12),
        place="幸福里社区服务中心",
        places=6,
    )
    volunteering_actions.do_add_volunteer_shift(
        actor=branch1,
        project=project,
        starts_at=_at(today + dt.timedelta(days=7), 9),
        ends_at=_at(today + dt.timedelta(days=7), 11),
        place="幸福里社区服务中心",
        places=6,
        note="请穿工会志愿者马甲",
    )
    volunteering_actions.do_publish_volunteer_project(actor=branch1, project=project)
    served = [
        volunteering_actions.do_sign_up_volunteer(actor=users[n], shift=past)
        for n in ("worker1", "rep1")
    ]
    # The first shift took place last month (moved there once it had its volunteers).
    # (within this year when it can be, so that the year's hours show it)
    last_month = today - dt.timedelta(days=30)
    if last_month.year != today.year and today > dt.date(today.year, 1, 1):
        last_month = dt.date(today.year, 1, 1)
    VolunteerShift.objects.filter(pk=past.pk).update(
        starts_at=_at(last_month, 9), ends_at=_at(last_month, 12)
    )
    for signup in served:
        signup.refresh_from_db()
        reason = "提前离开" if signup.worker_id == users["rep1"].pk else ""
        hours = "2.5" if reason else None
        volunteering_actions.do_record_volunteer_hours(
            actor=branch1, signup=signup, hours=hours, reason=reason
        )
        volunteering_actions.do_confirm_volunteer_hours(actor=branch1, signup=signup)
    upcoming = project.shifts.order_by("-starts_at")[0]
    volunteering_actions.do_sign_up_volunteer(actor=users["worker1"], shift=upcoming)
    return project


def _demo_drive(users: dict[str, User]) -> DonationDrive:
    chair = users["chair"]
    drive = DonationDrive.objects.filter(title=DRIVE_TITLE).first()
    if drive is not None:
        return drive
    unit = OrgUnit.objects.get(code="U")
    ledger = fund_ledger()
    fund = next((f for f in ledger.funds_for(chair) if f.label == FUND_NAME), None)
    if fund is None:
        fund = ledger.open_fund(
            actor=chair, unit=unit, name=FUND_NAME, description="捐款捐物活动的善款"
        )
    today = timezone.localdate()
    drive = volunteering_actions.do_create_donation_drive(
        actor=chair,
        title=DRIVE_TITLE,
        purpose="第二分工会两名职工家庭遭受洪灾，工会号召全体会员奉献爱心，善款全部用于受灾职工家庭重建。",
        org_unit=unit,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
        accepts_money=True,
        accepts_goods=True,
        show_amounts=False,
        fund_id=fund.id,
    )
    pledge = volunteering_actions.do_pledge_donation(
        actor=users["worker1"], drive=drive, kind="money", amount="200", display="full"
    )
    volunteering_actions.do_confirm_donation(actor=chair, donation=pledge)
    volunteering_actions.do_record_donation(
        actor=chair,
        drive=drive,
        kind="money",
        donor=users["rep1"],
        amount="500",
        display="hidden",  # the opted-out donor: counted in the total, not on the list
    )
    volunteering_actions.do_record_donation(
        actor=chair,
        drive=drive,
        kind="goods",
        donor_name="示例超市有限公司",
        goods="大米 20 袋、食用油 20 桶",
    )
    volunteering_actions.do_pledge_donation(
        actor=users["worker2"], drive=drive, kind="money", amount="100", display="masked"
    )
    return drive


@transaction.atomic
def ensure_demo_volunteering() -> tuple[VolunteerProject, DonationDrive]:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["chair", "branch1", "rep1", "worker1", "worker2"]
        )
    }
    return _demo_project(users), _demo_drive(users)


def seed_demo() -> str:
    counts = ensure_demo_activities()
    clubs = ensure_demo_clubs()
    surveys = ensure_demo_surveys()
    project, drive = ensure_demo_volunteering()
    learning = ensure_demo_learning()
    suggestions = ensure_demo_suggestions()
    contest, drill = ensure_demo_competitions()
    honours = ensure_demo_honours()
    return (
        f"services: {counts['activities']} activities, {clubs} interest groups, "
        f"{len(surveys)} surveys, volunteer project “{project.title}”, "
        f"donation drive “{drive.title}”, {learning} training courses, "
        f"{suggestions} suggestions, competitions “{contest.title}” and “{drill.title}”, "
        f"{honours} honours"
    )


# --- learning (培训), suggestions (合理化建议), competitions (劳动竞赛), honours (荣誉): in their
# own files (this one is near its size limit) ----------

from zhijia.services.competitions_demo import ensure_demo_competitions  # noqa: E402
from zhijia.services.honours_demo import ensure_demo_honours  # noqa: E402
from zhijia.services.learning_demo import ensure_demo_learning  # noqa: E402
from zhijia.services.suggestions_demo import ensure_demo_suggestions  # noqa: E402
