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

Learning (`ensure_demo_learning`): see its section at the end of this file.

Volunteering (`ensure_demo_volunteering`): branch1's project 社区义诊志愿服务 with a shift last
month (worker1 and rep1 served, hours confirmed) and one next week (worker1 signed up), and the
union committee's drive 为受灾职工献爱心 taking money (booked in the assistance fund 职工爱心
基金 through zhijia.core.hooks.fund_ledger()) and goods: worker1 gave money, rep1 money but
left out of the thank-you list, worker2 pledged, an outside firm gave goods.
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
    return (
        f"services: {counts['activities']} activities, {clubs} interest groups, "
        f"{len(surveys)} surveys, volunteer project “{project.title}”, "
        f"donation drive “{drive.title}”, {learning} training courses"
    )


# --- learning (培训) -----------------------------------------------------------------------------
#
# ensure_demo_learning: the committee's online course 工会法与职工权益 with a bank of 12
# questions and a test (5 drawn, 30 minutes, 60 to pass): rep1 and branch1 passed it
# (certificates), worker2 was assigned it and has not started; worker1 has not enrolled (the
# browser test enrols her and has her pass: the answers are DEMO_QUESTIONS'); the committee's
# 职工代表履职能力培训 (material, rep1 completed); branch1's classroom course 安全生产岗位
# 培训 with a session held (worker1 and rep1 checked in by roll call) and one next week; the
# year's plans: all workers 8 hours, cadres 16, representatives 12 (the committee), branch 1's
# workers 10.

LEARNING_TEST_COURSE = "工会法与职工权益"
LEARNING_REP_COURSE = "职工代表履职能力培训"
LEARNING_ROOM_COURSE = "安全生产岗位培训"

# (题型, 题目, options, 答案, 解析)
DEMO_QUESTIONS: list[tuple[str, str, list[str], str, str]] = [
    (
        "单选",
        "《中华人民共和国工会法》规定，工会是中国共产党领导的什么组织？",
        ["职工自愿结合的工人阶级群众组织", "企业管理机构", "政府部门", "行业协会"],
        "A",
        "见工会法第二条。",
    ),
    (
        "单选",
        "企业、事业单位、社会组织违反劳动法律法规，侵犯职工劳动权益的，工会应当怎样做？",
        ["不予理会", "代表职工与单位交涉，要求纠正", "直接罢工", "向媒体曝光"],
        "B",
        "见工会法第二十二条。",
    ),
    (
        "单选",
        "职工代表大会是企业实行民主管理的基本形式，其工作机构是？",
        ["人事部", "财务部", "企业工会委员会", "董事会"],
        "C",
        "",
    ),
    (
        "单选",
        "会员按月缴纳的会费标准一般为本人工资收入的百分之几？",
        ["百分之五", "百分之一", "千分之一", "百分之零点五"],
        "D",
        "会员会费为本人每月工资收入的 0.5%。",
    ),
    (
        "单选",
        "工会经费的来源之一是建立工会组织的单位按每月全部职工工资总额的百分之几向工会拨缴？",
        ["百分之二", "百分之五", "百分之十", "千分之五"],
        "A",
        "",
    ),
    (
        "多选",
        "职工代表大会的职权包括哪些？",
        [
            "听取审议企业发展规划报告",
            "审议通过集体合同草案",
            "审议决定职工福利基金使用方案",
            "评议监督企业领导人员",
        ],
        "ABCD",
        "",
    ),
    (
        "多选",
        "集体协商可以涉及下列哪些内容？",
        ["劳动报酬", "工作时间", "休息休假", "企业股票价格"],
        "ABC",
        "",
    ),
    (
        "判断",
        "集体合同订立后，应当报送劳动行政部门。",
        [],
        "对",
        "劳动行政部门自收到之日起十五日内未提出异议的，集体合同即行生效。",
    ),
    ("判断", "用人单位可以因女职工怀孕降低其工资。", [], "错", "见《女职工劳动保护特别规定》。"),
    ("判断", "工会主席、副主席任期未满时，不得随意调动其工作。", [], "对", ""),
    (
        "填空",
        "我国工会的最高领导机关是中华全国总工会全国代表大会及其____。",
        [],
        "执行委员会|执委会",
        "",
    ),
    ("填空", "每年的____月____日是国际劳动节（用“5-1”的形式填写）。", [], "5-1|5—1|5月1日", ""),
]


def _question_rows() -> list[list]:
    rows = []
    for kind, text, options, answer, explanation in DEMO_QUESTIONS:
        cells = [*options, *[""] * (6 - len(options))]
        rows.append([kind, text, *cells, answer, explanation])
    return rows


def _demo_answers(attempt) -> dict[str, str]:
    from zhijia.services.models import LearningQuestion

    texts = {text: answer for _kind, text, _options, answer, _e in DEMO_QUESTIONS}
    return {
        str(q.pk): texts[q.text].split("|")[0]
        for q in LearningQuestion.objects.filter(pk__in=attempt.question_ids)
    }


def _learning_test_course(users) -> None:
    from zhijia.services.actions import learning as learning_actions
    from zhijia.services.actions import learning_tests as test_actions

    chair = users["chair"]
    course = learning_actions.do_create_learning_course(
        actor=chair,
        title=LEARNING_TEST_COURSE,
        org_unit=OrgUnit.objects.get(code="U"),
        kind="online",
        hours="2",
        description="面向全体会员的工会基础知识课程：工会法、职工代表大会、集体协商与会费制度。",
        material=(
            "一、工会的性质：工会是中国共产党领导的职工自愿结合的工人阶级群众组织。\n"
            "二、职工代表大会是企业实行民主管理的基本形式，企业工会委员会是其工作机构。\n"
            "三、集体协商：劳动报酬、工作时间、休息休假、劳动安全卫生等。\n"
            "四、会费：会员每月按本人工资收入的 0.5% 缴纳。"
        ),
        test_questions=5,
        test_minutes=30,
        test_attempts=3,
        pass_mark=60,
    )
    test_actions.do_import_learning_questions(actor=chair, course=course, rows=_question_rows())
    learning_actions.do_publish_learning_course(actor=chair, course=course)
    for name in ("rep1", "branch1"):
        enrolment = learning_actions.do_enrol_learning(actor=users[name], course=course)
        attempt = test_actions.do_start_learning_attempt(actor=users[name], enrolment=enrolment)
        test_actions.do_submit_learning_attempt(
            actor=users[name], attempt=attempt, answers=_demo_answers(attempt)
        )
    learning_actions.do_assign_learning(actor=chair, course=course, workers=[users["worker2"]])


def _learning_rep_course(users) -> None:
    from zhijia.services.actions import learning as learning_actions

    chair = users["chair"]
    course = learning_actions.do_create_learning_course(
        actor=chair,
        title=LEARNING_REP_COURSE,
        org_unit=OrgUnit.objects.get(code="U"),
        kind="online",
        hours="4",
        description="职工代表培训：提案的撰写、职代会的议程与表决、代表巡视。",
        material="职工代表应当密切联系职工，如实反映职工的意见和要求……",
    )
    learning_actions.do_publish_learning_course(actor=chair, course=course)
    enrolment = learning_actions.do_enrol_learning(actor=users["rep1"], course=course)
    learning_actions.do_finish_learning_material(actor=users["rep1"], enrolment=enrolment)


def _learning_room_course(users) -> None:
    from zhijia.services.actions import learning as learning_actions
    from zhijia.services.models import LearningSession

    branch1 = users["branch1"]
    today = timezone.localdate()
    course = learning_actions.do_create_learning_course(
        actor=branch1,
        title=LEARNING_ROOM_COURSE,
        org_unit=OrgUnit.objects.get(code="B1"),
        kind="classroom",
        hours="3",
        description="一线岗位的安全操作规程与隐患识别，现场讲解并演练。",
    )
    held = learning_actions.do_add_learning_session(
        actor=branch1,
        course=course,
        starts_at=_at(today + dt.timedelta(days=1), 14),
        ends_at=_at(today + dt.timedelta(days=1), 17),
        place="一车间会议室",
        capacity=30,
    )
    learning_actions.do_add_learning_session(
        actor=branch1,
        course=course,
        starts_at=_at(today + dt.timedelta(days=7), 14),
        ends_at=_at(today + dt.timedelta(days=7), 17),
        place="一车间会议室",
        capacity=30,
    )
    learning_actions.do_publish_learning_course(actor=branch1, course=course)
    seats = [
        learning_actions.do_enrol_learning(actor=users[n], course=course, session=held)
        for n in ("worker1", "rep1")
    ]
    # The session is under way (roll call), then moved to where it took place, last month.
    now = timezone.now()
    LearningSession.objects.filter(pk=held.pk).update(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2)
    )
    held.refresh_from_db()
    for seat in seats:
        learning_actions.do_check_in_learning(actor=branch1, session=held, enrolment_id=seat.pk)
    last_month = max(today - dt.timedelta(days=30), dt.date(today.year, 1, 1))
    LearningSession.objects.filter(pk=held.pk).update(
        starts_at=_at(last_month, 14), ends_at=_at(last_month, 17)
    )


def _learning_plans(users) -> None:
    from zhijia.services.actions import learning as learning_actions

    year = timezone.localdate().year
    unit = OrgUnit.objects.get(code="U")
    for title, audience, target in (
        ("全员岗位技能培训", "all", "8"),
        ("工会干部培训", "cadres", "16"),
        ("职工代表培训", "representatives", "12"),
    ):
        learning_actions.do_create_learning_plan(
            actor=users["chair"],
            org_unit=unit,
            year=year,
            title=title,
            audience=audience,
            hours_target=target,
        )
    learning_actions.do_create_learning_plan(
        actor=users["branch1"],
        org_unit=OrgUnit.objects.get(code="B1"),
        year=year,
        title="一分会学习型班组",
        audience="all",
        hours_target="10",
    )


@transaction.atomic
def ensure_demo_learning() -> int:
    """The demo year of training (see above); nothing is added when it is there already."""
    from zhijia.services.models import LearningCourse

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["chair", "branch1", "rep1", "worker1", "worker2"]
        )
    }
    if not LearningCourse.objects.filter(title=LEARNING_TEST_COURSE).exists():
        _learning_test_course(users)
        _learning_rep_course(users)
        _learning_room_course(users)
        _learning_plans(users)
    return LearningCourse.objects.count()
